package org.triage.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.EnvOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;
import org.triage.model.Algorithm;

/**
 * The {@link ImportSink} of one import: digests go to a {@link DigestSpill} per algorithm, kept
 * entries to a length-prefixed file, categories into a per-import list. Nothing touches the store
 * while parsing: a malformed file leaves its directory exactly as it was. Once the import has its
 * set id, {@link #writeEntries} turns the kept entries into one SST file of the entries family (keys
 * set id || sequence number, already in increasing order: no sort).
 *
 * <p>Owned by one import on one thread; the temporary directory, spill files included, is removed
 * by the import.
 */
final class SpillingSink implements ImportSink, AutoCloseable {
    private final Path tmp;
    private final Map<Algorithm, DigestSpill> spills = new EnumMap<>(Algorithm.class);
    /** The PDQ hashes, spilled like digests; the category id carries the quality ({@link ValueRecords#code}). */
    private DigestSpill pdq;
    private final List<String> categories = new ArrayList<>();
    private final Map<String, Integer> codes = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private DataOutputStream entryOut;
    private long entries;
    private long read;

    SpillingSink(Path tmp) {
        this.tmp = tmp;
    }

    @Override
    public int category(String text) {
        if (text == null) return 0;
        Integer c = codes.get(text);
        if (c != null) return c;
        if (categories.size() == ValueRecords.MAX_CATEGORY) {
            throw new IllegalStateException("more than " + ValueRecords.MAX_CATEGORY + " categories in one set");
        }
        categories.add(text);
        codes.put(text, categories.size());
        return categories.size();
    }

    @Override
    public void digest(Algorithm a, byte[] digest, int off, int category) throws IOException {
        DigestSpill s = spills.get(a);
        if (s == null) {
            s = new DigestSpill(a.length(), 0, tmp, a.id());
            spills.put(a, s);
        }
        s.add(digest, off, category);
    }

    @Override
    public void pdq(byte[] hash, int off, int category, int quality) throws IOException {
        if (pdq == null) pdq = new DigestSpill(PdqFamily.KEY_LENGTH, 0, tmp, PdqFamily.NAME);
        pdq.add(hash, off, ValueRecords.code(category, quality));
    }

    @Override
    public void entry(byte[] json) throws IOException {
        if (entryOut == null) {
            entryOut = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve("entries.bin")), 1 << 16));
        }
        entryOut.writeInt(json.length);
        entryOut.write(json);
        entries++;
    }

    @Override
    public void read(long count) {
        this.read = count;
    }

    @Override
    public void warning(String sentence) {
        warnings.add(sentence);
    }

    List<String> warnings() { return List.copyOf(warnings); }

    /** Writes the kept entries as an SST file of the entries family; returns it, or null when there are none. */
    Path writeEntries(int setId, StoreOptions options) throws IOException {
        if (entryOut == null) return null;
        entryOut.close();
        entryOut = null;
        Path sst = tmp.resolve("entries.sst");
        byte[] key = new byte[12];
        System.arraycopy(MetaTable.idBytes(setId), 0, key, 0, 4);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(tmp.resolve("entries.bin")), 1 << 16));
             EnvOptions env = new EnvOptions();
             Options o = options.sstWriter(StoreOptions.ENTRIES);
             SstFileWriter w = new SstFileWriter(env, o)) {
            w.open(sst.toString());
            for (long seq = 0; seq < entries; seq++) {
                byte[] json = new byte[in.readInt()];
                in.readFully(json);
                for (int i = 0; i < 8; i++) key[4 + i] = (byte) (seq >>> (56 - 8 * i));
                w.put(key, json);
            }
            w.finish();
        } catch (RocksDBException e) {
            throw new StoreException("writing the kept entries of set id " + setId + ": " + e.getMessage(), e);
        }
        return sst;
    }

    Map<Algorithm, DigestSpill> spills() { return Collections.unmodifiableMap(spills); }

    /** The PDQ hashes read, or null when none. */
    DigestSpill pdqSpill() { return pdq; }

    /** Categories by code - 1; a copy: take it once, not per category. */
    List<String> categories() { return List.copyOf(categories); }

    long entries() { return entries; }

    long read() { return read; }

    boolean isEmpty() {
        for (DigestSpill s : spills.values()) {
            if (s.size() > 0) return false;
        }
        return pdq == null || pdq.size() == 0;
    }

    @Override
    public void close() throws IOException {
        if (entryOut != null) entryOut.close();
    }
}
