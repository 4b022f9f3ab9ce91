package org.triage.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Evidence for the cluster tests, built with Debian's tools: a directory, a raw FAT disk (mkfs.vfat,
 * mcopy) and an E01 (ewfacquire of an ext4 filesystem made by mke2fs -d), each with a known file
 * planted, and a store imported from md5sum's output of the planted files; and the {@code triage}
 * command (cli/target/triage.jar, as an examiner runs it) to make cases, run them and read them.
 */
final class CaseFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path TRIAGE_JAR = Path.of("..", "cli", "target", "triage.jar").toAbsolutePath().normalize();
    /** Report and listing fields that are times or durations: they differ between any two runs. */
    private static final Set<String> TIMES = Set.of("started", "finished", "seconds", "generated", "generated_at", "started_at",
            "finished_at", "scan_started", "mb_per_s", "time", "elapsed", "files_per_second", "mb_per_second", "bytes_per_second",
            "duration");
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            mkfs.vfat -C -n CARD ev/card.img 8192 >/dev/null
            mcopy -s -i ev/card.img fat/* ::/
            mke2fs -q -t ext4 -b 1024 -d ext disk.img 24M
            ewfacquire -u -q -c none -S 64MiB -t ev/phone -C case -D phone -e examiner -E ev2 -N notes disk.img >/dev/null 2>&1
            rm disk.img
            md5sum known/* > known.md5
            """;

    final Path dir;
    final Path ev;
    final Path db;
    final Path known;

    private CaseFixture(Path dir) {
        this.dir = dir;
        this.ev = dir.resolve("ev");
        this.db = dir.resolve("db");
        this.known = dir.resolve("known");
    }

    static CaseFixture build(Path dir) throws Exception {
        CaseFixture f = new CaseFixture(dir);
        Random rnd = new Random(15);
        Path laptop = Files.createDirectories(f.ev.resolve("laptop"));
        Path fat = Files.createDirectories(dir.resolve("fat"));
        Path ext = Files.createDirectories(dir.resolve("ext"));
        Files.createDirectories(f.known);
        for (int i = 1; i <= 3; i++) Files.write(f.known.resolve("k" + i + ".jpg"), bytes(rnd, 30_000 + i));
        files(rnd, laptop, 150, 40_000);
        files(rnd, fat, 60, 60_000);
        files(rnd, ext, 160, 80_000);
        Files.copy(f.known.resolve("k1.jpg"), laptop.resolve("d3/IMG_0001.jpg"));
        Files.copy(f.known.resolve("k2.jpg"), fat.resolve("d1/IMG_0002.jpg"));
        Files.copy(f.known.resolve("k3.jpg"), ext.resolve("d4/IMG_0003.jpg"));
        exec(dir, "bash", "-c", BUILD, "build", dir.toString());
        f.triage(0, "hashset", "import", dir.resolve("known.md5").toString(), "--db", f.db.toString(), "--name", "caid",
                "--kind", "alert", "--category", "A");
        return f;
    }

    private static void files(Random rnd, Path root, int n, int max) throws IOException {
        for (int i = 0; i < n; i++) {
            Path d = Files.createDirectories(root.resolve("d" + (i % 6)));
            Files.write(d.resolve("f" + i + ".bin"), bytes(rnd, 100 + rnd.nextInt(max)));
        }
    }

    private static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    /** A new case holding the three items. */
    Path newCase(String name) throws Exception {
        Path kase = dir.resolve(name);
        triage(0, "case", "create", kase.toString(), "--case", "C-" + name, "--examiner", "J. Smith", "--db", db.toString());
        triage(0, "case", "add", kase.toString(), ev.resolve("laptop").toString(), ev.resolve("card.img").toString(),
                ev.resolve("phone.E01").toString());
        return kase;
    }

    /** SHA-256 of every evidence file (sha256sum): the evidence must be the same after every run. */
    String evidenceSums() throws Exception {
        return new String(exec(ev, "bash", "-c", "find . -type f -print0 | sort -z | xargs -0 sha256sum"), StandardCharsets.UTF_8);
    }

    /** Runs triage; asserts its exit code; its stdout. */
    String triage(int code, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-jar", TRIAGE_JAR.toString()));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "triage", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", args) + " did not end");
        assertEquals(code, p.exitValue(), String.join(" ", args) + "\n" + out + Files.readString(err));
        return out.toString(StandardCharsets.UTF_8);
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static byte[] exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        p.getInputStream().transferTo(buf);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), List.of(command) + " did not end");
        assertEquals(0, p.exitValue(), List.of(command) + " failed");
        return buf.toByteArray();
    }

    /** md5sum of the planted files, as the oracle: hex -> name. */
    Map<String, String> plantedMd5() throws Exception {
        Map<String, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(dir.resolve("known.md5"))) m.put(line.substring(0, 32), line.substring(34));
        return m;
    }

    List<JsonNode> audit(Path kase, String event) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(kase.resolve("audit.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            if (n.get("event").asText().equals(event)) out.add(n);
        }
        return out;
    }

    /**
     * What one machine's run and a cluster's must both write, per item: the status (counts,
     * priority, reason), the report (times and the case's name aside, arrays sorted) and the
     * listing's entry lines, sorted; the md5 of every entry, for the oracle.
     */
    String outcome(Path kase) throws Exception {
        StringBuilder s = new StringBuilder();
        JsonNode items = JSON.readTree(triage(0, "case", "status", kase.toString(), "--json")).get("items");
        for (JsonNode i : items) {
            ObjectNode n = ((ObjectNode) i).deepCopy();
            n.remove(List.of("run", "report", "report_sha256", "listing", "started_at", "finished_at"));
            s.append(n.toPrettyString()).append('\n');
            s.append(strip(JSON.readTree(kase.resolve(i.get("report").asText()).toFile())).toPrettyString()).append('\n');
            for (String line : entries(kase.resolve(i.get("listing").asText()))) s.append(line).append('\n');
        }
        return s.toString();
    }

    /** The md5 of every file entry of the case's listings: md5 -> count. */
    Map<String, Integer> listedMd5(Path kase) throws Exception {
        Map<String, Integer> m = new TreeMap<>();
        JsonNode items = JSON.readTree(triage(0, "case", "status", kase.toString(), "--json")).get("items");
        for (JsonNode i : items) {
            for (String line : entries(kase.resolve(i.get("listing").asText()))) {
                JsonNode e = JSON.readTree(line);
                if (e.hasNonNull("md5")) m.merge(e.get("md5").asText(), 1, Integer::sum);
            }
        }
        return m;
    }

    static List<String> entries(Path listing) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(listing)) if (line.startsWith("{\"source\"")) out.add(line);
        out.sort(null);
        return out;
    }

    private static JsonNode strip(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = JSON.createObjectNode();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (TIMES.contains(e.getKey()) || e.getKey().equals("case")) continue;
                o.set(e.getKey(), strip(e.getValue()));
            }
            return o;
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode x : n) parts.add(strip(x).toString());
            parts.sort(null);
            ArrayNode a = JSON.createArrayNode();
            for (String s : parts) {
                try {
                    a.add(JSON.readTree(s));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            return a;
        }
        return n;
    }
}
