package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.triage.model.Algorithm;
import org.triage.model.SetKind;
import org.triage.store.HashSetInfo;
import org.triage.store.HashStore;
import org.triage.store.ImportSummary;
import org.triage.store.RocksHashStore;
import org.triage.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code triage hashset}: manage the known-hash store. */
@Command(name = "hashset", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Import, list and export known-hash sets.",
        subcommands = {HashsetCommand.Import.class, HashsetCommand.Info.class, HashsetCommand.Export.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", ExitCodes.L2})
final class HashsetCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: import, info or export");
    }

    @Command(name = "import", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Load a hash list into the store, all or nothing.",
                "Lines: a hex digest (MD5, SHA-1 or SHA-256, told by its length), optionally followed by ',CATEGORY' "
                    + "or a tab and CATEGORY; md5sum/sha1sum/sha256sum output also works. Blank lines and '#' comments are skipped."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:imported", "2:usage error, malformed line (file:line is printed) or store error; the store is unchanged"})
    static final class Import implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The hash list.")
        Path file;

        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store (created when missing).")
        Path db;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the set.")
        String name;

        @Option(names = "--kind", required = true, paramLabel = "KIND", description = "alert or known-good.")
        String kind;

        @Option(names = "--category", paramLabel = "C", description = "Category for lines that carry none.")
        String category;

        @Option(names = "--replace", description = "Replace a set of the same name (atomically).")
        boolean replace;

        @Override
        public Integer call() {
            SetKind k;
            try {
                k = SetKind.parse(kind);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--kind: " + e.getMessage());
            }
            if (name.isBlank()) throw new CommandLine.ParameterException(spec.commandLine(), "--name must not be empty");
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                err.println("triage: " + file + ": no such file");
                return ExitCodes.USAGE;
            }
            try (RocksHashStore store = RocksHashStore.openWritable(db)) {
                ImportSummary s = store.importHashList(file, name, k, category, replace);
                out.printf(Locale.ROOT, "%s set '%s' (%s): %,d digests (%s), %,d duplicate lines, in %.1f s%n",
                        s.replaced() ? "replaced" : "imported", s.name(), s.kind().label(), s.entries(),
                        perAlgorithm(s.byAlgorithm()), s.duplicates(), s.elapsed().toMillis() / 1000.0);
                return ExitCodes.CLEAN;
            } catch (IOException e) {
                err.println("triage: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
    }

    @Command(name = "info", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List the sets in the store with counts, kinds, categories and where they came from.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", ExitCodes.L2})
    static final class Info implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store (opened read-only).")
        Path db;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (HashStore store = RocksHashStore.openReadOnly(db)) {
                if (store.sets().isEmpty()) out.println("no sets");
                for (HashSetInfo s : store.sets()) {
                    out.printf(Locale.ROOT, "%s%n  kind: %s%n  entries: %,d (%s)%n  categories: %s%n"
                                    + "  source: %s (sha256 %s, format %s)%n  imported: %s%n  duplicate lines: %,d%n",
                            s.name(), s.kind().label(), s.entries(), perAlgorithm(s.byAlgorithm()),
                            s.byCategory().isEmpty() ? "none" : s.byCategory().entrySet().stream()
                                    .map(e -> (e.getKey().isEmpty() ? "(none)" : e.getKey()) + " " + e.getValue())
                                    .collect(Collectors.joining(", ")),
                            s.sourceFile(), s.sourceSha256(), s.format(), s.importedAt(), s.duplicates());
                }
                return ExitCodes.CLEAN;
            } catch (StoreException e) {
                spec.commandLine().getErr().println("triage: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Write the store's entries, one per line: set, kind, algorithm, digest, category (tab-separated, sorted).",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:done", ExitCodes.L2})
    static final class Export implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--db", required = true, paramLabel = "DIR", description = "The store (opened read-only).")
        Path db;

        @Option(names = "--name", paramLabel = "NAME", description = "Only this set (default: all).")
        String name;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
        Path output;

        @Override
        public Integer call() {
            try (RocksHashStore store = RocksHashStore.openReadOnly(db)) {
                if (output != null) {
                    try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                        store.export(name, w);
                    }
                } else {
                    Writer w = spec.commandLine().getOut();
                    store.export(name, w);
                    w.flush();
                }
                return ExitCodes.CLEAN;
            } catch (IOException e) {
                spec.commandLine().getErr().println("triage: " + e.getMessage());
                return ExitCodes.USAGE;
            }
        }
    }

    static String perAlgorithm(Map<Algorithm, Long> m) {
        return m.entrySet().stream().map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
}
