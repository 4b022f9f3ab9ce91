package org.triage.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Size and SHA-256 of a source file, for its set's provenance. Computed on a thread of its own
 * while the importer parses (a second read of the same file, served by the page cache), so the hash
 * costs no wall time on a machine with a spare core.
 *
 * @param size   bytes read
 * @param sha256 lower-case hex
 */
record SourceFingerprint(long size, String sha256) {

    /** Starts hashing {@code file} on a new daemon thread. */
    static CompletableFuture<SourceFingerprint> start(Path file) {
        CompletableFuture<SourceFingerprint> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(of(file));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "triage-source-sha256");
        t.setDaemon(true);
        t.start();
        return f;
    }

    static SourceFingerprint of(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return copy(in, null);
        }
    }

    /** Reads {@code in} to its end, writing each byte to {@code out} (unless null), and fingerprints what was read. */
    static SourceFingerprint copy(InputStream in, OutputStream out) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        long size = 0;
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            if (out != null) out.write(buf, 0, n);
            size += n;
        }
        return new SourceFingerprint(size, HexFormat.of().formatHex(sha.digest()));
    }

    /** Waits for a fingerprint started by {@link #start}. */
    static SourceFingerprint await(CompletableFuture<SourceFingerprint> f, Path file) throws StoreException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while hashing " + file, e);
        } catch (ExecutionException e) {
            throw new StoreException("cannot read " + file + ": " + e.getCause(), e.getCause());
        }
    }
}
