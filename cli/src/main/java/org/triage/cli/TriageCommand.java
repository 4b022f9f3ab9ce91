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
        exitCodeList = {ExitCodes.L0, ExitCodes.L1, ExitCodes.L2_ALL, ExitCodes.L3, ExitCodes.L130})
public final class TriageCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Repeatable (-vv, -v -v), before or after the command. An array, because a single boolean may be
     * given once only; the level is counted over the whole command line by {@link #verbosity}.
     */
    @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
            description = "Show more on stderr (repeat for more detail: -vv).")
    boolean[] verbose = new boolean[0];

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: scan, hashset or demo");
    }

    /** The subcommands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("scan", ScanCommand::new);
        SUBCOMMANDS.put("rematch", RematchCommand::new);
        SUBCOMMANDS.put("case", CaseCommand::new);
        SUBCOMMANDS.put("acquire", AcquireCommand::new);
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
        cl.setParameterExceptionHandler(TriageCommand::usageError);
        cl.setExecutionStrategy(parsed -> {
            Logging.configure(verbosity(parsed));
            return new CommandLine.RunLast().execute(parsed);
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("triage: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /**
     * A usage error: the error and where to get help, as git does, not the whole help after it
     * (the error would scroll away above it). Picocli's suggestions for a mistyped option or
     * command are kept.
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("triage: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        return ExitCodes.USAGE;
    }

    /** Every -v on the command line, the top command's and the subcommands' (each has its own copy of the option). */
    private static int verbosity(CommandLine.ParseResult parsed) {
        int n = 0;
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (CommandLine.Model.ArgSpec a : p.matchedArgs()) {
                if (a instanceof CommandLine.Model.OptionSpec o && o.longestName().equals("--verbose")) n++;
            }
        }
        return n;
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
