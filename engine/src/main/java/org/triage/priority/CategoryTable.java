package org.triage.priority;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one table that turns a category, stored exactly as its source gave it ("1" from VICS, "A"
 * from a UK list), into a label, a severity and whether a match in an alert set raises a device's
 * priority. The defaults ({@code categories.tsv} next to this class) cover the VICS numbers 0-4, the
 * UK categories A/B/C and CAID's non-indecent/unclassified; a lab adds or overrides rows with a file
 * of the same columns, so no importer changes for a new scheme.
 *
 * <p>Categories missing from the table are {@linkplain #rule unknown}: an alert-set match on one
 * still raises priority (a set the lab called "alert" is trusted), with severity 0.
 *
 * <p>Immutable and thread-safe once built. {@link #load} throws {@link IllegalArgumentException}
 * naming file:line for a bad row.
 */
public final class CategoryTable {
    /** System property naming a lab's own table file; the environment variable TRIAGE_CATEGORIES is the fallback. */
    public static final String PROPERTY = "triage.categories";
    private static final String RESOURCE = "categories.tsv";
    private static volatile CategoryTable defaults;

    /**
     * One row.
     *
     * @param category the category as sources write it
     * @param label    its meaning, for reports
     * @param severity higher is worse; devices rank by the highest matched
     * @param raises   whether an alert-set match makes the device high priority
     * @param scheme   where the category comes from (vics, uk, caid, a lab's own); documentation only
     */
    public record Rule(String category, String label, int severity, boolean raises, String scheme) {
    }

    private final Map<String, Rule> rules;

    private CategoryTable(Map<String, Rule> rules) {
        this.rules = Collections.unmodifiableMap(rules);
    }

    /** The built-in table plus, when {@value #PROPERTY} or TRIAGE_CATEGORIES names a file, its rows. */
    public static CategoryTable defaults() {
        CategoryTable t = defaults;
        if (t == null) {
            String extra = System.getProperty(PROPERTY);
            if (extra == null || extra.isBlank()) extra = System.getenv("TRIAGE_CATEGORIES");
            t = load(extra == null || extra.isBlank() ? null : Path.of(extra));
            defaults = t;
        }
        return t;
    }

    /** Forgets the cached {@link #defaults()}, so that a changed property takes effect. */
    public static void reset() {
        defaults = null;
    }

    /** The built-in table extended by {@code labFile} (null for none). */
    public static CategoryTable load(Path labFile) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        try (InputStream in = CategoryTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("built-in " + RESOURCE + " is missing from the classpath");
            read(in, "built-in " + RESOURCE, rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (labFile != null) {
            try (InputStream in = Files.newInputStream(labFile)) {
                read(in, labFile.toString(), rules);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read category table " + labFile + ": " + e.getMessage(), e);
            }
        }
        return new CategoryTable(rules);
    }

    private static void read(InputStream in, String where, Map<String, Rule> rules) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            if (f.length < 4) {
                throw new IllegalArgumentException(where + ":" + n + ": expected category, label, severity, raises"
                        + " (and optionally scheme) separated by tabs");
            }
            int severity;
            try {
                severity = Integer.parseInt(f[2].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + ":" + n + ": severity '" + f[2] + "' is not a whole number");
            }
            String raises = f[3].trim().toLowerCase(Locale.ROOT);
            if (!raises.equals("yes") && !raises.equals("no")) {
                throw new IllegalArgumentException(where + ":" + n + ": raises must be yes or no, not '" + f[3] + "'");
            }
            String category = f[0].trim();
            if (category.isEmpty()) throw new IllegalArgumentException(where + ":" + n + ": empty category");
            rules.put(key(category), new Rule(category, f[1].trim(), severity, raises.equals("yes"),
                    f.length > 4 ? f[4].trim() : ""));
        }
    }

    private static String key(String category) {
        return category.trim().toLowerCase(Locale.ROOT);
    }

    /** The row for a category, or null when the table does not know it (or for no category). */
    public Rule rule(String category) {
        if (category == null || category.isBlank()) return null;
        return rules.get(key(category));
    }

    /** Whether an alert-set match with this category makes a device high priority: yes unless the table says no. */
    public boolean raises(String category) {
        Rule r = rule(category);
        return r == null || r.raises();
    }

    /** Severity for ranking; 0 for unknown categories and none. */
    public int severity(String category) {
        Rule r = rule(category);
        return r == null ? 0 : r.severity();
    }

    /** Label for reports; the category itself when unknown, null for none. */
    public String label(String category) {
        Rule r = rule(category);
        return r != null ? r.label() : category;
    }

    /**
     * The category in words for a summary: "no category" for none, "VICS 1 Child abuse material (CAM)"
     * for a VICS number (the bare number means nothing to a reader, and VICS 0's label alone
     * would read like "no category"), the label for other known rows (a lab's own wording
     * included), the category as given when the table does not know it.
     */
    public String describe(String category) {
        if (category == null || category.isBlank()) return "no category";
        Rule r = rule(category);
        if (r == null) return category.trim();
        return r.scheme().equalsIgnoreCase("vics") ? "VICS " + r.category() + " " + r.label() : r.label();
    }

    /** Every row, in table order (built-in first, then the lab's). */
    public Iterable<Rule> rules() {
        return rules.values();
    }
}
