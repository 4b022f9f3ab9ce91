package org.triage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The evidence items named in a {@code --from} list, as the lists examiners export from other tools
 * (a file list, {@code find -print0}): one path per line, or NUL-separated with {@code -0} so that a
 * name may hold a newline. Empty names are skipped; in a line-separated list a CR before the line
 * end is dropped (a list saved on Windows), nothing else: a path may begin or end with spaces.
 * Names are decoded as the command line's arguments are, so a path means the same in a list as on
 * the command line; relative paths are relative to the working directory, as there too.
 *
 * <p>A path that does not exist refuses the whole scan, before anything is read, naming the list
 * and the line: an examiner would rather fix the list than get a scan that silently left an
 * exhibit out. Reads the whole list at once (a list of a million paths is tens of megabytes).
 */
final class EvidenceList {
    static final String STDIN = "-";

    private EvidenceList() {
    }

    /**
     * @param from  the list's path, or "-" for standard input
     * @param nul   names are NUL-separated, not one per line
     * @param stdin standard input, read when {@code from} is "-"
     * @throws ParameterException naming the list when it cannot be read, and its line (or name) when a
     *                            path does not exist
     */
    static List<String> read(CommandLine cl, String from, boolean nul, InputStream stdin) {
        String label = from.equals(STDIN) ? "standard input" : from;
        byte[] bytes;
        try {
            bytes = from.equals(STDIN) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(from));
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(cl, "--from " + TerminalText.safe(label) + ": cannot read the list: "
                    + TerminalText.safe(String.valueOf(e.getMessage())));
        }
        Charset cs = argumentCharset();
        byte separator = nul ? 0 : (byte) '\n';
        List<String> paths = new ArrayList<>();
        int number = 0;
        for (int start = 0; start < bytes.length; ) {
            int end = start;
            while (end < bytes.length && bytes[end] != separator) end++;
            number++;
            int last = !nul && end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            if (last > start) {
                String path = new String(bytes, start, last - start, cs);
                if (!exists(path)) {
                    throw new ParameterException(cl, "--from " + TerminalText.safe(label) + ", " + (nul ? "name " : "line ")
                            + number + ": evidence path does not exist: " + TerminalText.safe(path));
                }
                paths.add(path);
            }
            start = end + 1;
        }
        return paths;
    }

    private static boolean exists(String path) {
        try {
            return Files.exists(Path.of(path), LinkOption.NOFOLLOW_LINKS);
        } catch (RuntimeException e) {
            return false; // not a path this system can name (a NUL inside a line)
        }
    }

    /** The charset the JVM decoded its arguments with. */
    private static Charset argumentCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }
}
