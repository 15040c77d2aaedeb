package io.flotilla.kernel.node;

import io.flotilla.binding.Binding;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.intermon.IntermonStub;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's node in a child JVM for {@link NodeSwapTest}: {@code SwapNodeMain ID PEERS SECRET_FILE CORES TOTAL
 * SWAPS CLIENT_CORE}. Runs {@link Stream.Server} on its first core, swapping the binding itself at the points
 * SWAPS (comma-separated transports, or "-") names; before the run it sends the client's core hostile urpc
 * rendezvous frames, which that node must refuse without breaking anything. Exits 0 only if every ping arrived
 * once and in order and its own swaps were made.
 */
public final class SwapNodeMain {

    public static void main(String[] args) throws Exception {
        int id = Integer.parseInt(args[0]);
        int[] cores = NodeConfig.parseCores(args[3]);
        int total = Integer.parseInt(args[4]);
        String[] swaps = args[5].equals("-") ? new String[0] : args[5].split(",");
        int clientCore = Integer.parseInt(args[6]);
        NodeConfig config = NodeConfig.of(id, NodeConfig.parsePeers(args[1]),
                NodeConfig.readSecret(Path.of(args[2])), Machines.load("amd-8x4"), cores[0], cores[1])
                .withSameHostUrpc(false); // the server's node picks the bind's transport: net, so swaps start there
        Stream.Server server = new Stream.Server(total, swaps);
        try (Node node = Node.start(config)) {
            Multikernel mk = node.boot(new PinnedPlatform(TransportRegistry.discover(), true, false, 11),
                    b -> b.dispatcher(cores[0], server).out(null));
            // A link in the channel directory that points elsewhere, with a well-formed name.
            Path link = node.channelDirectory().resolve(ChannelDirectory.PREFIX + ProcessHandle.current().pid()
                    + "-00000000000000aa");
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of("/etc/hostname"));
            String[] hostile = {"../../../etc/hostname", "evil-1-0123456789abcdef", link.getFileName().toString(),
                    ChannelDirectory.PREFIX + "1-0123456789abcdef"};
            // Sent as core cores[0]'s monitor would, on the routed channel to the client's core.
            IntermonStub forged = new IntermonStub(new Binding(node.outbound(cores[0], clientCore)));
            for (int i = 0; i < hostile.length; i++) {
                forged.swapUrpc(1, clientCore, cores[0], 1_000_000 + i, i % 2 == 0, hostile[i]);
            }
            node.run(Duration.ofSeconds(60));
            Files.deleteIfExists(link);
            System.out.println("served: " + server.served + " of " + total);
            System.out.println("rpcs: " + server.rpcs);
            System.out.println("server swaps: " + server.swapper.done + " errors: " + server.swapper.errors);
            System.out.println("failure: " + server.failure);
            System.out.println("failures: " + mk.failures());
            System.out.println("urpc made: " + node.urpcChannelsMade());
            boolean ok = server.served == total && server.failure == null && mk.failures().isEmpty()
                    && server.swapper.done.size() == swaps.length && server.swapper.errors.isEmpty();
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
