package org.triage.casework;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.triage.model.Algorithm;
import org.triage.model.FileRecord;
import org.triage.model.Match;

/**
 * The case's state in SQLite ({@code case.db}; tables in docs/case-layout.md): the case, its items,
 * each item's state and counts, the runs, and every alert match and unreadable entry as it is
 * recorded. Nothing of a case is held in memory only: a {@code case status} in another process
 * reads the same rows while a run writes them.
 *
 * <p>Why SQLite: the engine already ships sqlite-jdbc; one file, readable with the {@code sqlite3}
 * shell in court years later; WAL lets readers see each committed batch while a run goes on; a
 * transaction makes a batch of matches and the counts that include them appear together.
 * {@code synchronous=FULL}: a commit survives a power loss.
 *
 * <p>Threading: one connection, every method synchronized, so the jobs of a run share it (their
 * writes are small and few: a batch at most every quarter second per item). Methods throw
 * {@link IOException} naming the database for what SQLite refuses.
 */
public final class CaseStore implements AutoCloseable {
    static final int LAYOUT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA = """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE items(
              id INTEGER PRIMARY KEY, path TEXT NOT NULL, label TEXT, kind TEXT NOT NULL, device TEXT NOT NULL,
              identity TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, added_at TEXT NOT NULL,
              state TEXT NOT NULL DEFAULT 'queued', run_id INTEGER, started_at TEXT, finished_at TEXT,
              files INTEGER NOT NULL DEFAULT 0, alert_files INTEGER NOT NULL DEFAULT 0,
              raising_files INTEGER NOT NULL DEFAULT 0, raising_pictures INTEGER NOT NULL DEFAULT 0,
              raising_videos INTEGER NOT NULL DEFAULT 0, severity INTEGER NOT NULL DEFAULT 0,
              raising_words TEXT NOT NULL DEFAULT '', other_words TEXT NOT NULL DEFAULT '',
              by_set TEXT NOT NULL DEFAULT '{}', pictures INTEGER NOT NULL DEFAULT 0, videos INTEGER NOT NULL DEFAULT 0,
              unknown_media INTEGER NOT NULL DEFAULT 0, ext_mismatches INTEGER NOT NULL DEFAULT 0,
              known_good INTEGER NOT NULL DEFAULT 0, unreadable INTEGER NOT NULL DEFAULT 0,
              bytes_read INTEGER NOT NULL DEFAULT 0, total_bytes INTEGER NOT NULL DEFAULT 0,
              totals_known INTEGER NOT NULL DEFAULT 0, priority TEXT, reason TEXT, report TEXT, report_sha256 TEXT,
              listing TEXT, error TEXT);
            CREATE TABLE runs(
              id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, user TEXT NOT NULL, host TEXT NOT NULL,
              pid INTEGER NOT NULL, tool TEXT NOT NULL, jobs INTEGER NOT NULL, outcome TEXT);
            CREATE TABLE item_runs(
              run_id INTEGER NOT NULL REFERENCES runs(id), item_id INTEGER NOT NULL REFERENCES items(id),
              started_at TEXT NOT NULL, finished_at TEXT, state TEXT NOT NULL, priority TEXT, reason TEXT,
              report TEXT, report_sha256 TEXT, listing TEXT, listing_sha256 TEXT, error TEXT,
              PRIMARY KEY(run_id, item_id));
            CREATE TABLE records(
              id INTEGER PRIMARY KEY, item_id INTEGER NOT NULL REFERENCES items(id), run_id INTEGER NOT NULL,
              path TEXT NOT NULL, size INTEGER NOT NULL, md5 TEXT, sha1 TEXT, sha256 TEXT, media TEXT,
              matches TEXT NOT NULL, error TEXT, recorded_at TEXT NOT NULL);
            CREATE INDEX records_item ON records(item_id, run_id);
            """;

    private final CaseLayout layout;
    private final Connection db;

    private CaseStore(CaseLayout layout, Connection db) {
        this.layout = layout;
        this.db = db;
    }

    /** Makes the database of a new case; the directory must exist and hold no case yet. */
    public static CaseStore create(CaseLayout layout, CaseInfo info) throws IOException {
        if (Files.exists(layout.database())) throw new IOException(layout.dir() + " already holds a case (" + layout.database() + ")");
        // Made owner-only before SQLite opens it: its journal files take the database file's mode.
        Files.createFile(layout.database(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        CaseStore s = new CaseStore(layout, connect(layout));
        try {
            s.inTransaction(() -> {
                try (Statement st = s.db.createStatement()) {
                    for (String sql : SCHEMA.split(";")) {
                        if (!sql.isBlank()) st.execute(sql);
                    }
                }
                s.putMeta("layout_version", Integer.toString(LAYOUT_VERSION));
                s.putMeta("case_id", info.caseId());
                s.putMeta("examiner", info.examiner());
                s.putMeta("store", info.store());
                s.putMeta("created_at", info.createdAt().toString());
                s.putMeta("tool", info.tool());
                s.putMeta("audit_entries", "0");
                s.putMeta("audit_head", AuditTrail.NO_ENTRY);
            });
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Opens an existing case's database. */
    public static CaseStore open(CaseLayout layout) throws IOException {
        if (!Files.isDirectory(layout.dir())) throw new IOException("case directory " + layout.dir() + " does not exist");
        if (!Files.isRegularFile(layout.database())) {
            throw new IOException(layout.dir() + " is not a case directory (no case.db): make one with 'triage case create'");
        }
        CaseStore s = new CaseStore(layout, connect(layout));
        String v = s.meta("layout_version");
        if (!Integer.toString(LAYOUT_VERSION).equals(v)) {
            s.close();
            throw new IOException(layout.database() + ": case layout version " + v + ", this triage reads " + LAYOUT_VERSION);
        }
        return s;
    }

    private static Connection connect(CaseLayout layout) throws IOException {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + layout.database());
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA busy_timeout=30000");
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=FULL");
                st.execute("PRAGMA foreign_keys=ON");
            }
            return c;
        } catch (SQLException e) {
            throw new IOException(layout.database() + ": " + e.getMessage(), e);
        }
    }

    public CaseLayout layout() { return layout; }

    public synchronized CaseInfo info() throws IOException {
        return new CaseInfo(meta("case_id"), meta("examiner"), meta("store"), Instant.parse(meta("created_at")), meta("tool"));
    }

    /** The number of audit entries and the SHA-256 of the last one, as last appended. */
    public synchronized AuditTrail.Head auditHead() throws IOException {
        return new AuditTrail.Head(Long.parseLong(meta("audit_entries")), meta("audit_head"));
    }

    synchronized void auditHead(AuditTrail.Head head) throws IOException {
        inTransaction(() -> {
            putMeta("audit_entries", Long.toString(head.entries()));
            putMeta("audit_head", head.sha256());
        });
    }

    public synchronized List<CaseItem> items() throws IOException {
        List<CaseItem> out = new ArrayList<>();
        for (ItemState s : states()) out.add(s.item());
        return out;
    }

    /** Every item with its state, in the order added. */
    public synchronized List<ItemState> states() throws IOException {
        List<ItemState> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet r = st.executeQuery("SELECT * FROM items ORDER BY id")) {
            while (r.next()) out.add(state(r));
        } catch (SQLException e) {
            throw failure("reading the items", e);
        }
        return out;
    }

    public synchronized ItemState state(long item) throws IOException {
        try (PreparedStatement ps = db.prepareStatement("SELECT * FROM items WHERE id = ?")) {
            ps.setLong(1, item);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) throw new IOException("no item " + item + " in " + layout.database());
                return state(r);
            }
        } catch (SQLException e) {
            throw failure("reading item " + item, e);
        }
    }

    private static ItemState state(ResultSet r) throws SQLException {
        CaseItem item = new CaseItem(r.getLong("id"), r.getString("path"), r.getString("label"), r.getString("kind"),
                r.getString("device"), r.getString("identity"), r.getLong("size"), Instant.parse(r.getString("added_at")));
        ItemCounts counts = new ItemCounts(r.getLong("files"), r.getLong("alert_files"), r.getLong("raising_files"),
                r.getLong("raising_pictures"), r.getLong("raising_videos"), r.getInt("severity"),
                r.getString("raising_words"), r.getString("other_words"), bySet(r.getString("by_set")), r.getLong("pictures"),
                r.getLong("videos"), r.getLong("unknown_media"), r.getLong("ext_mismatches"), r.getLong("known_good"),
                r.getLong("unreadable"));
        return new ItemState(item, r.getString("state"), r.getLong("run_id"), instant(r.getString("started_at")),
                instant(r.getString("finished_at")), counts, r.getLong("bytes_read"), r.getLong("total_bytes"),
                r.getInt("totals_known") != 0, r.getString("priority"), r.getString("reason"), r.getString("report"),
                r.getString("report_sha256"), r.getString("listing"), r.getString("error"));
    }

    private static Map<String, Long> bySet(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, Long>>() { });
        } catch (JsonProcessingException e) {
            throw new SQLException("items.by_set is not a JSON object of counts: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }

    /**
     * Adds items in one transaction: all or none.
     *
     * @throws IOException when one is there already (the identity is unique)
     */
    public synchronized List<CaseItem> add(List<CaseItem> items) throws IOException {
        List<CaseItem> added = new ArrayList<>();
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO items(path, label, kind, device, identity, size, added_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                for (CaseItem i : items) {
                    ps.setString(1, i.path());
                    ps.setString(2, i.label());
                    ps.setString(3, i.kind());
                    ps.setString(4, i.device());
                    ps.setString(5, i.identity());
                    ps.setLong(6, i.size());
                    ps.setString(7, i.addedAt().toString());
                    ps.executeUpdate();
                    try (ResultSet k = ps.getGeneratedKeys()) {
                        k.next();
                        added.add(new CaseItem(k.getLong(1), i.path(), i.label(), i.kind(), i.device(), i.identity(), i.size(),
                                i.addedAt()));
                    }
                }
            }
        });
        return added;
    }

    /** A new run; returns its id. */
    public synchronized long startRun(RunIdentity who, int jobs) throws IOException {
        long[] id = new long[1];
        inTransaction(() -> {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO runs(started_at, user, host, pid, tool, jobs)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, Instant.now().toString());
                ps.setString(2, who.user());
                ps.setString(3, who.host());
                ps.setLong(4, who.pid());
                ps.setString(5, who.tool());
                ps.setInt(6, jobs);
                ps.executeUpdate();
                try (ResultSet k = ps.getGeneratedKeys()) {
                    k.next();
                    id[0] = k.getLong(1);
                }
            }
        });
        return id[0];
    }

    public synchronized void finishRun(long run, String outcome) throws IOException {
        update("UPDATE runs SET finished_at = ?, outcome = ? WHERE id = ?", Instant.now().toString(), outcome, run);
    }

    /** The item is being read by {@code run}: its counts start again from zero. */
    public synchronized void itemStarted(long item, long run, String listing) throws IOException {
        String now = Instant.now().toString();
        inTransaction(() -> {
            execute("UPDATE items SET state = 'running', run_id = ?, started_at = ?, finished_at = NULL, files = 0,"
                    + " alert_files = 0, raising_files = 0, raising_pictures = 0, raising_videos = 0, severity = 0,"
                    + " raising_words = '', other_words = '', by_set = '{}', pictures = 0, videos = 0, unknown_media = 0,"
                    + " ext_mismatches = 0, known_good = 0, unreadable = 0, bytes_read = 0, total_bytes = 0, totals_known = 0,"
                    + " priority = NULL, reason = NULL, report = NULL, report_sha256 = NULL, listing = ?, error = NULL"
                    + " WHERE id = ?", run, now, listing, item);
            execute("INSERT INTO item_runs(run_id, item_id, started_at, state, listing) VALUES (?, ?, ?, 'running', ?)",
                    run, item, now, listing);
        });
    }

    /**
     * One batch of an item's records: the matches and unreadable entries, and the counts that
     * include them, committed together.
     */
    public synchronized void recorded(long item, long run, List<FileRecord> records, ItemCounts counts) throws IOException {
        String now = Instant.now().toString();
        inTransaction(() -> {
            if (!records.isEmpty()) {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO records(item_id, run_id, path, size, md5, sha1,"
                        + " sha256, media, matches, error, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (FileRecord r : records) {
                        ps.setLong(1, item);
                        ps.setLong(2, run);
                        ps.setString(3, r.chainDisplay());
                        ps.setLong(4, r.size());
                        ps.setString(5, r.digests().hex(Algorithm.MD5));
                        ps.setString(6, r.digests().hex(Algorithm.SHA1));
                        ps.setString(7, r.digests().hex(Algorithm.SHA256));
                        ps.setString(8, r.contentType() == null ? null : r.contentType().label());
                        ps.setString(9, matches(r.matches()));
                        ps.setString(10, r.error());
                        ps.setString(11, now);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            execute("UPDATE items SET files = ?, alert_files = ?, raising_files = ?, raising_pictures = ?, raising_videos = ?,"
                    + " severity = ?, raising_words = ?, other_words = ?, by_set = ?, pictures = ?, videos = ?, unknown_media = ?,"
                    + " ext_mismatches = ?, known_good = ?, unreadable = ? WHERE id = ?",
                    counts.files(), counts.alertFiles(), counts.raisingFiles(), counts.raisingPictures(), counts.raisingVideos(),
                    counts.severity(), counts.raisingWords(), counts.otherWords(), json(counts.bySet()), counts.pictures(),
                    counts.videos(), counts.unknownMedia(), counts.extMismatches(), counts.knownGood(), counts.unreadable(), item);
        });
    }

    /** How far the item's scan has read. */
    public synchronized void progress(long item, long bytesRead, long totalBytes, boolean totalsKnown) throws IOException {
        update("UPDATE items SET bytes_read = ?, total_bytes = ?, totals_known = ? WHERE id = ?", bytesRead, totalBytes,
                totalsKnown ? 1 : 0, item);
    }

    /** The item's scan ended (to the end, interrupted, or its report could not be written: {@code error}). */
    public synchronized void itemEnded(long item, long run, ItemOutcome o) throws IOException {
        String now = Instant.now().toString();
        inTransaction(() -> {
            execute("UPDATE items SET state = ?, finished_at = ?, priority = ?, reason = ?, report = ?, report_sha256 = ?,"
                    + " error = ? WHERE id = ?", o.state(), now, o.priority(), o.reason(), o.report(), o.reportSha256(),
                    o.error(), item);
            execute("UPDATE item_runs SET finished_at = ?, state = ?, priority = ?, reason = ?, report = ?, report_sha256 = ?,"
                    + " listing_sha256 = ?, error = ? WHERE run_id = ? AND item_id = ?", now, o.state(), o.priority(),
                    o.reason(), o.report(), o.reportSha256(), o.listingSha256(), o.error(), run, item);
        });
    }

    /**
     * The item's runs since it was last done (finished, opened, no error), oldest first, with
     * their listings: the scans whose records a new run of the item resumes from.
     */
    public synchronized List<EarlierRun> unfinishedRuns(long item) throws IOException {
        List<EarlierRun> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT run_id, listing FROM item_runs WHERE item_id = ?"
                + " AND listing IS NOT NULL AND run_id > (SELECT coalesce(max(run_id), 0) FROM item_runs WHERE item_id = ?"
                + " AND state = 'finished' AND error IS NULL AND priority IS NOT NULL AND priority <> 'unknown')"
                + " ORDER BY run_id")) {
            ps.setLong(1, item);
            ps.setLong(2, item);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) out.add(new EarlierRun(r.getLong(1), r.getString(2)));
            }
        } catch (SQLException e) {
            throw failure("reading the earlier runs of item " + item, e);
        }
        return out;
    }

    /** An earlier run of an item and its listing, relative to the case directory. */
    public record EarlierRun(long run, String listing) {
    }

    /** The matches and unreadable entries recorded for an item in a run, in the order recorded. */
    public synchronized List<RecordedEntry> recordedEntries(long item, long run) throws IOException {
        List<RecordedEntry> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT path, size, md5, sha1, sha256, matches, error FROM records"
                + " WHERE item_id = ? AND run_id = ? ORDER BY id")) {
            ps.setLong(1, item);
            ps.setLong(2, run);
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    out.add(new RecordedEntry(r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
                            r.getString(6), r.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw failure("reading the records of item " + item, e);
        }
        return out;
    }

    /** "caid:1;lab:B;nsrl:": each set and the category its entry has ("" for none). */
    private static String matches(List<Match> matches) {
        StringBuilder sb = new StringBuilder();
        for (Match m : matches) {
            if (sb.length() > 0) sb.append(';');
            sb.append(m.set()).append(':').append(m.category() == null ? "" : m.category());
        }
        return sb.toString();
    }

    private static String json(Map<String, Long> m) throws SQLException {
        try {
            return JSON.writeValueAsString(new TreeMap<>(m));
        } catch (JsonProcessingException e) {
            throw new SQLException(e);
        }
    }

    private String meta(String key) throws IOException {
        try (PreparedStatement ps = db.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet r = ps.executeQuery()) {
                if (!r.next()) throw new IOException(layout.database() + " has no '" + key + "': not a case database, or damaged");
                return r.getString(1);
            }
        } catch (SQLException e) {
            throw failure("reading " + key, e);
        }
    }

    private void putMeta(String key, String value) throws SQLException {
        execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
    }

    private void update(String sql, Object... args) throws IOException {
        inTransaction(() -> execute(sql, args));
    }

    private void execute(String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a == null) ps.setNull(i + 1, Types.NULL);
                else if (a instanceof Long l) ps.setLong(i + 1, l);
                else if (a instanceof Integer n) ps.setInt(i + 1, n);
                else ps.setString(i + 1, a.toString());
            }
            ps.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(Work work) throws IOException {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException | RuntimeException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure("writing", e);
        }
    }

    private IOException failure(String doing, SQLException e) {
        return new IOException(layout.database() + ": " + doing + ": " + e.getMessage(), e);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            System.getLogger(CaseStore.class.getName()).log(System.Logger.Level.WARNING, "closing " + layout.database(), e);
        }
    }
}
