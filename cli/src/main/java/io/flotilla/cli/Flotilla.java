package io.flotilla.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

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
            NewCommand.class,
            CommandLine.HelpCommand.class})
public final class Flotilla {

    /** Exit status for errors in the user's input files. */
    static final int EXIT_INPUT_ERROR = 1;
    /** Exit status for a failure of Flotilla itself (sysexits' EX_SOFTWARE). */
    static final int EXIT_INTERNAL_ERROR = 70;

    public static void main(String[] args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putIfAbsent("HOME", System.getProperty("user.home"));
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), env));
    }

    /** Runs the command line with the given streams and the process's environment; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /**
     * Runs the command line with the given streams and environment (where {@code FLOTILLA_CLASS_PATH},
     * {@code FLOTILLA_HOME} and {@code HOME} are read); returns the exit status. Tests pass their own environment.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
        var cli = new CommandLine(new Flotilla());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionStrategy(parseResult -> withUserCode(parseResult, Map.copyOf(env)));
        // A bad command line is the message and where to look, not the whole usage: the usage of `run` is forty
        // lines, and the one line that matters would scroll away above it.
        cli.setParameterExceptionHandler((ex, args1) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(ex.getMessage());
            c.getErr().println("Usage: " + c.getCommandSpec().qualifiedName() + " ...; see '"
                    + c.getCommandSpec().qualifiedName() + " --help'");
            return c.getCommandSpec().exitCodeOnInvalidInput();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("flotilla: internal error: " + ex);
            commandLine.getErr().println("Please report this with the command line that caused it.");
            return EXIT_INTERNAL_ERROR;
        });
        return cli.execute(args);
    }

    /** Runs the chosen command, inside its user code when it has a {@link UserClassPath}. */
    private static int withUserCode(ParseResult parseResult, Map<String, String> env) {
        ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        UserClassPath classPath = null;
        for (CommandSpec mixin : last.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof UserClassPath cp) {
                classPath = cp;
            }
        }
        var run = new CommandLine.RunLast();
        if (classPath == null || last.isUsageHelpRequested() || last.isVersionHelpRequested()) {
            return run.execute(parseResult);
        }
        List<Path> entries;
        try {
            entries = UserCodePath.resolve(classPath.entries(), env);
        } catch (UserCodePath.BadEntry e) {
            last.commandSpec().commandLine().getErr().println(
                    "flotilla " + last.commandSpec().qualifiedName(" ").replaceFirst("^flotilla ", "") + ": "
                            + e.getMessage());
            return EXIT_INPUT_ERROR;
        }
        try (UserCode code = UserCode.install(entries)) {
            return run.execute(parseResult);
        }
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
