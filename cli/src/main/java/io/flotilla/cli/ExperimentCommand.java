package io.flotilla.cli;

import io.flotilla.experiments.runner.ExperimentCatalog;
import io.flotilla.experiments.runner.ExperimentFormatException;
import io.flotilla.experiments.runner.ExperimentResourceException;
import io.flotilla.experiments.runner.ExperimentRunException;
import io.flotilla.experiments.runner.ExperimentRunner;
import io.flotilla.experiments.runner.ExperimentSpec;
import io.flotilla.experiments.runner.PlatformComparison;
import io.flotilla.experiments.runner.RunOptions;
import io.flotilla.experiments.runner.ScenarioCatalog;
import io.flotilla.experiments.runner.Shard;
import io.flotilla.experiments.runner.ShardMerge;
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
        subcommands = {ExperimentCommand.ListCommand.class, ExperimentCommand.RunExperiments.class,
            ExperimentCommand.MergeShards.class, ExperimentCommand.Compare.class})
final class ExperimentCommand implements Callable<Integer> {

    /** Exit status when a point failed: the run stopped there, or with --keep-going, it was recorded and skipped. */
    static final int EXIT_POINT_FAILED = 3;
    /** Exit status when the JVM ran out of heap, stack or threads (the message says which, and what to change). */
    static final int EXIT_OUT_OF_RESOURCES = 4;
    /** How many failed points --keep-going names on stderr for each experiment. */
    private static final int FAILURES_SHOWN = 3;

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
                    + " report.md (rewritten over every experiment in the directory). Each finished point is in"
                    + " NAME.csv at once.",
                "Exit status: 0 every point measured, 1 a bad experiment file, 2 a bad command line, 3 a point"
                    + " failed (the run stopped there, or with --keep-going it was recorded), 4 out of heap, stack"
                    + " or threads (the message says what to change)."})
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

        @Option(names = "--keep-going", description = "When a point fails, record it (with its reason) in the CSV"
                + " and report and go on; exit status 3 at the end if any failed.")
        private boolean keepGoing;

        @Option(names = "--shard", paramLabel = "K/N", description = "Run only the K-th of N deterministic shares of"
                + " each experiment's points (1 <= K <= N), e.g. one per job of a Slurm array or Kubernetes indexed"
                + " Job; join the outputs with 'flotilla experiment merge'.")
        private String shard;

        /** How pinned cores wait for work; a twin is judged against pinned with --idle=spin. */
        @Mixin
        private IdleOption idle;

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
            var idleKind = idle.kind(); // a bad --idle is a usage error before anything runs
            Shard share = Shard.ALL;
            if (shard != null) {
                try {
                    share = Shard.parse(shard);
                } catch (IllegalArgumentException e) {
                    err.println("flotilla experiment run: --shard: " + e.getMessage());
                    return 2;
                }
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
            RunOptions options = new RunOptions(quick, outDir, platform, seed, bar, command(), keepGoing, share,
                    idleKind);
            int failedPoints = 0;
            for (ExperimentSpec s : specs) {
                try {
                    var outcome = runner.run(s, options);
                    out.printf("%s: %d points%s%s -> %s, %s, %s%n", s.name(), outcome.rows().size(),
                            outcome.failed().isEmpty() ? "" : ", " + outcome.failed().size() + " failed",
                            share.equals(Shard.ALL) ? "" : " (shard " + share + ")", outcome.csv(),
                            outcome.png().getFileName(), outcome.svg().getFileName());
                    if (!outcome.skipped().isEmpty()) {
                        out.printf("  skipped %d series a machine cannot run (listed in report.md)%n",
                                outcome.skipped().size());
                    }
                    // The first few on stderr, where they are seen at once; every one is in the CSV and report.
                    for (var f : outcome.failed().subList(0, Math.min(FAILURES_SHOWN, outcome.failed().size()))) {
                        err.printf("flotilla experiment run: %s: %s at %d cores failed (kept going): %s%n", s.name(),
                                f.label(), f.cores(), f.failure());
                    }
                    if (outcome.failed().size() > FAILURES_SHOWN) {
                        err.printf("flotilla experiment run: %s: %d more failed points are listed in report.md%n",
                                s.name(), outcome.failed().size() - FAILURES_SHOWN);
                    }
                    failedPoints += outcome.failed().size();
                    if (ablation) {
                        out.printf("  ablation -> %s%n", runner.ablate(s, options).getFileName());
                    }
                } catch (ExperimentFormatException | ScenarioException e) {
                    err.println("flotilla experiment run: " + e.getMessage());
                    return Flotilla.EXIT_INPUT_ERROR;
                } catch (ExperimentRunException e) {
                    err.println("flotilla experiment run: " + e.getMessage() + " (finished points are in "
                            + outDir.resolve(s.name() + ".csv") + "; --keep-going records a failed point and goes"
                            + " on)");
                    return EXIT_POINT_FAILED;
                } catch (ExperimentResourceException e) {
                    err.println("flotilla experiment run: " + e.getMessage() + " (finished points are in "
                            + outDir.resolve(s.name() + ".csv") + ")");
                    return EXIT_OUT_OF_RESOURCES;
                } catch (OutOfMemoryError | StackOverflowError e) {
                    // Outside a point (plotting, the report): the same one line, without a point to name.
                    err.println("flotilla experiment run: experiment '" + s.name() + "': "
                            + ExperimentResourceException.advice(e));
                    return EXIT_OUT_OF_RESOURCES;
                } catch (IOException e) {
                    err.println("flotilla experiment run: cannot write " + outDir + ": " + e.getMessage());
                    return Flotilla.EXIT_INPUT_ERROR;
                }
            }
            out.println("report: " + outDir.resolve("report.md"));
            if (failedPoints > 0) {
                err.println("flotilla experiment run: " + failedPoints + " point(s) failed and were kept going past;"
                        + " see report.md");
                return EXIT_POINT_FAILED;
            }
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
            if (keepGoing) {
                sb.append(" --keep-going");
            }
            if (idle.kind() != io.flotilla.platform.pinned.IdleStrategy.Kind.AUTO) {
                sb.append(" --idle=").append(idle.kind());
            }
            // --shard is left out: the shards of one run record the same command, and their merge the command of
            // the unsharded run it stands for.
            if (ablation) {
                sb.append(" --ablation");
            }
            return sb.toString();
        }
    }

    /** {@code flotilla experiment merge DIR... --out DIR}. */
    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = {"Joins the output directories of 'flotilla experiment run --shard K/N' runs into the CSV,"
                    + " plots, run.properties and report.md one unsharded run would have written.",
                "Every shard 1..N of each experiment must be given once, and all must have run the same file,"
                    + " platform, seed and command. Exit status 1, naming the directory, when they do not."})
    static final class MergeShards implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        /** The shards' experiment files are checked again, so a plugin's scenario must be found here too. */
        @Mixin
        private UserClassPath classPath;

        @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' output directories.")
        private List<Path> dirs = new ArrayList<>();

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the merged output goes.")
        private Path outDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            var merge = new ShardMerge(new ExperimentRunner(ScenarioCatalog.discover()).loader());
            try {
                for (ShardMerge.Merged m : merge.merge(dirs, outDir)) {
                    out.printf("%s: %d points from %d shards -> %s%n", m.name(), m.rows(), m.shards(), m.csv());
                }
            } catch (ExperimentFormatException e) {
                err.println("flotilla experiment merge: " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            } catch (IOException e) {
                err.println("flotilla experiment merge: cannot read or write " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            out.println("report: " + outDir.resolve("report.md"));
            return 0;
        }
    }

    /** {@code flotilla experiment compare PREDICTED MEASURED --out DIR}. */
    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Sets two runs of the same experiments side by side, point by point, in DIR/report.md: a"
                    + " prediction (e.g. the host's twin on sim) and a measurement (the host on pinned), each point"
                    + " with the prediction's error and whether it lies within the measured spread.",
                "Exit status 1, naming the directory, when either is not the --out of an experiment run or they"
                    + " share no experiment."})
    static final class Compare implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PREDICTED", description = "The predicting run's output directory.")
        private Path predicted;

        @Parameters(index = "1", paramLabel = "MEASURED", description = "The measured run's output directory.")
        private Path measured;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where report.md goes.")
        private Path outDir;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                var written = PlatformComparison.write(predicted, measured, outDir);
                out.printf("%d experiments, %d points compared -> %s%n", written.experiments(), written.points(),
                        written.report());
            } catch (ExperimentFormatException e) {
                err.println("flotilla experiment compare: " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            } catch (IOException e) {
                err.println("flotilla experiment compare: cannot read or write " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            return 0;
        }
    }
}
