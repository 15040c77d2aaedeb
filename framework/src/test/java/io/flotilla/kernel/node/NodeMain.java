package io.flotilla.kernel.node;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.PingPong;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A node in a child JVM for {@link MultiNodeTest}: {@code NodeMain ID PEERS SECRET_FILE CORES ROUNDS}. Runs the
 * ping-pong client (ROUNDS round trips to the service "ping") on its first core, prints what it saw, and exits 0
 * only if every round trip came back in order.
 */
public final class NodeMain {

    public static void main(String[] args) {
        int id = Integer.parseInt(args[0]);
        int[] cores = NodeConfig.parseCores(args[3]);
        int rounds = Integer.parseInt(args[4]);
        NodeConfig config = NodeConfig.of(id, NodeConfig.parsePeers(args[1]),
                NodeConfig.readSecret(Path.of(args[2])), Machines.load("amd-8x4"), cores[0], cores[1]);
        PingPong.Client client = new PingPong.Client("ping", rounds, true);
        try (Node node = Node.start(config)) {
            Multikernel mk = node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 7),
                    b -> b.dispatcher(cores[0], client).out(null));
            node.run(Duration.ofSeconds(30));
            System.out.println("round trips: " + client.roundTrips().size() + " of " + rounds);
            System.out.println("bind error: " + client.error());
            System.out.println("failures: " + mk.failures());
            boolean ok = client.error() == null && client.roundTrips().size() == rounds && mk.failures().isEmpty();
            System.out.println(ok ? "OK" : "FAILED");
            System.out.flush();
            System.exit(ok ? 0 : 1);
        } catch (NodeException e) {
            System.out.println("node failed: " + e.getMessage());
            System.out.flush();
            System.exit(2);
        }
    }
}
