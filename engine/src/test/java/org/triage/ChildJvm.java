package org.triage;

import java.io.File;

/** What a test's child JVM needs to find the engine, its tests and their libraries. */
public final class ChildJvm {
    private ChildJvm() {
    }

    /**
     * A class path for a child JVM. The tests run on the module path (the libraries in
     * {@code jdk.module.path}, the test classes and JUnit in surefire's test class path, the engine's
     * own classes patched in); the child gets them all on its class path.
     */
    public static String classPath() {
        return String.join(File.pathSeparator, where(Triage.class), where(ChildJvm.class),
                System.getProperty("jdk.module.path", ""),
                System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    }

    /** The directory or jar a class was loaded from (surefire names the module under test in neither property). */
    private static String where(Class<?> c) {
        try {
            return java.nio.file.Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
