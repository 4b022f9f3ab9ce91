package org.triage.store;

import java.util.Locale;

/**
 * What the column after the digest of a plain list is ({@code <digest>,<x>} or
 * {@code <digest><TAB><x>}). Many tools export {@code digest<TAB>path}: taken as categories, every
 * path would become a category of its own, none in the category table, each raising a device's
 * priority on a match.
 */
public enum CategoryColumn {
    /** A category, unless it looks like a file path (a '/' or '\' in it) or there are more than
     *  {@value #MAX_CATEGORIES} different ones: then the import is refused, naming the line. */
    AUTO("auto"),
    /** A category, taken as written whatever it looks like. */
    CATEGORY("category"),
    /** Not a category (a file name, a path, a comment): ignored; entries get the default category. */
    IGNORE("ignore");

    /** More different categories than this in one list is a column of names, not categories. */
    public static final int MAX_CATEGORIES = 1000;

    private final String label;

    CategoryColumn(String label) { this.label = label; }

    public String label() { return label; }

    public static CategoryColumn parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        for (CategoryColumn c : values()) {
            if (c.label.equals(n)) return c;
        }
        throw new IllegalArgumentException("unknown value '" + s + "' (expected auto, category or ignore)");
    }
}
