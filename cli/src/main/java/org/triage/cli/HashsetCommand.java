package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.SetKind;
import org.triage.priority.CategoryTable;
import org.triage.store.CategoryColumn;
import org.triage.store.ExportFormat;
import org.triage.store.HashStore;
import org.triage.store.HashStoreAdmin;
import org.triage.store.ImportFormat;
import org.triage.store.ImportRequest;
import org.triage.store.ImportSource;
import org.triage.store.ImportSummary;
import org.triage.store.RocksHashStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code triage hashset}: manage the known-hash store. */
@Command(name = "hashset", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Import, list and export known-hash sets; hash known pictures for a PDQ set (pdq).",
        subcommands = {HashsetCommand.Import.class, HashsetCommand.Info.class, HashsetCommand.Export.class,
            HashsetCommand.Remove.class, HashsetPdqCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", ExitCodes.L2})
final class HashsetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: import, info, export, remove or pdq");
    }

    @Command(name = "import", description = {"Load a hash-set file into the store, all or nothing.",
                "Formats (--format, detected when left out): vics (Project VIC / CAID VICS JSON), nsrl (NSRL RDS v3 SQLite "
                    + "or RDS 2.x NSRLFile.txt; always known-good), hashdeep (hashdeep/md5deep lists), plain (a hex digest "
                    + "per line, optionally ',CATEGORY' or a tab and CATEGORY; md5sum output also works), pdq (PDQ hashes in "
                    + "ThreatExchange's text form, hash[,quality][,category]: 64 hex digits, quality 0-100, '#' comments; "
                    + "detected only by a name ending in .pdq or a first line '# pdq ...': its lines look like SHA-256).",
                "Without --format, a plain list whose lines may be PDQ hashes (64 hex digits alone or with ',N' after,"
                    + " and nothing that shows digests: another length, a file name, a category that is no number) is"
                    + " refused with the line: give --format plain for SHA-256 digests or --format pdq.",
                "Re-importing the file a set was made from (same name, kind and --category) changes nothing.",
                "An alert set leaves out trivial digests (the empty file's, all-zero blocks of 512 bytes to 1 MiB) unless"
                    + " --keep-trivial is given; a digest listed twice with different categories keeps the most severe."
                    + " Both are said on stderr.",
                "A --db that does not exist yet is created, and said so on stderr."},
            exitCodeList = {"0:imported", "2:usage error, malformed line (file:line is printed), VICS Media without a category"
                    + " for an alert set (see --allow-uncategorised), or store error; the store is unchanged"})
    static final class Import extends StoreSubcommand {
        @Parameters(index = "0", paramLabel = "FILE", description = "The hash list; '-' reads standard input.")
        Path file;

        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store (created when missing).")
        Path db;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the set.")
        String name;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "alert or known-good (default: alert; nsrl is always known-good).")
        String kind;

        @Option(names = "--format", paramLabel = "F", description = "vics, nsrl, hashdeep, plain or pdq (default: detected; pdq only by a .pdq name or '# pdq' first line).")
        String format;

        @Option(names = "--category", paramLabel = "C", description = "Category for entries that carry none.")
        String category;

        @Option(names = {"--allow-uncategorised", "--allow-uncategorized"},
                description = "Let VICS Media without a Category into an alert set without --category (each raises a"
                        + " device's priority on a match). Without it such an import fails, saying how many there are.")
        boolean allowUncategorised;

        @Option(names = "--replace", description = "Replace a set of the same name (atomically).")
        boolean replace;

        @Option(names = "--keep-trivial", description = "Keep trivial digests (the empty file's, all-zero blocks) in an"
                + " alert set: every empty or all-zero file of those sizes then is an alert match.")
        boolean keepTrivial;

        @Option(names = "--category-column", paramLabel = "WHAT", defaultValue = "auto",
                description = "What a plain list's column after the digest (a pdq list's third field) is: auto (a category, but a column of paths or of"
                        + " more than " + CategoryColumn.MAX_CATEGORIES + " different values is refused), category (taken as"
                        + " written), or ignore (file names, as in 'digest<TAB>path' exports: --category applies). Default: auto.")
        String categoryColumn;

        @Override
        public Integer call() {
            SetKind k = kind == null ? SetKind.ALERT : parsed("--kind", kind, SetKind::parse);
            ImportFormat given = format == null ? null : parsed("--format", format, ImportFormat::parse);
            ImportFormat f = given;
            CategoryColumn column = parsed("--category-column", categoryColumn, CategoryColumn::parse);
            if (name.isBlank()) throw new CommandLine.ParameterException(spec.commandLine(), "--name must not be empty");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            boolean stdin = file.toString().equals("-");
            String problem = stdin ? null : ImportSource.problem(file);
            if (problem != null) {
                err.println("triage: cannot import " + file + ": " + problem);
                return ExitCodes.USAGE;
            }
            try {
                if (f == null && !stdin) {
                    f = ImportFormat.detect(file);
                    err.println("triage: " + file.getFileName() + ": detected format " + f.label());
                }
                if (f == ImportFormat.NSRL && kind != null && k != SetKind.KNOWN_GOOD) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--kind: NSRL sets are known-good");
                }
            } catch (IOException e) {
                err.println("triage: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            return withStore(db, RocksHashStore::openWritable, store -> {
                // A mistyped --db makes a new store: scripts rely on the creation, the examiner needs to see it.
                if (store.created()) err.println("triage: created a new, empty store at " + db.toAbsolutePath().normalize());
                // Without --format the store detects again (the first 4 KiB) and knows that it guessed: a plain
                // list that may hold PDQ hashes is then refused, not read as SHA-256.
                ImportRequest request = new ImportRequest(file, name, k, given, category, replace,
                        "triage " + VersionProvider.version(), allowUncategorised, keepTrivial, column);
                if (stdin && System.console() != null) {
                    err.println("triage: reading the hash list from the terminal; end it with Ctrl-D");
                }
                // Standard input is read whole before anything is parsed (the import is all or nothing).
                ImportSummary s = stdin ? store.importStream(request, System.in) : store.importSet(request);
                if (s.unchanged()) {
                    out.printf(Locale.ROOT, "set '%s' already holds this file (sha256 %s): nothing to do%n", s.name(),
                            s.sourceSha256());
                    return ExitCodes.CLEAN;
                }
                for (String w : s.warnings()) err.println("triage: warning: " + w);
                for (String other : s.sameSource()) {
                    err.printf(Locale.ROOT, "triage: warning: this file (sha256 %s) was already imported as set '%s';"
                            + " its digests are now in both%n", s.sourceSha256(), other);
                }
                out.printf(Locale.ROOT, "%s set '%s' (%s, %s): %,d files, %,d digests (%s), %,d duplicates, in %.1f s%n",
                        s.replaced() ? "replaced" : "imported", s.name(), s.kind().label(), s.format(), s.linesRead(),
                        s.entries(), perAlgorithm(s.byAlgorithm(), s.pdq()), s.duplicates(), s.elapsed().toMillis() / 1000.0);
                return ExitCodes.CLEAN;
            });
        }
    }

    @Command(name = "info", description = "List the sets in the store with counts, kinds, categories and where they came from.",
            exitCodeList = {"0:done", ExitCodes.L2_STORE})
    static final class Info extends StoreSubcommand {
        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store (opened read-only).")
        Path db;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            return withStore(db, RocksHashStore::openReadOnly, store -> {
                if (store.sets().isEmpty()) out.println("no sets");
                for (HashSetInfo s : store.sets()) {
                    // Files are what an examiner counts (a Media object, a line, a row); digests what the store holds.
                    out.printf(Locale.ROOT, "%s%n  kind: %s%n  files: %,d (Media objects, lines or rows read; %,d kept whole)%n"
                                    + "  digests: %,d (%s)%n  digests by category: %s%n"
                                    + "  source: %s (%,d bytes, sha256 %s)%n  format: %s%n"
                                    + "  imported: %s by %s%n  duplicates: %,d%n",
                            s.name(), s.kind().label(), s.sourceEntries(), s.kept(), s.entries(), perAlgorithm(s.byAlgorithm(), s.pdq()),
                            s.byCategory().isEmpty() ? "none" : s.byCategory().entrySet().stream()
                                    .map(e -> categoryLabel(e.getKey()) + " " + e.getValue())
                                    .collect(Collectors.joining(", ")),
                            s.sourceFile(), s.sourceSize(), s.sourceSha256(), s.format(),
                            s.importedAt(), s.toolVersion(), s.duplicates());
                }
                return ExitCodes.CLEAN;
            });
        }
    }

    @Command(name = "export", description = {"Write a set out: --format vics (VICS JSON; sets imported from VICS give back their Media objects "
                    + "unchanged), hashdeep (read by hashdeep -m -k; columns every line can fill, what was left out is said "
                    + "on stderr), md5 (one MD5 per line), or, by default, every set's entries as tab-separated "
                    + "lines: set, kind, algorithm, digest, category (sorted)."},
            exitCodeList = {"0:done", ExitCodes.L2_STORE})
    static final class Export extends StoreSubcommand {
        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store (opened read-only).")
        Path db;

        @Option(names = "--name", paramLabel = "NAME", description = "Only this set (default: all; required with --format).")
        String name;

        @Option(names = "--format", paramLabel = "F", defaultValue = "tsv", description = "vics, hashdeep, md5 or tsv (default).")
        String format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            ExportFormat f = parsed("--format", format, ExportFormat::parse);
            if (f != ExportFormat.TSV && name == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format " + f.label() + " needs --name");
            }
            return withStore(db, RocksHashStore::openReadOnly, store -> {
                List<String> leftOut;
                if (output != null) {
                    try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                        leftOut = store.export(name, f, w);
                    }
                } else {
                    Writer w = spec.commandLine().getOut();
                    leftOut = store.export(name, f, w);
                    w.flush();
                }
                for (String note : leftOut) spec.commandLine().getErr().println("triage: " + f.label() + " export: " + note);
                return ExitCodes.CLEAN;
            });
        }
    }

    @Command(name = "remove", description = "Remove a set from the store (atomically: it disappears at once; its keys are purged after).",
            exitCodeList = {"0:removed", ExitCodes.L2_REMOVE})
    static final class Remove extends StoreSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The set to remove.")
        String name;

        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store.")
        Path db;

        @Override
        public Integer call() {
            if (!Files.isDirectory(db)) {
                spec.commandLine().getErr().println("triage: no hash store at " + db);
                return ExitCodes.USAGE;
            }
            return withStore(db, RocksHashStore::openWritable, store -> {
                store.remove(name);
                spec.commandLine().getOut().println("removed set '" + name + "'");
                return ExitCodes.CLEAN;
            });
        }
    }

    /** Opens the store in one mode: read-only ({@link RocksHashStore}) or for writing ({@link HashStoreAdmin}). */
    private interface StoreOpener<S extends HashStore> {
        S open(Path db) throws IOException;
    }

    /** What a subcommand does with the open store; its exit code. */
    private interface StoreWork<S extends HashStore> {
        int run(S store) throws IOException;
    }

    /**
     * What the four store subcommands share: the standard help options, the exit-code heading, and
     * the store opened around their work. Picocli takes the {@code @Command} attributes and the
     * {@code @Spec} from here; each subcommand names itself, its exit codes and its own {@code --db}.
     */
    @Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, exitCodeListHeading = "%nExit codes:%n")
    abstract static class StoreSubcommand implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /**
         * Opens the store (for writing, or read-only), runs {@code work} and closes it; a store that
         * cannot be opened, or an I/O failure of the work, is one line on stderr and exit code 2.
         */
        <S extends HashStore> int withStore(Path db, StoreOpener<S> opener, StoreWork<S> work) {
            try (S store = opener.open(db)) {
                return work.run(store);
            } catch (IOException e) {
                spec.commandLine().getErr().println("triage: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }

        /** {@code parse(value)}; a value it rejects is a usage error naming the option and saying why. */
        <T> T parsed(String option, String value, Function<String, T> parse) {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }
    }

    /** A category with its meaning from the category table, for listings. */
    static String categoryLabel(String category) {
        if (category.isEmpty()) return "(none)";
        CategoryTable.Rule r = CategoryTable.defaults().rule(category);
        return r == null || r.label().equals(category) ? category : category + " (" + r.label() + ")";
    }

    /** "md5 3, sha1 3, pdq 2": the digests per algorithm, then the PDQ hashes when there are any. */
    static String perAlgorithm(Map<Algorithm, Long> m, long pdq) {
        String digests = m.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", "));
        if (pdq == 0) return digests;
        return digests.isEmpty() ? "pdq " + pdq : digests + ", pdq " + pdq;
    }
}
