package org.triage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.triage.Triage;
import org.triage.model.PictureHash;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code triage hashset pdq FILE|DIR...}: the PDQ hash and quality of a lab's own known pictures, as
 * {@code hash,quality} lines (ThreatExchange's text form) that {@code hashset import --format pdq}
 * reads. Each picture is decoded and hashed as a scan does it ({@link Triage#pdqOf}); folders are
 * walked in sorted order so the same folder gives the same list. One picture at a time, on this
 * thread: for a reference collection, not for evidence.
 */
@Command(name = "pdq", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the PDQ hash and quality of pictures, one 'hash,quality' line each (ThreatExchange's text"
                + " form), for making a PDQ set from known pictures: triage hashset pdq DIR > known.pdq, then"
                + " triage hashset import known.pdq --format pdq --category C ... Folders are walked (sorted);"
                + " a file that is not a picture the scan decodes is named on stderr and left out."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file hashed", "2:usage error (a FILE or DIR that does not exist)",
            "3:some files could not be read or decoded (named on stderr; the rest are printed)"})
final class HashsetPdqCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Pictures, or folders of them.")
    List<Path> inputs;

    @Override
    public Integer call() throws IOException {
        for (Path p : inputs) {
            if (!Files.exists(p)) throw new CommandLine.ParameterException(spec.commandLine(), p + " does not exist");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (Path input : inputs) {
            List<Path> files;
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
            } else {
                files = List.of(input);
            }
            for (Path f : files) {
                try {
                    PictureHash h = Triage.pdqOf(f);
                    if (h.hash() == null) {
                        err.println("triage: " + TerminalText.safe(f.toString()) + ": no PDQ hash: " + h.error());
                        failed++;
                    } else {
                        out.println(h.hash().hex() + "," + h.quality());
                    }
                } catch (IOException e) {
                    err.println("triage: " + TerminalText.safe(f.toString()) + ": cannot read: " + e.getMessage());
                    failed++;
                }
            }
        }
        out.flush();
        return failed == 0 ? ExitCodes.CLEAN : ExitCodes.INCOMPLETE;
    }
}
