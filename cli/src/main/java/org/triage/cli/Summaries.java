package org.triage.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.triage.model.Algorithm;
import org.triage.model.EntryDetails;
import org.triage.model.EvidenceSummary;
import org.triage.model.FileRecord;
import org.triage.model.ImageInfo;
import org.triage.model.NearMatch;
import org.triage.model.PictureCounts;
import org.triage.model.PictureHash;
import org.triage.model.Priority;
import org.triage.model.ScanResult;
import org.triage.priority.CategoryTable;
import org.triage.priority.EvidenceTally;
import org.triage.report.ReportCollector;

/**
 * The short human summary printed at the end of a scan: most urgent evidence first. Every name and
 * message from the evidence goes through {@link TerminalText#safe}.
 */
final class Summaries {
    private static final int MAX_UNREADABLE_SHOWN = 10;
    private static final int MAX_WHERE_SHOWN = 5;

    private Summaries() {
    }

    static String ids(List<Algorithm> algs) {
        return algs.stream().map(Algorithm::id).collect(Collectors.joining(","));
    }

    private static void printImage(PrintWriter out, ImageInfo i) {
        out.printf(Locale.ROOT, "     %s image, %s, %s%s%n", i.format(), bytes(i.size()), count(i.segments().size(), "segment", "segments"),
                i.volumeSystem() == null ? ", no partition table" : ", " + i.volumeSystem() + " partitions");
        if (i.md5() != null) out.printf("     media MD5 %s, SHA-1 %s%n", i.md5(), orElse(i.sha1(), "not computed"));
        if (i.storedMd5() != null || i.storedSha1() != null) {
            out.printf("     stored acquisition hashes: MD5 %s, SHA-1 %s%s%n", orElse(i.storedMd5(), "not stored"),
                    orElse(i.storedSha1(), "not stored"),
                    verdict(i));
        }
        if (i.problem() != null) out.printf("     %s%n", TerminalText.safe(i.problem()));
    }

    /** " (verified: match)", " (MISMATCH)", or " (FAILED: checksum errors)" when the hashes agree but chunks failed. */
    private static String verdict(ImageInfo i) {
        Boolean ok = i.matchesStored();
        if (ok == null) return "";
        if (ok) return " (verified: match)";
        boolean hashesAgree = (i.storedMd5() == null || i.storedMd5().equalsIgnoreCase(i.md5()))
                && (i.storedSha1() == null || i.storedSha1().equalsIgnoreCase(i.sha1()));
        return hashesAgree && !i.checksumErrors().isEmpty() ? " (FAILED: checksum errors)" : " (MISMATCH)";
    }

    private static String orElse(String value, String missing) {
        return value == null ? missing : value;
    }

    /** {@code table}: the scan's own category table (its config's), for the categories in words. */
    static void print(PrintWriter out, ScanResult result, CategoryTable table, ReportCollector collected, Path report,
                      Path allFiles) {
        print(out, result, table, collected, report, allFiles, "scanned");
    }

    /** {@code done}: what was done to the items, "scanned" or "re-matched". */
    static void print(PrintWriter out, ScanResult result, CategoryTable table, ReportCollector collected, Path report,
                      Path allFiles, String done) {
        double secs = java.time.Duration.between(result.startedAt(), result.finishedAt()).toMillis() / 1000.0;
        out.printf(Locale.ROOT, "%s%s %s in %.1f s (%s)%n",
                result.interrupted() ? "INTERRUPTED: partial result. " : "",
                count(result.evidence().size(), "evidence item", "evidence items"), done, secs, ids(result.algorithms()));
        for (EvidenceSummary s : result.evidence()) {
            out.printf(Locale.ROOT, "#%d %s %s%n", s.rank(), s.priority().label().toUpperCase(Locale.ROOT),
                    TerminalText.safe(s.source()));
            out.printf("     %s%n", TerminalText.safe(s.reason()));
            if (s.image() != null) printImage(out, s.image());
            // A file named like an image and hashed as a file: its contents were not examined, say so.
            if (s.taken() != null && s.taken().note() != null) {
                out.printf("     taken as a %s: %s%n", s.taken().kind(), TerminalText.safe(s.taken().note()));
            }
            if (s.priority() == Priority.UNKNOWN) continue; // nothing was examined: counts would say nothing, the reason says it all
            out.printf(Locale.ROOT, "     %s, %s, %.1f s, %.0f MB/s; %s, %s%n", count(s.files(), "file", "files"),
                    bytes(s.bytes()), s.seconds(), s.megabytesPerSecond(), count(s.images(), "picture", "pictures"),
                    count(s.videos(), "video", "videos"));
            printAlerts(out, s, table, collected);
            if (result.pdq() != null && result.pdq().on()) printPictures(out, s, collected);
            if (s.extMismatches() > 0) {
                out.printf("     %s under a misleading extension%n", count(s.extMismatches(), "picture or video", "pictures or videos"));
            }
            if (s.knownGoodFiles() > 0) out.printf("     %s set aside%n", count(s.knownGoodFiles(), "known-good file", "known-good files"));
            if (s.unreadable() > 0) out.printf("     %s could not be read%n", count(s.unreadable(), "entry", "entries"));
            // Said on the terminal as well as in the report: whoever handles the exhibit next must know.
            if (Boolean.FALSE.equals(s.atimePreserved())) {
                out.printf("     access times not preserved: %s%n", TerminalText.safe(String.valueOf(s.atimeNote())));
            }
        }
        printUnreadable(out, "", collected);
        if (report != null) out.println("report: " + TerminalText.safe(report.toAbsolutePath().toString()));
        if (allFiles != null) out.println("all files: " + TerminalText.safe(allFiles.toAbsolutePath().toString()));
    }

    /**
     * Categories in words, those that raise priority apart from those that do not, and where the
     * first matches were found. Only a match that raises priority is announced as ALERT.
     */
    private static void printAlerts(PrintWriter out, EvidenceSummary s, CategoryTable table, ReportCollector collected) {
        if (s.alertFiles() == 0) {
            if (!s.reason().startsWith("no alert match")) out.println("     no alert match");
            return;
        }
        String raising = EvidenceTally.inWords(s.alertByCategory(), table, true);
        String other = EvidenceTally.inWords(s.alertByCategory(), table, false);
        String files = count(s.alertFiles(), "file matches", "files match");
        if (s.priority() == Priority.HIGH) {
            out.printf("     ALERT: %s known material: %s%s (sets: %s)%n", files, raising,
                    other.isEmpty() ? "" : "; not raising priority: " + other, counts(s.alertBySet()));
        } else {
            out.printf("     %s known material that does not raise priority (sets: %s)%n", files, counts(s.alertBySet()));
        }
        int shown = 0;
        long more = 0;
        for (FileRecord r : collected.alerts()) {
            if (!r.source().equals(s.source())) continue;
            if (shown++ < MAX_WHERE_SHOWN) out.printf("       %s%n", TerminalText.safe(where(r)));
            else more++;
        }
        if (more > 0) out.printf(Locale.ROOT, "       ... and %,d more (see the report)%n", more);
    }

    /**
     * What PDQ found: "12 known pictures by digest, 7 more by PDQ (re-encoded copies)", the pictures
     * hashed and failed, the first near matches, and the low-quality ones listed but not counted.
     */
    private static void printPictures(PrintWriter out, EvidenceSummary s, ReportCollector collected) {
        PictureCounts p = s.pictures();
        if (p.byDigest() > 0 || p.byPdqOnly() > 0) {
            out.printf(Locale.ROOT, "     %s by digest, %,d more by PDQ (re-encoded copies)%n",
                    count(p.byDigest(), "known picture", "known pictures"), p.byPdqOnly());
        }
        out.printf(Locale.ROOT, "     PDQ: %s hashed, %,d could not be decoded (%s decoded, copies reused), %s%n",
                count(p.hashed(), "picture", "pictures"), p.failed(), count(p.decoded(), "content", "distinct contents"),
                count(p.nearMatched(), "near match of known material", "near matches of known material"));
        if (p.lowQuality() > 0) {
            out.printf(Locale.ROOT, "     %s near known material at PDQ quality under %d: listed, not counted toward the priority%n",
                    count(p.lowQuality(), "picture", "pictures"), PictureHash.RAISING_QUALITY);
        }
        int shown = 0;
        for (FileRecord r : collected.nearAlerts()) {
            if (!r.source().equals(s.source()) || r.hasAlert()) continue;
            if (shown++ >= MAX_WHERE_SHOWN) break;
            NearMatch best = r.pdq().nearMatches().get(0);
            out.printf(Locale.ROOT, "       %s (PDQ distance %d, quality %d, set %s)%n", TerminalText.safe(where(r)),
                    best.distance(), r.pdq().quality(), TerminalText.safe(best.match().set()));
        }
    }

    /** {@code hello.txt:secret.jpg (alternate data stream, deleted, partition 2 at byte 1048576, jpeg named .txt)}. */
    static String where(FileRecord r) {
        EntryDetails d = r.details();
        StringBuilder name = new StringBuilder(r.chainDisplay()); // an archive member: photos.tar.gz!/inner.zip!/a.jpg
        List<String> facts = new ArrayList<>();
        if (d != null && d.stream() != null) {
            name.append(':').append(d.stream());
            facts.add("alternate data stream");
        }
        if (d != null && d.deleted()) facts.add("deleted");
        if (d != null && d.partition() != null) {
            facts.add(String.format(Locale.ROOT, "partition %d at byte %d", d.partition().index(), d.partition().offset()));
        }
        if (r.extMismatch()) facts.add(r.typeLabel() + " under a misleading extension");
        return facts.isEmpty() ? name.toString() : name + " (" + String.join(", ", facts) + ")";
    }

    /**
     * What --quiet still prints, on stderr: every item that was not examined, was examined only in
     * part, or has entries that could not be read, with the reason; then the unreadable entries.
     */
    static void printProblems(PrintWriter err, ScanResult result, ReportCollector collected) {
        for (EvidenceSummary s : result.evidence()) {
            boolean notWhole = s.priority() == Priority.UNKNOWN || s.priority() == Priority.INCOMPLETE;
            if (notWhole || s.unreadable() > 0 || s.error() != null) {
                err.printf("triage: %s %s: %s%n", s.priority().label().toUpperCase(Locale.ROOT), TerminalText.safe(s.source()),
                        TerminalText.safe(s.reason()));
            }
        }
        printUnreadable(err, "triage: ", collected);
    }

    private static void printUnreadable(PrintWriter out, String prefix, ReportCollector collected) {
        List<FileRecord> bad = collected.unreadable();
        for (int i = 0; i < Math.min(bad.size(), MAX_UNREADABLE_SHOWN); i++) {
            FileRecord r = bad.get(i);
            String path = r.chainDisplay();
            out.printf("%sunreadable: %s: %s%s%n", prefix, TerminalText.safe(r.source()),
                    path.isEmpty() ? "" : TerminalText.safe(path) + ": ", TerminalText.safe(r.error()));
        }
        if (bad.size() > MAX_UNREADABLE_SHOWN) {
            out.printf(Locale.ROOT, "%sunreadable: ... and %,d more (see the report)%n", prefix, bad.size() - MAX_UNREADABLE_SHOWN);
        }
    }

    private static String counts(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> TerminalText.safe(e.getKey()) + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** "1 file", "2 files", "1,024 files". */
    static String count(long n, String one, String many) {
        return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? one : many);
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
