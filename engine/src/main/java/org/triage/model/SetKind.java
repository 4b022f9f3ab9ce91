package org.triage.model;

import java.util.Locale;

/** What a known-hash set means for a match. */
public enum SetKind {
    /** Known material of interest: a match raises the device's priority. */
    ALERT("alert"),
    /** Known benign files (operating system, applications): set aside. */
    KNOWN_GOOD("known-good");

    private final String label;

    SetKind(String label) { this.label = label; }

    public String label() { return label; }

    public static SetKind parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (SetKind k : values()) {
            if (k.label.equals(n)) return k;
        }
        if (n.equals("knowngood") || n.equals("good")) return KNOWN_GOOD;
        throw new IllegalArgumentException("unknown set kind '" + s + "' (expected alert or known-good)");
    }
}
