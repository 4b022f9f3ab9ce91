package org.triage.hash;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.triage.model.Algorithm;

/**
 * Relative CPU cost of each digest per byte on this machine, so that hashing work can be split
 * evenly across cores. Measured with {@code DigestBenchmark} (README): with the x86 SHA extensions
 * (HotSpot uses them for SHA-1 and SHA-256), SHA-1 and SHA-256 each cost under half of MD5, which
 * has no hardware help; without them SHA-1 is about MD5's cost and SHA-256 twice it.
 */
public final class DigestCost {
    private static final boolean SHA_EXTENSIONS = detectShaExtensions();

    private DigestCost() {
    }

    /** Cost per byte relative to MD5 (= 1.0). */
    public static double of(Algorithm a) {
        return switch (a) {
            case MD5 -> 1.0;
            case SHA1 -> SHA_EXTENSIONS ? 0.42 : 1.0;
            case SHA256 -> SHA_EXTENSIONS ? 0.44 : 2.2;
        };
    }

    public static boolean shaExtensions() { return SHA_EXTENSIONS; }

    private static boolean detectShaExtensions() {
        try {
            String cpu = Files.readString(Path.of("/proc/cpuinfo"));
            return Pattern.compile("^flags\\s*:.*\\bsha_ni\\b", Pattern.MULTILINE).matcher(cpu).find()
                    || Pattern.compile("^Features\\s*:.*\\bsha2\\b", Pattern.MULTILINE).matcher(cpu).find();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
