package org.triage.casework;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.triage.Checkpoint;
import org.triage.Scan;
import org.triage.ScanConfig;
import org.triage.Triage;
import org.triage.model.EvidenceSummary;
import org.triage.model.HashSetInfo;
import org.triage.model.ImageInfo;
import org.triage.model.ListingHeader;
import org.triage.model.Progress;
import org.triage.model.RecordListener;
import org.triage.model.ScanResult;
import org.triage.report.AllFilesWriter;
import org.triage.report.JsonReportWriter;
import org.triage.report.OutputTarget;
import org.triage.report.ReportCollector;
import org.triage.report.ReportContext;
import org.triage.store.HashStore;

/**
 * One {@code case run}: scans every item not yet done, each as its own engine {@link Scan}, at
 * most {@code jobs} at once and never two on one physical device ({@link RunPlan}), writing into
 * the case as it goes: the item's counts and matches ({@link ItemRecorder}), how far it has read
 * (every half second), its all-files listing and, when it ends, its JSON report; and the audit
 * trail: the run's start (who, tool, hash sets with their provenance), each item's end (identity,
 * outcome, the report's and listing's SHA-256), the run's end.
 *
 * <p>Holds the case's run lock while it runs ({@link RunLock}). {@link #run} on one thread;
 * {@link #stop} and {@link #progress} from any other. Per item, what goes wrong (an item that
 * cannot be opened, a report that cannot be written) is recorded and the run goes on.
 */
public final class CaseRun {
    private static final System.Logger LOG = System.getLogger(CaseRun.class.getName());
    private static final long PROGRESS_MILLIS = 500;

    private final EvidenceCase kase;
    private final HashStore hashes;
    private final RunSettings settings;
    /** Null: every item is read here. */
    private final RemoteShares remote;
    private final Map<Long, Scan> scans = new ConcurrentHashMap<>();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong finishedBytes = new AtomicLong();
    private final AtomicLong finishedAlerts = new AtomicLong();
    private final AtomicLong finishedUnreadable = new AtomicLong();
    private volatile RunPlan plan;
    private volatile int doneBefore;
    private final java.util.concurrent.atomic.AtomicInteger doneNow = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopped;
    /** Items a first-hit run left PARTIAL that this ({@code --full}) run reads to the end. */
    private final java.util.Set<Long> completing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public CaseRun(EvidenceCase kase, HashStore hashes, RunSettings settings) {
        this(kase, hashes, settings, null);
    }

    /** A run whose items are read elsewhere ({@link RemoteShares}) and recorded here from their shares' listings. */
    public CaseRun(EvidenceCase kase, HashStore hashes, RunSettings settings, RemoteShares remote) {
        this.kase = kase;
        this.hashes = hashes;
        this.settings = settings;
        this.remote = remote;
    }

    /**
     * Runs the items not yet done to the end, or until {@link #stop}.
     *
     * @throws IOException when the case cannot be run at all: another run holds it, its database
     *                     or audit trail cannot be written at the start
     */
    public RunOutcome run() throws IOException, InterruptedException {
        try (RunLock lock = RunLock.acquire(kase.layout())) {
            List<ItemState> states = kase.store().states();
            List<CaseItem> todo = new ArrayList<>();
            for (ItemState s : states) {
                if (s.done() || s.partial() && !settings.full()) doneBefore++;
                else todo.add(s.item());
                if (s.partial() && settings.full()) completing.add(s.item().id());
            }
            if (todo.isEmpty()) return new RunOutcome(0, 0, false, List.of());
            long run = kase.store().startRun(kase.who(), settings.jobs());
            kase.audit().append("run-started", runStarted(run, todo));
            if (remote != null) remote.start(run, todo);
            RunPlan p = new RunPlan(todo, settings.jobs());
            plan = p;
            if (stopped) p.stop();
            int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
            int hashThreads = Math.max(1, cores / Math.min(settings.jobs(), todo.size()));
            ExecutorService pool = Executors.newFixedThreadPool(settings.jobs(), r -> {
                Thread t = new Thread(r, "triage-case-item");
                t.setDaemon(true);
                return t;
            });
            Thread ticker = new Thread(() -> tick(), "triage-case-progress");
            ticker.setDaemon(true);
            ticker.start();
            int started = 0;
            try {
                for (CaseItem item; (item = p.next()) != null; ) {
                    CaseItem it = item;
                    started++;
                    pool.execute(() -> {
                        try {
                            scanItem(it, run, hashThreads);
                        } catch (IOException | RuntimeException e) {
                            failures.add("item " + it.id() + " (" + it.path() + "): " + e.getMessage());
                            LOG.log(System.Logger.Level.ERROR, "case run: item " + it.id(), e);
                            abandoned(it, run, e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } finally {
                            doneNow.incrementAndGet();
                            p.done(it);
                        }
                    });
                }
            } finally {
                pool.shutdown();
                while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                    if (stopped) scans.values().forEach(Scan::stop);
                }
                ticker.interrupt();
            }
            boolean interrupted = stopped;
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("run", run);
            f.put("outcome", interrupted ? "interrupted" : "finished");
            f.put("items_scanned", started);
            f.put("items_left", p.waiting().size());
            f.put("failures", List.copyOf(failures));
            if (remote != null) f.put("cluster", remote.finished());
            kase.audit().append("run-finished", f);
            kase.store().finishRun(run, interrupted ? "interrupted" : "finished");
            return new RunOutcome(run, started, interrupted, failures);
        }
    }

    /**
     * An item whose scan could not run or be recorded to the end: said in the database (so it is
     * not left "running", which would read as a run that died) and scanned again by the next run.
     */
    private void abandoned(CaseItem item, long run, Exception why) {
        String error = "its scan failed: " + why.getMessage();
        try {
            kase.store().itemEnded(item.id(), run, new ItemOutcome(ItemState.INTERRUPTED, "unknown", "not examined: " + error,
                    null, null, null, error));
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, "case run: cannot record that item " + item.id() + " failed", e);
        }
    }

    /** Stops every scan running (each writes its partial report) and starts no more; any thread. */
    public void stop() {
        stopped = true;
        if (remote != null) remote.stop();
        RunPlan p = plan;
        if (p != null) p.stop();
        scans.values().forEach(Scan::stop);
    }

    /** The run as it stands; any thread. */
    public CaseProgress progress() {
        RunPlan p = plan;
        long bytes = finishedBytes.get();
        long total = finishedBytes.get();
        long alerts = finishedAlerts.get();
        long unreadable = finishedUnreadable.get();
        // An item counts as running from when the plan hands it out until its report is written.
        int running = p == null ? 0 : p.running().size();
        int uncounted = Math.max(0, running - scans.size()); // started, its scan not yet counting
        for (Scan s : scans.values()) {
            Progress pr = s.progress();
            bytes += pr.bytes();
            total += Math.max(pr.totalBytes(), pr.bytes());
            if (!pr.totalsKnown()) uncounted++;
            alerts += pr.alerts();
            unreadable += pr.errors();
        }
        int queued = 0;
        if (p != null) {
            for (CaseItem c : p.waiting()) {
                queued++;
                if (c.size() < 0) uncounted++;
                else total += c.size();
            }
        }
        return new CaseProgress(doneBefore + doneNow.get(), running, queued, bytes, total, uncounted, alerts, unreadable);
    }

    private Map<String, Object> runStarted(long run, List<CaseItem> todo) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("run", run);
        f.put("jobs", settings.jobs());
        f.put("algorithms", settings.algorithms().stream().map(a -> a.id()).sorted().toList());
        f.put("verify", settings.verify());
        // The lab's category table decides what raises priority: which file it was, and its content's SHA-256.
        java.nio.file.Path table = settings.categoriesFile();
        f.put("categories_file", table == null ? null : table.toAbsolutePath().toString());
        f.put("categories_sha256", table == null ? null : AuditTrail.sha256(table));
        f.put("stop_after", settings.stopAfter());
        f.put("full", settings.full());
        f.put("store", kase.info().store());
        if (remote != null) f.put("cluster", remote.describe());
        List<Map<String, Object>> sets = new ArrayList<>();
        for (HashSetInfo s : hashes.sets()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("kind", s.kind().label());
            m.put("entries", s.entries());
            m.put("source_file", s.sourceFile());
            m.put("source_sha256", s.sourceSha256());
            m.put("source_size", s.sourceSize());
            m.put("format", s.format());
            m.put("imported_at", s.importedAt() == null ? null : s.importedAt().toString());
            m.put("imported_by", s.toolVersion());
            sets.add(m);
        }
        f.put("hash_sets", sets);
        f.put("items", todo.stream().map(CaseItem::id).toList());
        return f;
    }

    private void scanItem(CaseItem item, long run, int hashThreads) throws IOException, InterruptedException {
        CaseLayout layout = kase.layout();
        CaseInfo info = kase.info();
        String listingName = layout.relative(layout.listing(item.id(), run));
        Checkpoint checkpoint = remote == null ? checkpoint(item, run) : null;
        kase.store().itemStarted(item.id(), run, listingName);
        if (remote != null) checkpoint = fromShares(item, run);
        ItemRecorder recorder = new ItemRecorder(kase.store(), item.id(), run, settings.categories());
        ReportCollector collected = new ReportCollector();
        String listingError = null;
        AllFilesWriter listing = null;
        try {
            OutputTarget target = OutputTarget.file(layout.listing(item.id(), run));
            java.io.OutputStream out = target.open();
            try {
                listing = new AllFilesWriter(new ListingSync(out, layout.listing(item.id(), run)), target.toString());
            } catch (IOException e) {
                out.close();
                throw e;
            }
        } catch (IOException e) {
            listingError = "cannot write the all-files listing " + listingName + ": " + OutputTarget.reason(e);
        }
        List<RecordListener> listeners = new ArrayList<>(List.of(recorder, collected));
        if (listing != null) listeners.add(listing);
        ScanConfig config = ScanConfig.builder().source(item.path()).algorithms(settings.algorithms()).prewalk(true)
                .verify(settings.verify()).categories(settings.categories()).hashThreads(hashThreads)
                .listener(RecordListener.all(listeners)).resume(checkpoint).stopAfter(settings.stopAfter()).build();
        ScanResult result;
        long resumed;
        try (Scan scan = Triage.newScan(config, hashes)) {
            if (listing != null) {
                listing.header(new ListingHeader(kase.who().tool(), Instant.now(), info.caseId(), info.examiner(),
                        scan.evidence(), scan.algorithms(), info.store(), hashes.sets().stream().map(ListingHeader.SetSeen::of).toList(),
                        scan.notes()));
            }
            scans.put(item.id(), scan);
            if (stopped) scan.stop();
            try {
                result = scan.run();
            } finally {
                scans.remove(item.id());
                if (listing != null) listing.close();
            }
            resumed = scan.resumed();
        }
        EvidenceSummary summary = result.evidence().get(0);
        finishedBytes.addAndGet(summary.bytes());
        finishedAlerts.addAndGet(summary.alertFiles());
        finishedUnreadable.addAndGet(summary.unreadable());
        List<String> errors = new ArrayList<>();
        if (listingError != null) errors.add(listingError);
        if (listing != null && listing.failure() != null) {
            errors.add("cannot write the all-files listing " + listingName + ": " + OutputTarget.reason(listing.failure()));
        }
        try {
            recorder.finish();
        } catch (IOException e) {
            errors.add("cannot record in the case database: " + e.getMessage());
        }
        String reportName = layout.relative(layout.report(item.id(), run));
        String reportSha = null;
        try {
            ReportContext ctx = new ReportContext(kase.who().tool(), info.caseId(), info.examiner(), info.store(), hashes.sets(),
                    Triage.digestLibrary());
            JsonReportWriter.write(OutputTarget.file(layout.report(item.id(), run)), result, ctx, collected);
            reportSha = AuditTrail.sha256(layout.report(item.id(), run));
        } catch (IOException e) {
            errors.add("cannot write the report " + reportName + ": " + OutputTarget.reason(e));
            reportName = null;
        }
        String listingSha = null;
        if (listing != null && listing.failure() == null) listingSha = AuditTrail.sha256(layout.listing(item.id(), run));
        String error = errors.isEmpty() ? null : String.join("; ", errors);
        if (error != null) failures.add("item " + item.id() + " (" + item.path() + "): " + error);
        boolean partial = summary.partial() != null && !result.interrupted();
        boolean interrupted = result.interrupted() || summary.interrupted() && !partial;
        String reason = summary.reason();
        if (partial) {
            // Where the engine says why it stopped, the case says how to finish: the one command for it.
            String why = "partial: " + summary.partial();
            reason = reason.replace(why, why + "; run `triage case run " + layout.dir() + " --full` to finish");
        }
        ItemOutcome outcome = new ItemOutcome(partial ? ItemState.PARTIAL : interrupted ? ItemState.INTERRUPTED : ItemState.FINISHED,
                summary.priority().label(), reason, reportName, reportSha, listingSha, error);
        kase.store().progress(item.id(), summary.bytes(), summary.bytes(), true);
        kase.store().itemEnded(item.id(), run, outcome);
        Map<String, Object> finished = itemFinished(item, run, summary, outcome, listingSha == null ? null : listingName);
        finished.put("resumed_entries", resumed);
        // The audit trail says a first-hit stop, and the --full run that completes it, in so many words.
        finished.put("stopped_early", partial ? summary.partial() : null);
        finished.put("completes_partial", completing.contains(item.id()) && !partial && !interrupted);
        kase.audit().append("item-finished", finished);
    }

    /**
     * What the item's earlier runs that did not finish recorded, from their listings (each run's
     * listing holds what it took from the one before and what it read), said in the audit trail
     * before the scan starts; null when there are none. A listing that cannot be read is said there
     * too, and the item is read from the start: never a reason to lose the run.
     */
    private Checkpoint checkpoint(CaseItem item, long run) throws IOException {
        List<CaseStore.EarlierRun> earlier = kase.store().unfinishedRuns(item.id());
        List<java.nio.file.Path> files = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        for (CaseStore.EarlierRun e : earlier) {
            java.nio.file.Path f = kase.layout().dir().resolve(e.listing());
            if (java.nio.file.Files.isRegularFile(f)) {
                files.add(f);
                runs.add(e.run());
            }
        }
        if (files.isEmpty()) return null;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("run", run);
        f.put("item", item.id());
        f.put("from_runs", runs);
        f.put("listings", earlier.stream().filter(e -> runs.contains(e.run())).map(CaseStore.EarlierRun::listing).toList());
        Checkpoint c = null;
        try {
            c = Checkpoint.read(files);
            f.put("checkpoint_entries", c.entries());
            f.put("lines_left_out", c.linesLeftOut());
            f.put("error", null);
        } catch (IOException e) {
            f.put("checkpoint_entries", 0);
            f.put("error", e.getMessage() + "; the item is read from the start");
        }
        kase.audit().append("item-resumed", f);
        return c;
    }

    /**
     * The item's records as its shares read them elsewhere, said in the audit trail ({@code
     * item-shares}: each share's task, the entries taken) before the item is recorded from them;
     * null, and the item read here from the start, when they could not be read or the reading failed.
     */
    private Checkpoint fromShares(CaseItem item, long run) throws IOException, InterruptedException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("run", run);
        f.put("item", item.id());
        Checkpoint c = null;
        try {
            RemoteShares.SharesRead read = remote.await(item);
            f.put("tasks", read.tasks());
            c = Checkpoint.read(read.listings());
            f.put("checkpoint_entries", c.entries());
            f.put("lines_left_out", c.linesLeftOut());
            f.put("error", null);
        } catch (IOException e) {
            f.put("checkpoint_entries", 0);
            f.put("error", e.getMessage() + "; the item is read here");
        }
        kase.audit().append("item-shares", f);
        return c;
    }

    private static Map<String, Object> itemFinished(CaseItem item, long run, EvidenceSummary s, ItemOutcome o, String listing) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("run", run);
        f.put("item", item.id());
        f.put("path", item.path());
        f.put("label", item.label());
        f.put("kind", item.kind());
        f.put("size", item.size());
        f.put("identity", item.identity());
        ImageInfo image = s.image();
        if (image != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", image.format());
            m.put("media_size", image.size());
            m.put("segments", image.segments());
            m.put("md5", image.md5());
            m.put("sha1", image.sha1());
            m.put("stored_md5", image.storedMd5());
            m.put("stored_sha1", image.storedSha1());
            m.put("verified", image.matchesStored());
            f.put("image", m);
        }
        f.put("state", o.state());
        f.put("priority", o.priority());
        f.put("reason", o.reason());
        f.put("files", s.files());
        f.put("bytes", s.bytes());
        f.put("alert_files", s.alertFiles());
        f.put("unreadable", s.unreadable());
        f.put("report", o.report());
        f.put("report_sha256", o.reportSha256());
        f.put("listing", listing);
        f.put("listing_sha256", o.listingSha256());
        f.put("error", o.error());
        return f;
    }

    /** Writes each running item's read bytes and totals to the database, for status elsewhere. */
    private void tick() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(PROGRESS_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<Long, Scan> e : scans.entrySet()) {
                Progress p = e.getValue().progress();
                try {
                    kase.store().progress(e.getKey(), p.bytes(), p.totalBytes(), p.totalsKnown());
                } catch (IOException ex) {
                    LOG.log(System.Logger.Level.WARNING, "case run: cannot record progress of item " + e.getKey(), ex);
                }
            }
        }
    }
}
