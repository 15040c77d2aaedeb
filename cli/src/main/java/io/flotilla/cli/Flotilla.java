package io.flotilla.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code flotilla} command. Every subcommand reports bad input as a message and a non-zero exit status, never
 * as a stack trace: exit 1 for errors in the user's files, 2 for a bad command line, 70 for an internal error.
 */
@Command(
        name = "flotilla",
        mixinStandardHelpOptions = true,
        versionProvider = Flotilla.Version.class,
        description = "A research framework for the multikernel operating-system architecture.",
        subcommands = {CompileCommand.class, DemoCommand.class, RunCommand.class, TopologyCommand.class,
            SkbCommand.class, BenchCommand.class, PluginsCommand.class, ExperimentCommand.class, NodeCommand.class,
            CommandLine.HelpCommand.class})
public final class Flotilla {

    /** Exit status for errors in the user's input files. */
    static final int EXIT_INPUT_ERROR = 1;
    /** Exit status for a failure of Flotilla itself (sysexits' EX_SOFTWARE). */
    static final int EXIT_INTERNAL_ERROR = 70;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line with the given streams; returns the exit status. Used by tests too. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        var cli = new CommandLine(new Flotilla());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("flotilla: internal error: " + ex);
            commandLine.getErr().println("Please report this with the command line that caused it.");
            return EXIT_INTERNAL_ERROR;
        });
        return cli.execute(args);
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Flotilla.class.getPackage().getImplementationVersion();
            return new String[] {"flotilla " + (v == null ? "development" : v)};
        }
    }
}
