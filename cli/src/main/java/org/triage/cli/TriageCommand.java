package org.triage.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code triage} command: subcommands only. The one place that calls System.exit. */
@Command(name = "triage",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Tells which seized devices hold known files, by hash alone: no one has to look at the content.",
        subcommands = {ScanCommand.class, HashsetCommand.class, DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {ExitCodes.L0, ExitCodes.L1, ExitCodes.L2, ExitCodes.L3, ExitCodes.L130})
public final class TriageCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show more on stderr (repeat for more detail).")
    void verbose(boolean on) {
        if (on) Logging.raise();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: scan, hashset or demo");
    }

    /** A command line wired the way main() runs it, for tests: output captured by the caller. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        Logging.configure(0);
        CommandLine cl = new CommandLine(new TriageCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("triage: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ExitCodes.USAGE;
        });
        return cl;
    }

    public static void main(String[] args) {
        Preload.start(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine(out, err).execute(args));
    }
}
