package org.triage.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench's archive slice (issue 11): how fast {@code triage scan} expands archive members, against
 * a plain scan of the same files unpacked and against the shell's way, {@code unzip -p ZIP MEMBER |
 * md5sum} for each member, in one run. The plain and the archive scans alternate (plain, zip, plain,
 * zip...), so that a load that comes and goes on a shared machine touches both alike.
 *
 * <p>The figure that matters is the share: members per second as a percentage of the plain scan's
 * files per second (target 70%). The archive scan hashes the ZIP itself too (its digests are
 * looked up like any file's), so it hashes twice the bytes of the plain scan: with MD5+SHA-1 on
 * every byte, the share cannot pass what the plain scan leaves of the machine's compute limit.
 *
 * <p>Each archive scan's report is checked: it must count every member (and the ZIP) and nothing
 * unreadable, or the figure would be of a scan that did not expand.
 */
final class ArchiveBench {
    /** Runs one {@code triage scan} of a folder, as the bench runs it. */
    interface Scanner {
        BenchCommand.Run scan(Path folder) throws IOException, InterruptedException;
    }

    private final Scanner scanner;
    private final Path report;
    private final PrintWriter err;

    ArchiveBench(Scanner scanner, Path report, PrintWriter err) {
        this.scanner = scanner;
        this.report = report;
        this.err = err;
    }

    /**
     * Measures the slice: {@code runs} alternating plain and archive scans, then {@code unzip -p |
     * md5sum} on {@code sample} members spread over the archive (all of them if fewer).
     */
    ObjectNode measure(ObjectNode row, Path tree, Path zipFolder, long[] unpacked, int runs, int sample)
            throws IOException, InterruptedException {
        long members = unpacked[0];
        long memberBytes = unpacked[1];
        Path zip = zipFolder.resolve("small.zip");
        long zipBytes = Files.size(zip);
        err.printf(Locale.ROOT, "bench: archive: %,d members, %,d bytes, in a ZIP of %,d bytes; %d runs each of the plain"
                + " and the archive scan, alternating%n", members, memberBytes, zipBytes, runs);
        List<BenchCommand.Run> plain = new ArrayList<>();
        List<BenchCommand.Run> archive = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            plain.add(scanner.scan(tree));
            archive.add(scanner.scan(zipFolder));
            checkExpanded(members);
        }
        List<String> names = memberNames(tree);
        List<String> chosen = spread(names, sample);
        err.printf(Locale.ROOT, "bench: archive: unzip -p | md5sum on %d of %d members%n", chosen.size(), names.size());
        double unzipSeconds = unzipMd5(zip, chosen);

        row.put("slice", BenchCorpus.ARCHIVE);
        row.put("files", members);
        row.put("bytes", memberBytes);
        row.put("archive_bytes", zipBytes);
        ObjectNode t = BenchCommand.tool(row.putObject("triage"), archive, members, memberBytes);
        ObjectNode p = BenchCommand.tool(row.putObject("plain"), plain, members, memberBytes);
        ObjectNode u = row.putObject("unzip_md5sum");
        u.put("members", chosen.size());
        u.put("sampled", chosen.size() < names.size());
        u.put("seconds", BenchCommand.round(unzipSeconds));
        double unzipRate = chosen.size() / unzipSeconds;
        u.put("members_s", BenchCommand.round(unzipRate));
        row.put("pct_of_plain", BenchCommand.round(100 * t.get("files_s").asDouble() / p.get("files_s").asDouble()));
        // The same share by CPU time (members per CPU-second against files per CPU-second): on a
        // machine shared with other work, the wall times swing with the load; this does far less.
        double tc = t.get("cpu_seconds").asDouble();
        double pc = p.get("cpu_seconds").asDouble();
        row.put("pct_of_plain_cpu", tc > 0 && pc > 0 ? BenchCommand.round(100 * pc / tc) : -1);
        row.put("ratio_to_unzip", BenchCommand.round(t.get("files_s").asDouble() / unzipRate));
        return row;
    }

    /** The last archive scan's report must hold the ZIP and every member, none unreadable. */
    private void checkExpanded(long members) throws IOException {
        JsonNode doc = new ObjectMapper().readTree(report.toFile());
        long files = doc.path("evidence").path(0).path("summary").path("files").asLong(-1);
        int unreadable = doc.path("unreadable").size();
        if (files != members + 1 || unreadable != 0) {
            throw new IOException("the archive scan did not expand the ZIP whole: its report (" + report + ") counts " + files
                    + " files and " + unreadable + " unreadable, expected " + (members + 1) + " and 0");
        }
    }

    /** The members' names as the ZIP holds them: the unpacked tree's paths, relative, '/'-separated. */
    private static List<String> memberNames(Path tree) throws IOException {
        try (var walk = Files.walk(tree)) {
            return walk.filter(Files::isRegularFile).map(p -> tree.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }

    /** At most {@code n} names, evenly spread over the list (unzip finds a member through the whole central directory). */
    static List<String> spread(List<String> names, int n) {
        if (names.size() <= n) return names;
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(names.get((int) ((long) i * names.size() / n)));
        return out;
    }

    /**
     * Wall seconds of {@code unzip -p ZIP MEMBER | md5sum} for each member in turn, as a script would
     * run it (two processes a member, piped; no shell). Each digest is read, so the pipe is drained
     * as md5sum writes it.
     */
    private static double unzipMd5(Path zip, List<String> members) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (String m : members) {
            List<Process> pipe = ProcessBuilder.startPipeline(List.of(
                    new ProcessBuilder("unzip", "-p", zip.toString(), m).redirectError(ProcessBuilder.Redirect.INHERIT),
                    new ProcessBuilder("md5sum").redirectError(ProcessBuilder.Redirect.INHERIT)));
            Process last = pipe.get(pipe.size() - 1);
            String digest;
            try (InputStream in = last.getInputStream()) {
                digest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            }
            for (Process p : pipe) {
                if (p.waitFor() != 0) throw new IOException("unzip -p " + zip + " " + m + " | md5sum failed (exit " + p.exitValue() + ")");
            }
            if (!digest.matches("(?s)[0-9a-f]{32} .*")) throw new IOException("md5sum printed no digest for member " + m + ": " + digest);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
