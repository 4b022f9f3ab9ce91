package org.triage.casework;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which physical device an item is read from, so that a run reads items on different devices at
 * once and never two on one (two readers on one spinning disk make it seek back and forth, slower
 * than one after the other). For a block device it is the device itself; for a directory or an
 * image file, the device holding it (st_dev). Either way a partition is taken to its whole disk
 * through sysfs ({@code /sys/dev/block/MAJ:MIN}, whose parent is the disk when it has a
 * {@code partition} file): sda1 and sda2 are both "sda". Where sysfs names no block device (tmpfs,
 * overlay, NFS: major 0), the number itself is the name, "dev 0:45".
 */
final class PhysicalDevice {
    private static final Path SYS_DEV_BLOCK = Path.of("/sys/dev/block");

    private PhysicalDevice() {
    }

    /** The whole-disk device {@code real} (a path with links resolved) is read from. */
    static String of(Path real) throws IOException {
        long dev = blockDevice(real) ? ((Number) Files.getAttribute(real, "unix:rdev")).longValue()
                : ((Number) Files.getAttribute(real, "unix:dev")).longValue();
        String number = major(dev) + ":" + minor(dev);
        try {
            Path sys = SYS_DEV_BLOCK.resolve(number).toRealPath();
            if (Files.exists(sys.resolve("partition")) && sys.getParent() != null) sys = sys.getParent();
            return sys.getFileName().toString();
        } catch (IOException e) {
            return "dev " + number;
        }
    }

    /** The size of a block device in bytes (sysfs counts 512-byte sectors), or -1 when not known. */
    static long size(Path device) {
        try {
            long rdev = ((Number) Files.getAttribute(device, "unix:rdev")).longValue();
            String sectors = Files.readString(SYS_DEV_BLOCK.resolve(major(rdev) + ":" + minor(rdev)).resolve("size")).trim();
            return Long.parseLong(sectors) * 512;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    static boolean blockDevice(Path p) throws IOException {
        int mode = (Integer) Files.getAttribute(p, "unix:mode");
        return (mode & 0170000) == 0060000;
    }

    /** Linux's dev_t: major in bits 8-19 and 32-43, minor in bits 0-7 and 20-31 (glibc's gnu_dev_major). */
    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }
}
