package io.flotilla.kernel.node;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.PingPong;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A node in a child JVM that runs until it is killed, for {@link NodeFailureTest}: {@code LongNodeMain ID PEERS
 * SECRET_FILE CORES server|client}. On its first core it runs the ping service, or a client that never stops
 * pinging it. Prints "joined" once the membership is agreed. Exits with the status {@code flotilla node} would
 * give: 0, or 4 for a lost peer (and the line naming it).
 */
public final class LongNodeMain {

    public static void main(String[] args) {
        int id = Integer.parseInt(args[0]);
        int[] cores = NodeConfig.parseCores(args[3]);
        boolean server = args[4].equals("server");
        NodeConfig config = NodeConfig.of(id, NodeConfig.parsePeers(args[1]),
                NodeConfig.readSecret(Path.of(args[2])), Machines.load("amd-8x4"), cores[0], cores[1]);
        try (Node node = Node.start(config)) {
            System.out.println("joined");
            System.out.flush();
            node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 11),
                    b -> b.dispatcher(cores[0], server ? new PingPong.Server("ping")
                            : new PingPong.Client("ping", Integer.MAX_VALUE, true)).out(null));
            node.run(Duration.ofSeconds(60));
            NodeException lost = node.peerLost();
            System.out.println(lost == null ? "ended" : "lost: " + lost.getMessage());
            System.out.flush();
            System.exit(lost == null ? 0 : 4);
        } catch (NodeException e) {
            System.out.println("node failed (" + e.failure() + "): " + e.getMessage());
            System.out.flush();
            System.exit(9);
        }
    }
}
