package io.flotilla.transport.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.SwapTest;
import io.flotilla.channel.ChannelPair;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Live swaps between urpc and net while the net connections are cut at random points: the binding's swap protocol
 * and net's resume protocol together still deliver every frame exactly once, in order.
 */
class SwapUnderCutsTest {

    @Test
    @Timeout(120)
    void swapsBetweenUrpcAndACutNetworkConnectionLoseNothing() throws Exception {
        NetConfig config = Traffic.config()
                .ringFrames(256)
                .reconnectAttempts(100)
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(20))
                .sessionLinger(Duration.ofSeconds(20))
                .build();
        var proxies = new ArrayList<ChaosProxy>();
        try (NetTransport net = NetTransport.create(2)) {
            int[] opened = {0};
            int swaps = SwapTest.runAcrossThreads(slots -> {
                if (opened[0]++ % 2 == 1) {
                    return UrpcChannel.openPair(slots, FlowControl.USED_BIT, Math.max(1, slots / 2));
                }
                return cutNetPair(net, config, proxies);
            }, 500_000); // each way: 10^6 frames in all

            assertThat(swaps).isGreaterThan(10);
            long cuts = proxies.stream().mapToLong(ChaosProxy::cuts).sum();
            assertThat(cuts).as("the network was cut under the bindings").isGreaterThan(3);
        } finally {
            for (ChaosProxy p : proxies) {
                p.close();
            }
        }
    }

    /** A net channel whose TCP connection passes through a proxy that cuts it every 5 to 40 ms. */
    private static ChannelPair cutNetPair(NetTransport net, NetConfig config, List<ChaosProxy> proxies) {
        try {
            var accepted = new LinkedBlockingQueue<NetChannel>();
            NetServer server = net.listen(new InetSocketAddress("127.0.0.1", 0), config, accepted::add);
            ChaosProxy proxy = new ChaosProxy(server.localAddress(), proxies.size(), 5, 40);
            proxies.add(proxy);
            NetChannel client = net.connect(proxy.address(), config);
            NetChannel serverEnd = accepted.poll(5, TimeUnit.SECONDS);
            if (serverEnd == null) {
                throw new IllegalStateException("no session accepted");
            }
            proxy.arm();
            return new ChannelPair(client, new NetLoopbackTransport.ListenerOwningEnd(serverEnd, server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
