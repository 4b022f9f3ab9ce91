package org.triage.casework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.Triage;

/**
 * A case directory, open: its database, its audit trail and its layout, and the two operations
 * that shape it, create and add. Running the scans is {@link CaseRun}'s; the ranked queue is
 * {@link CaseQueue}'s.
 *
 * <p>Owns the database connection: close it (try-with-resources). Thread-safe as its parts are.
 * Bad input ({@link #add} of something that is not evidence) is an {@link IllegalArgumentException}
 * naming the path and why; what the file system or SQLite refuses is an {@link IOException}.
 */
public final class EvidenceCase implements AutoCloseable {
    /** Everything in a case names evidence paths: readable by its owner only. */
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private final CaseStore store;
    private final AuditTrail audit;
    private final RunIdentity who;

    private EvidenceCase(CaseStore store, RunIdentity who) {
        this.store = store;
        this.who = who;
        this.audit = new AuditTrail(store, who);
    }

    /**
     * Makes a case in {@code dir} (created, mode 0700; or an existing empty directory), with its
     * database, empty audit trail and output folders; the trail's first entry says who made it.
     */
    public static EvidenceCase create(Path dir, String caseId, String examiner, Path hashStore, RunIdentity who)
            throws IOException {
        CaseLayout layout = new CaseLayout(dir);
        if (Files.exists(layout.dir())) {
            if (!Files.isDirectory(layout.dir())) throw new IOException(layout.dir() + " exists and is not a directory");
            try (var entries = Files.list(layout.dir())) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(layout.dir() + (Files.exists(layout.database()) ? " already holds a case" : " is not empty")
                            + ": a case is made in a new or empty directory");
                }
            }
        } else {
            Files.createDirectories(layout.dir(), OWNER_ONLY_DIR);
        }
        Files.createDirectory(layout.reports(), OWNER_ONLY_DIR);
        Files.createDirectory(layout.listings(), OWNER_ONLY_DIR);
        AuditTrail.create(layout);
        CaseInfo info = new CaseInfo(caseId, examiner, hashStore.toAbsolutePath().normalize().toString(), Instant.now(), who.tool());
        EvidenceCase c = new EvidenceCase(CaseStore.create(layout, info), who);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("case", caseId);
        f.put("examiner", examiner);
        f.put("store", info.store());
        f.put("directory", layout.dir().toString());
        c.audit.append("case-created", f);
        return c;
    }

    /** Opens the case in {@code dir}; {@code who} is who the audit entries it appends name. */
    public static EvidenceCase open(Path dir, RunIdentity who) throws IOException {
        return new EvidenceCase(CaseStore.open(new CaseLayout(dir)), who);
    }

    public CaseLayout layout() { return store.layout(); }

    public CaseStore store() { return store; }

    public AuditTrail audit() { return audit; }

    public RunIdentity who() { return who; }

    public CaseInfo info() throws IOException { return store.info(); }

    /**
     * Adds evidence items, all or none: each must exist and be a directory, a disk image (raw,
     * split raw, E01, VMDK, VHD; decided by content, as a scan decides) or a block device, must not
     * be in the case already (by device and inode, whatever the name), and must neither hold the
     * case directory nor lie inside it (the case writes there, and evidence is never written).
     * One audit entry per item, with its identity.
     *
     * @throws IllegalArgumentException naming the first item refused and why
     */
    public List<CaseItem> add(List<String> evidence, String label) throws IOException {
        Map<String, CaseItem> known = new LinkedHashMap<>();
        for (CaseItem i : store.items()) known.put(i.identity(), i);
        List<CaseItem> fresh = new ArrayList<>();
        for (String given : evidence) {
            CaseItem item = EvidenceIntake.examine(given, label, layout());
            CaseItem before = known.get(item.identity());
            if (before != null) {
                throw new IllegalArgumentException(given + " is already in the case: it is item " + before.id() + " ("
                        + before.path() + ")" + (before.path().equals(item.path()) ? "" : ", the same evidence by another name"));
            }
            known.put(item.identity(), item);
            fresh.add(item);
        }
        List<CaseItem> added = store.add(fresh);
        for (CaseItem i : added) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("item", i.id());
            f.put("path", i.path());
            f.put("label", i.label());
            f.put("kind", i.kind());
            f.put("size", i.size());
            f.put("device", i.device());
            f.put("identity", i.identity());
            audit.append("item-added", f);
        }
        return added;
    }

    @Override
    public void close() {
        store.close();
    }

    /** What {@link #add} checks of one item, and the facts it keeps of it. */
    static final class EvidenceIntake {
        private EvidenceIntake() {
        }

        static CaseItem examine(String given, String label, CaseLayout layout) throws IOException {
            if (given == null || given.isEmpty()) throw new IllegalArgumentException("evidence path must not be empty");
            Path abs = Path.of(given).toAbsolutePath().normalize();
            if (!Files.exists(abs)) throw new IllegalArgumentException(given + ": no such file or directory");
            Path real = abs.toRealPath();
            if (real.startsWith(layout.dir().toRealPath())) {
                throw new IllegalArgumentException(given + " is inside the case directory " + layout.dir()
                        + ": the case writes there, and evidence is never written");
            }
            if (Files.isDirectory(real) && layout.dir().toRealPath().startsWith(real)) {
                throw new IllegalArgumentException(given + " holds the case directory " + layout.dir()
                        + ": the case's own files would be scanned as evidence, and writing them would change it;"
                        + " put the case elsewhere");
            }
            String kind;
            try {
                kind = Triage.evidenceKind(abs.toString());
            } catch (IOException e) {
                String why = String.valueOf(e.getMessage());
                for (String named : List.of(abs + ": ", given + ": ")) {
                    while (why.startsWith(named)) why = why.substring(named.length()); // the engine names the item too
                }
                throw new IllegalArgumentException(given + " cannot be opened as evidence: " + why);
            }
            if (kind.equals("file")) {
                throw new IllegalArgumentException(given + " is a regular file that is not a disk image (no partition table,"
                        + " filesystem or image format recognised): a case holds directories, disk images (raw, split raw,"
                        + " E01, VMDK, VHD) and devices; add the folder that holds it, or scan it with 'triage scan'");
            }
            List<Path> files = Triage.evidenceFiles(abs.toString());
            Path first = files.get(0).toRealPath();
            String identity = Files.getAttribute(first, "unix:dev") + ":" + Files.getAttribute(first, "unix:ino");
            long size;
            if (kind.equals("directory")) {
                size = -1;
            } else if (kind.equals("device")) {
                size = PhysicalDevice.size(real);
            } else {
                size = 0;
                for (Path f : files) size += Files.size(f);
            }
            String cleanLabel = label == null || label.isBlank() ? null : label;
            return new CaseItem(0, abs.toString(), cleanLabel, kind, PhysicalDevice.of(real), identity, size, Instant.now());
        }
    }
}
