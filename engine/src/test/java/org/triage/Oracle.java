package org.triage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.triage.model.RawPath;

/**
 * Independent oracles: coreutils' md5sum/sha1sum/sha256sum over every regular file of a tree,
 * listed by find, with NUL-separated output so that names with any bytes come back exact.
 */
public final class Oracle {
    private Oracle() {
    }

    /** Relative path (exact bytes) -> lower-case hex digest, from {@code tool} (md5sum, sha1sum, sha256sum). */
    static Map<RawPath, String> digests(Path root, String tool) throws IOException, InterruptedException {
        byte[] out = run(root, "bash", "-c", "find . -type f -print0 | sort -z | xargs -0 -r " + tool + " -z --");
        Map<RawPath, String> result = new HashMap<>();
        int start = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i] != 0) continue;
            // "<hex>  ./<path>" with the path's raw bytes
            int sp = start;
            while (out[sp] != ' ') sp++;
            String hex = new String(out, start, sp - start, StandardCharsets.US_ASCII);
            int p = sp + 2; // two spaces (text mode) or " *"
            if (out[p] == '.' && out[p + 1] == '/') p += 2;
            byte[] path = java.util.Arrays.copyOfRange(out, p, i);
            result.put(RawPath.of(path), hex);
            start = i + 1;
        }
        return result;
    }

    public static byte[] run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        p.getInputStream().transferTo(buf);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException(List.of(command) + " did not finish");
        }
        if (p.exitValue() != 0) throw new IOException(List.of(command) + " exited " + p.exitValue());
        return buf.toByteArray();
    }

    /** Creates a file whose name is given as raw bytes (Java cannot name it), through bash's $'..' quoting. */
    static void createRaw(Path dir, String bashQuotedName, String content) throws IOException, InterruptedException {
        run(dir, "bash", "-c", "printf '%s' \"$1\" > " + bashQuotedName, "bash", content);
    }
}
