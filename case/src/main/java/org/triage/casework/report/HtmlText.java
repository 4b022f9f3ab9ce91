package org.triage.casework.report;

/**
 * Text into HTML: every character that means something to a browser is written as a character
 * reference, so a file named {@code <img src=x onerror=alert(1)>.jpg} is shown, never run. Control
 * characters and the Unicode direction overrides, which would hide or reorder what a name shows,
 * are written visibly as {@code \xHH} (or U+202E as {@code \\u202E}) in a marked span; the exact bytes of such a
 * name are given beside it (Base64), as in the JSON report. Stateless.
 */
final class HtmlText {
    private HtmlText() {
    }

    /** Escapes text for an element's content or a quoted attribute value. */
    static String escape(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> {
                    if (hidden(c)) {
                        sb.append("<span class=\"ctl\">").append(visible(c)).append("</span>");
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** Whether a name shows differently from what it is: control characters, direction marks and overrides. */
    static boolean needsBytes(String s) {
        for (int i = 0; i < s.length(); i++) if (hidden(s.charAt(i))) return true;
        return false;
    }

    /** The visible form of a hidden character, as {@link #escape} writes it (without the span). */
    static String visible(char c) {
        return c < 0x100 ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c);
    }

    static boolean hidden(char c) {
        return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069') || c == '\ufeff';
    }
}
