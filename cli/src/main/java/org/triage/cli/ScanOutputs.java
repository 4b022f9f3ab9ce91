package org.triage.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.triage.report.OutputTarget;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The files a scan writes (report, listing, VICS), checked together before any evidence is read,
 * so that a scan of hours never ends unable to write what it found: each must be writable where it
 * is ({@link OutputTarget#check}: a regular file or nothing at the path, in a directory we can
 * create files in), no two may be one file, none may be inside a directory being scanned or be an
 * evidence item (writing there would change the evidence), and at most one may be "-", standard
 * output. Paths are compared by their directory's real path plus their name, so a link to a
 * directory or {@code ..} does not hide that two are the same.
 */
final class ScanOutputs {
    static final String STDOUT = "-";

    private final Map<String, OutputTarget> targets;

    private ScanOutputs(Map<String, OutputTarget> targets) {
        this.targets = targets;
    }

    /**
     * @param options  option name to its value as given, or null when the option is absent
     * @param evidence the evidence items as given (they exist: checked before)
     * @param stdout   standard output, for an option given "-"
     * @throws ParameterException naming the option, the path and why it cannot be written
     */
    static ScanOutputs check(CommandLine cl, Map<String, Path> options, List<String> evidence, OutputStream stdout) {
        Map<String, OutputTarget> targets = new LinkedHashMap<>();
        Map<Path, String> seen = new LinkedHashMap<>();
        List<String> onStdout = new ArrayList<>();
        List<Path> items = realPaths(evidence);
        for (Map.Entry<String, Path> o : options.entrySet()) {
            String option = o.getKey();
            if (o.getValue() == null) continue;
            if (o.getValue().toString().equals(STDOUT)) {
                onStdout.add(option);
                targets.put(option, OutputTarget.stream(stdout, "standard output"));
                continue;
            }
            OutputTarget target = OutputTarget.file(o.getValue());
            Path real = realPath(target.file());
            if (real != null) {
                // Before target.check(): its trial file would itself be written into the evidence.
                refuseEvidence(cl, option, real, items);
                String other = seen.putIfAbsent(real, option);
                if (other != null) {
                    throw new ParameterException(cl, other + " and " + option + " name the same file: " + real);
                }
            }
            try {
                target.check();
            } catch (IOException e) {
                String given = o.getValue().toString();
                String hint = given.startsWith("/dev/std") || given.startsWith("/dev/fd/") ? " (use '-' for standard output)" : "";
                throw new ParameterException(cl, option + ": " + e.getMessage() + hint);
            }
            targets.put(option, target);
        }
        if (onStdout.size() > 1) {
            throw new ParameterException(cl, String.join(" and ", onStdout) + " cannot both be '-' (standard output)");
        }
        return new ScanOutputs(targets);
    }

    /** The directory's real path plus the name; null when the directory does not exist (check says so). */
    private static Path realPath(Path file) {
        Path dir = file.getParent();
        if (dir == null || file.getFileName() == null || !Files.isDirectory(dir)) return null;
        try {
            return dir.toRealPath().resolve(file.getFileName());
        } catch (IOException e) {
            return null;
        }
    }

    /** Every evidence item, and every other segment of a split or EWF image, by real path. */
    private static List<Path> realPaths(List<String> evidence) {
        List<Path> real = new ArrayList<>();
        for (String p : evidence) {
            for (Path f : org.triage.Triage.evidenceFiles(p)) {
                try {
                    real.add(f.toRealPath());
                } catch (IOException e) {
                    // a dangling link: the scan reports it; nothing can be written inside it
                }
            }
        }
        return real;
    }

    private static void refuseEvidence(CommandLine cl, String option, Path output, List<Path> items) {
        for (Path item : items) {
            if (output.equals(item)) {
                throw new ParameterException(cl, option + ": " + output + " is a segment of the evidence item being scanned"
                        + " (or the item itself): writing there would change the evidence");
            }
            if (Files.isDirectory(item) && output.startsWith(item)) {
                throw new ParameterException(cl, option + ": " + output + " is inside the evidence being scanned ("
                        + item + "): writing there would change the evidence");
            }
        }
    }

    /** The target of an option, or null when it was not given. */
    OutputTarget get(String option) {
        return targets.get(option);
    }

    /** Whether an output goes to standard output (then the human summary goes to stderr). */
    boolean usesStdout() {
        return targets.values().stream().anyMatch(t -> t.file() == null);
    }
}
