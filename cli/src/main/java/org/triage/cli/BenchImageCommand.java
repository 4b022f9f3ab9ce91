package org.triage.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code triage bench-image}: the disk-image speed harness ({@link ImageBench}). */
@Command(name = "bench-image", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Measure image scanning on this machine: builds a ~2 GiB ext4 image and a fragmented FAT32 image,"
                + " then times triage scan (MD5), fls + icat | md5sum per file, cat, openssl's MD5 rate, and disk order"
                + " against directory order. Needs e2fsprogs, sleuthkit, mtools, dosfstools, openssl.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "2:usage or setup error (a tool is missing, no room in the work directory)"})
final class BenchImageCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--work", paramLabel = "DIR", defaultValue = "bench-work",
            description = "Directory for the images (about 2.5 GiB; kept for the next run). Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ImageBench.run(work, spec.commandLine().getOut(), json);
        return 0;
    }
}
