package org.triage.casework.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.Test;
import org.triage.model.ByteRuns;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A listing's {@code runs} into DFXML {@code byte_runs}: a list cut at the limit says so, resident
 * content is one run of the file's size, and each document validates against the DFXML schema
 * ({@code ../shared/dfxml}). The image-level check (runs against icat) is {@code DfxmlByteRunsCliTest}.
 */
class DfxmlByteRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aListCutAtTheLimitSaysSoAndHowManyRunsTheFileHas() throws Exception {
        StringBuilder line = new StringBuilder("{\"source\":\"/e.img\",\"path\":\"a\",\"runs\":[");
        for (int i = 0; i < ByteRuns.LIMIT; i++) line.append(i == 0 ? "" : ",").append("[").append(i * 1024L).append(",512]");
        line.append("],\"runs_total\":4321}");
        ByteRuns runs = ListingEntry.runs(JSON.readTree(line.toString()));
        assertEquals(ByteRuns.LIMIT, runs.runs().size());
        assertEquals(4321, runs.total());
        Element b = byteRuns(runs, 4321L * 512);
        assertEquals("1", b.getAttributeNS(DfxmlCaseReport.TRIAGE, "truncated"));
        assertEquals("4321", b.getAttributeNS(DfxmlCaseReport.TRIAGE, "runs"));
        NodeList r = b.getElementsByTagNameNS("*", "byte_run");
        assertEquals(ByteRuns.LIMIT, r.getLength());
        Element last = (Element) r.item(ByteRuns.LIMIT - 1);
        assertEquals(Long.toString((ByteRuns.LIMIT - 1) * 512L), last.getAttribute("file_offset"));
        assertEquals(Long.toString((ByteRuns.LIMIT - 1) * 1024L), last.getAttribute("img_offset"));
    }

    @Test
    void residentContentAHoleAndAnEmptyFile() throws Exception {
        Element resident = byteRuns(ListingEntry.runs(JSON.readTree("{\"runs\":\"resident\"}")), 9);
        Element run = (Element) resident.getElementsByTagNameNS("*", "byte_run").item(0);
        assertEquals("resident", run.getAttribute("type"));
        assertEquals("9", run.getAttribute("len"));
        assertEquals("0", run.getAttribute("file_offset"));
        assertTrue(!run.hasAttribute("img_offset") && !resident.hasAttributeNS(DfxmlCaseReport.TRIAGE, "truncated"));

        Element holed = byteRuns(ListingEntry.runs(JSON.readTree("{\"runs\":[[null,4096],[70000,4]]}")), 4100);
        NodeList r = holed.getElementsByTagNameNS("*", "byte_run");
        assertEquals("0", ((Element) r.item(0)).getAttribute("fill"));
        assertEquals("4096", ((Element) r.item(1)).getAttribute("file_offset"));
        assertEquals("70000", ((Element) r.item(1)).getAttribute("img_offset"));

        assertEquals(0, byteRuns(ListingEntry.runs(JSON.readTree("{\"runs\":[]}")), 0).getElementsByTagNameNS("*", "byte_run").getLength());
        assertNull(ListingEntry.runs(JSON.readTree("{\"runs\":[[-5,1]]}")), "a run not as the writer writes it: none, never a guess");
        assertNull(ListingEntry.runs(JSON.readTree("{\"path\":\"a\"}")));
    }

    /** {@code byte_runs} in a DFXML document of one fileobject, validated, parsed back. */
    private static Element byteRuns(ByteRuns runs, long size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.setDefaultNamespace(DfxmlCaseReport.DFXML);
        x.writeStartElement(DfxmlCaseReport.DFXML, "dfxml");
        x.writeDefaultNamespace(DfxmlCaseReport.DFXML);
        x.writeNamespace("triage", DfxmlCaseReport.TRIAGE);
        x.writeNamespace("dc", DfxmlCaseReport.DC);
        x.writeAttribute("version", "2.0.0-beta.0");
        x.writeStartElement(DfxmlCaseReport.DFXML, "metadata");
        x.writeStartElement(DfxmlCaseReport.DC, "type");
        x.writeCharacters("Hash List");
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement(DfxmlCaseReport.DFXML, "fileobject");
        x.writeStartElement(DfxmlCaseReport.DFXML, "filesize");
        x.writeCharacters(Long.toString(size));
        x.writeEndElement();
        DfxmlCaseReport.byteRuns(x, runs, size);
        x.writeEndElement();
        x.writeEndElement();
        x.writeEndDocument();
        x.flush();
        byte[] doc = out.toByteArray();
        Path shared = null;
        for (Path d = Path.of("").toAbsolutePath(); d != null && shared == null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("shared/dfxml/dfxml.xsd"))) shared = d.resolve("shared/dfxml");
        }
        assumeTrue(shared != null, "no shared/dfxml/dfxml.xsd above " + Path.of("").toAbsolutePath());
        SchemaFactory sf = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        sf.newSchema(shared.resolve("dfxml.xsd").toFile()).newValidator().validate(new StreamSource(new ByteArrayInputStream(doc)));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return (Element) f.newDocumentBuilder().parse(new ByteArrayInputStream(doc)).getElementsByTagNameNS("*", "byte_runs").item(0);
    }
}
