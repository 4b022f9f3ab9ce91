package org.triage.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.triage.model.Algorithm;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ScanResult;
import org.triage.report.ReportCollector;

/** The short human summary printed at the end of a scan: most urgent evidence first. */
final class Summaries {
    private static final int MAX_UNREADABLE_SHOWN = 10;

    private Summaries() {
    }

    static String ids(List<Algorithm> algs) {
        return algs.stream().map(Algorithm::id).collect(Collectors.joining(","));
    }

    private static void printImage(PrintWriter out, org.triage.model.ImageInfo i) {
        out.printf(Locale.ROOT, "     %s image, %s, %d segment%s%s%n", i.format(), bytes(i.size()), i.segments().size(),
                i.segments().size() == 1 ? "" : "s", i.volumeSystem() == null ? ", no partition table" : ", " + i.volumeSystem() + " partitions");
        if (i.md5() != null) out.printf("     media MD5 %s, SHA-1 %s%n", i.md5(), i.sha1());
        if (i.storedMd5() != null || i.storedSha1() != null) {
            out.printf("     stored acquisition hashes: MD5 %s, SHA-1 %s%s%n", i.storedMd5(), i.storedSha1(),
                    i.matchesStored() == null ? "" : i.matchesStored() ? " (verified: match)" : " (MISMATCH)");
        }
        if (i.problem() != null) out.printf("     %s%n", i.problem());
    }

    static void print(PrintWriter out, ScanResult result, ReportCollector collected, Path report, Path allFiles) {
        double secs = java.time.Duration.between(result.startedAt(), result.finishedAt()).toMillis() / 1000.0;
        out.printf(Locale.ROOT, "%s%d evidence item%s scanned in %.1f s (%s)%n",
                result.interrupted() ? "INTERRUPTED: partial result. " : "",
                result.evidence().size(), result.evidence().size() == 1 ? "" : "s", secs, ids(result.algorithms()));
        for (EvidenceSummary s : result.evidence()) {
            out.printf(Locale.ROOT, "#%d %-4s %s%n", s.rank(), s.priority().label().toUpperCase(Locale.ROOT), s.source());
            if (s.error() != null) out.printf("     could not be read: %s%n", s.error());
            if (s.image() != null) printImage(out, s.image());
            out.printf(Locale.ROOT, "     %,d files, %s, %.1f s, %.0f MB/s; %,d pictures, %,d videos%n", s.files(),
                    bytes(s.bytes()), s.seconds(), s.megabytesPerSecond(), s.images(), s.videos());
            if (s.alertFiles() > 0) {
                out.printf(Locale.ROOT, "     ALERT: %,d file%s match known material: %s (sets: %s)%n",
                        s.alertFiles(), s.alertFiles() == 1 ? "" : "s", counts(s.alertByCategory()), counts(s.alertBySet()));
            } else {
                out.println("     no alert match");
            }
            if (s.extMismatches() > 0) {
                out.printf(Locale.ROOT, "     %,d pictures or videos under a misleading extension%n", s.extMismatches());
            }
            if (s.knownGoodFiles() > 0) out.printf(Locale.ROOT, "     %,d known-good files set aside%n", s.knownGoodFiles());
            if (s.unreadable() > 0) out.printf(Locale.ROOT, "     %,d entries could not be read%n", s.unreadable());
            if (s.interrupted()) out.println("     interrupted before the end");
        }
        List<FileRecord> bad = collected.unreadable();
        for (int i = 0; i < Math.min(bad.size(), MAX_UNREADABLE_SHOWN); i++) {
            FileRecord r = bad.get(i);
            out.printf("unreadable: %s: %s: %s%n", r.source(), r.path().display(), r.error());
        }
        if (bad.size() > MAX_UNREADABLE_SHOWN) {
            out.printf(Locale.ROOT, "unreadable: ... and %,d more (see the report)%n", bad.size() - MAX_UNREADABLE_SHOWN);
        }
        if (report != null) out.println("report: " + report.toAbsolutePath());
        if (allFiles != null) out.println("all files: " + allFiles.toAbsolutePath());
    }

    private static String counts(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    static String bytes(long b) {
        if (b < 1000) return b + " B";
        String[] units = {"kB", "MB", "GB", "TB", "PB"};
        double v = b;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
