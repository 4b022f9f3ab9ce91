package org.triage.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.triage.PdqMode;
import org.triage.ScanConfig;
import org.triage.model.Algorithm;
import org.triage.priority.CategoryTable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options that say what a triage computes, how deep it looks, what it matches and what it
 * writes: one picocli mixin for {@code triage scan} and {@code triage acquire --db}, so that both
 * build the same {@link ScanConfig} and the same outputs from the same words. The store ({@code --db})
 * stays with each command: required for a scan, optional for an acquisition.
 */
final class MatchOptions {
    @Option(names = "--algorithms", paramLabel = "LIST", defaultValue = "md5,sha1,sha256",
            description = "Digests to compute, comma-separated: md5, sha1, sha256 (default: ${DEFAULT-VALUE}). Kinds the store holds are added.")
    String algorithms;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here ('-': standard output,"
            + " and the summary goes to stderr). Output files are created owner-only (0600) and replace only a regular file.")
    Path report;

    @Option(names = "--all-files", paramLabel = "FILE", description = "Write one JSON line per entry here, as the scan goes ('-': standard output), after a header"
            + " line naming the scan and before each item's end line: what 'triage rematch' reads.")
    Path allFiles;

    @Option(names = "--vics", paramLabel = "FILE",
            description = "Write every picture and video seen here as VICS JSON (MD5, SHA1, size, category of a match,"
                    + " where each copy was found; '-': standard output).")
    Path vics;

    @CommandLine.Mixin
    CategoryOptions categories = new CategoryOptions();

    @Option(names = "--archive-depth", paramLabel = "N", defaultValue = "4",
            description = "Expand archives (ZIP, 7z, TAR, gzip, bzip2, xz) nested up to N deep and match their members"
                    + " like files (default ${DEFAULT-VALUE}; 0: take archives as files only; at most 32).")
    int archiveDepth;

    @Option(names = "--no-expand-images", negatable = false,
            description = "Hash disk images found inside a folder or inside another image (E01, VMDK, VHD, raw) as files,"
                    + " instead of examining the files in them (the default).")
    boolean noExpandImages;

    @Option(names = "--pdq", paramLabel = "off|on",
            description = "PDQ-hash every picture (JPEG, PNG, GIF, BMP, TIFF, ...) and match it against the store's PDQ hashes,"
                    + " to find resized and re-encoded copies that digests miss (default: on when the store holds PDQ hashes,"
                    + " else off; the scan says which).")
    String pdq;

    @Option(names = "--pdq-distance", paramLabel = "N", defaultValue = "31",
            description = "A picture whose PDQ hash differs from a known one in at most N of 256 bits is a near match"
                    + " (default ${DEFAULT-VALUE}, PDQ's authors' choice; 0-255).")
    int pdqDistance;

    @Option(names = "--pdq-dihedral", description = "Also match the seven rotations and flips of every picture.")
    boolean pdqDihedral;

    /**
     * Checks every value before the store is opened or evidence read.
     *
     * @return the algorithms asked for
     * @throws CommandLine.ParameterException naming the option and the bad value
     */
    Set<Algorithm> check(CommandLine cl) {
        Set<Algorithm> algs;
        try {
            algs = Algorithm.parseList(algorithms);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--algorithms: " + e.getMessage());
        }
        if (archiveDepth < 0 || archiveDepth > 32) {
            throw new CommandLine.ParameterException(cl, "--archive-depth must be between 0 and 32, was " + archiveDepth);
        }
        checkPdqDistance(cl, pdqDistance);
        pdqMode(cl);
        return algs;
    }

    PdqMode pdqMode(CommandLine cl) {
        if (pdq == null) return PdqMode.AUTO;
        return switch (pdq) {
            case "on" -> PdqMode.ON;
            case "off" -> PdqMode.OFF;
            default -> throw new CommandLine.ParameterException(cl, "--pdq must be 'on' or 'off', was '" + TerminalText.safe(pdq) + "'");
        };
    }

    /** The category table ({@link CategoryOptions#table}). */
    CategoryTable table(CommandLine cl) {
        return categories.table(cl);
    }

    /** A PDQ distance is a number of bits that differ out of 256: 0 to 255. */
    static void checkPdqDistance(CommandLine cl, int pdqDistance) {
        if (pdqDistance < 0 || pdqDistance > 255) {
            throw new CommandLine.ParameterException(cl, "--pdq-distance must be between 0 and 255, was " + pdqDistance);
        }
    }

    /** The output options given ({@link ScanOutputs#check}: writable, distinct, not evidence), by option name. */
    Map<String, Path> outputs() {
        Map<String, Path> given = new LinkedHashMap<>();
        given.put("--report", report);
        given.put("--all-files", allFiles);
        given.put("--vics", vics);
        return given;
    }

    /** The names of the output options given, for a refusal ("--report needs --db"). */
    List<String> outputsGiven() {
        return outputs().entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
    }

    /** What to compute, how deep to look and how to match, as the options say. */
    ScanConfig.Builder configure(ScanConfig.Builder cfg, Set<Algorithm> algs, CategoryTable table, CommandLine cl) {
        return cfg.algorithms(algs)
                .archiveDepth(archiveDepth)
                .expandImages(!noExpandImages)
                .pdq(pdqMode(cl))
                .pdqDistance(pdqDistance)
                .pdqDihedral(pdqDihedral)
                .categories(table);
    }
}
