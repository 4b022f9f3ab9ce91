package org.triage.casework;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;

/**
 * The one run of a case at a time: an fcntl lock on {@code run.lock}, held for the whole run and
 * released by the kernel when the process ends however it ends (kill -9 included). So an item
 * marked running while no one holds the lock was left by a run that died, and
 * {@code case status} says so instead of "running" forever.
 */
final class RunLock implements AutoCloseable {
    /**
     * Cases this JVM holds: asked before any probe, since closing a second descriptor of the lock
     * file in the holding process would release the holder's fcntl lock (POSIX; the FileLock
     * javadoc warns of it).
     */
    private static final java.util.Set<java.nio.file.Path> HELD = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final FileChannel channel;
    private final FileLock lock;

    private final java.nio.file.Path path;

    private RunLock(java.nio.file.Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or says who has it. */
    static RunLock acquire(CaseLayout layout) throws IOException {
        if (!HELD.add(layout.runLock())) {
            throw new IOException("case " + layout.dir() + " is being run already (by this process)");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(layout.runLock(), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            HELD.remove(layout.runLock());
            throw e;
        }
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException | IOException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            HELD.remove(layout.runLock());
            throw new IOException("case " + layout.dir() + " is being run by another 'triage case run' (" + layout.runLock()
                    + " is locked); wait for it, or see 'triage case status'");
        }
        return new RunLock(layout.runLock(), ch, lock);
    }

    /** Whether a run holds the case now (this process or another). */
    static boolean held(CaseLayout layout) {
        if (HELD.contains(layout.runLock())) return true;
        try (FileChannel ch = FileChannel.open(layout.runLock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe == null) return true;
            probe.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // this JVM holds it
        } catch (IOException e) {
            return false; // no lock file can be made: no run could have made one either
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
            HELD.remove(path);
        }
    }
}
