package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PingPongFuturesTest {

    @Test
    @Timeout(30)
    void futureAndBlockingStubsEndEveryCallWithItsResultOrStatus() throws Exception {
        var out = new ByteArrayOutputStream();
        var lines = PingPongFutures.run(new PrintStream(out, true, StandardCharsets.UTF_8));
        var crc = new CRC32();
        crc.update(new byte[] {1, 2, 3});
        assertThat(lines).containsExactly(
                "checksum of 3 bytes: crc " + Long.toHexString(crc.getValue()) + ", err 0",
                "checksum of 0 bytes: HANDLER_FAILED: IllegalArgumentException: nothing to checksum",
                "checksum of 13 bytes: DEADLINE_EXCEEDED",
                "blocking call on the client's loop thread: refused",
                "server's error handler: a handler threw: java.lang.IllegalArgumentException: nothing to checksum");
    }

    /**
     * Plain threads swap a live binding through its loops ({@code EventLoop.swap}), no mailbox of their own, while
     * calls flow: every call before, during and after the swap gets its own checksum.
     */
    @Test
    @Timeout(60)
    void aBindingSwapsFromAnyThreadThroughItsLoopWhileCallsFlow() throws Exception {
        var registry = io.flotilla.channel.TransportRegistry.discover();
        var options = io.flotilla.channel.ChannelOptions.DEFAULT.withSlots(64);
        var first = registry.get("urpc").open(io.flotilla.channel.Endpoint.local(0),
                io.flotilla.channel.Endpoint.local(1), options);
        var second = registry.get("net").open(io.flotilla.channel.Endpoint.local(0),
                io.flotilla.channel.Endpoint.local(1), options);
        try (var serverLoop = io.flotilla.binding.EventLoop.start("server");
                var clientLoop = io.flotilla.binding.EventLoop.start("client")) {
            var server = new io.flotilla.binding.Binding(first.right());
            io.flotilla.examples.pingpong.generated.PingPong.bind(server, new PingPongFutures.Server());
            serverLoop.add(server);
            var client = new io.flotilla.binding.Binding(first.left());
            var stub = io.flotilla.examples.pingpong.generated.PingPong.bind(client,
                    new io.flotilla.examples.pingpong.generated.PingPongHandler() {});
            clientLoop.add(client);
            var blocking = new io.flotilla.examples.pingpong.generated.PingPongBlockingStub(
                    new io.flotilla.examples.pingpong.generated.PingPongFutureStub(stub), clientLoop);
            for (int i = 1; i <= 60; i++) {
                if (i == 20) {
                    // each end is told by its own control plane, in any order: here, this thread tells both
                    clientLoop.swap(client, second.left());
                    serverLoop.swap(server, second.right());
                }
                byte[] data = new byte[i];
                java.util.Arrays.fill(data, (byte) i);
                var crc = new CRC32();
                crc.update(data);
                if (i == PingPongFutures.UNLUCKY) {
                    continue; // this server never answers 13 bytes
                }
                var r = blocking.checksum(data, java.time.Duration.ofSeconds(10));
                assertThat(r.crc()).isEqualTo((int) crc.getValue());
            }
            var generation = new java.util.concurrent.CompletableFuture<Integer>();
            clientLoop.execute(() -> generation.complete(client.generation()));
            assertThat(generation.get()).isEqualTo(1);
        }
    }
}
