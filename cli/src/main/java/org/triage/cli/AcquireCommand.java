package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.triage.acquire.Acquisition;
import org.triage.acquire.AcquisitionLog;
import org.triage.acquire.AcquisitionMetadata;
import org.triage.acquire.AcquisitionResult;
import org.triage.acquire.Compression;
import org.triage.acquire.EwfImageSink;
import org.triage.acquire.MediaDigests;
import org.triage.acquire.MediaSink;
import org.triage.acquire.RawImageSink;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage acquire}: images a drive (or a raw image) in one sequential read, writing an E01
 * or a raw copy, the media's MD5 and SHA-1 and a log beside it. The sinks are built in one place,
 * {@link #sinks}, where the triage of the same stream joins them.
 */
@Command(name = "acquire", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Image a drive or a raw image file in one sequential read: an E01 (through libewf, compressed on every",
            "core) or a raw copy, the media's MD5 and SHA-1, and a log PATH.json beside it (PATH.INCOMPLETE too when stopped).",
            "The source is opened read-only; an existing output, or one on the source device, is refused.",
            "Unreadable sectors are retried down to the sector, written as zeros and listed (in the E01's error list too)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:acquired, every sector read",
            "2:usage or setup error (bad argument, a source that cannot be opened, an output that exists, is on the source"
                + " or cannot be written)",
            "3:acquired, but some sectors could not be read (written as zeros, listed in the log and the image)",
            ExitCodes.L130 + " (the image is finalized with what was read and marked INCOMPLETE)"})
final class AcquireCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "A block device or a raw image file (opened read-only).")
    Path source;

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "The image: PATH.E01 (.E02...) for e01"
            + " (a trailing .E01 in PATH is allowed), PATH (or PATH.001, .002... with --segment-size) for raw.")
    Path out;

    @Option(names = "--format", defaultValue = "e01", paramLabel = "e01|raw", description = "Image format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--compress", defaultValue = "fast", paramLabel = "none|fast|best", description = "E01 compression (default: ${DEFAULT-VALUE}).")
    String compress;

    @Option(names = "--segment-size", paramLabel = "SIZE", description = "Bytes per segment file, e.g. 650M, 2G, 1.4GiB"
            + " (K, M, G, T are powers of 1024; KB, MB, GB, TB of 1000). Default: one raw file; libewf's 1.4 GiB for E01.")
    String segmentSize;

    @Option(names = "--case", paramLabel = "ID", description = "Case number (E01 header and log).")
    String caseNumber;

    @Option(names = "--examiner", paramLabel = "NAME", description = "Examiner name.")
    String examiner;

    @Option(names = "--evidence-number", paramLabel = "N", description = "Evidence number.")
    String evidenceNumber;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description of the evidence.")
    String description;

    @Option(names = "--notes", paramLabel = "TEXT", description = "Notes.")
    String notes;

    @Option(names = "--db", paramLabel = "STORE", description = "Triage the files from the same read (not in this build).")
    Path db;

    @Option(names = "--report", paramLabel = "FILE", description = "Triage report (with --db; not in this build).")
    Path report;

    @Option(names = "--all-files", paramLabel = "FILE", description = "Listing of every file (with --db; not in this build).")
    Path allFiles;

    @Option(names = "--threads", paramLabel = "N", description = "E01 compressor threads (default: every core).")
    Integer threads;

    @Option(names = "--progress-interval", defaultValue = "10", paramLabel = "SECONDS",
            description = "Seconds between plain progress lines when stderr is not a terminal (default: ${DEFAULT-VALUE}).")
    double progressInterval;

    @Option(names = {"-q", "--quiet"}, description = "No progress line.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (db != null || report != null || allFiles != null) {
            throw usage("triage during acquisition (--db, --report, --all-files) is not in this build: acquire first,"
                    + " then scan the image with 'triage scan'");
        }
        boolean e01 = switch (format.toLowerCase(Locale.ROOT)) {
            case "e01" -> true;
            case "raw" -> false;
            default -> throw usage("--format must be e01 or raw, was '" + format + "'");
        };
        Compression compression = switch (compress.toLowerCase(Locale.ROOT)) {
            case "none" -> Compression.NONE;
            case "fast" -> Compression.FAST;
            case "best" -> Compression.BEST;
            default -> throw usage("--compress must be none, fast or best, was '" + compress + "'");
        };
        long segment = segmentSize == null ? 0 : parseSize(segmentSize);
        if (segmentSize != null && segment < (1 << 20)) {
            throw usage("--segment-size must be at least 1 MiB, was '" + segmentSize + "'");
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (workers < 1) throw usage("--threads must be at least 1, was " + workers);
        if (!Files.exists(source)) throw usage("source " + source + " does not exist");

        Path base = e01 && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".e01")
                ? out.resolveSibling(out.getFileName().toString().substring(0, out.getFileName().toString().length() - 4)) : out;
        Path first = e01 ? base.resolveSibling(base.getFileName() + ".E01") : RawImageSink.firstFile(base, segment);
        AcquisitionMetadata meta = new AcquisitionMetadata(caseNumber, examiner, evidenceNumber, description, notes);

        try {
            for (Path p : List.of(first, AcquisitionLog.sidecar(base), AcquisitionLog.incompleteMarker(base))) {
                String why = Acquisition.refusal(source, p);
                if (why != null) throw usage(why);
            }
        } catch (IOException e) {
            err.println("triage: acquire " + source + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        try (Acquisition acq = Acquisition.open(source)) {
            Instant started = Instant.now();
            MediaDigests digests = new MediaDigests();
            RawImageSink raw = e01 ? null : RawImageSink.create(base, segment);
            List<MediaSink> sinks = sinks(acq, digests, raw, e01, base, compression, segment, meta, workers);
            AcquisitionResult result;
            long startNanos = System.nanoTime();
            StatusTicker ticker = quiet ? null : new StatusTicker("triage-acquire", () -> line(acq, startNanos), err,
                    ProgressDisplay.stderrIsTerminal(), progressInterval, "triage: progress: ");
            try (Interrupts.Registration onCtrlC = Interrupts.onInterrupt(acq::stop)) {
                result = acq.run(sinks);
            } finally {
                if (ticker != null) ticker.close();
            }
            List<Path> files = e01 ? ewfSegments(base) : raw.files();
            byte[] md5 = result.complete() ? digests.md5() : null;
            byte[] sha1 = result.complete() ? digests.sha1() : null;
            new AcquisitionLog(source.toString(), acq.sectorSize(), e01 ? "e01" : "raw", e01 ? compression : null, segment,
                    files, meta, result, md5, sha1, "triage", VersionProvider.version(), started, Instant.now()).write(base);
            summary(stdout, result, files, md5, sha1, started);
            if (!result.complete()) {
                err.println("triage: acquisition stopped at byte " + result.bytesRead() + " of " + result.size() + "; "
                        + AcquisitionLog.incompleteMarker(base) + " marks the image incomplete");
                return ExitCodes.INTERRUPTED;
            }
            if (!result.unreadable().isEmpty()) {
                err.println("triage: " + result.unreadable().size() + " unreadable range(s) written as zeros; see "
                        + AcquisitionLog.sidecar(base));
                return ExitCodes.INCOMPLETE;
            }
            return ExitCodes.CLEAN;
        } catch (IOException e) {
            err.println("triage: acquire " + source + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    /**
     * The sinks of the one read, in the order they see each block and are finished: the media
     * digests first (the E01 stores them when it finishes), then the image.
     */
    private static List<MediaSink> sinks(Acquisition acq, MediaDigests digests, RawImageSink raw, boolean e01, Path base,
                                         Compression compression, long segment, AcquisitionMetadata meta, int workers)
            throws IOException {
        List<MediaSink> sinks = new ArrayList<>();
        sinks.add(digests);
        if (e01) {
            sinks.add(EwfImageSink.create(base.toString(), acq.size(), acq.sectorSize(), compression, segment, meta,
                    "triage", VersionProvider.version(), digests, workers));
        } else {
            sinks.add(raw);
        }
        // TRIAGE HOOK (issue 14 item 3): with --db, the lead adds here
        //     sinks.add(StreamTriage.open(source, scanConfig));
        // once the StreamTriage branch is merged (and lifts the "not in this build" refusal in call()).
        return sinks;
    }

    /** The E01 segments libewf wrote: BASE.E01, .E02... while they exist. */
    private static List<Path> ewfSegments(Path base) {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 99; i++) {
            Path p = base.resolveSibling(base.getFileName() + String.format(Locale.ROOT, ".E%02d", i));
            if (!Files.exists(p)) break;
            files.add(p);
        }
        return files;
    }

    private static String line(Acquisition acq, long startNanos) {
        double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long done = acq.bytesDone();
        double bps = done / secs;
        double eta = bps > 0 ? (acq.size() - done) / bps : Double.NaN;
        return String.format(Locale.ROOT, "%3.0f%% %s/%s, %.0f MB/s, ETA %s", 100.0 * done / acq.size(),
                Summaries.bytes(done), Summaries.bytes(acq.size()), bps / 1e6, StatusTicker.duration(eta));
    }

    private static void summary(PrintWriter out, AcquisitionResult r, List<Path> files, byte[] md5, byte[] sha1, Instant started) {
        double secs = Math.max(1e-3, java.time.Duration.between(started, Instant.now()).toNanos() / 1e9);
        out.printf(Locale.ROOT, "acquired %,d of %,d bytes in %.1f s (%.0f MB/s)%s%n", r.bytesRead(), r.size(), secs,
                r.bytesRead() / secs / 1e6, r.complete() ? "" : " -- INCOMPLETE");
        for (Path f : files) out.println("image: " + f);
        if (md5 != null) out.println("md5:  " + HexFormat.of().formatHex(md5));
        if (sha1 != null) out.println("sha1: " + HexFormat.of().formatHex(sha1));
        for (var b : r.unreadable()) out.printf(Locale.ROOT, "unreadable: bytes %d-%d (%d sectors of 512)%n", b.offset(),
                b.end() - 1, b.length() / 512);
    }

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*([KMGT]?)(i?B?)", Pattern.CASE_INSENSITIVE);

    /** "650M", "2G", "1.4GiB", "700MB", "1048576". */
    long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) throw usage("--segment-size must be a size such as 650M, 2G or 1.4GiB, was '" + text + "'");
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        boolean decimal = m.group(3).equalsIgnoreCase("B") && !unit.isEmpty();
        int power = "KMGT".indexOf(unit) + 1;
        double mult = Math.pow(decimal ? 1000 : 1024, unit.isEmpty() ? 0 : power);
        return (long) (Double.parseDouble(m.group(1)) * mult);
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
