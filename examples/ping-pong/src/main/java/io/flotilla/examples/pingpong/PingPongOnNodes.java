package io.flotilla.examples.pingpong;

import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Tracer;
import io.flotilla.kernel.node.Node;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ping-pong conversation of {@link PingPongOnCores} on a multikernel that spans several JVMs: each node runs
 * this with the same server and client cores, and the node that runs a core places its dispatcher there. The client
 * looks the service up through the name service (on core 0's node) and binds through both monitors; between nodes
 * the binding is a {@code net} channel, or {@code urpc} between nodes of one host. The client stops every node when
 * it is done.
 */
public final class PingPongOnNodes {

    /** What one node saw; the client's numbers are zero on a node that did not run it. */
    public record Result(int node, boolean ranServer, boolean ranClient, int pings, int pongs, long medianRttCycles,
            long p99RttCycles, int checksumsCorrect, int checksums, List<String> errors) {

        public boolean ok() {
            return errors.isEmpty() && (!ranClient || (pongs == pings && checksumsCorrect == checksums));
        }
    }

    private PingPongOnNodes() {}

    /**
     * Boots {@code node}'s share with the server on {@code serverCore} and the client on {@code clientCore} (each
     * where this node runs it), runs until the client stops the multikernel or {@code limit} passes, and prints
     * what this node saw.
     */
    public static Result run(Node node, int serverCore, int clientCore, int pings, Duration limit, PrintStream out) {
        return run(node, serverCore, clientCore, pings, limit, null, out);
    }

    /** As above, reporting upcalls and messages of this node's cores to {@code tracer} (null for none). */
    public static Result run(Node node, int serverCore, int clientCore, int pings, Duration limit, Tracer tracer,
            PrintStream out) {
        return run(node, serverCore, clientCore, pings, null, limit, tracer, out);
    }

    /**
     * As above; with {@code swapTo} not null the client swaps the binding to that transport half-way through the
     * pings, while pings are in flight (between nodes: net, or urpc on one host).
     */
    public static Result run(Node node, int serverCore, int clientCore, int pings, String swapTo, Duration limit,
            Tracer tracer, PrintStream out) {
        var server = new PingPongOnCores.Server();
        var client = new PingPongOnCores.Client(pings, swapTo);
        var errors = new ArrayList<String>();
        boolean runsServer = node.isLocal(serverCore);
        boolean runsClient = node.isLocal(clientCore);
        Multikernel mk = node.boot(b -> {
            b.onFailure(f -> {
                synchronized (errors) {
                    errors.add("core " + f.core() + " " + f.dispatcher() + ": " + f.cause());
                }
            }).out(null);
            if (tracer != null) {
                b.tracer(tracer);
            }
            if (runsServer) {
                b.dispatcher(serverCore, server);
            }
            if (runsClient) {
                b.dispatcher(clientCore, client);
            }
        });
        node.run(limit);
        synchronized (errors) {
            errors.addAll(server.errors);
            errors.addAll(client.errors);
        }
        if (runsClient && client.pongs < pings && errors.isEmpty()) {
            errors.add("client: " + client.pongs + " of " + pings + " pongs within " + limit.toSeconds() + " s");
        }
        long[] rtts = Arrays.copyOf(client.rtts, client.pongs);
        Arrays.sort(rtts);
        Result r = new Result(node.config().id(), runsServer, runsClient, pings, client.pongs,
                percentile(rtts, 0.50), percentile(rtts, 0.99), client.checksumsCorrect, client.checksums,
                List.copyOf(errors));
        out.printf("ping-pong on node %d of %d (cores %d-%d of %s): server on core %d, client on core %d%n",
                r.node(), node.config().nodes(), node.config().firstCore(), node.config().lastCore(),
                node.config().machine().name(), serverCore, clientCore);
        if (runsServer) {
            out.printf("  server: say logged %s%n", server.log);
        }
        if (runsClient) {
            out.printf("  client: %d pings, %d pongs; round trip median %d cycles, p99 %d cycles%n", r.pings(),
                    r.pongs(), r.medianRttCycles(), r.p99RttCycles());
            out.printf("  client: checksum rpc: %d of %d replies correct%n", r.checksumsCorrect(), r.checksums());
            if (client.swapped) {
                out.printf("  client: swapped the binding to %s half-way, while pings were in flight%n", swapTo);
            }
        }
        if (!r.errors().isEmpty()) {
            out.printf("  errors: %s%n", r.errors());
        }
        out.print(mk.metrics().summary());
        return r;
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
