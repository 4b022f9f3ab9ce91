package org.triage.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.triage.model.Algorithm;

/** Test inputs and observations shared by the store tests: coreutils as the oracle, export text, directory state. */
final class StoreFixture {
    private static final HexFormat HEX = HexFormat.of();

    private StoreFixture() {
    }

    /** Runs a coreutils command (md5sum, sha1sum, sha256sum...) in {@code dir} and returns its stdout. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) throw new IOException(String.join(" ", command) + " did not finish");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }

    /** The digest Java's own MessageDigest gives for these bytes. */
    static byte[] digest(Algorithm a, byte[] content) {
        try {
            return MessageDigest.getInstance(a.jcaName()).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] unhex(String hex) { return HEX.parseHex(hex); }

    static String hex(byte[] b) { return HEX.formatHex(b); }

    /** The TSV export of one set (null: all) through either handle, read-only or admin. */
    static String export(StoreHandle store, String set) throws IOException {
        return export(store, set, ExportFormat.TSV);
    }

    static String export(StoreHandle store, String set, ExportFormat format) throws IOException {
        StringWriter w = new StringWriter();
        store.export(set, format, w);
        return w.toString();
    }

    static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** Name, size and SHA-256 of every file under {@code dir}, by relative path. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.forEach(files::add);
        }
        for (Path p : files) {
            String rel = dir.relativize(p).toString();
            if (Files.isDirectory(p)) {
                out.put(rel + "/", "dir");
            } else {
                byte[] b = Files.readAllBytes(p);
                out.put(rel, b.length + " " + hex(digest(Algorithm.SHA256, b)) + " " + Files.getLastModifiedTime(p));
            }
        }
        return out;
    }
}
