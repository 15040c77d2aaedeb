package io.flotilla.cli;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.examples.pingpong.PingPongOnCores;
import io.flotilla.examples.replicatedkv.ReplicatedKv;
import io.flotilla.kernel.Metrics;
import io.flotilla.kernel.Platform;
import io.flotilla.kernel.Tracer;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.platform.pinned.IdleStrategy;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.experiments.runner.ScenarioCatalog;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioException;
import io.flotilla.trace.ChromeTraceWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code flotilla run}: boots a machine on a platform and runs an example's dispatchers on it, measures one point
 * of any scenario on the class path, or runs a program's main class with the user's class path.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Boots a machine on the simulated or the pinned platform and runs an example on it, measures one point of"
                    + " a scenario, or runs a program (a class with a main method) with plugins on the class path.",
            "Examples: ping-pong (a client and a server dispatcher binding through their monitors);"
                    + " replicated-kv (a map replicated on every core, writes by two-phase commit or a sequencer).",
            "Scenarios: every one `flotilla experiment list` shows, e.g. `flotilla run -cp my-plugin.jar --cores 8"
                    + " --series S my-scenario`.",
            "Programs: `flotilla run -cp my-app.jar org.example.Main -- ARGS...`."
        })
final class RunCommand implements Callable<Integer> {

    enum PlatformName { sim, pinned }

    @Spec
    private CommandSpec spec;

    @Option(names = "--platform", defaultValue = "sim", paramLabel = "sim|pinned",
            description = "sim: deterministic simulation in virtual cycles; pinned: one pinned host thread per core "
                    + "(default: ${DEFAULT-VALUE}).")
    private PlatformName platform;

    @Option(names = {"-t", "--topology"}, paramLabel = "NAME|FILE",
            description = "The machine (default: amd-8x4 on sim, host on pinned).")
    private String topology;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N",
            description = "Random seed of the simulation; a scenario's seed on pinned too (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--pings", defaultValue = "10000", paramLabel = "N", description = "ping-pong: pings to exchange.")
    private int pings;

    @Option(names = "--client", defaultValue = "0", paramLabel = "CORE", description = "ping-pong: the client's core.")
    private int clientCore;

    @Option(names = "--server", paramLabel = "CORE",
            description = "ping-pong: the server's core (default: the first core of another package than the"
                    + " client's on sim, core 1 on pinned).")
    private Integer serverCore;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write a Chrome/Perfetto trace-event JSON of the run to FILE (open it in ui.perfetto.dev).")
    private Path trace;

    @Option(names = "--per-core", paramLabel = "FILE",
            description = "Write every core's message and frame counts to FILE as CSV (the summary prints them per"
                    + " core only up to " + Metrics.PER_CORE_DETAIL_LIMIT + " cores).")
    private Path perCore;

    @Mixin
    private IdleOption idle;

    @Option(names = "--swap-to", paramLabel = "TRANSPORT",
            description = "ping-pong: half-way, move the binding onto a new channel of TRANSPORT (lrpc, urpc, net) "
                    + "while pings are in flight.")
    private String swapTo;

    @Option(names = "--cores", paramLabel = "N",
            description = "replicated-kv: cores to boot, a replica on each; a scenario: cores taking part (default:"
                    + " all of the machine's).")
    private Integer cores;

    @Option(names = "--writes", defaultValue = "100", paramLabel = "N",
            description = "replicated-kv: puts per writer; up to four cores, spread over the booted ones, write.")
    private int writes;

    @Option(names = "--protocol", defaultValue = "two-phase", paramLabel = "two-phase|sequencer",
            description = "replicated-kv: how writes reach the replicas: two-phase commit through the agreement "
                    + "monitors with per-key locks, or a sequencer on core 0 (default: ${DEFAULT-VALUE}).")
    private String protocol;

    @Option(names = "--series", paramLabel = "SERIES",
            description = "A scenario's series to measure (default: its first).")
    private String series;

    @Option(names = {"-P", "--param"}, paramLabel = "KEY=VALUE",
            description = "A scenario's parameter, as in an experiment file's parameters (repeatable).")
    private Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--quick", description = "Tell the scenario this is a quick run (fewer rounds).")
    private boolean quick;

    @Mixin
    private UserClassPath classPath;

    @Parameters(index = "0", paramLabel = "NAME",
            description = "ping-pong, replicated-kv, a scenario on the class path, or a program's main class.")
    private String example;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "A program's arguments (put -- before them).")
    private List<String> programArgs = new ArrayList<>();

    private static final List<String> EXAMPLES = List.of("ping-pong", "replicated-kv");

    /** picocli's exit status for a bad command line. */
    private static final int EXIT_USAGE = 2;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario scenario = null;
        if (!EXAMPLES.contains(example)) {
            ScenarioCatalog scenarios = ScenarioCatalog.discover();
            scenario = scenarios.find(example).orElse(null);
            if (scenario == null) {
                return runProgram(scenarios, err);
            }
        }
        if (!programArgs.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "'" + example + "' is not a program and takes no"
                    + " arguments: " + String.join(" ", programArgs));
        }
        if (pings < 1 || pings > 10_000_000) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--pings': " + pings + " (must be 1..10000000)");
        }
        if (writes < 1 || writes > 1_000_000) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--writes': " + writes + " (must be 1..1000000)");
        }
        IdleStrategy.Kind idleKind = idle.kind();
        if (swapTo != null && !SimPlatform.TRANSPORTS.contains(swapTo)) {
            // Refused before anything boots, on both platforms alike: one line, a bad command line's exit status.
            err.println("flotilla run: --swap-to " + swapTo + ": no transport named '" + swapTo + "' (known: "
                    + String.join(", ", SimPlatform.TRANSPORTS) + ")");
            return EXIT_USAGE;
        }
        ReplicatedKv.Protocol kvProtocol;
        try {
            kvProtocol = ReplicatedKv.Protocol.of(protocol);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--protocol': "
                    + e.getMessage());
        }
        Machine machine;
        try {
            machine = TopologyCommand.load(topology != null ? topology
                    : platform == PlatformName.sim ? "amd-8x4" : "host", err);
        } catch (MachineLoadException e) {
            err.println(e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        }
        int booted = cores != null ? cores : machine.coreCount();
        if (booted < 1 || booted > machine.coreCount()) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--cores': " + booted
                    + " (" + machine.name() + " has " + machine.coreCount() + " cores)");
        }
        int server = serverCore != null ? serverCore : defaultServer(machine);
        for (int core : new int[] {clientCore, server}) {
            if (core < 0 || core >= machine.coreCount()) {
                throw new ParameterException(spec.commandLine(), "Core " + core + " does not exist on "
                        + machine.name() + " (cores 0.." + (machine.coreCount() - 1) + ")");
            }
        }
        ChromeTraceWriter writer = null;
        if (trace != null) {
            try {
                writer = ChromeTraceWriter.toFile(trace);
            } catch (IOException e) {
                err.println("flotilla: cannot write the trace to " + trace + ": " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
        }
        // The example boots its own multikernel, so the tracer travels with the platform. Both platforms report
        // every message (pinned through its metered channel ends), so the run ends with the same metrics lines.
        var metrics = new Metrics();
        Tracer tracer = Tracer.all(metrics, writer == null ? Tracer.NONE : writer);
        PinnedPlatform pinned = platform == PlatformName.pinned ? new PinnedPlatform().tracer(tracer).idle(idleKind)
                : null;
        Platform p = pinned != null ? pinned : new SimPlatform(seed).tracer(tracer);
        if (platform != PlatformName.sim) {
            NetWarmUp.beforeSwapTo(swapTo);
        }
        if (scenario != null) {
            return runScenario(scenario, machine, tracer, writer, metrics, idleKind, out, err);
        }
        var captured = new ByteArrayOutputStream();
        boolean ok;
        try (var ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            ok = example.equals("ping-pong")
                    ? PingPongOnCores.run(machine, p, clientCore, server, pings, swapTo, ps).ok()
                    : ReplicatedKv.run(machine, p, kvProtocol, booted, writers(booted), writes, ps).ok();
        } catch (IllegalArgumentException | IllegalStateException e) {
            // e.g. the pinned platform refusing more cores than the host has
            err.println("flotilla: " + e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        String lines = metrics.summary();
        if (pinned != null) {
            lines += idleLine(pinned);
        }
        if (perCore != null) {
            try {
                Files.writeString(perCore, metrics.perCoreCsv());
            } catch (IOException e) {
                err.println("flotilla: cannot write the per-core counts to " + perCore + ": " + e.getMessage());
                return Flotilla.EXIT_INPUT_ERROR;
            }
            lines += "per-core counts: " + metrics.cores() + " cores in " + perCore + System.lineSeparator();
        }
        if (writer != null) {
            lines += "trace: " + writer.events() + " events in " + trace + " (open it in ui.perfetto.dev)"
                    + System.lineSeparator();
        }
        out.print(beforeTraceHash(captured.toString(StandardCharsets.UTF_8), lines));
        out.flush();
        return ok ? 0 : Flotilla.EXIT_INTERNAL_ERROR;
    }

    /** One point of {@code scenario}, on {@code --cores} cores (default: all) of the machine. */
    private int runScenario(Scenario scenario, Machine machine, Tracer tracer, ChromeTraceWriter writer,
            Metrics metrics, IdleStrategy.Kind idleKind, PrintWriter out, PrintWriter err) {
        int n = cores != null ? cores : machine.coreCount();
        String s = series != null ? series : scenario.series().isEmpty() ? "" : scenario.series().get(0);
        String problem = ScenarioPoint.problem(scenario, machine, s, n, params);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        Supplier<Platform> platforms = platform == PlatformName.sim ? () -> new SimPlatform(seed).tracer(tracer)
                : () -> new PinnedPlatform(TransportRegistry.discover(), false, true, seed).tracer(tracer)
                        .idle(idleKind);
        var report = new StringWriter();
        try {
            ScenarioPoint.run(scenario, machine, platform.name(), s, n, seed, quick, params, platforms,
                    new PrintWriter(report));
        } catch (ScenarioException | IllegalArgumentException | IllegalStateException e) {
            err.println("flotilla run: scenario '" + scenario.name() + "': " + e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        String lines = metrics.summary();
        if (writer != null) {
            lines += "trace: " + writer.events() + " events in " + trace + " (open it in ui.perfetto.dev)"
                    + System.lineSeparator();
        }
        out.print(beforeTraceHash(report.toString(), lines));
        out.flush();
        return 0;
    }

    /** {@code example} as a main class on the user class path, or the list of what could have been meant. */
    private int runProgram(ScenarioCatalog scenarios, PrintWriter err) {
        Optional<ProgramLauncher> program;
        try {
            program = ProgramLauncher.find(example, Thread.currentThread().getContextClassLoader());
        } catch (ProgramLauncher.NotAProgram e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (program.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "Unknown example, scenario or program '" + example
                    + "' (examples: " + String.join(", ", EXAMPLES) + "; scenarios on the class path: "
                    + String.join(", ", scenarios.all().keySet()) + "; or a main class on --class-path)");
        }
        try {
            program.get().run(programArgs);
            return 0;
        } catch (Throwable t) {
            err.println("flotilla run: " + program.get().name() + " ended with " + t);
            t.printStackTrace(err);
            return Flotilla.EXIT_INPUT_ERROR;
        }
    }

    /** Up to four writer cores spread evenly over the booted ones, core 0 (the sequencer's, if any) first. */
    private static List<Integer> writers(int booted) {
        int n = Math.min(4, booted);
        var writers = new ArrayList<Integer>();
        for (int i = 0; i < n; i++) {
            writers.add(i * booted / n);
        }
        return writers;
    }

    /** What the pinned cores did when idle: the strategy in use, and what was asked for when that was auto. */
    static String idleLine(PinnedPlatform pinned) {
        return idleLine(pinned.idleInUse(), pinned.idle(), pinned.pinned(), pinned.hasSpareCpu());
    }

    /**
     * As above, from its parts. Spinning on every CPU of the host was asked for by name: said, since the JIT's
     * compilers then get no CPU and a short run stays mostly interpreted (rounds several times slower; auto would
     * have backed off).
     */
    static String idleLine(IdleStrategy.Kind used, IdleStrategy.Kind asked, boolean pinned, boolean spareCpu) {
        return "  idle strategy: " + used + (asked == IdleStrategy.Kind.AUTO ? " (auto)" : "")
                + (pinned ? "" : ", cores NOT pinned")
                + (used == IdleStrategy.Kind.SPIN && !spareCpu
                        ? "; every host CPU spins, none is left for the JIT's compilers: expect slow rounds until"
                                + " they catch up (docs/runtime.md, idle strategies)"
                        : "")
                + System.lineSeparator();
    }

    /** The example's report with {@code lines} inserted before its trace-hash line, which stays last. */
    private static String beforeTraceHash(String report, String lines) {
        int hash = report.lastIndexOf("trace-hash: ");
        return hash < 0 ? report + lines : report.substring(0, hash) + lines + report.substring(hash);
    }

    /** On sim the server goes one package away from the client, so the run crosses the interconnect. */
    private int defaultServer(Machine machine) {
        if (platform == PlatformName.pinned || machine.coreCount() == 1) {
            return Math.min(1, machine.coreCount() - 1);
        }
        int clientPackage = machine.packageOf(Math.max(0, Math.min(clientCore, machine.coreCount() - 1))).id();
        for (int c = 0; c < machine.coreCount(); c++) {
            if (machine.packageOf(c).id() != clientPackage) {
                return c;
            }
        }
        return clientCore == 0 ? 1 : 0;
    }
}
