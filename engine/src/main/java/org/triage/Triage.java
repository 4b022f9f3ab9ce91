package org.triage;

import java.nio.file.Path;
import org.triage.model.ScanResult;
import org.triage.store.HashStore;
import org.triage.store.RocksHashStore;

/**
 * The engine's entry point.
 *
 * <pre>{@code
 * try (HashStore store = Triage.openStore(Path.of("/cases/hashes"))) {
 *     ScanConfig config = ScanConfig.builder().source("/mnt/evidence").listener(record -> ...).build();
 *     try (Scan scan = Triage.newScan(config, store)) {
 *         ScanResult result = scan.run();
 *     }
 * }
 * }</pre>
 */
public final class Triage {
    private Triage() {
    }

    /** Opens a known-hash store read-only; several scans may share it. */
    public static HashStore openStore(Path dir) throws java.io.IOException {
        return RocksHashStore.openReadOnly(dir);
    }

    /**
     * Prepares a scan; call {@link Scan#run()} once to run it, and close it (try-with-resources).
     * Nothing is allocated until it runs. The store must outlive the scan.
     */
    public static Scan newScan(ScanConfig config, HashStore store) {
        return new Scan(config, store);
    }

    /** Runs a scan to the end. */
    public static ScanResult scan(ScanConfig config, HashStore store) throws InterruptedException {
        try (Scan scan = newScan(config, store)) {
            return scan.run();
        }
    }

    /**
     * Every file an evidence item is made of (each segment of a split raw or EWF image; else the
     * item itself), so that a front end can refuse to write over any of them.
     */
    public static java.util.List<Path> evidenceFiles(String given) {
        return org.triage.source.Sources.files(given);
    }

    /**
     * What a scan would take an evidence item for, decided as the scan decides it (by content, never
     * by name): the item is opened read-only, nothing of its files is read, and it is closed. For a
     * front end that keeps a list of items (a case) and must refuse what is not evidence up front.
     *
     * @return "directory", "device", "file" (a regular file that is not a disk image), or for a disk
     *         image its format ("raw", "split-raw", "ewf", "vmdk", "vhd")
     * @throws java.io.IOException naming the item when it cannot be opened (missing, unreadable, a
     *         damaged image, a missing segment)
     */
    public static String evidenceKind(String given) throws java.io.IOException {
        try (org.triage.source.Source s = org.triage.source.Sources.open(given)) {
            org.triage.model.TakenAs taken = s.taken();
            if (taken == null) return "file";
            if (!taken.kind().equals("disk image")) return taken.kind();
            org.triage.model.ImageInfo image = s.image();
            return image == null ? "raw" : image.format();
        }
    }

    /**
     * Loads the native parts a scan needs (the libc binding, libcrypto's digests) on background
     * daemon threads, so that a front end can overlap them with its own start-up (parsing a command
     * line); the first scan otherwise pays for them. Optional; returns at once; harmless to repeat.
     */
    public static void warmUp() {
        Thread natives = new Thread(org.triage.source.Sources::prepare, "triage-warm-up-libc");
        natives.setDaemon(true);
        natives.start();
        org.triage.hash.DigestWarmup.start(java.util.EnumSet.allOf(org.triage.model.Algorithm.class));
    }

    /**
     * For benchmarks ({@code triage bench}): reads every live file of a raw disk image whole, in
     * directory order or in disk order, and says how far the head travelled and how fast it read.
     *
     * @throws java.io.IOException when the image cannot be opened
     */
    public static ReadOrder measureReadOrder(Path image, boolean diskOrder) throws java.io.IOException {
        return ReadOrder.measure(image, diskOrder);
    }

    /**
     * The PDQ hash and quality of one picture file, decoded and hashed as a scan with PDQ on does
     * (the same decoders and limits, no EXIF rotation), for building a PDQ set from known pictures.
     * The file is opened read-only. Returns {@link org.triage.model.PictureHash#failed} with the
     * reason when the file is not a picture the scan decodes (or is over 64 MiB); never near matches.
     * Allocates a decoder and 2 MiB of hasher buffers per call: for a handful of files, not a scan.
     *
     * @throws java.io.IOException naming the file when it cannot be read
     */
    public static org.triage.model.PictureHash pdqOf(Path file) throws java.io.IOException {
        return PictureFile.pdqOf(file);
    }

    /** What computes the digests here: OpenSSL's version string, or "jvm" where libcrypto is missing. */
    public static String digestLibrary() {
        return org.triage.hash.ChunkDigest.implementation();
    }

    /** The engine's version, from the build. */
    public static String version() {
        String v = Triage.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
