package io.flotilla.cli;

import io.flotilla.examples.pingpong.PingPongOnCores;
import io.flotilla.experiments.runner.ExperimentFormatException;
import io.flotilla.experiments.runner.ExperimentRunException;
import io.flotilla.experiments.runner.ExperimentRunner;
import io.flotilla.experiments.runner.ExperimentSpec;
import io.flotilla.experiments.runner.PointResult;
import io.flotilla.experiments.runner.RunOptions;
import io.flotilla.experiments.runner.ScenarioCatalog;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.scenario.ScenarioException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla demo}: the showcase, in well under a minute. First the paper's Figure 6 reproduced on the
 * simulated 8x4-core AMD ({@code fig6-tlb-shootdown --quick}: four TLB-shootdown protocols over 2 to 32 cores, a
 * table here and the plot on disk), then the ping-pong example on two pinned host cores, its binding moved to
 * another transport while pings are in flight.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Reproduces the paper's Figure 6 on the simulated 8x4-core AMD, then runs ping-pong on two"
                + " pinned host cores with a live transport swap.")
final class DemoCommand implements Callable<Integer> {

    static final String EXPERIMENT = "fig6-tlb-shootdown";

    @Spec
    private CommandSpec spec;

    @Option(names = "--pings", defaultValue = "20000", paramLabel = "N",
            description = "Pings to exchange on the pinned cores (default: ${DEFAULT-VALUE}).")
    private int pings;

    @picocli.CommandLine.Mixin
    private IdleOption idle;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the figure goes (default: out/experiments).")
    private Path outDir = RunOptions.DEFAULT_OUT;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (pings < 2 || pings > 10_000_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "Invalid value for option '--pings': " + pings + " (must be 2..10000000)");
        }
        idle.kind(); // a bad --idle is a usage error before anything runs
        if (!figureSix(out, err)) {
            return Flotilla.EXIT_INTERNAL_ERROR;
        }
        boolean ok = pingPong(out, err);
        out.println(ok ? "demo: ok" : "demo: FAILED");
        return ok ? 0 : Flotilla.EXIT_INTERNAL_ERROR;
    }

    /** Runs the experiment and prints it as a table, one row per core count and a column per protocol. */
    private boolean figureSix(PrintWriter out, PrintWriter err) {
        out.println("== 1. the paper's Figure 6 on the simulated 8x4-core AMD: experiment " + EXPERIMENT
                + " --quick");
        out.println("   (cycles for core 0 to have N-1 other cores invalidate a TLB entry and acknowledge; every "
                + "number comes out of the calibrated cost model, none is fitted)");
        out.flush();
        ScenarioCatalog scenarios = ScenarioCatalog.discover();
        ExperimentRunner.Outcome outcome;
        try {
            ExperimentSpec experiment = ExperimentCommand.catalog(scenarios).resolve(EXPERIMENT);
            outcome = new ExperimentRunner(scenarios).run(experiment,
                    new RunOptions(true, outDir, null, null, null, "flotilla demo"));
        } catch (ExperimentFormatException | ExperimentRunException | ScenarioException e) {
            err.println("flotilla demo: " + e.getMessage());
            return false;
        } catch (IOException e) {
            err.println("flotilla demo: cannot write the figure to " + outDir + ": " + e.getMessage());
            return false;
        }
        List<String> series = new ArrayList<>();
        Map<Integer, Map<String, Double>> byCores = new TreeMap<>();
        for (PointResult r : outcome.rows()) {
            if (!series.contains(r.series())) {
                series.add(r.series());
            }
            byCores.computeIfAbsent(r.cores(), c -> new TreeMap<>()).put(r.series(), r.cycles());
        }
        StringBuilder header = new StringBuilder(String.format("   %5s", "cores"));
        for (String s : series) {
            header.append(String.format("  %" + Math.max(9, s.length()) + "s", s));
        }
        out.println(header);
        for (var row : byCores.entrySet()) {
            StringBuilder line = new StringBuilder(String.format("   %5d", row.getKey()));
            for (String s : series) {
                Double v = row.getValue().get(s);
                line.append(String.format("  %" + Math.max(9, s.length()) + "s", v == null ? "-"
                        : String.format("%.0f", v)));
            }
            out.println(line);
        }
        out.println("   plot: " + outcome.png() + " (also " + outcome.svg().getFileName() + ", "
                + outcome.csv().getFileName() + ", and " + outcome.report() + ")");
        out.println();
        return true;
    }

    /** Ping-pong between two pinned host cores; half-way, the binding moves to another transport. */
    private boolean pingPong(PrintWriter out, PrintWriter err) {
        Machine host;
        try {
            host = TopologyCommand.load("host", err);
        } catch (MachineLoadException e) {
            err.println(e.getMessage());
            return false;
        }
        int server = host.coreCount() > 1 ? 1 : 0;
        String swapTo = server == 0 ? "lrpc" : "net";
        out.println("== 2. ping-pong on pinned host cores 0 and " + server + ": " + pings + " pings through the"
                + " generated stubs; half-way the binding moves to a new " + swapTo + " channel while pings are in"
                + " flight");
        out.flush();
        var captured = new ByteArrayOutputStream();
        PingPongOnCores.Result run;
        PinnedPlatform pinned;
        try (var ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            pinned = new PinnedPlatform().idle(idle.kind());
            NetWarmUp.beforeSwapTo(swapTo);
            run = PingPongOnCores.run(host, pinned, 0, server, pings, swapTo, ps);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("flotilla demo: " + e.getMessage());
            return false;
        }
        out.print(captured.toString(StandardCharsets.UTF_8).indent(3));
        out.print(RunCommand.idleLine(pinned).indent(1));
        if (!run.errors().isEmpty()) {
            run.errors().forEach(e -> err.println("flotilla demo: " + e));
        }
        out.println("   swapped to: " + (run.swappedTo() == null ? "(no swap happened)" : run.swappedTo()));
        return run.ok() && run.swappedTo() != null;
    }
}
