package org.triage.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.rocksdb.RocksDBException;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.SetKind;
import org.triage.priority.CategoryTable;

/**
 * One import of a hash-set file as one set, all or nothing, in named phases. What a process that
 * dies in each phase leaves behind, and who cleans it up:
 *
 * <ol>
 * <li>{@link #parse} ({@link ImportObserver.Phase#PARSE}): the file is read and validated while its
 *     digests are partitioned by first byte into spill buckets ({@link DigestSpill}) in a temporary
 *     directory inside the store. The database is untouched: a bad entry ends the import here with
 *     an {@link ImportException}, and a death leaves only the directory, which the next writable
 *     open deletes.</li>
 * <li>{@link #reserveId}: one synced batch takes a never-used set id and marks it pending. A death
 *     from here on leaves a pending id, whose records the next writable open purges.</li>
 * <li>{@link #write} ({@link ImportObserver.Phase#WRITE}): the buckets are sorted one at a time
 *     (they are key ranges, so no merge) and written by two threads as SST files of merge operands
 *     of that id. The database still holds nothing of the set.</li>
 * <li>{@link #ingest} ({@link ImportObserver.Phase#INGEST}): the files are moved into the digest
 *     and entries families, one {@code ingestExternalFile} call per family. The records are in the
 *     database but belong to no live set: lookups, sets and export skip them.</li>
 * <li>{@link #commit} ({@link ImportObserver.Phase#COMMIT}): one synced WriteBatch writes the set
 *     record and its name, clears the pending mark and, for a replace, retires the old set. Before
 *     the batch the store is as after the ingest; after it the new set is live, whole.</li>
 * <li>{@link #tidy}: the replaced set's records are purged. A death leaves them retired: invisible,
 *     purged on the next writable open.</li>
 * </ol>
 * A failure (an exception) in any phase removes what the import wrote, then is rethrown. An
 * {@link Error} (out of memory; a test's simulated crash) removes nothing but the temporary
 * directory: as after a kill, the next writable open purges the rest. Heap: a few MiB of buffers
 * plus one sorted bucket per writer thread, whatever the file's size.
 *
 * <p>One job is one import, run once, on one thread, under the store's write lock.
 */
final class ImportJob {
    private static final System.Logger LOG = System.getLogger(ImportJob.class.getName());
    private static final int MAX_NAME_BYTES = 255;

    private final OpenStore store;
    private final DigestIngester ingester;
    private final MetaLedger ledger;
    private final ImportObserver observer;
    private final ImportRequest request;
    private final Path file;
    private final String name;
    private final String sourceName;
    private final SourceFingerprint known;
    private final ImportFormat format;
    private final SetKind kind;
    private final long started;
    private final List<String> warnings = new ArrayList<>();
    private LiveSets.LiveSet old;
    private CompletableFuture<SourceFingerprint> print;
    private Path tmp;
    private TrivialFilter trivial;
    /** 0 until {@link #reserveId}. */
    private int id;
    /** Set before the ingest starts: from then on records of {@link #id} may be in the database. */
    private boolean ingested;

    /** What {@link #write} made: the files to ingest and what they hold. */
    private record Tables(Path entryFile, Map<Algorithm, List<Path>> files, List<Path> pdqFiles, List<String> categories,
                          Map<String, Long> byAlgorithm, long[] perCategory, long entries, long duplicates,
                          long conflicts) {
    }

    /**
     * Validates the request at the edge (name, category, file): nothing is locked or written yet.
     *
     * @param sourceName the source recorded with the set, or null for the file's name
     * @param known      the file's fingerprint when already known (hashed as it was spooled), else null
     */
    ImportJob(OpenStore store, DigestIngester ingester, MetaLedger ledger, ImportObserver observer,
              ImportRequest request, String sourceName, SourceFingerprint known) throws IOException {
        this.store = store;
        this.ingester = ingester;
        this.ledger = ledger;
        this.observer = observer;
        this.request = request;
        this.file = request.file();
        this.name = request.name();
        this.sourceName = sourceName;
        this.known = known;
        checkName(name);
        if (request.category() != null) checkText("category", request.category());
        this.started = System.nanoTime();
        String problem = ImportSource.problem(file);
        if (problem != null) throw new StoreException("cannot import " + file + ": " + problem);
        this.format = request.format() != null ? request.format() : ImportFormat.detect(file);
        this.kind = format == ImportFormat.NSRL ? SetKind.KNOWN_GOOD : request.kind();
    }

    /** Runs the phases in order; the caller holds the store's write lock. */
    ImportSummary run() throws IOException {
        store.ensureOpen();
        old = store.live().named(name);
        print = known != null ? CompletableFuture.completedFuture(known) : SourceFingerprint.start(file);
        if (old != null) {
            ImportSummary unchanged = unchanged();
            if (unchanged != null) return unchanged;
            if (!request.replace()) {
                throw new StoreException("a set named '" + name + "' already exists in hash store " + store.dir
                        + "; import with replace to supersede it");
            }
        }
        tmp = store.dir.resolve(DigestIngester.TEMP_PREFIX + "parse-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        SetRecord record;
        try (SpillingSink sink = new SpillingSink(tmp)) {
            Files.createDirectory(tmp);
            observer.entering(ImportObserver.Phase.PARSE, 0);
            String read = parse(sink);
            long parsed = System.nanoTime();
            LOG.log(System.Logger.Level.INFO, "{0}: parsed as {1} in {2} s", file.getFileName(), read, seconds(started, parsed));
            reserveId();
            observer.entering(ImportObserver.Phase.WRITE, id);
            Tables tables = write(sink);
            SourceFingerprint fp = SourceFingerprint.await(print, file);
            long written = System.nanoTime();
            LOG.log(System.Logger.Level.INFO, "{0}: sorted and wrote SST files in {1} s", file.getFileName(), seconds(parsed, written));
            observer.entering(ImportObserver.Phase.INGEST, id);
            ingest(tables);
            LOG.log(System.Logger.Level.INFO, "{0}: ingested in {1} s", file.getFileName(), seconds(written, System.nanoTime()));
            observer.entering(ImportObserver.Phase.COMMIT, id);
            record = commit(sink, read, tables, fp);
        } catch (IOException | RocksDBException | RuntimeException e) {
            throw abandon(e);
        } finally {
            try {
                DigestIngester.deleteTree(tmp);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove " + tmp, e);
            }
        }
        return tidy(record);
    }

    /**
     * The summary of doing nothing when the set already holds this very file read the same way; else
     * null. A different default category, trivial digests kept or not, another reading of the
     * category column: each makes a different set.
     */
    private ImportSummary unchanged() throws IOException {
        SourceFingerprint fp = SourceFingerprint.await(print, file);
        SetRecord r = old.record;
        if (r.sourceSha256().equals(fp.sha256()) && r.kind().equals(kind.label())
                && r.format().startsWith(format.label()) && Objects.equals(r.defaultCategory(), request.category())
                && Objects.equals(r.keepTrivial(), request.keepTrivial())
                && Objects.equals(r.categoryColumn(), request.categoryColumn().label())) {
            return new ImportSummary(name, kind, r.info().byAlgorithm(), r.duplicates(), r.linesRead(),
                    r.sourceSha256(), false, Duration.ofNanos(System.nanoTime() - started), r.format(), true,
                    List.of(), List.of(), r.pdqCount());
        }
        return null;
    }

    /** Phase 1: the file into the sink, every entry validated. Returns the format as read. */
    private String parse(SpillingSink sink) throws IOException {
        boolean refuseUncategorised = kind == SetKind.ALERT && !request.allowUncategorised();
        // Only an alert set is harmed by a trivial digest; a known-good empty file is simply true.
        trivial = kind == SetKind.ALERT ? new TrivialFilter(sink, request.keepTrivial()) : null;
        String read = format.importer(file, request, refuseUncategorised, CategoryTable.defaults())
                .read(file, trivial == null ? sink : trivial);
        if (sink.isEmpty() && trivial != null && trivial.count() > 0) {
            throw new ImportException(file, 0, "every digest in the file is trivial (" + trivial.summary(name)
                    + "): the set would be empty");
        }
        if (sink.isEmpty()) throw new ImportException(file, 0, "no digest in the file");
        return read;
    }

    /** Phase 2: parsed and valid, so only now is the store touched: a pending id, durably. */
    private void reserveId() throws StoreException {
        try {
            id = ledger.reserve();
        } catch (RocksDBException e) {
            throw new StoreException("import into hash store " + store.dir + " failed: " + e.getMessage(), e);
        }
    }

    /** Phase 3: sorted SST files of the set's id, and of its kept entries, in the temporary directory. */
    private Tables write(SpillingSink sink) throws IOException, RocksDBException {
        Path entryFile = sink.writeEntries(id, store.options);
        // Taken once: a list of 200,000 "categories" (a column of paths) made this quadratic.
        List<String> categoryList = sink.categories();
        int categories = categoryList.size();
        int[] rank = rank(categoryList, CategoryTable.defaults());
        long conflicts = 0;
        Map<String, Long> byAlgorithm = new TreeMap<>();
        long[] perCategory = new long[categories + 1];
        long entries = 0;
        long duplicates = 0;
        Map<Algorithm, List<Path>> files = new EnumMap<>(Algorithm.class);
        for (Map.Entry<Algorithm, DigestSpill> e : sink.spills().entrySet()) {
            DigestIngester.Written w = ingester.write(id, e.getKey(), e.getValue(), categories, rank, tmp);
            conflicts += w.conflicts();
            files.put(e.getKey(), w.files());
            byAlgorithm.put(e.getKey().id(), w.distinct());
            entries += w.distinct();
            duplicates += e.getValue().size() - w.distinct();
            for (int c = 0; c <= categories; c++) perCategory[c] += w.perCategory()[c];
        }
        List<Path> pdqFiles = List.of();
        DigestSpill pdq = sink.pdqSpill();
        if (pdq != null && pdq.size() > 0) {
            DigestIngester.Written w = ingester.writePdq(id, pdq, categories, rank, tmp);
            conflicts += w.conflicts();
            pdqFiles = w.files();
            byAlgorithm.put(SetRecord.PDQ, w.distinct());
            entries += w.distinct();
            duplicates += pdq.size() - w.distinct();
            for (int c = 0; c <= categories; c++) perCategory[c] += w.perCategory()[c];
        }
        return new Tables(entryFile, files, pdqFiles, categoryList, byAlgorithm, perCategory, entries, duplicates, conflicts);
    }

    /** Phase 4: the files into the database, one call per family; the records belong to no live set yet. */
    private void ingest(Tables tables) throws RocksDBException {
        ingested = true;
        for (Map.Entry<Algorithm, List<Path>> e : tables.files().entrySet()) ingester.ingest(e.getKey(), e.getValue());
        ingester.ingestPdq(tables.pdqFiles());
        if (tables.entryFile() != null) ingester.ingestEntries(tables.entryFile());
    }

    /** Phase 5: the set record and name in one synced batch, the moment the set becomes live. */
    private SetRecord commit(SpillingSink sink, String read, Tables tables, SourceFingerprint fp) throws RocksDBException {
        List<String> categoryList = tables.categories();
        Map<String, Long> byCategory = new TreeMap<>();
        for (int c = 0; c <= categoryList.size(); c++) {
            if (tables.perCategory()[c] > 0) byCategory.put(c == 0 ? "" : categoryList.get(c - 1), tables.perCategory()[c]);
        }
        Path fileName = sourceName != null ? Path.of(sourceName) : file.getFileName();
        warnings.addAll(sink.warnings());
        if (trivial != null && trivial.summary(name) != null) warnings.add(trivial.summary(name));
        if (tables.conflicts() > 0) {
            warnings.add(String.format(Locale.ROOT, "%,d digests are listed with different categories; each keeps"
                    + " the most severe (category table severity, then whether it raises priority)", tables.conflicts()));
        }
        SetRecord record = new SetRecord(id, name, kind.label(), tables.entries(), tables.byAlgorithm(), byCategory,
                categoryList, fileName == null ? file.toString() : fileName.toString(), fp.size(), fp.sha256(), read,
                Instant.now().toString(), tables.duplicates(), sink.read(), sink.entries(), request.toolVersion(),
                request.category(), request.keepTrivial(), request.categoryColumn().label());
        ledger.commit(record, old);
        return record;
    }

    /** Phase 6, after the commit: what is left to do is only tidying; the summary. */
    private ImportSummary tidy(SetRecord record) throws StoreException {
        ledger.flush();
        store.reload();
        if (old != null) ledger.purgeRetired(old.record.id(), name);
        List<String> sameSource = new ArrayList<>();
        for (HashSetInfo other : store.live().infos()) {
            if (!other.name().equals(name) && record.sourceSha256().equals(other.sourceSha256())) sameSource.add(other.name());
        }
        return new ImportSummary(name, kind, record.info().byAlgorithm(), record.duplicates(), record.linesRead(),
                record.sourceSha256(), old != null, Duration.ofNanos(System.nanoTime() - started), record.format(), false,
                sameSource, warnings, record.pdqCount());
    }

    /** Removes what the import wrote (best effort) and returns the failure to throw. */
    private IOException abandon(Exception e) {
        IOException failure = e instanceof IOException io ? io
                : new StoreException("import of " + file + " into hash store " + store.dir + " failed: " + e.getMessage(), e);
        // Free the temporary files first: after a full disk, the discard's own write needs the room.
        try {
            DigestIngester.deleteTree(tmp);
        } catch (IOException cleanup) {
            failure.addSuppressed(cleanup);
        }
        if (id != 0) ledger.discard(id, ingested, failure);
        return failure;
    }

    /**
     * Per category code, how severe: the category table's severity, then whether an alert match on it
     * raises priority (none raises: an uncategorised alert entry does). Decides which of a digest's
     * repeats is kept.
     */
    private static int[] rank(List<String> categories, CategoryTable table) {
        int[] rank = new int[categories.size() + 1];
        rank[0] = 1;
        for (int c = 1; c <= categories.size(); c++) {
            String text = categories.get(c - 1);
            rank[c] = table.severity(text) * 2 + (table.raises(text) ? 1 : 0);
        }
        return rank;
    }

    private static String seconds(long from, long to) {
        return String.format(Locale.ROOT, "%.2f", (to - from) / 1e9);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) throw new IllegalArgumentException("set name must not be blank");
        checkText("set name", name);
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("set name '" + name + "' is longer than " + MAX_NAME_BYTES + " bytes");
        }
    }

    private static void checkText(String what, String text) {
        if (text.isEmpty()) throw new IllegalArgumentException(what + " must not be empty");
        if (ControlCharacters.in(text)) {
            throw new IllegalArgumentException(what + " '" + ControlCharacters.scrubbed(text) + "' contains a control character");
        }
    }
}
