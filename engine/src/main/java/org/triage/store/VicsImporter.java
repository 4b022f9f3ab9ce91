package org.triage.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.triage.model.Algorithm;
import org.triage.priority.CategoryTable;

/**
 * VICS JSON (Project VIC, CAID): an OData document whose {@code value} array holds Media objects
 * such as {@code {"MediaID": 1, "Category": 0, "MD5": "ADEB…", "SHA1": "2B03…", "MediaSize": 2835, …}}.
 * Any context is accepted (2.0 and 1.3 name different {@code @odata.context} /
 * {@code odata.metadata} URLs); a {@code value} element that wraps its Media in a {@code Media}
 * array (a 1.3 Case) is descended into, the Case's own fields being dropped.
 *
 * <p>Streamed with Jackson's parser: only one Media object is in memory at a time, so a file of any
 * size imports in bounded memory. Each Media object gives its MD5, SHA1 and SHA256 digests (SHA256
 * as a property of its own, or as VICS 2.0 writes digests it has no property for:
 * {@code AlternativeHashes: [{"HashName": "SHA256", "HashValue": …}]}) with its {@code Category}
 * exactly as written ("0".."4" for VICS), which must be in the {@link CategoryTable}; without a
 * {@code Category}, the {@code @triage.category} annotation our scan writes for a category that is
 * not a VICS number; without either, the import's default category. The whole object, PhotoDNA and
 * every other field we do not interpret included, is kept as an entry so that export gives it back
 * unchanged. A PDQ hash in {@code AlternativeHashes} ({@code "HashName": "PDQ"}, 64 hex digits)
 * goes into the set's PDQ hashes with the Media's category and no quality; a Media object may carry
 * a PDQ hash alone.
 *
 * <p>Media with no category of their own, going into an alert set with no default category, would
 * each make a device high priority on a match (an alert match without a category raises): that is
 * what a scan's own {@code --vics} output of new material would do. Unless the import is told it
 * may ({@code allowUncategorised}), they are counted and the import fails naming how many.
 *
 * <p>Errors name the file, the line, and the JSON path ({@code $.value[12].MD5}).
 */
final class VicsImporter implements SetImporter {
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    /** The annotation {@code VicsWriter} writes for a category that is not a VICS number. */
    static final String TRIAGE_CATEGORY = "@triage.category";
    private static final String[] DIGEST_FIELDS = {"MD5", "SHA1", "SHA256"};
    /**
     * The {@code HashName} of a PDQ hash in {@code AlternativeHashes}, any case. VICS 2.0 names no PDQ
     * property (its fixed hash properties are MD5, SHA1 and PhotoDNA); AlternativeHashes is its
     * place for any other hash, as for SHA256.
     */
    static final String PDQ_NAME = "PDQ";
    private static final Algorithm[] DIGEST_ALGORITHMS = {Algorithm.MD5, Algorithm.SHA1, Algorithm.SHA256};
    /** Jackson's message for a field twice in one object (STRICT_DUPLICATE_DETECTION), up to the name. */
    private static final String DUPLICATE = "Duplicate field '";

    private final String defaultCategory;
    private final boolean refuseUncategorised;
    private final CategoryTable categories;
    private final byte[] digest = new byte[32];
    private Path file;
    private ImportSink sink;
    private String path = "$";
    /** The JSON path of the Media object (or document) being read, for a field found twice in it. */
    private String objectPath = "$";
    private long media;
    private long uncategorised;

    /**
     * @param refuseUncategorised fail the import when any Media has no category of its own (an
     *                            alert set imported with neither a default category nor leave)
     */
    VicsImporter(String defaultCategory, boolean refuseUncategorised, CategoryTable categories) {
        this.defaultCategory = defaultCategory;
        this.refuseUncategorised = refuseUncategorised && defaultCategory == null;
        this.categories = categories;
    }

    @Override
    public String read(Path file, ImportSink sink) throws IOException {
        this.file = file;
        this.sink = sink;
        String context = null;
        boolean sawValue = false;
        try (JsonParser p = JSON.getFactory().createParser(file.toFile())
                // A field twice in one object: Jackson keeps the last silently; which was meant cannot be told.
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw bad(p, "a VICS file is a JSON object with a 'value' array");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("value")) {
                    path = "$.value";
                    if (t != JsonToken.START_ARRAY) throw bad(p, "'value' must be an array of Media objects");
                    readValue(p);
                    sawValue = true;
                } else if ((name.equals("@odata.context") || name.equals("odata.metadata")) && t == JsonToken.VALUE_STRING) {
                    context = p.getText();
                } else {
                    p.skipChildren();
                }
                path = "$";
                objectPath = "$";
            }
            if (p.currentToken() != JsonToken.END_OBJECT) throw bad(p, "expected the end of the document's object");
            if (p.nextToken() != null) throw bad(p, "unexpected content after the document's object");
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String message = String.valueOf(e.getOriginalMessage());
            if (message.startsWith(DUPLICATE) && message.endsWith("'")) {
                String field = message.substring(DUPLICATE.length(), message.length() - 1);
                throw new ImportException(file, line, objectPath + "." + field + ": '" + field + "' appears twice in one"
                        + " object; which value is meant cannot be told, and export could not give the object back");
            }
            throw new ImportException(file, line, "invalid JSON at " + path + ": " + message);
        }
        if (!sawValue) throw new ImportException(file, 0, "no 'value' array of Media objects");
        if (media == 0) throw new ImportException(file, 0, "no Media object in 'value'");
        if (refuseUncategorised && uncategorised > 0) {
            throw new ImportException(file, 0, String.format(java.util.Locale.ROOT,
                    "%,d of %,d Media have no Category; in an alert set each would raise a device's priority on a match."
                            + " Give --category C for them, or --allow-uncategorised to import them without one",
                    uncategorised, media));
        }
        sink.read(media);
        return context != null && context.contains("/1.3.") ? "vics-1.3" : "vics-2.0";
    }

    private void readValue(JsonParser p) throws IOException {
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String here = "$.value[" + i++ + "]";
            path = here;
            objectPath = here;
            if (p.currentToken() != JsonToken.START_OBJECT) throw bad(p, "expected a Media object");
            long line = p.currentTokenLocation().getLineNr();
            ObjectNode object = JSON.getNodeFactory().objectNode();
            boolean nested = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                path = here + "." + name;
                JsonToken t = p.nextToken();
                if (name.equals("Media") && t == JsonToken.START_ARRAY) {
                    int j = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        path = here + ".Media[" + j++ + "]";
                        objectPath = path;
                        if (p.currentToken() != JsonToken.START_OBJECT) throw bad(p, "expected a Media object");
                        long mline = p.currentTokenLocation().getLineNr();
                        JsonNode m = p.readValueAsTree();
                        media((ObjectNode) m, path, mline);
                    }
                    nested = true;
                    objectPath = here;
                } else {
                    object.set(name, p.readValueAsTree());
                }
            }
            if (!nested || hasDigest(object)) media(object, here, line);
        }
    }

    private static boolean hasDigest(ObjectNode o) {
        for (String f : DIGEST_FIELDS) {
            if (o.hasNonNull(f) || alternative(o, f) != null) return true;
        }
        return alternative(o, PDQ_NAME) != null;
    }

    /** The digest an {@code AlternativeHashes} element names {@code field} ("SHA256", also "SHA-256"), or null. */
    static JsonNode alternative(ObjectNode o, String field) {
        JsonNode alt = o.get("AlternativeHashes");
        if (alt == null || !alt.isArray()) return null;
        for (JsonNode h : alt) {
            JsonNode n = h.get("HashName");
            if (n != null && n.isTextual() && n.asText().replace("-", "").trim().equalsIgnoreCase(field)) return h.get("HashValue");
        }
        return null;
    }

    private void media(ObjectNode o, String where, long line) throws IOException {
        if (!hasDigest(o)) throw new ImportException(file, line, where + ": a Media object needs MD5, SHA1, SHA256 or PDQ");
        JsonNode own = o.get("Category");
        JsonNode ours = o.get(TRIAGE_CATEGORY);
        // Our scan's annotation for a category that is not a VICS number: taken as written, as the
        // set it came from had it (a plain list may use any text).
        int category = (own == null || own.isNull()) && ours != null && ours.isTextual() && !ours.asText().isBlank()
                ? sink.category(ours.asText().trim())
                : category(own, where, line);
        for (int k = 0; k < DIGEST_FIELDS.length; k++) {
            JsonNode d = o.get(DIGEST_FIELDS[k]);
            String field = DIGEST_FIELDS[k];
            if (d == null || d.isNull()) {
                d = alternative(o, DIGEST_FIELDS[k]);
                field = "AlternativeHashes[" + DIGEST_FIELDS[k] + "]";
            }
            if (d == null || d.isNull()) continue;
            Algorithm a = DIGEST_ALGORITHMS[k];
            if (!d.isTextual() || !HexDigits.decode(d.asText(), a, digest)) {
                throw new ImportException(file, line, where + "." + field + ": " + HexDigits.notADigest(a, d.toString()));
            }
            sink.digest(a, digest, 0, category);
        }
        JsonNode pdq = alternative(o, PDQ_NAME);
        if (pdq != null && !pdq.isNull()) {
            if (!pdq.isTextual() || !HexDigits.decode(pdq.asText(), Algorithm.SHA256, digest)) {
                throw new ImportException(file, line, where + ".AlternativeHashes[" + PDQ_NAME + "]: "
                        + HexDigits.shown(pdq.toString()) + " is not a PDQ hash (64 hex digits)");
            }
            sink.pdq(digest, 0, category, -1);
        }
        sink.entry(JSON.writeValueAsBytes(o));
        media++;
    }

    private int category(JsonNode c, String where, long line) throws ImportException {
        if (c == null || c.isNull()) {
            uncategorised++;
            return sink.category(defaultCategory);
        }
        String text;
        if (c.isIntegralNumber() || c.isTextual()) {
            text = c.asText().trim();
        } else {
            throw new ImportException(file, line, where + ".Category: " + HexDigits.shown(c.toString())
                    + " is not a category number");
        }
        if (categories.rule(text) == null) {
            throw new ImportException(file, line, where + ".Category: unknown category '" + HexDigits.shown(text)
                    + "' (not in the category table; VICS uses 0-4)");
        }
        return sink.category(text);
    }

    private ImportException bad(JsonParser p, String reason) {
        return new ImportException(file, p.currentTokenLocation().getLineNr(), path + ": " + reason);
    }
}
