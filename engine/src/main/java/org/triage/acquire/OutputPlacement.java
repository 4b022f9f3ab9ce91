package org.triage.acquire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Whether an output would be written onto the source: an imager must never write to the drive it
 * reads, nor to a filesystem that lives on it (that would change the evidence while it is read).
 * Compares device numbers, as {@code stat} reports them, not names: /dev/sdb, a link to it and
 * /dev/disk/by-id/... are all the same device.
 */
final class OutputPlacement {
    private OutputPlacement() {
    }

    /** Why {@code output} is refused, or null. */
    static String refusal(String sourceName, SourceIdentity source, Path output) throws IOException {
        Path abs = output.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) || Files.exists(abs)) {
            if (source != null && Files.exists(abs)) {
                SourceIdentity out = SourceIdentity.of(abs);
                if (source.regularFile() && out.regularFile() && out.sameFile(source)) {
                    return "output " + output + " is the source " + sourceName + " itself";
                }
                if (source.blockDevice() && out.blockDevice() && out.rdev() == source.rdev()) {
                    return "output " + output + " is the source device " + sourceName + " itself";
                }
            }
            return "output " + output + " exists: an acquisition never overwrites a file (an earlier copy may be evidence)";
        }
        if (source == null || !source.blockDevice()) return null;
        Path dir = abs.getParent();
        while (dir != null && !Files.isDirectory(dir)) dir = dir.getParent();
        if (dir == null) return null;
        long fsDev = SourceIdentity.of(dir).dev();
        String src = SourceIdentity.majorMinor(source.rdev());
        if (fsDev == source.rdev()) {
            return "output " + output + " is on a filesystem on the source device " + sourceName + " (" + src + ")";
        }
        String disk = diskOf(fsDev);
        if (src.equals(disk)) {
            return "output " + output + " is on a filesystem on a partition of the source device " + sourceName + " (" + src + ")";
        }
        return null;
    }

    /** The whole disk ("major:minor") a partition belongs to, from sysfs; null for a whole disk or unknown. */
    private static String diskOf(long dev) {
        Path sys = Path.of("/sys/dev/block", SourceIdentity.majorMinor(dev));
        try {
            if (!Files.exists(sys.resolve("partition"))) return null;
            return Files.readString(sys.toRealPath().getParent().resolve("dev")).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
