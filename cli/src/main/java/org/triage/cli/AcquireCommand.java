package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
import org.triage.acquire.StreamTriage;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.Algorithm;
import org.triage.model.Progress;
import org.triage.model.ScanResult;
import org.triage.priority.CategoryTable;
import org.triage.report.ReportContext;
import org.triage.store.HashStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code triage acquire}: images a drive (or a raw image) in one sequential read, writing an E01
 * or a raw copy, the media's MD5 and SHA-1 and a log beside it; with {@code --db}, triages the
 * drive's files from the same read ({@link StreamTriage}), with the config, outputs, summary and
 * exit codes of {@code triage scan} ({@link MatchOptions}, {@link ScanWriters}, {@link ExitCodes#of}).
 * The sinks are built in one place, {@link #sinks}.
 */
@Command(name = "acquire", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Image a drive or a raw image file in one sequential read: an E01 (through libewf, compressed on every",
            "core) or a raw copy, the media's MD5 and SHA-1, and a log PATH.json beside it (PATH.INCOMPLETE too when stopped).",
            "With --db, the drive's files are triaged from the same read, as 'triage scan' of the image would: the same",
            "report (with the acquisition in it), listing, summary and ranking when imaging ends.",
            "The source is opened read-only; an existing output, or one on the source device, is refused.",
            "Unreadable sectors are retried down to the sector, written as zeros and listed (in the E01's error list too)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:acquired, every sector read (and with --db: no alert match)",
            "1:with --db, at least one alert match (takes precedence over 2 and 3)",
            "2:usage or setup error (bad argument, a source that cannot be opened, an output that exists, is on the source"
                + " or cannot be written; with --db a missing or unreadable store, a source without a partition table or"
                + " filesystem); also when, without an alert match, the report or listing could not be written at the end",
            "3:acquired, but some sectors could not be read (written as zeros, listed in the log and the image), or with"
                + " --db some files could not be read",
            ExitCodes.L130 + " (takes precedence over all: the image is finalized with what was read and marked INCOMPLETE;"
                + " the report says partial)"})
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

    @CommandLine.Mixin
    CaseOptions labels = new CaseOptions();

    @Option(names = "--evidence-number", paramLabel = "N", description = "Evidence number.")
    String evidenceNumber;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description of the evidence.")
    String description;

    @Option(names = "--notes", paramLabel = "TEXT", description = "Notes.")
    String notes;

    @Option(names = "--db", paramLabel = "STORE", description = "Known-hash store (made by 'triage hashset import'; opened"
            + " read-only): triage the drive's files from the same read, as 'triage scan' of the image would, and rank it.")
    Path db;

    /** What the triage computes, matches and writes, as for 'triage scan' (with --db only). */
    @CommandLine.Mixin
    MatchOptions match = new MatchOptions();

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
        if (db == null && !match.outputsGiven().isEmpty()) {
            throw usage(String.join(", ", match.outputsGiven()) + " need a store to triage with: give --db STORE");
        }

        Path base = e01 && out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".e01")
                ? out.resolveSibling(out.getFileName().toString().substring(0, out.getFileName().toString().length() - 4)) : out;
        Path first = e01 ? base.resolveSibling(base.getFileName() + ".E01") : RawImageSink.firstFile(base, segment);
        AcquisitionMetadata meta = new AcquisitionMetadata(labels.caseId, labels.examiner, evidenceNumber, description, notes);
        List<Path> written = new ArrayList<>(List.of(first, AcquisitionLog.sidecar(base), AcquisitionLog.incompleteMarker(base)));
        written.addAll(match.outputs().values().stream().filter(p -> p != null && !p.toString().equals(ScanOutputs.STDOUT)).toList());
        try {
            for (Path p : written) {
                String why = Acquisition.refusal(source, p);
                if (why != null) throw usage(why);
            }
        } catch (IOException e) {
            err.println("triage: acquire " + source + ": " + e.getMessage());
            return ExitCodes.USAGE;
        }
        TriageSetup triage = null;
        if (db != null) {
            try {
                if (!StreamTriage.servable(source)) {
                    throw usage(source + " holds no partition table or filesystem that libtsk reads, so its files cannot be"
                            + " triaged from the stream: acquire it without --db, then examine the image with 'triage scan'");
                }
            } catch (IOException e) {
                err.println("triage: acquire " + source + ": " + e.getMessage());
                return ExitCodes.USAGE;
            }
            triage = triageSetup(first, base, err);
            if (triage == null) return ExitCodes.USAGE;
        }
        try (HashStore store = triage == null ? null : triage.store) {
            return acquire(e01, compression, segment, workers, base, meta, triage, stdout, err);
        }
    }

    /** What --db adds, checked before anything is read or written: the outputs, the category table, the store. */
    private record TriageSetup(Set<Algorithm> algorithms, CategoryTable table, ScanOutputs outputs, HashStore store) {
    }

    /** Null (said on stderr) when the store cannot be used; a bad option is a ParameterException. */
    private TriageSetup triageSetup(Path first, Path base, PrintWriter err) {
        CommandLine cl = spec.commandLine();
        Set<Algorithm> algs = match.check(cl);
        ScanOutputs outputs = ScanOutputs.check(cl, match.outputs(), List.of(source.toString()), new TextOutputStream(cl.getOut()));
        for (Map.Entry<String, Path> o : match.outputs().entrySet()) {
            if (o.getValue() == null) continue;
            Path given = o.getValue().toAbsolutePath().normalize();
            for (Path image : List.of(first, AcquisitionLog.sidecar(base), AcquisitionLog.incompleteMarker(base))) {
                if (given.equals(image.toAbsolutePath().normalize())) {
                    throw usage(o.getKey() + ": " + o.getValue() + " is a file of the acquisition itself");
                }
            }
        }
        CategoryTable table = match.table(cl);
        HashStore store = StoreReadiness.openForMatching(db, err);
        return store == null ? null : new TriageSetup(algs, table, outputs, store);
    }

    private int acquire(boolean e01, Compression compression, long segment, int workers, Path base, AcquisitionMetadata meta,
                        TriageSetup setup, PrintWriter stdout, PrintWriter err) throws InterruptedException {
        ScanWriters writers = null;
        StreamTriage triage = null;
        try (Acquisition acq = Acquisition.open(source);
             // From before the triage lists the source (which may take a while): a stop then images nothing.
             Interrupts.Registration onCtrlC = Interrupts.onInterrupt(acq::stop)) {
            if (setup != null) {
                writers = ScanWriters.open(setup.outputs(), setup.table());
                triage = startTriage(setup, writers, err);
            }
            Instant started = Instant.now();
            MediaDigests digests = new MediaDigests();
            RawImageSink raw = e01 ? null : RawImageSink.create(base, segment);
            List<MediaSink> sinks = sinks(acq, digests, raw, e01, base, compression, segment, meta, workers, triage);
            AcquisitionResult result;
            long startNanos = System.nanoTime();
            StreamTriage counting = triage;
            StatusTicker ticker = quiet ? null : new StatusTicker("triage-acquire", () -> line(acq, counting, startNanos), err,
                    ProgressDisplay.stderrIsTerminal(), progressInterval, "triage: progress: ");
            try {
                result = acq.run(sinks);
            } finally {
                if (ticker != null) ticker.close();
            }
            List<Path> files = e01 ? EwfImageSink.segments(base) : raw.files();
            byte[] md5 = result.complete() ? digests.md5() : null;
            byte[] sha1 = result.complete() ? digests.sha1() : null;
            AcquisitionLog log = new AcquisitionLog(source.toString(), acq.sectorSize(), e01 ? "e01" : "raw",
                    e01 ? compression : null, segment, files, meta, result, md5, sha1, "triage", VersionProvider.version(),
                    started, Instant.now());
            log.write(base);
            summary(stdout, result, files, md5, sha1, started);
            if (!result.complete()) {
                err.println("triage: acquisition stopped at byte " + result.bytesRead() + " of " + result.size() + "; "
                        + AcquisitionLog.incompleteMarker(base) + " marks the image incomplete");
            }
            if (!result.unreadable().isEmpty()) {
                err.println("triage: " + result.unreadable().size() + " unreadable range(s) written as zeros; see "
                        + AcquisitionLog.sidecar(base));
            }
            if (triage == null) {
                return ExitCodes.of(!result.complete(), false, false, !result.unreadable().isEmpty());
            }
            return finishTriage(setup, writers, triage, log, result, stdout, err);
        } catch (IOException e) {
            err.println("triage: acquire " + source + ": " + e.getMessage());
            return ExitCodes.USAGE;
        } finally {
            if (triage != null) triage.close();
            if (writers != null) writers.closeListing();
        }
    }

    /**
     * The scan {@code triage scan SOURCE} would run, with the same config and listeners, started on
     * the source's metadata; its files then come from the acquisition's stream. The listing's header
     * is written before the scan starts, so that it is the listing's first line.
     *
     * @throws IOException naming the source when it holds nothing libtsk reads as a disk
     */
    private StreamTriage startTriage(TriageSetup setup, ScanWriters writers, PrintWriter err)
            throws IOException, InterruptedException {
        // --verify is the acquisition's own media digests; no pre-walk: the acquisition's bytes give the ETA.
        ScanConfig config = match.configure(ScanConfig.builder(), setup.algorithms(), setup.table(), spec.commandLine())
                .source(source.toString())
                .prewalk(false)
                .listener(writers.listener())
                .build();
        StreamTriage triage = StreamTriage.create(source, config, setup.store(), StreamTriage.DEFAULT_WINDOW);
        ScanCommand.warnIfHashingIsCrippled(err);
        if (!quiet) ScanWriters.announce(triage.notes(), triage.pdq(), triage.addedForStore(), err);
        writers.header(labels.caseId, labels.examiner, List.of(source.toString()), triage.algorithms(), db, setup.store(), triage.notes(),
                triage.pdq());
        triage.start();
        return triage;
    }

    /**
     * The triage's report (with the acquisition in it), listing, summary and exit code, once the
     * stream is over. An incomplete acquisition makes the report partial even when the scan had
     * read every file before the stop: the image it describes is not the whole drive.
     */
    private int finishTriage(TriageSetup setup, ScanWriters writers, StreamTriage triage, AcquisitionLog log,
                             AcquisitionResult acquired, PrintWriter stdout, PrintWriter err) throws InterruptedException {
        ScanResult scanned;
        try {
            scanned = triage.result();
        } catch (IllegalStateException e) {
            err.println("triage: " + e.getMessage() + "; the image is complete as logged: scan it with 'triage scan'");
            return ExitCodes.USAGE;
        }
        writers.closeListing();
        boolean partial = scanned.interrupted() || !acquired.complete();
        ScanResult result = partial == scanned.interrupted() ? scanned : new ScanResult(scanned.evidence(), scanned.algorithms(),
                scanned.addedForStore(), scanned.startedAt(), scanned.finishedAt(), true, scanned.notes(), scanned.pdq());
        Map<String, Object> acquisition = new LinkedHashMap<>(log.fields());
        acquisition.put("triage_stream", streamFields(triage.stats()));
        ReportContext ctx = new ReportContext("triage " + VersionProvider.version(), labels.caseId, labels.examiner,
                db.toAbsolutePath().toString(), setup.store().sets(), Triage.digestLibrary());
        boolean written = writers.finish(result, ctx, Map.of("acquisition", acquisition), setup.table(), quiet, "acquired and triaged",
                stdout, err);
        return ExitCodes.of(partial, result.anyAlert(), !written, result.anyUnreadable() || !acquired.unreadable().isEmpty());
    }

    /** {@link StreamTriage#stats()} for the report: what could not come from the stream, and why. */
    private static Map<String, Object> streamFields(StreamTriage.Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window_bytes", s.window());
        m.put("streamed_bytes", s.streamedBytes());
        m.put("metadata_bytes", s.metadataBytes());
        m.put("files_reread", s.filesReread());
        m.put("file_bytes_reread", s.fileBytesReread());
        m.put("other_bytes_reread", s.otherBytesReread());
        m.put("reread_why", "files read again from the source: content the window no longer held (fragmented backwards"
                + " or far forward, an archive larger than half the window, pictures the PDQ stage deferred);"
                + " other bytes: files' metadata behind the stream");
        m.put("reread", s.reread());
        return m;
    }

    /**
     * The sinks of the one read, in the order they see each block and are finished: the media
     * digests first (the E01 stores them when it finishes), then the image, then the triage (--db).
     */
    private static List<MediaSink> sinks(Acquisition acq, MediaDigests digests, RawImageSink raw, boolean e01, Path base,
                                         Compression compression, long segment, AcquisitionMetadata meta, int workers,
                                         StreamTriage triage) throws IOException {
        List<MediaSink> sinks = new ArrayList<>();
        sinks.add(digests);
        if (e01) {
            sinks.add(EwfImageSink.create(base.toString(), acq.size(), acq.sectorSize(), compression, segment, meta,
                    "triage", VersionProvider.version(), digests, workers));
        } else {
            sinks.add(raw);
        }
        // Last: it may hold the stream back to the scan's pace, and finishes after the image is final.
        if (triage != null) sinks.add(triage);
        return sinks;
    }

    private static String line(Acquisition acq, StreamTriage triage, long startNanos) {
        double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long done = acq.bytesDone();
        double bps = done / secs;
        double eta = bps > 0 ? (acq.size() - done) / bps : Double.NaN;
        String line = String.format(Locale.ROOT, "%3.0f%% %s/%s, %.0f MB/s, ETA %s", 100.0 * done / acq.size(),
                Summaries.bytes(done), Summaries.bytes(acq.size()), bps / 1e6, StatusTicker.duration(eta));
        if (triage == null) return line;
        Progress p = triage.progress();
        return line + String.format(Locale.ROOT, "; triage %,d files, %,d alert match%s", p.files(), p.alerts(),
                p.alerts() == 1 ? "" : "es");
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
