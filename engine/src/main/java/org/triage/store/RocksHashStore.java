package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Status;
import org.rocksdb.TableProperties;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.triage.model.Algorithm;
import org.triage.model.HashSetInfo;
import org.triage.model.Match;
import org.triage.model.SetKind;
import org.triage.priority.CategoryTable;

/**
 * The known-hash store: a RocksDB database in one directory.
 *
 * <h2>Layout</h2>
 * <pre>
 *   column family  key                                value
 *   "md5"          16-byte digest                     one 8-byte record per set holding it:
 *   "sha1"         20-byte digest                       set id (4 bytes BE) || category code (4 bytes BE)
 *   "sha256"       32-byte digest                     ({@link ValueRecords}); written as merge operands
 *                                                      (puts when the family was empty)
 *   "entries"      set id (4) || sequence (8, BE)     a source entry kept whole (VICS Media object, JSON)
 *   "meta"         set records (JSON: provenance, categories), name -&gt; id, id counter, pending and
 *                  retired ids ({@link MetaTable})
 *   "default"      unused (RocksDB always has it)
 * </pre>
 * Keys are binary digests, never hex, and exactly the digest: a lookup is one point {@code get}
 * that a whole-key bloom filter can answer. Each import adds its records as merge operands (the
 * string-append operator with an empty delimiter; records are fixed-width, so no byte needs
 * escaping), so a new set never rewrites another set's keys. A digest in three sets has one key
 * whose value holds three records; all three are reported. The first set imported into an empty
 * family is written as plain puts instead: nothing can be shadowed, and a get that finds a put stops
 * there, where a merge operand sends it on through every older level and the merge operator. Category code 0 is none; code c is the
 * set's c-th category, stored exactly as the source wrote it ("1", "A", "Category B").
 *
 * <h2>Settings, and why</h2>
 * <ul>
 * <li>Bloom filter, {@value StoreOptions#BLOOM_BITS_PER_KEY} bits per key (about 1% false
 *     positives), on whole keys; no prefix extractor. A miss, the common case, costs one filter
 *     probe per sorted run and no data block read. Reads and SST writes use the very same
 *     {@link StoreOptions} objects: with a different filter policy on the read side RocksDB would
 *     ignore the filter.</li>
 * <li>{@code cache_index_and_filter_blocks = false}: index and filter blocks are held by each open
 *     table, outside any cache. With them in a block cache, the filter of 100 million keys (about
 *     125 MB) does not fit one cache shard and lookups collapsed.</li>
 * <li>{@code allow_mmap_reads} and no block cache on the digest families: data blocks are read
 *     straight from the page cache through the mapping, with no copy and no anonymous memory, so a
 *     hit costs a few microseconds and the process's RssAnon stays near the filters' size; the
 *     store's pages show as RssFile (page cache) instead. A 512 MB block cache reached only
 *     42-127 k hits/s here, mmap 220 k/s per thread.</li>
 * <li>4 KiB data blocks and {@code kDataBlockBinaryAndHash}: a hit reads one small block and finds
 *     the key through the block's hash index instead of a binary search.</li>
 * <li>No compression on digest families: digests are random bytes; LZ4 would save about 17% of
 *     the disk for a decompression on every hit. The entries family (JSON) uses LZ4.</li>
 * <li>{@code max_open_files = -1}: every table is opened, with its index and filter in memory, when
 *     the store opens, so no lookup waits for a table open; and a read-only process keeps its files
 *     open even if a writing process's compaction deletes them meanwhile.</li>
 * <li>Point {@code get(ReadOptions, key, valueBuffer)} one key at a time with direct buffers
 *     ({@link LookupCursor}): batched {@code multiGet} was slower while the data is in memory.</li>
 * <li>RocksDB's info log goes to {@link System.Logger} ({@link StoreLogger}), warnings and worse only,
 *     so there is no LOG file: opening read-only leaves the directory exactly as it was.</li>
 * <li>Scans (export, purge) use {@code total_order_seek} and do not fill caches.</li>
 * <li>The process should run with {@code MALLOC_ARENA_MAX=2} (the {@code triage} launcher sets it):
 *     otherwise glibc's per-thread arenas let RocksDB's resident memory grow to three times its
 *     need.</li>
 * </ul>
 *
 * <h2>Bulk import</h2>
 * {@link #importSet}: the importer ({@link ImportFormat}) parses and validates the file while its
 * digests are partitioned by first byte into 256 buckets ({@link DigestSpill}): 64 KiB buffers that
 * spill to files in a temporary directory inside the store. Nothing of the store changes while
 * parsing. Then a never-used set id is taken (recorded as pending, in one synced write), the buckets
 * are sorted one at a time (buckets are key ranges, so no merge is needed) and written as SST files
 * of merge operands by two threads, files of one family not overlapping; all files of a family are
 * ingested in one {@code ingestExternalFile} call; and one synced WriteBatch in the meta family
 * writes the set record and name, the moment the set becomes live. The heap holds a few MiB of
 * buffers plus one bucket per writer thread, whatever the file's size.
 *
 * <h2>Visibility, atomicity, removal</h2>
 * Lookups, {@link #sets()} and {@link #export} see only sets that are live in the meta family;
 * records of any other id are skipped. A failure or a crash before the commit leaves records of an
 * id that is not live: invisible, and purged at once or, after a crash, when the store is next
 * opened for writing (the pending id says whom to purge). With replace, the commit batch points
 * the name at the new id and retires the old one; {@link #remove} retires an id in one batch.
 * Retired records are purged afterwards by a scan of each digest family that rewrites (put) each
 * value holding one, or deletes the key when nothing is left: O(store), not O(set).
 *
 * <h2>Threading and ownership</h2>
 * {@link #lookup} may be called from any number of threads; each thread keeps its own buffers
 * ({@link LookupCursor}). Several threads or processes may open the
 * same directory read-only at once, also while one process has it open for writing; a read-only
 * store sees the store as it was when opened. Only one process may open it for writing.
 * {@link #importSet}, {@link #remove} and {@link #export} are serialised on a writable store. The store owns
 * its native objects and frees them in {@link #close()}, which must come after the last lookup has
 * returned.
 *
 * <p>Open/import/export failures throw {@link StoreException} (a bad hash-list line:
 * {@link ImportException}); a lookup that RocksDB cannot complete throws an
 * {@link UncheckedIOException} wrapping a StoreException.
 */
public final class RocksHashStore implements HashStore {
    private static final System.Logger LOG = System.getLogger(RocksHashStore.class.getName());
    private static final int READ_ONLY_OPEN_ATTEMPTS = 3;
    private static final int MAX_NAME_BYTES = 255;

    private final Path dir;
    private final boolean writable;
    private final StoreOptions options;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle entries;
    private final ColumnFamilyHandle[] digestFamilies;
    private final ReadOptions lookupOptions;
    private final WriteOptions syncWrite;
    private final DigestIngester ingester;
    private final Object writeLock = new Object();
    private final ConcurrentLinkedQueue<LookupCursor> cursorsMade = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<LookupCursor> cursors;
    private volatile LiveSets live = LiveSets.EMPTY;
    private volatile boolean closed;
    /** True when this open made the store (no format marker before). */
    private boolean created;

    /** Runs after the digest keys are ingested and before the set is committed; for tests. */
    @FunctionalInterface
    interface AfterIngest {
        void run(int setId) throws IOException;
    }

    /** Test hook: see {@link AfterIngest}. */
    AfterIngest afterIngest;

    /** Called as an import enters each phase (parse, write, ingest, commit); for tests that kill the process. */
    @FunctionalInterface
    interface PhaseHook {
        void phase(String phase, int setId) throws IOException;
    }

    /** Test hook: see {@link PhaseHook}. */
    PhaseHook hooks;
    /** False simulates a crash for tests: a failed import's keys stay until the next writable open. */
    boolean purgeOnFailure = true;

    private RocksHashStore(Path dir, boolean writable, StoreOptions options, RocksDB db, List<String> names,
                           List<ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.writable = writable;
        this.options = options;
        this.db = db;
        this.handles = handles;
        this.digestFamilies = new ColumnFamilyHandle[Algorithm.values().length];
        ColumnFamilyHandle metaHandle = null;
        ColumnFamilyHandle entriesHandle = null;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(StoreOptions.META)) metaHandle = handles.get(i);
            if (names.get(i).equals(StoreOptions.ENTRIES)) entriesHandle = handles.get(i);
            for (Algorithm a : Algorithm.values()) {
                if (names.get(i).equals(StoreOptions.familyName(a))) digestFamilies[a.ordinal()] = handles.get(i);
            }
        }
        this.meta = metaHandle;
        this.entries = entriesHandle;
        this.lookupOptions = new ReadOptions().setVerifyChecksums(false);
        this.syncWrite = writable ? new WriteOptions().setSync(true) : null;
        this.ingester = new DigestIngester(dir, db, options, digestFamilies, entriesHandle);
        this.cursors = ThreadLocal.withInitial(this::newCursor);
    }

    /**
     * Opens an existing store for lookups only. Never writes to the directory.
     *
     * @throws StoreException when {@code dir} holds no triage hash store, is damaged (which file) or
     *                        cannot be read (permission denied), or RocksDB cannot open it
     */
    public static RocksHashStore openReadOnly(Path dir) throws StoreException {
        StoreException problem = StoreDiagnosis.before(dir);
        if (problem != null) throw problem;
        if (!Files.isDirectory(dir) || !Files.isRegularFile(dir.resolve("CURRENT"))) {
            throw new StoreException("no hash store at " + dir + ": run 'triage hashset import' first");
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return open(dir, false);
            } catch (OpenRace e) {
                // A writer replaced a file between our reading the manifest and opening the file.
                if (attempt == READ_ONLY_OPEN_ATTEMPTS) throw e.failure;
                LOG.log(System.Logger.Level.DEBUG, "retrying read-only open of {0}: {1}", dir, e.failure.getMessage());
            }
        }
    }

    /**
     * Opens a store for import, creating it (and the directory) if missing.
     *
     * @throws StoreException when {@code dir} is not empty and holds no triage store, or another
     *                        process has the store open for writing
     */
    public static RocksHashStore openWritable(Path dir) throws StoreException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StoreException("cannot create a hash store at " + dir + ": it is not a directory");
        }
        StoreException problem = StoreDiagnosis.before(dir);
        if (problem != null) throw problem;
        if (!Files.isRegularFile(dir.resolve("CURRENT")) && !isEmptyOrMissing(dir)) {
            throw new StoreException("cannot create a hash store at " + dir
                    + ": the directory is not empty and holds no hash store; give an empty or new directory");
        }
        try {
            Files.createDirectories(dir);
            return open(dir, true);
        } catch (OpenRace e) {
            throw e.failure;
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw new StoreException("cannot create a hash store at " + dir + ": " + e, e);
        }
    }

    /** A read-only open that failed in a way a concurrent writer can cause; worth retrying. */
    private static final class OpenRace extends Exception {
        private static final long serialVersionUID = 1L;
        final transient StoreException failure;

        OpenRace(StoreException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private static RocksHashStore open(Path dir, boolean writable) throws StoreException, OpenRace {
        StoreOptions options = StoreOptions.create(writable);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        RocksHashStore store = null;
        try {
            List<String> names = familyNames(dir, writable);
            String path = dir.toString();
            db = writable
                    ? RocksDB.open(options.db(), path, options.descriptors(names), handles)
                    : RocksDB.openReadOnly(options.db(), path, options.descriptors(names), handles, false);
            store = new RocksHashStore(dir, writable, options, db, names, handles);
            store.start();
            return store;
        } catch (RocksDBException e) {
            closeQuietly(store, handles, db, options);
            StoreException failure = translate(dir, writable, e);
            Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
            if (!writable && (code == Status.Code.IOError || code == Status.Code.NotFound)) throw new OpenRace(failure);
            throw failure;
        } catch (StoreException | RuntimeException | Error e) {
            closeQuietly(store, handles, db, options);
            throw e;
        }
    }

    private static void closeQuietly(RocksHashStore store, List<ColumnFamilyHandle> handles, RocksDB db,
                                     StoreOptions options) {
        if (store != null) {
            store.close();
            return;
        }
        handles.forEach(ColumnFamilyHandle::close);
        if (db != null) db.close();
        options.close();
    }

    private static StoreException translate(Path dir, boolean writable, RocksDBException e) {
        StoreException diagnosed = StoreDiagnosis.after(dir, e);
        if (diagnosed != null) return diagnosed;
        String msg = String.valueOf(e.getMessage());
        if (writable && msg.toLowerCase(Locale.ROOT).contains("lock")) {
            return new StoreException("hash store at " + dir + " is already open for writing (by this or another process): "
                    + msg, e);
        }
        return new StoreException("cannot open hash store at " + dir + ": " + msg, e);
    }

    /** The column families to open: all that exist, plus (for writing) the ones a store needs. */
    private static List<String> familyNames(Path dir, boolean writable) throws RocksDBException, StoreException {
        List<String> names = new ArrayList<>();
        if (Files.isRegularFile(dir.resolve("CURRENT"))) {
            try (Options o = new Options()) {
                for (byte[] n : RocksDB.listColumnFamilies(o, dir.toString())) names.add(new String(n, StandardCharsets.UTF_8));
            }
            if (!names.contains(StoreOptions.META)) {
                StoreException damaged = StoreDiagnosis.missingFamily(dir, StoreOptions.META);
                if (damaged != null) throw damaged;
                throw new StoreException(dir + " is a RocksDB database but not a triage hash store (no '"
                        + StoreOptions.META + "' column family)");
            }
        }
        if (writable) {
            for (String n : requiredFamilies()) {
                if (!names.contains(n)) names.add(n);
            }
        }
        return names;
    }

    private static List<String> requiredFamilies() {
        List<String> names = new ArrayList<>(List.of(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8),
                StoreOptions.META, StoreOptions.ENTRIES));
        for (Algorithm a : Algorithm.values()) names.add(StoreOptions.familyName(a));
        return names;
    }

    private static boolean isEmptyOrMissing(Path dir) throws StoreException {
        if (!Files.exists(dir)) return true;
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new StoreException("cannot read directory " + dir + ": " + e, e);
        }
    }

    /** Checks the format marker, initialises a new store, finishes interrupted work, loads the live sets. */
    private void start() throws StoreException, RocksDBException {
        MetaTable.Contents contents = MetaTable.read(db, meta, dir.toString());
        if (contents.format() == null) {
            if (!writable || contents.keys() > 0 || !digestFamiliesEmpty()) {
                throw new StoreException(dir + " is a RocksDB database but not a triage hash store (no format marker)");
            }
            try (WriteBatch batch = new WriteBatch()) {
                MetaTable.initialize(batch, meta);
                db.write(syncWrite, batch);
            }
            created = true;
            contents = MetaTable.read(db, meta, dir.toString());
        } else if (!contents.format().equals(new String(MetaTable.FORMAT_VALUE, StandardCharsets.US_ASCII))) {
            throw new StoreException(dir + " holds hash store format '" + contents.format()
                    + "', which this version of triage cannot read; import the sets again into a new store");
        }
        if (writable) {
            recover(contents);
            contents = MetaTable.read(db, meta, dir.toString());
        }
        live = new LiveSets(contents.sets());
    }

    private boolean digestFamiliesEmpty() {
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true)) {
            for (ColumnFamilyHandle f : digestFamilies) {
                if (f == null) continue;
                try (RocksIterator it = db.newIterator(f, scan)) {
                    it.seekToFirst();
                    if (it.isValid()) return false;
                }
            }
        }
        return true;
    }

    /** Deletes keys of imports that never committed and of sets replaced before their keys were gone. */
    private void recover(MetaTable.Contents contents) throws StoreException, RocksDBException {
        try {
            ingester.removeStaleTemporaries();
        } catch (IOException e) {
            throw new StoreException("cannot remove temporary import files in " + dir + ": " + e, e);
        }
        List<Integer> ids = new ArrayList<>(contents.pending());
        ids.addAll(contents.retired());
        if (ids.isEmpty()) return;
        LOG.log(System.Logger.Level.INFO, "hash store {0}: deleting keys of unfinished imports and replaced sets {1}", dir, ids);
        ingester.purge(ids.stream().mapToInt(Integer::intValue).toArray());
        try (WriteBatch batch = new WriteBatch()) {
            for (int id : contents.pending()) batch.delete(meta, MetaTable.pendingKey(id));
            for (int id : contents.retired()) batch.delete(meta, MetaTable.retiredKey(id));
            db.write(syncWrite, batch);
        }
    }

    private LookupCursor newCursor() {
        LookupCursor c = new LookupCursor(db, lookupOptions, digestFamilies);
        cursorsMade.add(c);
        return c;
    }

    /** The directory the store lives in. */
    public Path directory() { return dir; }

    /**
     * True when {@link #openWritable} made a new, empty store here (the directory was missing or
     * empty): a mistyped path makes one too, so a command should say so.
     */
    public boolean created() { return created; }

    @Override
    public Set<Algorithm> algorithms() {
        return live.algorithms();
    }

    @Override
    public List<HashSetInfo> sets() {
        return live.infos();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Matches come in import order of their sets, one per set (a set stores a digest once).
     *
     * @throws IllegalArgumentException when the digest's length is not the algorithm's
     * @throws IllegalStateException    after {@link #close()}
     * @throws UncheckedIOException     when RocksDB fails to read (a damaged or vanished file)
     */
    @Override
    public List<Match> lookup(Algorithm algorithm, byte[] digest) {
        if (closed) throw new IllegalStateException("hash store " + dir + " is closed");
        if (digest.length != algorithm.length()) {
            throw new IllegalArgumentException(algorithm.id() + " digest must be " + algorithm.length()
                    + " bytes, not " + digest.length);
        }
        LiveSets sets = live;
        if (!sets.has(algorithm)) return List.of();
        try {
            return cursors.get().lookup(sets, algorithm, digest);
        } catch (RocksDBException e) {
            throw new UncheckedIOException(new StoreException("lookup in hash store " + dir + " failed: " + e.getMessage(), e));
        }
    }

    /** Imports a plain hash list ({@link HashListImporter}); see {@link #importSet}. */
    public ImportSummary importHashList(Path file, String name, SetKind kind, String category, boolean replace)
            throws IOException {
        return importSet(new ImportRequest(file, name, kind, ImportFormat.PLAIN, category, replace, null));
    }

    /**
     * Imports a hash-set file as one set, all or nothing. The file is parsed and validated while its
     * digests are partitioned into bounded spill buckets (in a temporary directory inside the store);
     * then the buckets are sorted and written as SST files, ingested, and the set is committed by one
     * synced WriteBatch in the meta family: the set appears to lookups all at once, or not at all.
     * Re-importing the file a set of that name was made from (same SHA-256, kind and format) changes
     * nothing. Heap: a few MiB of buffers plus one sorted bucket per writer thread, whatever the size.
     *
     * @throws ImportException on a bad entry (file:line or JSON path in the message); the store is unchanged
     * @throws StoreException  when the name exists and {@code replace} is false, or RocksDB fails
     * @throws IllegalStateException when the store was opened read-only
     */
    public ImportSummary importSet(ImportRequest request) throws IOException {
        return importFile(request, null, null);
    }

    /**
     * Imports what {@code in} gives (standard input) as {@link #importSet} imports a file: the bytes
     * are first copied to a temporary file inside the store (so the import stays all or nothing, and
     * a file read twice, to parse and to hash, is still one input), then imported from there. The
     * set's source is {@value #STDIN}, with the size and SHA-256 of the bytes read; errors name
     * {@code request.file()} (say "-") and the line.
     *
     * @throws StoreException when standard input cannot be read or copied; else as {@link #importSet}
     */
    public ImportSummary importStream(ImportRequest request, InputStream in) throws IOException {
        if (!writable) throw new IllegalStateException("hash store " + dir + " is open read-only; open it writable to import");
        Path spool = dir.resolve(DigestIngester.TEMP_PREFIX + "stdin-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectory(spool);
            Path copy = spool.resolve("stdin");
            SourceFingerprint read;
            try (OutputStream out = Files.newOutputStream(copy)) {
                read = SourceFingerprint.copy(in, out);
            } catch (IOException e) {
                throw new StoreException("cannot read the hash list from standard input into " + spool + ": " + e.getMessage(), e);
            }
            return importFile(request.withFile(copy), STDIN, read);
        } catch (ImportException e) {
            throw e.shownAs(request.file());
        } finally {
            DigestIngester.deleteTree(spool);
        }
    }

    /** The source name recorded for a set read from standard input. */
    public static final String STDIN = "(standard input)";

    /**
     * @param sourceName the source recorded with the set, or null for the file's name
     * @param known      the file's fingerprint when already known (hashed as it was spooled), else null
     */
    private ImportSummary importFile(ImportRequest request, String sourceName, SourceFingerprint known) throws IOException {
        if (!writable) throw new IllegalStateException("hash store " + dir + " is open read-only; open it writable to import");
        Path file = request.file();
        String name = request.name();
        checkName(name);
        if (request.category() != null) checkText("category", request.category());
        long started = System.nanoTime();
        String problem = ImportSource.problem(file);
        if (problem != null) throw new StoreException("cannot import " + file + ": " + problem);
        ImportFormat format = request.format() != null ? request.format() : ImportFormat.detect(file);
        SetKind kind = format == ImportFormat.NSRL ? SetKind.KNOWN_GOOD : request.kind();
        synchronized (writeLock) {
            ensureOpen();
            LiveSets.LiveSet old = live.named(name);
            CompletableFuture<SourceFingerprint> print = known != null ? CompletableFuture.completedFuture(known)
                    : SourceFingerprint.start(file);
            if (old != null) {
                SourceFingerprint fp = SourceFingerprint.await(print, file);
                SetRecord r = old.record;
                // The same file read the same way: a different default category, trivial digests kept or
                // not, another reading of the category column, each is a different set.
                if (r.sourceSha256().equals(fp.sha256()) && r.kind().equals(kind.label())
                        && r.format().startsWith(format.label()) && Objects.equals(r.defaultCategory(), request.category())
                        && Objects.equals(r.keepTrivial(), request.keepTrivial())
                        && Objects.equals(r.categoryColumn(), request.categoryColumn().label())) {
                    return new ImportSummary(name, kind, r.info().byAlgorithm(), r.duplicates(), r.linesRead(),
                            r.sourceSha256(), false, Duration.ofNanos(System.nanoTime() - started), r.format(), true,
                            List.of(), List.of());
                }
                if (!request.replace()) {
                    throw new StoreException("a set named '" + name + "' already exists in hash store " + dir
                            + "; import with replace to supersede it");
                }
            }
            Path tmp = dir.resolve(DigestIngester.TEMP_PREFIX + "parse-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            int id = 0;
            boolean ingested = false;
            SetRecord record;
            List<String> warnings = new ArrayList<>();
            try (SpillingSink sink = new SpillingSink(tmp)) {
                Files.createDirectory(tmp);
                if (hooks != null) hooks.phase("parse", 0);
                boolean refuseUncategorised = kind == SetKind.ALERT && !request.allowUncategorised();
                // Only an alert set is harmed by a trivial digest; a known-good empty file is simply true.
                TrivialFilter trivial = kind == SetKind.ALERT ? new TrivialFilter(sink, request.keepTrivial()) : null;
                String read = format.importer(file, request, refuseUncategorised, CategoryTable.defaults())
                        .read(file, trivial == null ? sink : trivial);
                if (sink.isEmpty() && trivial != null && trivial.count() > 0) {
                    throw new ImportException(file, 0, "every digest in the file is trivial (" + trivial.summary(name)
                            + "): the set would be empty");
                }
                if (sink.isEmpty()) throw new ImportException(file, 0, "no digest in the file");
                long parsed = System.nanoTime();
                LOG.log(System.Logger.Level.INFO, "{0}: parsed as {1} in {2} s", file.getFileName(), read, seconds(started, parsed));
                // Parsed and valid: only now is the store touched.
                try {
                    id = allocateId();
                } catch (RocksDBException e) {
                    throw new StoreException("import into hash store " + dir + " failed: " + e.getMessage(), e);
                }
                if (hooks != null) hooks.phase("write", id);
                Path entryFile = sink.writeEntries(id, options);
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
                SourceFingerprint fp = SourceFingerprint.await(print, file);
                long written = System.nanoTime();
                LOG.log(System.Logger.Level.INFO, "{0}: sorted and wrote SST files in {1} s", file.getFileName(), seconds(parsed, written));
                if (hooks != null) hooks.phase("ingest", id);
                ingested = true;
                for (Map.Entry<Algorithm, List<Path>> e : files.entrySet()) ingester.ingest(e.getKey(), e.getValue());
                if (entryFile != null) ingester.ingestEntries(entryFile);
                LOG.log(System.Logger.Level.INFO, "{0}: ingested in {1} s", file.getFileName(), seconds(written, System.nanoTime()));
                if (afterIngest != null) afterIngest.run(id);
                if (hooks != null) hooks.phase("commit", id);
                Map<String, Long> byCategory = new TreeMap<>();
                for (int c = 0; c <= categories; c++) {
                    if (perCategory[c] > 0) byCategory.put(c == 0 ? "" : categoryList.get(c - 1), perCategory[c]);
                }
                Path fileName = sourceName != null ? Path.of(sourceName) : file.getFileName();
                warnings.addAll(sink.warnings());
                if (trivial != null && trivial.summary(name) != null) warnings.add(trivial.summary(name));
                if (conflicts > 0) {
                    warnings.add(String.format(Locale.ROOT, "%,d digests are listed with different categories; each keeps"
                            + " the most severe (category table severity, then whether it raises priority)", conflicts));
                }
                record = new SetRecord(id, name, kind.label(), entries, byAlgorithm, byCategory, categoryList,
                        fileName == null ? file.toString() : fileName.toString(), fp.size(), fp.sha256(), read,
                        Instant.now().toString(), duplicates, sink.read(), sink.entries(), request.toolVersion(),
                        request.category(), request.keepTrivial(), request.categoryColumn().label());
                commit(record, old);
            } catch (IOException | RocksDBException | RuntimeException e) {
                IOException failure = e instanceof IOException io ? io
                        : new StoreException("import of " + file + " into hash store " + dir + " failed: " + e.getMessage(), e);
                // Free the temporary files first: after a full disk, the discard's own write needs the room.
                try {
                    DigestIngester.deleteTree(tmp);
                } catch (IOException cleanup) {
                    failure.addSuppressed(cleanup);
                }
                if (purgeOnFailure && id != 0) discard(id, ingested, failure);
                throw failure;
            } finally {
                try {
                    DigestIngester.deleteTree(tmp);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot remove " + tmp, e);
                }
            }
            flushMeta();
            live = new LiveSets(MetaTable.read(db, meta, dir.toString()).sets());
            if (old != null) purgeRetired(old.record.id(), name);
            List<String> sameSource = new ArrayList<>();
            for (HashSetInfo other : live.infos()) {
                if (!other.name().equals(name) && record.sourceSha256().equals(other.sourceSha256())) sameSource.add(other.name());
            }
            return new ImportSummary(name, kind, record.info().byAlgorithm(), record.duplicates(), record.linesRead(),
                    record.sourceSha256(), old != null, Duration.ofNanos(System.nanoTime() - started), record.format(), false,
                    sameSource, warnings);
        }
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

    /**
     * Removes a set: one synced WriteBatch makes it disappear (its id retired), then its records are
     * purged from the digest families (O(store)); a crash in between leaves them invisible, purged on
     * the next writable open.
     *
     * @throws StoreException when there is no set of that name, or RocksDB fails
     */
    public void remove(String name) throws IOException {
        if (!writable) throw new IllegalStateException("hash store " + dir + " is open read-only; open it writable to remove a set");
        synchronized (writeLock) {
            ensureOpen();
            LiveSets.LiveSet old = live.named(name);
            if (old == null) throw new StoreException("no set named '" + name + "' in hash store " + dir);
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(meta, MetaTable.setKey(old.record.id()));
                batch.delete(meta, MetaTable.nameKey(name));
                batch.put(meta, MetaTable.retiredKey(old.record.id()), new byte[0]);
                db.write(syncWrite, batch);
            } catch (RocksDBException e) {
                throw new StoreException("removing set '" + name + "' from hash store " + dir + " failed: " + e.getMessage(), e);
            }
            flushMeta();
            live = new LiveSets(MetaTable.read(db, meta, dir.toString()).sets());
            purgeRetired(old.record.id(), name);
        }
    }

    private void purgeRetired(int id, String name) {
        try {
            ingester.purge(new int[] {id});
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(meta, MetaTable.retiredKey(id));
                db.write(syncWrite, batch);
            }
        } catch (RocksDBException e) {
            // The change is committed; the old records are invisible, and still marked retired.
            LOG.log(System.Logger.Level.WARNING, "hash store " + dir + ": deleting the records of the old set "
                    + name + " failed; they are invisible and will be deleted when the store is next opened"
                    + " for writing", e);
        }
    }

    /** Takes the next id and records it as pending, durably, before any of its keys exist. */
    private int allocateId() throws RocksDBException {
        byte[] next = db.get(meta, MetaTable.NEXT_ID_KEY);
        int id = next == null ? 1 : MetaTable.id(next, 0);
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(meta, MetaTable.NEXT_ID_KEY, MetaTable.idBytes(id + 1));
            batch.put(meta, MetaTable.pendingKey(id), new byte[0]);
            db.write(syncWrite, batch);
        }
        return id;
    }

    /** Makes the set live in one synced batch; with {@code old}, retires it in the same batch. */
    private void commit(SetRecord record, LiveSets.LiveSet old) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            batch.put(meta, MetaTable.setKey(record.id()), MetaTable.toJson(record));
            batch.put(meta, MetaTable.nameKey(record.name()), MetaTable.idBytes(record.id()));
            batch.delete(meta, MetaTable.pendingKey(record.id()));
            if (old != null) {
                batch.delete(meta, MetaTable.setKey(old.record.id()));
                batch.put(meta, MetaTable.retiredKey(old.record.id()), new byte[0]);
            }
            db.write(syncWrite, batch);
        }
    }

    /**
     * Moves the committed meta records from the WAL into an SST, so that readers opening later
     * need not replay the WAL. The commit is durable without it: a failure is only logged.
     */
    private void flushMeta() {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            db.flush(flush, meta);
        } catch (RocksDBException e) {
            LOG.log(System.Logger.Level.WARNING, "hash store " + dir + ": flushing the set table failed", e);
        }
    }

    /** Best-effort removal of a failed import's keys; what remains is invisible and purged on the next writable open. */
    private void discard(int id, boolean ingested, IOException failure) {
        try {
            if (ingested) ingester.purge(new int[] {id});
            try (WriteBatch batch = new WriteBatch()) {
                batch.delete(meta, MetaTable.pendingKey(id));
                db.write(syncWrite, batch);
            }
        } catch (RocksDBException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Writes the live entries of one set (or of all sets, for null), one line each:
     * {@code set<TAB>kind<TAB>algorithm<TAB>hexdigest<TAB>category}, sorted by set name, then
     * algorithm (md5, sha1, sha256), then digest, so that two stores holding the same sets export
     * the same text. Each (set, algorithm) pair is a full scan of that algorithm's family, so an
     * export of every set costs O(sets x store).
     *
     * @throws StoreException when there is no set of that name, or RocksDB fails
     */
    public void export(String setName, Writer out) throws IOException {
        export(setName, ExportFormat.TSV, out);
    }

    /**
     * Writes one set (every set, for {@link ExportFormat#TSV} with a null name) in {@code format}.
     * VICS gives back the Media objects as imported (unknown fields such as PhotoDNA included) for
     * sets imported from VICS, else one Media object per digest. Returns what the format could not
     * hold and was left out (hashdeep: see {@link SetExporter#hashdeep}), one sentence each; else empty.
     *
     * @throws StoreException when there is no set of that name, or RocksDB fails
     */
    public List<String> export(String setName, ExportFormat format, Writer out) throws IOException {
        if (writable) {
            synchronized (writeLock) {
                return exportLive(setName, format, out);
            }
        }
        return exportLive(setName, format, out);
    }

    private List<String> exportLive(String setName, ExportFormat format, Writer out) throws IOException {
        ensureOpen();
        LiveSets sets = live;
        List<LiveSets.LiveSet> chosen = new ArrayList<>();
        if (setName == null) {
            if (format != ExportFormat.TSV) throw new StoreException("export as " + format.label() + " needs a set name");
            sets.inNameOrder().forEach(chosen::add);
        } else {
            LiveSets.LiveSet s = sets.named(setName);
            if (s == null) throw new StoreException("no set named '" + setName + "' in hash store " + dir);
            chosen.add(s);
        }
        SetExporter exporter = new SetExporter(db, digestFamilies, entries);
        try {
            switch (format) {
                case TSV -> exporter.tsv(chosen, out);
                case MD5 -> exporter.md5(chosen.get(0), out);
                case VICS -> exporter.vics(chosen.get(0), out);
                case HASHDEEP -> {
                    return exporter.hashdeep(chosen.get(0), out);
                }
            }
            return List.of();
        } catch (RocksDBException e) {
            throw new StoreException("export from hash store " + dir + " failed: " + e.getMessage(), e);
        }
    }

    /** Physical keys in one digest family, live or not; for tests. */
    long countKeys(Algorithm a) throws StoreException {
        try {
            return ingester.countKeys(a);
        } catch (RocksDBException e) {
            throw new StoreException("counting keys in hash store " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Properties of the tables of one digest family; for tests that check the filter settings. */
    Map<String, TableProperties> tableProperties(Algorithm a) throws RocksDBException {
        return new LinkedHashMap<>(db.getPropertiesOfAllTables(digestFamilies[a.ordinal()]));
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException("hash store " + dir + " is closed");
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
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                throw new IllegalArgumentException(what + " '" + text.replaceAll("\\p{Cntrl}", "?")
                        + "' contains a control character");
            }
        }
    }

    /** Closes every iterator, handle and option, and the database; waits for a running import. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
            for (LookupCursor c : cursorsMade) c.close();
            cursorsMade.clear();
            for (ColumnFamilyHandle h : handles) h.close();
            db.close();
            lookupOptions.close();
            if (syncWrite != null) syncWrite.close();
            options.close();
        }
    }
}
