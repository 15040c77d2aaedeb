package io.flotilla.cli;

import io.flotilla.examples.pingpong.PingPongOnCores;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla run}: boots a machine on a platform and runs an example's dispatchers on it. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {
            "Boots a machine on the simulated or the pinned platform and runs an example on it.",
            "Examples: ping-pong (a client and a server dispatcher binding through their monitors)."
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

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Random seed of the simulation.")
    private long seed;

    @Option(names = "--pings", defaultValue = "10000", paramLabel = "N", description = "Pings to exchange.")
    private int pings;

    @Option(names = "--client", defaultValue = "0", paramLabel = "CORE", description = "The client's core.")
    private int clientCore;

    @Option(names = "--server", paramLabel = "CORE",
            description = "The server's core (default: the first core of another package than the client's on "
                    + "sim, core 1 on pinned).")
    private Integer serverCore;

    @Parameters(paramLabel = "EXAMPLE", description = "The example to run: ping-pong.")
    private String example;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!example.equals("ping-pong")) {
            throw new ParameterException(spec.commandLine(), "Unknown example '" + example + "' (known: ping-pong)");
        }
        if (pings < 1 || pings > 10_000_000) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '--pings': " + pings + " (must be 1..10000000)");
        }
        Machine machine;
        try {
            machine = TopologyCommand.load(topology != null ? topology
                    : platform == PlatformName.sim ? "amd-8x4" : "host", err);
        } catch (MachineLoadException e) {
            err.println(e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        }
        int server = serverCore != null ? serverCore : defaultServer(machine);
        for (int core : new int[] {clientCore, server}) {
            if (core < 0 || core >= machine.coreCount()) {
                throw new ParameterException(spec.commandLine(), "Core " + core + " does not exist on "
                        + machine.name() + " (cores 0.." + (machine.coreCount() - 1) + ")");
            }
        }
        Platform p = platform == PlatformName.sim ? new SimPlatform(seed) : new PinnedPlatform();
        var captured = new ByteArrayOutputStream();
        PingPongOnCores.Result r;
        try (var ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            r = PingPongOnCores.run(machine, p, clientCore, server, pings, ps);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // e.g. the pinned platform refusing more cores than the host has
            err.println("flotilla: " + e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        }
        out.print(captured.toString(StandardCharsets.UTF_8));
        out.flush();
        return r.ok() ? 0 : Flotilla.EXIT_INTERNAL_ERROR;
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
