package org.triage.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.rocksdb.ColumnFamilyHandle;
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
import org.triage.model.Match;
import org.triage.model.NearMatch;
import org.triage.model.PdqHash;

/**
 * One open RocksDB database of a hash store: its native objects and column families, the live sets,
 * lookups and export. The read-only handle ({@link RocksHashStore}) and the admin handle
 * ({@link HashStoreAdmin}) each own one; what a handle may do is decided by which of the two it is,
 * so nothing here asks whether the database is writable. Opening is here because the two modes
 * differ only in how RocksDB is asked: read-only, or creating what is missing.
 *
 * <p>Threading: {@link #lookup}, {@link #live()} and {@link #export} from any thread. Whoever
 * changes the store holds {@link #writeLock}; {@link #close()} takes it too, so a close waits for a
 * running import. Owns every native object it holds and frees them in {@link #close()}.
 */
final class OpenStore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenStore.class.getName());
    private static final int READ_ONLY_OPEN_ATTEMPTS = 3;

    final Path dir;
    final StoreOptions options;
    final RocksDB db;
    final ColumnFamilyHandle meta;
    final ColumnFamilyHandle entries;
    /** The PDQ hashes ({@link PdqFamily}); null where a read-only store made before PDQ lacks it. */
    final ColumnFamilyHandle pdq;
    /** Digest column families by {@link Algorithm#ordinal()}; null where a read-only store lacks one. */
    final ColumnFamilyHandle[] digestFamilies;
    /** Held by every change to the store, and by {@link #close()}. */
    final Object writeLock = new Object();
    private final List<ColumnFamilyHandle> handles;
    private final ReadOptions lookupOptions;
    private final ConcurrentLinkedQueue<LookupCursor> cursorsMade = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<LookupCursor> cursors;
    private volatile LiveSets live = LiveSets.EMPTY;
    /** Built at the first near-match query for the live sets of that moment ({@link PdqIndex}); null until then. */
    private volatile PdqIndex pdqIndex;
    private final Object pdqIndexLock = new Object();
    private volatile boolean closed;
    /** True when this open made the store (no format marker before). */
    private boolean created;

    private OpenStore(Path dir, StoreOptions options, RocksDB db, List<String> names, List<ColumnFamilyHandle> handles) {
        this.dir = dir;
        this.options = options;
        this.db = db;
        this.handles = handles;
        this.digestFamilies = new ColumnFamilyHandle[Algorithm.values().length];
        ColumnFamilyHandle metaHandle = null;
        ColumnFamilyHandle entriesHandle = null;
        ColumnFamilyHandle pdqHandle = null;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equals(StoreOptions.META)) metaHandle = handles.get(i);
            if (names.get(i).equals(PdqFamily.NAME)) pdqHandle = handles.get(i);
            if (names.get(i).equals(StoreOptions.ENTRIES)) entriesHandle = handles.get(i);
            for (Algorithm a : Algorithm.values()) {
                if (names.get(i).equals(StoreOptions.familyName(a))) digestFamilies[a.ordinal()] = handles.get(i);
            }
        }
        this.meta = metaHandle;
        this.entries = entriesHandle;
        this.pdq = pdqHandle;
        this.lookupOptions = new ReadOptions().setVerifyChecksums(false);
        this.cursors = ThreadLocal.withInitial(this::newCursor);
    }

    /**
     * Opens an existing store for reading only. Never writes to the directory.
     *
     * @throws StoreException when {@code dir} holds no triage hash store, is damaged (which file) or
     *                        cannot be read (permission denied), or RocksDB cannot open it
     */
    static OpenStore readOnly(Path dir) throws StoreException {
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
     * Opens a store for writing, creating it (and the directory) if missing. Finishes no interrupted
     * work: that is the admin handle's recovery.
     *
     * @throws StoreException when {@code dir} is not empty and holds no triage store, or another
     *                        process has the store open for writing
     */
    static OpenStore writable(Path dir) throws StoreException {
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

    private static OpenStore open(Path dir, boolean writable) throws StoreException, OpenRace {
        StoreOptions options = StoreOptions.create(writable);
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db = null;
        OpenStore store = null;
        try {
            List<String> names = familyNames(dir, writable);
            String path = dir.toString();
            db = writable
                    ? RocksDB.open(options.db(), path, options.descriptors(names), handles)
                    : RocksDB.openReadOnly(options.db(), path, options.descriptors(names), handles, false);
            store = new OpenStore(dir, options, db, names, handles);
            store.start(writable);
            return store;
        } catch (RocksDBException e) {
            closeQuietly(store, handles, db, options);
            StoreException failure = openFailure(dir, writable, e);
            Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
            if (!writable && (code == Status.Code.IOError || code == Status.Code.NotFound)) throw new OpenRace(failure);
            throw failure;
        } catch (StoreException | RuntimeException | Error e) {
            closeQuietly(store, handles, db, options);
            throw e;
        }
    }

    private static void closeQuietly(OpenStore store, List<ColumnFamilyHandle> handles, RocksDB db, StoreOptions options) {
        if (store != null) {
            store.close();
            return;
        }
        handles.forEach(ColumnFamilyHandle::close);
        if (db != null) db.close();
        options.close();
    }

    /** What a RocksDB failure while opening means, in the examiner's terms. */
    static StoreException openFailure(Path dir, boolean writable, RocksDBException e) {
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
                StoreOptions.META, StoreOptions.ENTRIES, PdqFamily.NAME));
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

    /** Checks the format marker (writing it into a new, empty store), then loads the live sets. */
    private void start(boolean writable) throws StoreException, RocksDBException {
        MetaTable.Contents contents = MetaTable.read(db, meta, dir.toString());
        if (contents.format() == null) {
            if (!writable || contents.keys() > 0 || !digestFamiliesEmpty()) {
                throw new StoreException(dir + " is a RocksDB database but not a triage hash store (no format marker)");
            }
            try (WriteBatch batch = new WriteBatch(); WriteOptions sync = new WriteOptions().setSync(true)) {
                MetaTable.initialize(batch, meta);
                db.write(sync, batch);
            }
            created = true;
            contents = MetaTable.read(db, meta, dir.toString());
        } else if (!contents.format().equals(new String(MetaTable.FORMAT_VALUE, StandardCharsets.US_ASCII))) {
            throw new StoreException(dir + " holds hash store format '" + contents.format()
                    + "', which this version of triage cannot read; import the sets again into a new store");
        }
        live = new LiveSets(contents.sets());
    }

    private boolean digestFamiliesEmpty() throws RocksDBException {
        for (Algorithm a : Algorithm.values()) {
            if (!isEmpty(a)) return false;
        }
        return true;
    }

    /** True when the digest family holds no key at all, live or not (or the store lacks the family). */
    boolean isEmpty(Algorithm a) throws RocksDBException {
        return isEmpty(digestFamilies[a.ordinal()]);
    }

    /** True when the family holds no key at all, live or not (or is null: the store lacks it). */
    boolean isEmpty(ColumnFamilyHandle family) throws RocksDBException {
        if (family == null) return true;
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
             RocksIterator it = db.newIterator(family, scan)) {
            it.seekToFirst();
            if (it.isValid()) return false;
            it.status();
            return true;
        }
    }

    /** Physical keys in one digest family, live or not; for tests. */
    long countKeys(Algorithm a) throws StoreException {
        return countKeys(digestFamilies[a.ordinal()]);
    }

    /** Physical keys in one family, live or not (0 when the store lacks it); for tests. */
    long countKeys(ColumnFamilyHandle family) throws StoreException {
        if (family == null) return 0;
        long n = 0;
        try (ReadOptions scan = new ReadOptions().setTotalOrderSeek(true).setFillCache(false);
             RocksIterator it = db.newIterator(family, scan)) {
            for (it.seekToFirst(); it.isValid(); it.next()) n++;
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("counting keys in hash store " + dir + ": " + e.getMessage(), e);
        }
        return n;
    }

    /** Properties of the tables of one digest family; for tests that check the filter settings. */
    Map<String, TableProperties> tableProperties(Algorithm a) throws RocksDBException {
        return new LinkedHashMap<>(db.getPropertiesOfAllTables(digestFamilies[a.ordinal()]));
    }

    /** True when this open made a new, empty store (the directory was missing or empty). */
    boolean created() { return created; }

    /** The sets live at this moment; each call may return a newer instance after an import. */
    LiveSets live() { return live; }

    /** Reads the meta family whole. */
    MetaTable.Contents readMeta() throws StoreException {
        return MetaTable.read(db, meta, dir.toString());
    }

    /** Reloads the live sets from the meta family after a change to it. */
    void reload() throws StoreException {
        live = new LiveSets(readMeta().sets());
    }

    private LookupCursor newCursor() {
        LookupCursor c = new LookupCursor(db, lookupOptions, digestFamilies);
        cursorsMade.add(c);
        return c;
    }

    /** See {@link HashStore#lookup}: the one implementation of both handles. */
    List<Match> lookup(Algorithm algorithm, byte[] digest) {
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

    /** See {@link HashStore#nearMatches}: the one implementation of both handles. */
    List<NearMatch> nearMatches(PdqHash query, int maxDistance) {
        ensureOpen();
        if (query == null) throw new IllegalArgumentException("near-match query without a PDQ hash");
        if (maxDistance < 0 || maxDistance > PdqHash.BITS) {
            throw new IllegalArgumentException("PDQ distance " + maxDistance + " is not in 0-" + PdqHash.BITS);
        }
        LiveSets sets = live;
        if (sets.pdqCount() == 0) return List.of();
        return pdqIndex(sets).nearMatches(query, maxDistance);
    }

    /**
     * The index of the PDQ hashes of {@code sets}, built the first time it is asked for (a scan with
     * PDQ off, or a store without PDQ sets, never pays for it) and again after an import or removal
     * changed the live sets. The first caller builds it; the others wait for it.
     */
    private PdqIndex pdqIndex(LiveSets sets) {
        PdqIndex index = pdqIndex;
        if (index != null && index.builtFor(sets)) return index;
        synchronized (pdqIndexLock) {
            index = pdqIndex;
            if (index != null && index.builtFor(sets)) return index;
            try {
                index = PdqIndex.build(db, pdq, sets);
            } catch (RocksDBException e) {
                throw new UncheckedIOException(new StoreException("reading the PDQ hashes of hash store " + dir
                        + " failed: " + e.getMessage(), e));
            }
            pdqIndex = index;
            return index;
        }
    }

    /** See {@link RocksHashStore#export(String, ExportFormat, Writer)}: the one implementation of both handles. */
    List<String> export(String setName, ExportFormat format, Writer out) throws IOException {
        ensureOpen();
        LiveSets sets = live;
        List<LiveSets.LiveSet> chosen = new ArrayList<>();
        if (setName == null) {
            if (format != ExportFormat.TSV) throw new StoreException("export as " + format.label() + " needs a set name");
            sets.inNameOrder().forEach(chosen::add);
        } else {
            chosen.add(named(sets, setName));
        }
        SetExporter exporter = new SetExporter(db, digestFamilies, entries, pdq);
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

    /** The live set of this name. */
    LiveSets.LiveSet named(LiveSets sets, String name) throws StoreException {
        LiveSets.LiveSet s = sets.named(name);
        if (s == null) throw new StoreException("no set named '" + name + "' in hash store " + dir);
        return s;
    }

    void ensureOpen() {
        if (closed) throw new IllegalStateException("hash store " + dir + " is closed");
    }

    /** Closes every cursor, handle and option, and the database; waits for a running import. */
    @Override
    public void close() {
        synchronized (writeLock) {
            if (closed) return;
            closed = true;
            for (LookupCursor c : cursorsMade) c.close();
            cursorsMade.clear();
            pdqIndex = null;
            for (ColumnFamilyHandle h : handles) h.close();
            db.close();
            lookupOptions.close();
            options.close();
        }
    }
}
