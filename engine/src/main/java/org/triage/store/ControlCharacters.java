package org.triage.store;

/**
 * Control characters (tab, newline, escape...) in text that came from a hash-set file or a user:
 * they would break a message's line or a tab-separated export, so names and categories refuse them
 * and messages and exports show them as '?'. The one place that says what counts as one.
 */
final class ControlCharacters {
    private ControlCharacters() {
    }

    /** True when {@code text} holds a control character. */
    static boolean in(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) return true;
        }
        return false;
    }

    /** {@code text} with each control character replaced by '?'. */
    static String scrubbed(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }
}
