package org.triage.natives;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, item 5: {@link LibC}'s constants against what the C headers say, read by gcc at test
 * time: on the running architecture, by compiling and running a program that prints them; for
 * aarch64 on any machine, by preprocessing the kernel's arm64 uapi header (Debian's
 * linux-libc-dev-arm64-cross), where O_DIRECTORY and O_NOFOLLOW are not x86_64's. Skipped where
 * gcc, or that header, is missing.
 */
class LibCConstantsTest {
    private static final Path ARM64_HEADERS = Path.of("/usr/aarch64-linux-gnu/include");

    @Test
    void theRunningArchitecturesConstantsAreWhatGccSees(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("gcc"), "gcc is not installed");
        Map<String, Long> ours = new TreeMap<>();
        ours.put("O_RDONLY", (long) LibC.O_RDONLY);
        ours.put("O_NONBLOCK", (long) LibC.O_NONBLOCK);
        ours.put("O_DIRECTORY", (long) LibC.O_DIRECTORY);
        ours.put("O_NOFOLLOW", (long) LibC.O_NOFOLLOW);
        ours.put("O_NOATIME", (long) LibC.O_NOATIME);
        ours.put("O_CLOEXEC", (long) LibC.O_CLOEXEC);
        ours.put("O_PATH", (long) LibC.O_PATH);
        ours.put("AT_FDCWD", (long) LibC.AT_FDCWD);
        ours.put("AT_SYMLINK_NOFOLLOW", (long) LibC.AT_SYMLINK_NOFOLLOW);
        ours.put("AT_NO_AUTOMOUNT", (long) LibC.AT_NO_AUTOMOUNT);
        ours.put("AT_EMPTY_PATH", (long) LibC.AT_EMPTY_PATH);
        ours.put("STATX_TYPE", (long) LibC.STATX_TYPE);
        ours.put("STATX_BASIC_STATS", (long) LibC.STATX_BASIC_STATS);
        ours.put("S_IFMT", (long) LibC.S_IFMT);
        ours.put("S_IFIFO", (long) LibC.S_IFIFO);
        ours.put("S_IFCHR", (long) LibC.S_IFCHR);
        ours.put("S_IFDIR", (long) LibC.S_IFDIR);
        ours.put("S_IFBLK", (long) LibC.S_IFBLK);
        ours.put("S_IFREG", (long) LibC.S_IFREG);
        ours.put("S_IFLNK", (long) LibC.S_IFLNK);
        ours.put("S_IFSOCK", (long) LibC.S_IFSOCK);
        ours.put("EPERM", (long) LibC.EPERM);
        ours.put("ENOENT", (long) LibC.ENOENT);
        ours.put("EINTR", (long) LibC.EINTR);
        ours.put("ENAMETOOLONG", (long) LibC.ENAMETOOLONG);
        ours.put("PATH_MAX", (long) LibC.PATH_MAX);
        ours.put("DIRENT_INO", LibC.DIRENT_INO);
        ours.put("DIRENT_NAME", LibC.DIRENT_NAME);
        ours.put("SEEK_END", (long) LibC.SEEK_END);
        // AnonymousMemory's mapping calls, bound here since the libc bindings became one.
        ours.put("PROT_READ", (long) LibC.PROT_READ);
        ours.put("PROT_WRITE", (long) LibC.PROT_WRITE);
        ours.put("MAP_PRIVATE", (long) LibC.MAP_PRIVATE);
        ours.put("MAP_ANONYMOUS", (long) LibC.MAP_ANONYMOUS);
        ours.put("MADV_HUGEPAGE", (long) LibC.MADV_HUGEPAGE);

        StringBuilder c = new StringBuilder("""
                #define _GNU_SOURCE
                #include <dirent.h>
                #include <errno.h>
                #include <fcntl.h>
                #include <limits.h>
                #include <stddef.h>
                #include <stdio.h>
                #include <sys/mman.h>
                #include <sys/stat.h>
                #include <unistd.h>
                #define DIRENT_INO offsetof(struct dirent, d_ino)
                #define DIRENT_NAME offsetof(struct dirent, d_name)
                int main(void) {
                """);
        for (String name : ours.keySet()) c.append("    printf(\"").append(name).append(" %lld\\n\", (long long) (").append(name).append("));\n");
        c.append("    return 0;\n}\n");
        Path src = Files.writeString(dir.resolve("consts.c"), c);
        Path exe = dir.resolve("consts");
        run(dir, "gcc", "-D_FILE_OFFSET_BITS=64", "-o", exe.toString(), src.toString());
        Map<String, Long> gcc = new TreeMap<>();
        for (String line : run(dir, exe.toString()).split("\n")) {
            String[] f = line.split(" ");
            gcc.put(f[0], Long.parseLong(f[1]));
        }
        assertEquals(gcc, ours, "LibC's constants on " + System.getProperty("os.arch"));
    }

    @Test
    void aarch64FlagsAreTheArm64HeadersNotX86s(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("gcc"), "gcc is not installed");
        assumeTrue(Files.isRegularFile(ARM64_HEADERS.resolve("asm/fcntl.h")),
                "the arm64 kernel headers are not installed (Debian package linux-libc-dev-arm64-cross)");
        // asm/fcntl.h for arm64 defines its own bits, then includes asm-generic/fcntl.h for the rest.
        Path src = Files.writeString(dir.resolve("flags.c"), "#include <asm/fcntl.h>\n");
        String macros = run(dir, "gcc", "-E", "-dM", "-nostdinc", "-I", ARM64_HEADERS.toString(), src.toString());
        Map<String, Long> header = new LinkedHashMap<>();
        for (String name : new String[] {"O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME"}) header.put(name, define(macros, name));
        LibC.OpenFlags arm = LibC.OpenFlags.of("aarch64");
        Map<String, Long> ours = new LinkedHashMap<>();
        ours.put("O_DIRECTORY", (long) arm.directory());
        ours.put("O_NOFOLLOW", (long) arm.noFollow());
        ours.put("O_NOATIME", (long) arm.noAtime());
        assertEquals(header, ours, "aarch64 open flags");
        // What x86_64's bits would have asked for there: direct I/O and large files, not "a directory, no links".
        assertEquals(define(macros, "O_DIRECT"), (long) LibC.OpenFlags.of("x86_64").directory());
        assertEquals(define(macros, "O_LARGEFILE"), (long) LibC.OpenFlags.of("x86_64").noFollow());
    }

    @Test
    void anUncheckedArchitectureIsRefusedByName() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> LibC.OpenFlags.of("riscv64"));
        assertTrue(e.getMessage().contains("riscv64") && e.getMessage().contains("x86_64") && e.getMessage().contains("aarch64"),
                e.getMessage());
    }

    private static long define(String macros, String name) {
        Matcher m = Pattern.compile("^#define " + name + "\\s+(\\S+)", Pattern.MULTILINE).matcher(macros);
        assertTrue(m.find(), name + " not defined by the header");
        return Long.decode(m.group(1));
    }

    private static String run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) return true;
        }
        return false;
    }
}
