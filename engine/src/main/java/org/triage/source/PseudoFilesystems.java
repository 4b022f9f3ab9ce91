package org.triage.source;

import java.util.Map;
import org.triage.natives.LibC;

/**
 * Filesystems whose files are kernel state made up on each read, not content stored on a device:
 * procfs, sysfs, debugfs and the like. Their files report size 0 and may yield data without end
 * ({@code /proc/self/pagemap}: 8 bytes per page of a 128 TiB address space), and reading some of
 * them has side effects. A directory tree is never read inside one: the evidence root on such a
 * filesystem is refused, and a mount of one inside the tree is listed with the reason, unread.
 *
 * <p>Told by {@code statfs}' {@code f_type}, the magic numbers of {@code <linux/magic.h>}. tmpfs
 * and devtmpfs (one magic) are not in the list: tmpfs holds real files. Stateless; thread-safe.
 */
final class PseudoFilesystems {
    private static final Map<Long, String> BY_MAGIC = Map.ofEntries(
            Map.entry(0x9fa0L, "procfs"),
            Map.entry(0x62656572L, "sysfs"),
            Map.entry(0x64626720L, "debugfs"),
            Map.entry(0x74726163L, "tracefs"),
            Map.entry(0x73636673L, "securityfs"),
            Map.entry(0x27e0ebL, "cgroup"),
            Map.entry(0x63677270L, "cgroup2"),
            Map.entry(0x1cd1L, "devpts"),
            Map.entry(0xcafe4a11L, "bpf"),
            Map.entry(0x6165676cL, "pstore"),
            Map.entry(0xde5e81e4L, "efivarfs"),
            Map.entry(0x62656570L, "configfs"),
            Map.entry(0x65735543L, "fusectl"),
            Map.entry(0x42494e4dL, "binfmt_misc"),
            Map.entry(0x19800202L, "mqueue"),
            Map.entry(0xf97cff8cL, "selinuxfs"),
            Map.entry(0x43415d53L, "smackfs"),
            Map.entry(0x6e736673L, "nsfs"),
            Map.entry(0x50495045L, "pipefs"),
            Map.entry(0x534f434bL, "sockfs"));

    private PseudoFilesystems() {
    }

    /**
     * The name of the pseudo-filesystem an open descriptor is on, or null when it is on anything
     * else (or statfs fails: then the read itself will say what is wrong).
     */
    static String of(int fd) {
        long type = LibC.filesystemType(fd);
        return type < 0 ? null : BY_MAGIC.get(type);
    }

    /** "a procfs pseudo-filesystem (kernel state, not stored content): not read". */
    static String reason(String name) {
        return "a " + name + " pseudo-filesystem (kernel state, not stored content): not read";
    }
}
