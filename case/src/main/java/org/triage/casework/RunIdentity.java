package org.triage.casework;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who runs a command on a case, for the runs table and the audit trail.
 *
 * @param user the operating-system user
 * @param host the machine's name
 * @param pid  this process
 * @param tool the tool and its version ("triage 0.1.0")
 */
public record RunIdentity(String user, String host, long pid, String tool) {

    /** This process, run by {@code tool}. */
    public static RunIdentity current(String tool) {
        return new RunIdentity(System.getProperty("user.name", "?"), hostName(), ProcessHandle.current().pid(), tool);
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/etc/hostname")).trim();
            if (!h.isEmpty()) return h;
        } catch (IOException e) {
            // not Linux, or not readable: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "?";
        }
    }
}
