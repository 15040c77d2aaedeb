package io.flotilla.cli;

import io.flotilla.examples.pingpong.PingPongOnNodes;
import io.flotilla.kernel.node.Node;
import io.flotilla.kernel.node.NodeConfig;
import io.flotilla.kernel.node.NodeException;
import io.flotilla.kernel.node.SecretCheck;
import io.flotilla.machine.Machine;
import io.flotilla.machine.MachineLoadException;
import io.flotilla.trace.ChromeTraceWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flotilla node}: runs one JVM's share of a multikernel that spans several. */
@Command(name = "node", mixinStandardHelpOptions = true,
        // One element per paragraph: picocli wraps each to the terminal's width, so none is cut mid-sentence; the
        // example lines are short enough for 80 columns.
        description = {
            "Runs this JVM as one node of a multikernel spanning several JVMs (on one host or several): it runs cores"
                    + " A-B of the machine on pinned host threads, joins the other nodes over the net transport with"
                    + " the cluster secret, and then monitors on any node export and bind by name across nodes.",
            "Start one process per node, each with the same --peers, --topology and secret, e.g.:",
            "  flotilla node --id 0 --peers 127.0.0.1:7000,127.0.0.1:7001 \\",
            "      --cores 0-1 --secret-file s ping-pong",
            "  flotilla node --id 1 --peers 127.0.0.1:7000,127.0.0.1:7001 \\",
            "      --cores 2-3 --secret-file s ping-pong",
            "A node that dies or goes silent is noticed by the others within 8 s (links carry heartbeats; a link"
                    + " silent for 3 s is cut, and one not resumed within 3-5 s more means the peer is lost); each of"
                    + " them then says which node it lost and why, stops, and exits 4. Nodes cannot rejoin a running"
                    + " multikernel: after a node fails, stop every node and start them all again."
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the run ended and every check of the example passed",
            "1:bad input: a file (topology, secret) or the nodes' configurations disagree",
            "2:bad command line",
            "3:the run failed: every node stayed, but the example's checks did not pass",
            "4:a peer node was lost: it died, its link broke or went silent, or it broke the protocol",
            "5:a peer refused this node or was refused: another cluster secret or Flotilla version, or a node that"
                    + " tried to rejoin",
            "6:a peer never joined (or booted) within --join-timeout",
            "70:an internal error of Flotilla"
        })
final class NodeCommand implements Callable<Integer> {

    /** Exit status: the run ended, every node stayed, but the example's checks failed. */
    static final int EXIT_RUN_FAILED = 3;
    /** Exit status: a peer node was lost while running (died, link broken or silent, protocol broken). */
    static final int EXIT_PEER_LOST = 4;
    /** Exit status: a peer refused this node, or this node refused it (secret, version, a rejoin). */
    static final int EXIT_PEER_REFUSED = 5;
    /** Exit status: a peer never joined or booted within the join timeout. */
    static final int EXIT_PEER_UNREACHABLE = 6;

    /** Where the secret comes from when no --secret-file is given. */
    static final String SECRET_ENV = "FLOTILLA_CLUSTER_SECRET";

    @Spec
    private CommandSpec spec;

    @Option(names = "--id", required = true, paramLabel = "N",
            description = "This node's id: its position in --peers, from 0.")
    private int id;

    @Option(names = "--peers", required = true, paramLabel = "HOST:PORT,...",
            description = "Every node's address in id order, this node's own included.")
    private String peers;

    @Option(names = "--listen", paramLabel = "PORT",
            description = "The port to listen on (default: this node's port in --peers).")
    private Integer listen;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "A file holding the cluster secret (at least 16 bytes; surrounding whitespace ignored); "
                    + "default: the " + SECRET_ENV + " environment variable.")
    private Path secretFile;

    @Option(names = {"-t", "--topology"}, defaultValue = "amd-8x4", paramLabel = "NAME|FILE",
            description = "The machine the multikernel runs; the same on every node (default: ${DEFAULT-VALUE}).")
    private String topology;

    @Option(names = "--cores", required = true, paramLabel = "A-B",
            description = "The cores of the machine this node runs; the nodes' ranges together must be 0..n-1.")
    private String cores;

    @Option(names = "--server", defaultValue = "0", paramLabel = "CORE",
            description = "ping-pong: the server's core (default: ${DEFAULT-VALUE}).")
    private int serverCore;

    @Option(names = "--client", paramLabel = "CORE",
            description = "ping-pong: the client's core (default: the last core of the membership).")
    private Integer clientCore;

    @Option(names = "--pings", defaultValue = "10000", paramLabel = "N", description = "ping-pong: pings to send.")
    private int pings;

    @Option(names = "--join-timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "How long to wait for every node to join (default: ${DEFAULT-VALUE}).")
    private int joinTimeout;

    @Option(names = "--time-limit", defaultValue = "60", paramLabel = "SECONDS",
            description = "Longest run after joining (default: ${DEFAULT-VALUE}).")
    private int timeLimit;

    @Option(names = "--swap-to", paramLabel = "TRANSPORT",
            description = "ping-pong: the client swaps the binding to TRANSPORT (net, or urpc between nodes of one "
                    + "host) half-way through the pings.")
    private String swapTo;

    @Option(names = "--net-between-nodes",
            description = "Binds between nodes use net even when the nodes run on one host (by default they use "
                    + "urpc in a shared-memory file there). Give it to every node: the server's node decides.")
    private boolean netBetweenNodes;

    @Option(names = "--trace", paramLabel = "FILE",
            description = "Write a Chrome/Perfetto trace of this node's cores to FILE (real time; one file per node).")
    private Path trace;

    /** Transports (and plugins) of one's own: the node's channels come from the transports found here. */
    @Mixin
    private UserClassPath classPath;

    @Parameters(paramLabel = "EXAMPLE", description = "The example to run: ping-pong.")
    private String example;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!example.equals("ping-pong")) {
            throw new ParameterException(spec.commandLine(), "Unknown example '" + example + "' (known: ping-pong)");
        }
        check(pings >= 1 && pings <= 10_000_000, "--pings", pings, "1..10000000");
        if (swapTo != null && !swapTo.equals("net") && !swapTo.equals("urpc")) {
            throw new ParameterException(spec.commandLine(), "Invalid value for option '--swap-to': '" + swapTo
                    + "' (between nodes: net, or urpc on one host)");
        }
        check(joinTimeout >= 1 && joinTimeout <= 3600, "--join-timeout", joinTimeout, "1..3600 seconds");
        check(timeLimit >= 1 && timeLimit <= 86_400, "--time-limit", timeLimit, "1..86400 seconds");
        Machine machine;
        try {
            machine = TopologyCommand.load(topology, err);
        } catch (MachineLoadException e) {
            err.println(e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        }
        byte[] secret;
        try {
            secret = secret();
        } catch (IllegalArgumentException e) {
            // A bad secret file is bad input, not a bad command line: one line, without the usage text.
            err.println("flotilla: " + e.getMessage());
            return Flotilla.EXIT_INPUT_ERROR;
        }
        if (secretFile != null) {
            for (String warning : SecretCheck.warnings(secretFile, secret)) {
                err.println("flotilla: warning: " + warning);
            }
        } else if (SecretCheck.weakness(secret) != null) {
            err.println("flotilla: warning: the secret in " + SECRET_ENV + " is weak (" + SecretCheck.weakness(secret)
                    + ")");
        }
        NodeConfig config;
        try {
            List<InetSocketAddress> addresses = NodeConfig.parsePeers(peers);
            int[] range = NodeConfig.parseCores(cores);
            int port = listen != null ? listen
                    : id >= 0 && id < addresses.size() ? addresses.get(id).getPort() : 0;
            config = new NodeConfig(id, addresses, port, secret, machine, range[0], range[1],
                    Duration.ofSeconds(joinTimeout)).withSameHostUrpc(!netBetweenNodes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
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
        try (Node node = Node.start(config)) {
            int last = node.coreCount() - 1;
            int client = clientCore != null ? clientCore : last;
            for (String[] c : new String[][] {{"--server", Integer.toString(serverCore)},
                    {"--client", Integer.toString(client)}}) {
                int core = Integer.parseInt(c[1]);
                if (core < 0 || core > last) {
                    err.println("flotilla: " + c[0] + " " + core + " is not a core of the multikernel (cores 0.."
                            + last + " run on the " + config.nodes() + " nodes)");
                    return Flotilla.EXIT_INPUT_ERROR;
                }
            }
            var captured = new ByteArrayOutputStream();
            boolean ok;
            try (var ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
                ok = PingPongOnNodes.run(node, serverCore, client, pings, swapTo, Duration.ofSeconds(timeLimit),
                        writer, ps).ok();
            }
            out.print(captured.toString(StandardCharsets.UTF_8));
            if (writer != null) {
                writer.close();
                out.println("trace: " + writer.events() + " events in " + trace + " (open it in ui.perfetto.dev)");
            }
            out.flush();
            NodeException lost = node.peerLost();
            if (lost != null) {
                err.println("flotilla: " + lost.getMessage());
                return exitStatus(lost);
            }
            if (!ok) {
                err.println("flotilla: node " + config.id() + ": the run failed (see the errors above)");
                return EXIT_RUN_FAILED;
            }
            return 0;
        } catch (NodeException e) {
            err.println("flotilla: " + e.getMessage());
            return exitStatus(e);
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }

    /** The exit status of a node's failure: one per kind, as `flotilla node --help` lists them. */
    static int exitStatus(NodeException e) {
        return switch (e.failure()) {
            case CONFIGURATION -> Flotilla.EXIT_INPUT_ERROR;
            case PEER_LOST -> EXIT_PEER_LOST;
            case REFUSED -> EXIT_PEER_REFUSED;
            case UNREACHABLE -> EXIT_PEER_UNREACHABLE;
        };
    }

    private byte[] secret() {
        if (secretFile != null) {
            return NodeConfig.readSecret(secretFile);
        }
        String env = System.getenv(SECRET_ENV);
        if (env == null || env.isBlank()) {
            throw new IllegalArgumentException("no cluster secret: give --secret-file FILE (the same on every node) "
                    + "or set " + SECRET_ENV);
        }
        return env.strip().getBytes(StandardCharsets.UTF_8);
    }

    private void check(boolean ok, String option, int value, String range) {
        if (!ok) {
            throw new ParameterException(spec.commandLine(),
                    "Invalid value for option '" + option + "': " + value + " (must be " + range + ")");
        }
    }
}
