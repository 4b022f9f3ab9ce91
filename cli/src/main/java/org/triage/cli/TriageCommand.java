package org.triage.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code triage} command: subcommands only. The one place that calls System.exit. */
@Command(name = "triage",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Tells which seized devices hold known files, by hash alone: no one has to look at the content.",
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

    /** The subcommands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("scan", ScanCommand::new);
        SUBCOMMANDS.put("hashset", HashsetCommand::new);
        SUBCOMMANDS.put("demo", DemoCommand::new);
        SUBCOMMANDS.put("bench", BenchCommand::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /** A command line wired the way main() runs it, for tests: output captured by the caller. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    /**
     * Picocli builds its model of every registered command by reflection before parsing, and for
     * all five commands that was most of a scan's start-up (measured: 0.15 s of 0.38 s on an
     * empty directory). When the command line names one subcommand, only that one is registered;
     * otherwise (no command, a typo, {@code help}) all are, so that usage lists them.
     */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        Logging.configure(0);
        CommandLine cl = new CommandLine(new TriageCommand());
        String named = args == null ? null : firstWord(args);
        if (named != null && SUBCOMMANDS.containsKey(named) && !named.equals("help")) {
            cl.addSubcommand(named, SUBCOMMANDS.get(named).get());
        } else {
            SUBCOMMANDS.forEach((name, make) -> cl.addSubcommand(name, make.get()));
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("triage: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ExitCodes.USAGE;
        });
        return cl;
    }

    private static String firstWord(String[] args) {
        for (String a : args) {
            if (!a.startsWith("-")) return a;
        }
        return null;
    }

    public static void main(String[] args) {
        Preload.start(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(commandLine(out, err, args).execute(args));
    }
}
