package org.triage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Issue 13, item 5: {@code triage case report} from a real case (a directory and a raw FAT image
 * made with mkfs.vfat and mcopy) whose files carry hostile names, with known files planted and a
 * store imported from md5sum's output. Every format is checked by someone else's reader: the HTML
 * by headless Chromium, the CSV by Python's csv module, the DFXML by the DFXML schema (javax.xml
 * validation) and against hashdeep's and fls's own output, the VICS by Jackson against the listing.
 * A marker planted inside a known file must appear in no report: content never leaves the evidence.
 */
class CaseReportCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MARKER = "TRIAGE-CONTENT-MARKER-5b1e9c";
    /** Names that would run as markup, or a formula, or break a CSV line, if written as they are. */
    private static final String IMG = "<img src=x onerror=alert(1)>.jpg";
    private static final String BEACON = "<img src=http:\\\\beacon.invalid\\b.png>.jpg";
    private static final String CSV_BREAKER = "a,\"b\"\nc.jpg";
    private static final String FORMULA = "=HYPERLINK(\"x\")+1.jpg";
    private static final String TITLE_SCRIPT_DIR = "</td><script>document.title='pwned'<";
    /** Made with Python: control characters and bytes that are not UTF-8. */
    private static final String PYTHON_NAMES = """
            import os, sys
            d = sys.argv[1]
            src = open(sys.argv[2], 'rb').read()
            open(os.path.join(d.encode(), b'ctl\\x01\\x1b[31m.jpg'), 'wb').write(src)
            open(os.path.join(d.encode(), b'bad\\xff\\xfe.jpg'), 'wb').write(src)
            """;
    private static final String BUILD = """
            set -euo pipefail
            export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
            cd "$1"
            mkfs.vfat -C -n CASEFAT ev/card.img 4096 >/dev/null
            mcopy -i ev/card.img known/k3.jpg ::/=1+2,x.jpg
            mcopy -i ev/card.img known/k3.jpg ::/@sum.jpg
            mcopy -i ev/card.img known/k2.jpg ::/gone.jpg
            mcopy -i ev/card.img pics/new.jpg ::/new.jpg
            mdel -i ev/card.img ::/gone.jpg
            md5sum known/* > known.md5
            """;

    @TempDir
    static Path dir;
    static Path ev;
    static Path seized;
    static Path kase;
    static Path out;
    static Cli.Result report;

    @BeforeAll
    static void build() throws Exception {
        Random rnd = new Random(5);
        ev = Files.createDirectories(dir.resolve("ev"));
        Path known = Files.createDirectories(dir.resolve("known"));
        Path pics = Files.createDirectories(dir.resolve("pics"));
        byte[] k1 = DemoCorpus.picture(rnd, "jpg");
        byte[] k2 = DemoCorpus.picture(rnd, "png");
        byte[] k3 = DemoCorpus.picture(rnd, "jpg");
        Files.write(known.resolve("k1.jpg"), k1);
        Files.write(known.resolve("k2.jpg"), k2);
        Files.write(known.resolve("k3.jpg"), k3);
        Files.writeString(known.resolve("note.txt"), "the words " + MARKER + " are inside this file\n");
        Files.write(pics.resolve("new.jpg"), DemoCorpus.picture(rnd, "jpg"));

        seized = Files.createDirectories(ev.resolve("seized"));
        Files.write(seized.resolve(IMG), k1);
        Files.write(seized.resolve(BEACON), k1); // the same content twice: one VICS Media, two files
        Files.write(seized.resolve(CSV_BREAKER), k2);
        Files.write(seized.resolve(FORMULA), k2);
        Files.write(Files.createDirectories(seized.resolve(TITLE_SCRIPT_DIR)).resolve("script>"), k3);
        Files.copy(known.resolve("note.txt"), seized.resolve("note.txt"));
        Files.write(seized.resolve("holiday.jpg"), DemoCorpus.picture(rnd, "jpg")); // a new picture, in no set
        Files.writeString(seized.resolve("letter.txt"), "dear all\n");
        Cli.exec(dir, "python3", "-c", PYTHON_NAMES, seized.toString(), known.resolve("k3.jpg").toString());
        Process p = new ProcessBuilder("bash", "-c", BUILD, "build", dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "building the evidence");
        Path db = dir.resolve("db");
        Cli.importSet(dir.resolve("known.md5"), db, "caid-2026-11", "--kind", "alert", "--category", "A");

        kase = dir.resolve("case");
        ok(0, "case", "create", kase.toString(), "--case", "OP-<b>HARBOUR</b>", "--examiner", "J. Smith", "--db", db.toString());
        ok(0, "case", "add", kase.toString(), seized.toString(), ev.resolve("card.img").toString(), "--label", "SD card <u>JB/2</u>");
        ok(1, "case", "run", kase.toString(), "--jobs", "1");
        out = Files.createDirectories(dir.resolve("out"));
        report = ok(0, "case", "report", kase.toString(), "--html", out.resolve("case.html").toString(),
                "--csv", out.resolve("matches.csv").toString(), "--dfxml", out.resolve("case.dfxml").toString(),
                "--vics", out.resolve("case.vics.json").toString());
    }

    private static Cli.Result ok(int code, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(code, r.code(), String.join(" ", args) + "\n" + r);
        return r;
    }

    /** Every entry line of every listing in the case. */
    private static List<JsonNode> listed() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var files = Files.list(kase.resolve("listings"))) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("path")) out.add(n);
                }
            }
        }
        return out;
    }

    private static boolean alert(JsonNode entry) {
        for (JsonNode m : entry.path("match")) if (m.path("kind").asText().equals("alert")) return true;
        return false;
    }

    @Test
    void reportsAreOwnerOnlyRecordedInTheAuditTrailAndCheckedByVerify() throws Exception {
        List<String> names = List.of("case.html", "matches.csv", "case.dfxml", "case.vics.json");
        Map<String, String> recorded = new HashMap<>();
        for (String line : Files.readAllLines(kase.resolve("audit.jsonl"))) {
            JsonNode e = JSON.readTree(line);
            if (e.get("event").asText().equals("report")) recorded.put(e.get("report").asText(), e.get("report_sha256").asText());
        }
        for (String name : names) {
            Path f = out.resolve(name);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), name);
            String sum = new String(Cli.exec(out, "sha256sum", f.toString()), StandardCharsets.US_ASCII).split(" ")[0];
            assertEquals(sum, recorded.get(f.toString()), name + " in the audit trail: " + recorded);
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            assertFalse(text.contains(MARKER), name + " holds the content of a file");
        }
        ok(0, "case", "verify", kase.toString());
        Path html = out.resolve("case.html");
        byte[] b = Files.readAllBytes(html);
        byte[] saved = b.clone();
        b[b.length / 2] ^= 1;
        Files.write(html, b);
        try {
            Cli.Result bad = ok(1, "case", "verify", kase.toString());
            assertTrue(bad.out().contains("report " + html + " was changed after entry"), bad.toString());
        } finally {
            Files.write(html, saved);
        }
        ok(2, "case", "report", kase.toString());
    }

    @Test
    void csvReadByPythonGivesTheListingsPathsAndNoFormula() throws Exception {
        String py = """
                import csv, json, sys
                rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))
                print(json.dumps(rows))
                """;
        JsonNode rows = JSON.readTree(Cli.exec(dir, "python3", "-c", py, out.resolve("matches.csv").toString()));
        List<String> fromCsv = new ArrayList<>();
        for (JsonNode row : rows) {
            row.fields().forEachRemaining(f -> {
                String v = f.getValue().asText();
                assertFalse(!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0, "a cell a spreadsheet runs: " + row);
            });
            String path = row.get("path").asText();
            // The prefix that disarms a formula is the one change made to a cell.
            if (path.startsWith("'") && path.length() > 1 && "=+-@".indexOf(path.charAt(1)) >= 0) path = path.substring(1);
            fromCsv.add(path);
            assertEquals("caid-2026-11", row.get("set").asText());
            assertEquals("A", row.get("category").asText());
        }
        List<String> fromListing = new ArrayList<>();
        for (JsonNode e : listed()) if (alert(e)) fromListing.add(e.get("path").asText());
        fromCsv.sort(null);
        fromListing.sort(null);
        assertEquals(fromListing, fromCsv);
        assertTrue(fromCsv.contains(CSV_BREAKER) && fromCsv.contains(FORMULA) && fromCsv.contains("=1+2,x.jpg"), fromCsv.toString());
        assertTrue(fromCsv.contains("bad\\xFF\\xFE.jpg"), fromCsv.toString());
    }

    @Test
    void htmlRendersTheRowsAsTextInChromiumWithNoScriptAndNoRequest() throws Exception {
        String chromium = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
                .filter(c -> Files.isExecutable(Path.of(c))).findFirst().orElse(null);
        assumeTrue(chromium != null, "no chromium (Debian package chromium): the HTML is not rendered");
        Path html = out.resolve("case.html");
        String source = Files.readString(html);
        assertFalse(source.contains("<script"), "the report has a script element");
        assertFalse(Pattern.compile("(?i)(src|href)\\s*=").matcher(source.replace("src=x", "")).find()
                && source.contains(" src=\""), "the report loads something");
        Path artifacts = Files.createDirectories(Path.of("target", "case-report"));
        Path netlog = artifacts.resolve("netlog.json");
        List<String> common = List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + dir.resolve("chromium-profile"), "--host-resolver-rules=MAP * ~NOTFOUND",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps",
                "--log-net-log=" + netlog.toAbsolutePath());
        List<String> dump = new ArrayList<>(common);
        dump.addAll(List.of("--dump-dom", html.toUri().toString()));
        String dom = run(dump);
        List<String> shot = new ArrayList<>(common);
        shot.addAll(List.of("--screenshot=" + artifacts.resolve("case.png").toAbsolutePath(), "--window-size=1280,2000",
                html.toUri().toString()));
        run(shot);
        assertTrue(Files.size(artifacts.resolve("case.png")) > 0);

        // No script ran: the one a planted name would run changes the title.
        Matcher title = Pattern.compile("<title>(.*?)</title>").matcher(dom);
        assertTrue(title.find(), dom);
        assertEquals("triage case report: OP-&lt;b&gt;HARBOUR&lt;/b&gt;", title.group(1));
        assertFalse(dom.contains("pwned\"") || dom.contains("<title>pwned"), "a planted script ran");
        // The names are text: no element came from them.
        assertFalse(Pattern.compile("<(img|script|b|u)[ >]").matcher(dom).find(), "markup from evidence was rendered");
        String netlogText = Files.readString(netlog);
        assertFalse(netlogText.contains("beacon.invalid"), "the report asked the network for something");
        // The instrument works: a page that does load that picture shows in a net log made the same way.
        Path control = Files.writeString(dir.resolve("control.html"), "<html><body><img src=\"http://beacon.invalid/b.png\"></body></html>");
        Path controlLog = dir.resolve("control-netlog.json");
        List<String> probe = new ArrayList<>(common.subList(0, common.size() - 1));
        probe.addAll(List.of("--log-net-log=" + controlLog, "--dump-dom", control.toUri().toString()));
        run(probe);
        assertTrue(Files.readString(controlLog).contains("beacon.invalid"), "the net log does not show a page's requests");
        // Every request in the net log is Chromium's own (its update and account services), none the page's.
        Matcher url = Pattern.compile("\"url\":\"([^\"]*)\"").matcher(netlogText);
        while (url.find()) {
            String host = java.net.URI.create(url.group(1)).getHost();
            assertTrue(host != null && (host.endsWith(".google.com") || host.endsWith(".googleapis.com") || host.endsWith(".gvt1.com")),
                    "a request from the report: " + url.group(1));
        }
        // The rows: each alert match of the listing, by its path as text.
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(
                new java.io.ByteArrayInputStream(("<x>" + body(dom) + "</x>").getBytes(StandardCharsets.UTF_8)));
        List<String> rowPaths = new ArrayList<>();
        NodeList trs = doc.getElementsByTagName("tr");
        for (int i = 0; i < trs.getLength(); i++) {
            Element tr = (Element) trs.item(i);
            if (!tr.getAttribute("class").equals("match")) continue;
            Element td = (Element) tr.getElementsByTagName("td").item(0);
            rowPaths.add(((Element) td.getElementsByTagName("span").item(0)).getTextContent());
        }
        List<String> expected = new ArrayList<>();
        for (JsonNode e : listed()) if (alert(e)) expected.add(visible(chain(e)));
        rowPaths.sort(null);
        expected.sort(null);
        assertEquals(expected, rowPaths);
        assertTrue(rowPaths.contains(IMG) && rowPaths.contains(TITLE_SCRIPT_DIR + "/script>") && rowPaths.contains("ctl\\x01\\x1B[31m.jpg"),
                rowPaths.toString());
        assertTrue(dom.contains("SD card &lt;u&gt;JB/2&lt;/u&gt;"), "the label as text");
        assertTrue(dom.contains("HIGH: "), "the queue's reasons");
        assertTrue(dom.contains(AuditSha.of(dir.resolve("known.md5"))), "the hash set's provenance (its file's SHA-256)");
    }

    /** The body of Chromium's DOM dump, made well-formed enough for an XML parser (void elements closed). */
    private static String body(String dom) {
        String b = dom.substring(dom.indexOf("<body"), dom.indexOf("</body>") + "</body>".length());
        return b.replaceAll("<(br|hr|meta|col|wbr)([^>]*)>", "<$1$2/>").replace("&nbsp;", "&#160;");
    }

    /** A name as the report shows it: each control character as \\xHH, so that none hides. */
    private static String visible(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) sb.append(c < 0x20 ? String.format("\\x%02X", (int) c) : String.valueOf(c));
        return sb.toString();
    }

    private static String chain(JsonNode e) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode c : e.path("container")) sb.append(c.asText()).append("!/");
        return sb.append(e.get("path").asText()).toString();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(dir.resolve("chromium.err").toFile()).start();
        byte[] b = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium did not end");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("chromium.err")));
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Validates a DFXML file against the schema in {@code shared/dfxml} above the working directory
     * (the test is skipped where there is none); throws naming what is invalid.
     */
    static void validateDfxml(Path dfxml) throws Exception {
        Path shared = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && shared == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("shared/dfxml/dfxml.xsd"))) shared = d.resolve("shared/dfxml");
        }
        assumeTrue(shared != null, "no shared/dfxml/dfxml.xsd above " + Path.of("").toAbsolutePath() + ": not validated");
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.newSchema(shared.resolve("dfxml.xsd").toFile()).newValidator().validate(new StreamSource(dfxml.toFile()));
    }

    @Test
    void dfxmlValidatesAndAgreesWithHashdeepAndFls() throws Exception {
        Path dfxml = out.resolve("case.dfxml");
        validateDfxml(dfxml);

        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(dfxml.toFile());
        NodeList objects = doc.getElementsByTagNameNS("*", "fileobject");
        Map<String, Element> byName = new HashMap<>();
        for (int i = 0; i < objects.getLength(); i++) {
            Element o = (Element) objects.item(i);
            byName.put(text(o, "filename"), o);
        }
        assertNotNull(doc.getElementsByTagNameNS("*", "creator").item(0), "no creator block");
        // The directory item: every regular file hashdeep -d -r lists, with its digests; by name where hashdeep writes
        // the name as it is (it writes control characters and bytes that are not UTF-8 raw, which XML cannot hold).
        String hashdeep = new String(Cli.exec(dir, "hashdeep", "-d", "-r", "-c", "md5,sha1,sha256", seized.toString()),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<fileobject>\\s*<filename>(.*?)</filename>\\s*<filesize>(\\d+)</filesize>.*?"
                + "<hashdigest type='MD5'>(\\w+)</hashdigest>\\s*<hashdigest type='SHA1'>(\\w+)</hashdigest>\\s*"
                + "<hashdigest type='SHA256'>(\\w+)</hashdigest>", Pattern.DOTALL).matcher(hashdeep);
        int compared = 0;
        Map<String, Integer> theirs = new TreeMap<>();
        Map<String, Integer> ours = new TreeMap<>();
        while (m.find()) {
            String name = unescapeXml(m.group(1));
            theirs.merge(m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5), 1, Integer::sum);
            Element o = byName.get(name);
            if (name.chars().allMatch(c -> c >= 0x20 && c != 0xfffd)) {
                assertNotNull(o, "hashdeep lists " + name + ", the DFXML does not: " + byName.keySet());
                assertEquals(m.group(2), text(o, "filesize"), name);
                assertEquals(m.group(3), digest(o, "md5"), name);
                assertEquals(m.group(4), digest(o, "sha1"), name);
                assertEquals(m.group(5), digest(o, "sha256"), name);
                compared++;
            }
        }
        for (Element o : byName.values()) {
            if (o.getAttributeNS("https://github.com/triage/dfxml", "source").equals(seized.toString())
                    && digest(o, "md5") != null) {
                ours.merge(text(o, "filesize") + " " + digest(o, "md5") + " " + digest(o, "sha1") + " " + digest(o, "sha256"), 1,
                        Integer::sum);
            }
        }
        assertTrue(compared >= 7, "compared " + compared + " files with hashdeep:\n" + hashdeep);
        assertEquals(theirs, ours, "every file of the directory item, by size and digests");
        // The FAT image: names, inodes and the deleted file as fls lists them.
        String fls = new String(Cli.exec(dir, "fls", "-r", "-p", ev.resolve("card.img").toString()), StandardCharsets.UTF_8);
        Matcher gone = Pattern.compile("r/r \\* (\\d+):\\s+(\\S+)").matcher(fls);
        assertTrue(gone.find(), fls);
        Element deleted = byName.get(gone.group(2));
        assertNotNull(deleted, "the deleted " + gone.group(2) + " (fls) is not in the DFXML");
        assertEquals("1", text(deleted, "unalloc"));
        assertEquals(gone.group(1), text(deleted, "inode"));
        Matcher live = Pattern.compile("r/r (\\d+):\\s+@sum.jpg").matcher(fls);
        assertTrue(live.find(), fls);
        assertEquals(live.group(1), text(byName.get("@sum.jpg"), "inode"));
        assertEquals("1", text(byName.get("@sum.jpg"), "alloc"));
    }

    /** The text of the first {@code name} below {@code o}, or null. */
    static String text(Element o, String name) {
        NodeList l = o.getElementsByTagNameNS("*", name);
        return l.getLength() == 0 ? null : l.item(0).getTextContent();
    }

    /** The {@code hashdigest} of {@code type} (any case) below {@code o}, or null. */
    static String digest(Element o, String type) {
        NodeList l = o.getElementsByTagNameNS("*", "hashdigest");
        for (int i = 0; i < l.getLength(); i++) {
            Element h = (Element) l.item(i);
            if (h.getAttribute("type").equalsIgnoreCase(type)) return h.getTextContent();
        }
        return null;
    }

    private static String unescapeXml(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    @Test
    void vicsHasOneMediaPerContentWithEveryPlaceItWasFound() throws Exception {
        JsonNode vics = JSON.readTree(out.resolve("case.vics.json").toFile());
        Map<String, Set<String>> places = new HashMap<>();
        Set<String> known = new HashSet<>();
        for (JsonNode e : listed()) {
            String type = e.path("type").asText();
            if (!Set.of("jpeg", "png").contains(type) || !e.path("error").isNull()) continue;
            places.computeIfAbsent(e.get("md5").asText().toUpperCase(java.util.Locale.ROOT), k -> new HashSet<>()).add(e.get("path").asText());
            if (alert(e)) known.add(e.get("md5").asText().toUpperCase(java.util.Locale.ROOT));
        }
        JsonNode media = vics.get("value");
        assertEquals(places.size(), media.size(), vics.toPrettyString());
        int uncategorised = 0;
        for (JsonNode m : media) {
            String md5 = m.get("MD5").asText();
            Set<String> names = new HashSet<>();
            for (JsonNode file : m.get("MediaFiles")) names.add(file.get("FileName").asText());
            assertEquals(places.get(md5).size(), m.get("MediaFiles").size(), m.toString());
            if (known.contains(md5)) {
                assertEquals("A", m.get("@triage.category").asText(), m.toString());
            } else {
                assertFalse(m.has("@triage.category") || m.has("Category") || m.has("@triage.sets"), m.toString());
                uncategorised++;
            }
        }
        assertEquals(2, uncategorised, "holiday.jpg and new.jpg: new pictures in no set");
    }

    /**
     * A FAT image cut short (truncate): its last file's clusters are gone, libtsk cannot read it (as
     * {@code icat} cannot) and the HTML lists it as unreadable, with why. Then the item's listing is
     * removed: the report still lists the match, from the case database's records, says so, and
     * exits 3.
     */
    @Test
    void unreadableEntriesAreListedAndALostListingFallsBackToTheRecords() throws Exception {
        String cut = """
                set -euo pipefail
                export PATH="$PATH:/usr/sbin:/sbin" MTOOLS_SKIP_CHECK=1
                cd "$1"
                mkfs.vfat -C -n CUT ev/cut.img 4096 >/dev/null
                head -c 3000000 /dev/zero | tr '\\0' 'z' > big.bin
                mcopy -i ev/cut.img known/k3.jpg ::/k3.jpg
                mcopy -i ev/cut.img big.bin ::/big.bin
                truncate -s 2000000 ev/cut.img
                """;
        Process p = new ProcessBuilder("bash", "-c", cut, "cut", dir.toString()).inheritIO().start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), "building the cut image");
        Path small = dir.resolve("case-cut");
        ok(0, "case", "create", small.toString(), "--case", "C-CUT", "--examiner", "J. Smith", "--db", dir.resolve("db").toString());
        ok(0, "case", "add", small.toString(), ev.resolve("cut.img").toString());
        ok(1, "case", "run", small.toString());
        Path html = dir.resolve("cut.html");
        ok(0, "case", "report", small.toString(), "--html", html.toString());
        String text = Files.readString(html);
        Matcher row = Pattern.compile("<tr class=\"unreadable\"><td class=\"path\"><span class=\"name\">big.bin</span></td>"
                + "<td>[^<]*</td><td>([^<]+)</td></tr>").matcher(text);
        assertTrue(row.find(), text);
        // And the image's own problem (the filesystem spans more than the image holds), an entry without a path.
        assertTrue(text.contains("<h3>Unreadable entries (2)</h3>"), text);
        assertTrue(row.group(1).matches(".*inode 5, &#39;big.bin&#39;: read \\d+ of 3000000 bytes.*"), row.group(1));

        JsonNode item = JSON.readTree(ok(0, "case", "status", small.toString(), "--json").out()).get("items").get(0);
        Path listing = small.resolve(item.get("listing").asText());
        Files.move(listing, dir.resolve("listing-moved.jsonl"));
        Path csv = dir.resolve("cut.csv");
        Cli.Result lost = ok(3, "case", "report", small.toString(), "--csv", csv.toString());
        assertTrue(lost.err().contains("its all-files listing " + item.get("listing").asText() + " cannot be read"), lost.toString());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(2, lines.size(), lines.toString());
        String md5 = new String(Cli.exec(dir, "md5sum", dir.resolve("known/k3.jpg").toString()), StandardCharsets.US_ASCII).split(" ")[0];
        assertTrue(lines.get(1).contains(",k3.jpg,") && lines.get(1).contains(md5), lines.toString());
    }

    /** SHA-256 by sha256sum (not our code). */
    private static final class AuditSha {
        static String of(Path f) throws IOException, InterruptedException {
            return new String(Cli.exec(f.getParent(), "sha256sum", f.toString()), StandardCharsets.US_ASCII).split(" ")[0];
        }
    }
}
