package io.flotilla.cli;

import io.flotilla.experiments.runner.ExperimentCatalog;
import io.flotilla.experiments.runner.ExperimentFormatException;
import io.flotilla.experiments.runner.ExperimentRunException;
import io.flotilla.experiments.runner.ExperimentRunner;
import io.flotilla.experiments.runner.ExperimentSpec;
import io.flotilla.experiments.runner.RunOptions;
import io.flotilla.experiments.runner.ScenarioCatalog;
import io.flotilla.scenario.ScenarioException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla experiment}: the paper's reproductions and one's own experiment files; see docs/experiments.md. */
@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Lists and runs experiments: YAML files naming a scenario, machines, a sweep and the published"
                + " values it reproduces (docs/experiments.md).",
        subcommands = {ExperimentCommand.ListCommand.class, ExperimentCommand.RunExperiments.class})
final class ExperimentCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    static ExperimentCatalog catalog(ScenarioCatalog scenarios) {
        ClassLoader l = Thread.currentThread().getContextClassLoader();
        return new ExperimentCatalog(l == null ? ExperimentCommand.class.getClassLoader() : l,
                new ExperimentRunner(scenarios).loader());
    }

    /** {@code flotilla experiment list}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The shipped experiments (Flotilla's and those of plugins on the class path): name, scenario,"
                    + " machines, description.")
    static final class ListCommand implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        /** Plugins whose scenarios and shipped experiments are listed too. */
        @Mixin
        private UserClassPath classPath;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ScenarioCatalog scenarios = ScenarioCatalog.discover();
            List<ExperimentSpec> all;
            try {
                all = catalog(scenarios).all();
            } catch (ExperimentFormatException e) {
                err.println("flotilla experiment list: " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            int w = 4;
            int ws = 8;
            for (ExperimentSpec s : all) {
                w = Math.max(w, s.name().length());
                ws = Math.max(ws, s.scenario().length());
            }
            String fmt = "%-" + w + "s  %-" + ws + "s  %s%n";
            out.printf(fmt, "NAME", "SCENARIO", "MACHINE / DESCRIPTION");
            for (ExperimentSpec s : all) {
                out.printf(fmt, s.name(), s.scenario(), String.join(", ", s.machines()));
                out.printf(fmt, "", "", s.description().strip().replaceAll("\\s+", " "));
            }
            out.println();
            out.println("Scenarios on the class path: " + String.join(", ", scenarios.all().keySet()));
            for (String p : scenarios.problems()) {
                err.println("flotilla experiment list: warning: " + p);
            }
            return 0;
        }
    }

    /** {@code flotilla experiment run NAME|FILE...}. */
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Runs experiments by name or file into a directory: NAME.csv, NAME.png, NAME.svg and"
                    + " report.md (rewritten over every experiment in the directory)."})
    static final class RunExperiments implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        /** Plugins whose scenarios the experiment files name, and whose shipped experiments run by name. */
        @Mixin
        private UserClassPath classPath;

        @Parameters(arity = "1..*", paramLabel = "NAME|FILE", description = "Shipped experiment names or paths to"
                + " experiment files.")
        private List<String> experiments = new ArrayList<>();

        @Option(names = "--quick", description = "Fewer core counts, repetitions and rounds, as each file's quick"
                + " section says.")
        private boolean quick;

        @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: out/experiments).")
        private Path outDir = RunOptions.DEFAULT_OUT;

        @Option(names = "--platform", paramLabel = "sim|pinned", description = "Overrides each file's platform.")
        private String platform;

        @Option(names = "--seed", paramLabel = "N", description = "Overrides each file's base seed.")
        private Long seed;

        @Option(names = "--progress", description = "Draw the progress bar even when stderr is not a terminal.")
        private boolean progress;

        @Option(names = "--ablation", description = "Also re-run each experiment on sim with each mechanism of the"
                + " cost model switched off in turn (at the quick core counts) and show it in report.md.")
        private boolean ablation;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (platform != null && !platform.equals("sim") && !platform.equals("pinned")) {
                err.println("flotilla experiment run: --platform must be sim or pinned, not '" + platform + "'");
                return 2;
            }
            if (ablation && "pinned".equals(platform)) {
                err.println("flotilla experiment run: --ablation switches off mechanisms of the sim's cost model;"
                        + " it cannot be combined with --platform pinned");
                return 2;
            }
            ScenarioCatalog scenarios = ScenarioCatalog.discover();
            ExperimentCatalog catalog = catalog(scenarios);
            List<ExperimentSpec> specs = new ArrayList<>();
            try {
                for (String e : experiments) {
                    specs.add(catalog.resolve(e));
                }
            } catch (ExperimentFormatException e) {
                err.println("flotilla experiment run: " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            boolean terminal = System.console() != null;
            PrintStream bar = progress || terminal ? System.err : null;
            var runner = new ExperimentRunner(scenarios);
            RunOptions options = new RunOptions(quick, outDir, platform, seed, bar, command());
            for (ExperimentSpec s : specs) {
                try {
                    var outcome = runner.run(s, options);
                    out.printf("%s: %d points -> %s, %s, %s%n", s.name(), outcome.rows().size(), outcome.csv(),
                            outcome.png().getFileName(), outcome.svg().getFileName());
                    if (!outcome.skipped().isEmpty()) {
                        out.printf("  skipped %d series a machine cannot run (listed in report.md)%n",
                                outcome.skipped().size());
                    }
                    if (ablation) {
                        out.printf("  ablation -> %s%n", runner.ablate(s, options).getFileName());
                    }
                } catch (ExperimentFormatException | ExperimentRunException | ScenarioException e) {
                    err.println("flotilla experiment run: " + e.getMessage());
                    return Flotilla.EXIT_INPUT_ERROR;
                } catch (IOException e) {
                    err.println("flotilla experiment run: cannot write " + outDir + ": " + e.getMessage());
                    return Flotilla.EXIT_INPUT_ERROR;
                }
            }
            out.println("report: " + outDir.resolve("report.md"));
            return 0;
        }

        /** The command as a user would retype it, for the report. */
        private String command() {
            StringBuilder sb = new StringBuilder("flotilla experiment run");
            for (String e : classPath.entries()) {
                sb.append(" -cp ").append(e);
            }
            for (String e : experiments) {
                sb.append(' ').append(e);
            }
            if (quick) {
                sb.append(" --quick");
            }
            if (platform != null) {
                sb.append(" --platform ").append(platform);
            }
            if (seed != null) {
                sb.append(" --seed ").append(seed);
            }
            if (ablation) {
                sb.append(" --ablation");
            }
            return sb.toString();
        }
    }
}
