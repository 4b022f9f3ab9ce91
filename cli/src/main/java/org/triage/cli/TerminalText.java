package org.triage.cli;

/**
 * Makes text safe to print on a terminal or into a log: the one place where names from evidence
 * (file names, folder names, error messages quoting them) are escaped before the CLI prints them.
 *
 * <p>A file name may hold any byte but '/' and NUL. Printed raw, an escape sequence in a name can
 * clear the line, retitle the window or move the cursor, and a newline can forge a whole line of
 * ours ({@code triage: progress: … 0 alert matches}). So every character a terminal acts on is
 * written as visible text: C0 controls (newline and tab included) and DEL as {@code \xNN}, C1
 * controls and the Unicode line and paragraph separators and bidirectional overrides as
 * {@code \\u} and four hex digits, and a lone surrogate (never valid UTF-8) as {@code \\u} and four hex digits. Bytes of a name that
 * are not valid UTF-8 are already {@code \xNN} in {@link org.triage.model.RawPath#display()}. The
 * exact bytes stay available in the JSON outputs ({@code path_b64}). Stateless; thread-safe.
 */
final class TerminalText {
    private TerminalText() {
    }

    /** {@code text} with every character a terminal would act on written out; null stays null. */
    static String safe(String text) {
        if (text == null) return null;
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                if (sb != null) sb.append(c).append(text.charAt(i + 1));
                i++;
            } else if (acts(c)) {
                if (sb == null) sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** A control, separator or bidirectional control, or half a surrogate pair (the pairs are handled before). */
    private static boolean acts(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f'
                || Character.isSurrogate(c);
    }
}
