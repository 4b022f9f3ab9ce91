package org.triage.casework.report;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.triage.model.Algorithm;
import org.triage.model.ByteRuns;
import org.triage.model.EntryDetails;
import org.triage.model.FileRecord;
import org.triage.model.RawPath;

/**
 * The case's files as Digital Forensics XML (DFXML 2.0, the schema of the DFXML working group, as
 * hashdeep, fiwalk and bulk_extractor write it): a {@code creator} block naming triage, a
 * {@code source} naming every evidence item, and a {@code fileobject} per entry of every item's
 * last run: {@code filename}, {@code error}, {@code partition}, {@code filesize},
 * {@code alloc}/{@code unalloc}, {@code inode}, {@code hashdigest} per algorithm computed.
 *
 * <p>{@code filename} is for a directory item the file's absolute path on this machine (as
 * {@code hashdeep -d -r} writes it), for an image or device the path inside its filesystem, with
 * any container chain ({@code outer.zip!/inner.jpg}). XML cannot hold control characters: those are
 * written {@code \xHH}, and a name shown differently from its bytes (not UTF-8, or so escaped)
 * carries its exact bytes in {@code triage:path_b64}. Each fileobject names its item in
 * {@code triage:source}. {@code byte_runs} (offsets in the image) are written for the files the scan
 * read from the item's own disk image, as recorded in its listing ({@code runs}); a directory item's
 * files, archive members and files of an image found inside the item have none. {@code partition} is libtsk's slot number plus one (DFXML counts from 1), the slot itself in
 * {@code triage:slot}, its byte offset in {@code triage:offset}.
 */
public final class DfxmlCaseReport {
    static final String DFXML = "http://www.forensicswiki.org/wiki/Category:Digital_Forensics_XML";
    static final String DC = "http://purl.org/dc/elements/1.1/";
    /** Our own attributes, which DFXML allows from any other namespace. */
    public static final String TRIAGE = "https://github.com/triage/dfxml";

    private final CaseContents contents;

    public DfxmlCaseReport(CaseContents contents) {
        this.contents = contents;
    }

    public void writeTo(OutputStream out) throws IOException {
        try {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.setDefaultNamespace(DFXML);
            x.writeStartElement(DFXML, "dfxml");
            x.writeDefaultNamespace(DFXML);
            x.writeNamespace("dc", DC);
            x.writeNamespace("triage", TRIAGE);
            x.writeAttribute("version", "2.0.0-beta.0");
            x.writeCharacters("\n");
            x.writeStartElement(DFXML, "metadata");
            element(x, DC, "type", "Hash List");
            x.writeEndElement();
            creator(x);
            x.writeStartElement(DFXML, "source");
            for (ItemSection item : contents.items()) element(x, DFXML, "image_filename", xmlSafe(item.entry().item().item().path()));
            x.writeEndElement();
            x.writeCharacters("\n");
            for (ItemSection item : contents.items()) {
                XMLStreamException[] failed = new XMLStreamException[1];
                contents.entries(item, f -> {
                    if (failed[0] != null) return;
                    try {
                        fileobject(x, f);
                    } catch (XMLStreamException e) {
                        failed[0] = e;
                    }
                });
                if (failed[0] != null) throw failed[0];
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IOException("writing DFXML: " + e.getMessage(), e);
        }
    }

    private void creator(XMLStreamWriter x) throws XMLStreamException {
        x.writeStartElement(DFXML, "creator");
        x.writeAttribute("version", "1.0");
        String tool = contents.tool();
        int space = tool.indexOf(' ');
        element(x, DFXML, "program", space < 0 ? tool : tool.substring(0, space));
        element(x, DFXML, "version", space < 0 ? "" : tool.substring(space + 1));
        x.writeStartElement(DFXML, "execution_environment");
        element(x, DFXML, "os_sysname", System.getProperty("os.name"));
        element(x, DFXML, "os_release", System.getProperty("os.version"));
        element(x, DFXML, "host", host());
        element(x, DFXML, "arch", System.getProperty("os.arch"));
        element(x, DFXML, "command_line", xmlSafe("triage case report " + contents.layout().dir()));
        element(x, DFXML, "username", System.getProperty("user.name"));
        element(x, DFXML, "start_time", contents.made().toString());
        x.writeEndElement();
        x.writeEndElement();
        x.writeCharacters("\n");
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void fileobject(XMLStreamWriter x, ListedFile f) throws XMLStreamException {
        FileRecord r = f.record();
        EntryDetails d = r.details();
        x.writeStartElement(DFXML, "fileobject");
        x.writeAttribute(TRIAGE, "source", xmlSafe(f.item().path()));
        x.writeAttribute(TRIAGE, "item", Long.toString(f.item().id()));
        x.writeAttribute(TRIAGE, "type", r.typeLabel());
        x.writeStartElement(DFXML, "filename");
        String name = f.chain();
        if ("directory".equals(f.item().kind())) name = name.isEmpty() ? f.item().path() : f.item().path() + "/" + name;
        String safe = xmlSafe(name);
        boolean exact = r.path().isUtf8() && r.container().stream().allMatch(RawPath::isUtf8) && safe.equals(name);
        if (!exact) x.writeAttribute(TRIAGE, "path_b64", r.path().base64());
        x.writeCharacters(safe);
        x.writeEndElement();
        if (r.error() != null) element(x, DFXML, "error", xmlSafe(r.error()));
        if (d != null && d.partition() != null && d.partition().index() >= 0) {
            x.writeStartElement(DFXML, "partition");
            x.writeAttribute(TRIAGE, "slot", Integer.toString(d.partition().index()));
            x.writeAttribute(TRIAGE, "offset", Long.toString(d.partition().offset()));
            x.writeCharacters(Integer.toString(d.partition().index() + 1));
            x.writeEndElement();
        }
        element(x, DFXML, "filesize", Long.toString(r.size()));
        if (d != null && d.deleted()) element(x, DFXML, "unalloc", "1");
        else element(x, DFXML, "alloc", "1");
        if (d != null && d.inode() >= 0) element(x, DFXML, "inode", Long.toString(d.inode()));
        if (d != null && d.runs() != null) byteRuns(x, d.runs(), r.size());
        for (Algorithm a : Algorithm.values()) {
            String hex = r.digests().hex(a);
            if (hex == null) continue;
            x.writeStartElement(DFXML, "hashdigest");
            x.writeAttribute("type", a.id().toLowerCase(Locale.ROOT));
            x.writeCharacters(hex);
            x.writeEndElement();
        }
        x.writeEndElement();
        x.writeCharacters("\n");
    }

    /**
     * {@code byte_runs} as fiwalk writes them: per run its {@code file_offset}, {@code img_offset}
     * and {@code len}; a hole as {@code fill="0"} without an image offset; resident content as one
     * run of the file's size with {@code type="resident"} and no offset (the scan does not record
     * where in the metadata record it lies). A list cut at {@link ByteRuns#LIMIT} says so in
     * {@code triage:truncated="1"} and {@code triage:runs} (how many runs the file has).
     */
    static void byteRuns(XMLStreamWriter x, ByteRuns runs, long size) throws XMLStreamException {
        x.writeStartElement(DFXML, "byte_runs");
        if (runs.truncated()) {
            x.writeAttribute(TRIAGE, "truncated", "1");
            x.writeAttribute(TRIAGE, "runs", Long.toString(runs.total()));
        }
        if (runs.resident() && size > 0) {
            x.writeEmptyElement(DFXML, "byte_run");
            x.writeAttribute("file_offset", "0");
            x.writeAttribute("len", Long.toString(size));
            x.writeAttribute("type", "resident");
        }
        long at = 0;
        for (ByteRuns.Run run : runs.runs()) {
            x.writeEmptyElement(DFXML, "byte_run");
            x.writeAttribute("file_offset", Long.toString(at));
            if (run.hole()) x.writeAttribute("fill", "0");
            else x.writeAttribute("img_offset", Long.toString(run.imageOffset()));
            x.writeAttribute("len", Long.toString(run.length()));
            at += run.length();
        }
        x.writeEndElement();
    }

    private static void element(XMLStreamWriter x, String ns, String name, String text) throws XMLStreamException {
        x.writeStartElement(ns, name);
        x.writeCharacters(text == null ? "" : text);
        x.writeEndElement();
    }

    /** Text XML 1.0 can hold: control characters (and U+FFFE, U+FFFF, lone surrogates) as {@code \xHH} (or u+HHHH). */
    static String xmlSafe(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < 0x20 || (c >= 0x7f && c < 0xa0)) || c == 0xfffe || c == 0xffff
                    || (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))))
                    || (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1))));
            if (bad && sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (sb != null) sb.append(bad ? HtmlText.visible(c) : String.valueOf(c));
        }
        return sb == null ? s : sb.toString();
    }
}
