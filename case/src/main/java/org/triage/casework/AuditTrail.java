package org.triage.casework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The case's audit trail: {@code audit.jsonl}, one JSON object per line, appended and never
 * rewritten. Each entry says what happened (event), when, who (user, host, process) and with what
 * (tool version), and carries {@code seq} (1, 2, 3…) and {@code prev}, the SHA-256 of the previous
 * line's bytes (64 zeros for the first). So an entry changed, removed or moved breaks the chain at
 * the next entry, and {@link #verify} names the first one. The case database keeps the count and
 * the last entry's SHA-256 (the head), so removing or changing the last entries shows too.
 *
 * <p>What the chain cannot do: someone who rewrites the whole file and the database's head
 * together makes a new consistent trail. Against that, give the head (printed by
 * {@code case verify}) to someone else, or keep a copy of the trail elsewhere.
 *
 * <p>Threading: appends are serialized within the process (synchronized) and across processes by
 * an fcntl lock on the file, held from reading the last line to writing the new one.
 */
public final class AuditTrail {
    /** The {@code prev} of the first entry, and the head of an empty trail. */
    public static final String NO_ENTRY = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The end of the trail.
     *
     * @param entries how many entries
     * @param sha256  SHA-256 of the last entry's line, {@link #NO_ENTRY} when there is none
     */
    public record Head(long entries, String sha256) {
    }

    private final CaseLayout layout;
    private final CaseStore store;
    private final RunIdentity who;

    /** Appends as {@code who}; the head goes to {@code store}. */
    public AuditTrail(CaseStore store, RunIdentity who) {
        this.layout = store.layout();
        this.store = store;
        this.who = who;
    }

    /** Makes the empty trail of a new case (mode 0600). */
    static void create(CaseLayout layout) throws IOException {
        Files.createFile(layout.audit(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }

    /**
     * Appends one entry: {@code seq}, {@code time}, {@code event}, who, the tool, then {@code fields}
     * in their order, then {@code prev}. Written with one write and synced before it returns.
     *
     * @return the new head
     */
    public synchronized Head append(String event, Map<String, ?> fields) throws IOException {
        try (FileChannel ch = FileChannel.open(layout.audit(), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            byte[] all = new byte[(int) ch.size()];
            ByteBuffer buf = ByteBuffer.wrap(all);
            while (buf.hasRemaining() && ch.read(buf, buf.position()) >= 0) { /* read it all */ }
            if (all.length > 0 && all[all.length - 1] != '\n') {
                throw new IOException(layout.audit() + " does not end with a whole line (a write cut short, or edited):"
                        + " nothing is appended to it; run 'triage case verify'");
            }
            List<byte[]> lines = lines(all);
            long seq = lines.size() + 1;
            String prev = lines.isEmpty() ? NO_ENTRY : sha256(lines.get(lines.size() - 1));
            ObjectNode e = JSON.createObjectNode();
            e.put("seq", seq);
            e.put("time", Instant.now().toString());
            e.put("event", event);
            e.put("user", who.user());
            e.put("host", who.host());
            e.put("pid", who.pid());
            e.put("tool", who.tool());
            for (Map.Entry<String, ?> f : fields.entrySet()) e.set(f.getKey(), JSON.valueToTree(f.getValue()));
            e.put("prev", prev);
            byte[] line = JSON.writeValueAsBytes(e);
            ByteBuffer out = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            long at = all.length;
            while (out.hasRemaining()) at += ch.write(out, at);
            ch.force(true);
            Head head = new Head(seq, sha256(line));
            store.auditHead(head);
            return head;
        }
    }

    /**
     * Checks the trail against itself, against the head the database keeps, and each report and
     * listing an entry recorded against the file's SHA-256 now.
     */
    public static AuditCheck verify(CaseLayout layout, Head head) throws IOException {
        byte[] all = Files.readAllBytes(layout.audit());
        List<byte[]> lines = lines(all);
        List<String> problems = new ArrayList<>();
        List<JsonNode> entries = new ArrayList<>();
        String chain = chainProblem(lines, entries);
        if (chain != null) problems.add(chain);
        if (chain == null && all.length > 0 && all[all.length - 1] != '\n') {
            problems.add("the last entry (" + lines.size() + ") is cut short: the file does not end with a whole line");
        }
        if (chain == null) {
            if (lines.size() < head.entries()) {
                long first = lines.size() + 1;
                problems.add((first == head.entries() ? "entry " + first + " was" : "entries " + first + "-" + head.entries() + " were")
                        + " removed: the trail ends at entry " + lines.size() + ", the case database records "
                        + head.entries() + " entries");
            } else if (head.entries() > 0 && !sha256(lines.get((int) head.entries() - 1)).equals(head.sha256())) {
                problems.add("entry " + head.entries() + " was changed: its SHA-256 is now "
                        + sha256(lines.get((int) head.entries() - 1)) + ", the case database records " + head.sha256());
            }
        }
        int files = 0;
        for (JsonNode e : entries) {
            for (String kind : List.of("report", "listing")) {
                JsonNode name = e.get(kind);
                JsonNode sha = e.get(kind + "_sha256");
                if (name == null || !name.isTextual() || sha == null || !sha.isTextual()) continue;
                files++;
                Path p = layout.dir().resolve(name.asText()).normalize();
                String now;
                if (!p.startsWith(layout.dir())) {
                    problems.add("entry " + e.path("seq").asLong() + " names a " + kind + " outside the case: " + name.asText());
                    continue;
                }
                try {
                    now = sha256(p);
                } catch (IOException ex) {
                    problems.add(kind + " " + name.asText() + " recorded by entry " + e.path("seq").asLong()
                            + " cannot be read: " + ex.getMessage() + " (removed?)");
                    continue;
                }
                if (!now.equals(sha.asText())) {
                    problems.add(kind + " " + name.asText() + " was changed after entry " + e.path("seq").asLong()
                            + " recorded it: its SHA-256 is now " + now + ", recorded " + sha.asText());
                }
            }
        }
        return new AuditCheck(lines.size(), lines.isEmpty() ? NO_ENTRY : sha256(lines.get(lines.size() - 1)), files, problems);
    }

    /** The first break in the chain, in words, or null; fills {@code entries} with the entries read. */
    private static String chainProblem(List<byte[]> lines, List<JsonNode> entries) {
        List<Long> seqs = new ArrayList<>();
        for (byte[] line : lines) {
            try {
                JsonNode n = JSON.readTree(line);
                seqs.add(n != null && n.path("seq").canConvertToLong() ? n.path("seq").asLong() : -1);
                entries.add(n);
            } catch (IOException e) {
                seqs.add(-1L);
                entries.add(null);
            }
        }
        String prev = NO_ENTRY;
        for (int i = 0; i < lines.size(); i++) {
            long expected = i + 1;
            JsonNode e = entries.get(i);
            if (e == null || !e.isObject()) {
                return "entry " + expected + " was changed: line " + expected + " is not a JSON object";
            }
            long seq = seqs.get(i);
            if (seq != expected) {
                if (seqs.subList(i + 1, seqs.size()).contains(expected) || (seq >= 1 && seq < expected)) {
                    return "entries were reordered: line " + expected + " holds entry " + seq + ", entry " + expected
                            + (seqs.contains(expected) ? " is at line " + (seqs.indexOf(expected) + 1) : " is missing");
                }
                if (seq > expected) {
                    return (seq == expected + 1 ? "entry " + expected + " was" : "entries " + expected + "-" + (seq - 1) + " were")
                            + " removed: line " + expected + " holds entry " + seq;
                }
                return "entry " + expected + " was changed: its seq is " + e.path("seq");
            }
            String recorded = e.path("prev").asText("");
            if (!recorded.equals(prev)) {
                return expected == 1
                        ? "entry 1 was changed: its prev is " + recorded + ", the first entry's is " + NO_ENTRY
                        : "entry " + (expected - 1) + " was changed: entry " + expected + " records its SHA-256 as " + recorded
                        + ", it is now " + prev;
            }
            prev = sha256(lines.get(i));
        }
        return null;
    }

    /** The lines, without their newline; a last line without one is kept (verify says it is cut). */
    private static List<byte[]> lines(byte[] all) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                out.add(java.util.Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length) out.add(java.util.Arrays.copyOfRange(all, start, all.length));
        return out;
    }

    static String sha256(byte[] b) {
        return HexFormat.of().formatHex(digest().digest(b));
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** What the trail says of itself and of the files it recorded. */
    public record AuditCheck(long entries, String lastSha256, int filesChecked, List<String> problems) {
        public AuditCheck {
            problems = List.copyOf(problems);
        }

        public boolean intact() { return problems.isEmpty(); }
    }
}
