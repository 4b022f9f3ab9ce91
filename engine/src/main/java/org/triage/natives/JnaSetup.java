package org.triage.natives;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings JNA reads once, applied before its first use.
 *
 * <p>Unless {@code jna.platform.library.path} is set, JNA's first library load runs
 * {@code /sbin/ldconfig -p} in a child process to learn the system's library directories (measured:
 * one process start inside every scan's start-up). Every library here is loaded by its soname,
 * which the dynamic linker resolves itself, so the usual directories are enough; a value the user
 * set is left alone.
 */
public final class JnaSetup {
    private static final String PATH_PROPERTY = "jna.platform.library.path";

    private JnaSetup() {
    }

    public static synchronized void init() {
        if (System.getProperty(PATH_PROPERTY) != null) return;
        String arch = switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64" -> "aarch64-linux-gnu";
            default -> null;
        };
        List<String> dirs = new ArrayList<>();
        for (String d : new String[] {"/usr/local/lib", arch == null ? null : "/usr/lib/" + arch,
                arch == null ? null : "/lib/" + arch, "/usr/lib64", "/lib64", "/usr/lib", "/lib"}) {
            if (d != null && new File(d).isDirectory()) dirs.add(d);
        }
        System.setProperty(PATH_PROPERTY, String.join(File.pathSeparator, dirs));
    }
}
