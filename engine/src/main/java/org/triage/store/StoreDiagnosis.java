package org.triage.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/**
 * Says what is wrong with a store directory that cannot be opened, in the examiner's terms: missing
 * (import first), damaged (which file; restore or rebuild), unreadable (permission denied; whose
 * permission). "No hash store" for a store that lost its CURRENT file, or "not a triage hash store"
 * for one whose MANIFEST is garbled, sends the examiner after the wrong problem.
 *
 * <p>Reads the directory only; stateless.
 */
final class StoreDiagnosis {
    /** RocksDB's own files, which a directory holding none of never was a store. */
    private static final Pattern ROCKS_FILE = Pattern.compile("MANIFEST-\\d+|\\d+\\.sst|\\d+\\.log|OPTIONS-\\d+|IDENTITY");
    private static final Pattern NAMED_FILE = Pattern.compile("(MANIFEST-\\d+|\\d+\\.sst|\\d+\\.log|OPTIONS-\\d+|CURRENT)");

    private StoreDiagnosis() {
    }

    /**
     * Before RocksDB is asked: a store that cannot be read, or that lost its CURRENT file. Returns
     * null when the directory looks like a store (CURRENT readable) or like no store at all (missing,
     * empty, or holding none of RocksDB's files): the caller decides what those mean.
     */
    static StoreException before(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        List<String> rocksFiles = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.map(p -> p.getFileName().toString()).filter(n -> ROCKS_FILE.matcher(n).matches()).sorted()
                    .forEach(rocksFiles::add);
        } catch (AccessDeniedException e) {
            return permissionDenied(dir, dir);
        } catch (IOException e) {
            return new StoreException("cannot read hash store directory " + dir + ": " + e.getMessage(), e);
        }
        Path current = dir.resolve("CURRENT");
        if (Files.exists(current)) {
            try {
                Files.readAllBytes(current);
                return null;
            } catch (AccessDeniedException e) {
                return permissionDenied(dir, current);
            } catch (IOException e) {
                return new StoreException("cannot read " + current + ": " + e.getMessage(), e);
            }
        }
        if (rocksFiles.isEmpty()) return null;
        long tables = rocksFiles.stream().filter(n -> n.endsWith(".sst")).count();
        String manifests = String.join(", ", rocksFiles.stream().filter(n -> n.startsWith("MANIFEST-")).toList());
        return damaged(dir, "its CURRENT file is missing (the directory still holds "
                + (manifests.isEmpty() ? "no MANIFEST" : manifests) + " and " + tables + " table files)", null);
    }

    /** What a failed open means: damaged (and which file), permission denied, or RocksDB's own words. */
    static StoreException after(Path dir, RocksDBException e) {
        String msg = String.valueOf(e.getMessage());
        Status.Code code = e.getStatus() == null ? null : e.getStatus().getCode();
        if (msg.contains("Permission denied")) {
            Matcher m = Pattern.compile("(/\\S*?):? Permission denied").matcher(msg);
            Path file = m.find() ? Path.of(m.group(1)) : dir;
            StoreException out = permissionDenied(dir, file);
            out.initCause(e);
            return out;
        }
        if (code == Status.Code.Corruption || msg.startsWith("Corruption")) {
            return damaged(dir, damagedFile(dir, msg) + " is corrupt (RocksDB says: " + msg + ")", e);
        }
        return null;
    }

    /**
     * When the MANIFEST lists fewer column families than the store's OPTIONS file names (a garbled
     * MANIFEST reads as a database with only "default"): the MANIFEST is damaged. Null when the
     * OPTIONS file does not name {@code family} either (then it is some other RocksDB database).
     */
    static StoreException missingFamily(Path dir, String family) {
        String wanted = "[CFOptions \"" + family + "\"]";
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (!p.getFileName().toString().startsWith("OPTIONS-")) continue;
                if (Files.readString(p, StandardCharsets.ISO_8859_1).contains(wanted)) {
                    return damaged(dir, damagedFile(dir, "") + " does not list the column families the store's "
                            + p.getFileName() + " names ('" + family + "' among them): it is corrupt", null);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The file a corruption message names, else the MANIFEST that CURRENT points to. */
    private static String damagedFile(Path dir, String msg) {
        Matcher m = NAMED_FILE.matcher(msg);
        if (m.find()) return m.group(1);
        try {
            String manifest = new String(Files.readAllBytes(dir.resolve("CURRENT")), StandardCharsets.US_ASCII).trim();
            if (!manifest.isEmpty()) return manifest;
        } catch (IOException ignored) {
            // fall through: say what is known
        }
        return "a file of the store";
    }

    static StoreException damaged(Path dir, String what, Throwable cause) {
        return new StoreException("hash store at " + dir + " is damaged: " + what + ". Restore the store from a backup,"
                + " or import the hash lists again into a new, empty directory ('triage hashset import LIST --db NEWDIR"
                + " --name NAME'); triage never repairs a store in place", cause);
    }

    private static StoreException permissionDenied(Path dir, Path file) {
        String which = file.equals(dir) ? "the directory" : String.valueOf(file.getFileName());
        return new StoreException(String.format(Locale.ROOT, "cannot read hash store at %s: permission denied (%s). Run"
                + " as a user who may read it, or let this user read it (for example chmod -R u+rX %s as its owner)",
                dir, which, dir));
    }
}
