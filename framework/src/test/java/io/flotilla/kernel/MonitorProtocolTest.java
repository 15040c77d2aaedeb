package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.Binding;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The monitors' own protocol (intermon.if) within one JVM: binds and swaps between cores and on one core, from either
 * end, refused swaps reaching the side that asked once, and every channel end left in the channel table collected.
 */
class MonitorProtocolTest {

    private static Machine amd;

    @BeforeAll
    static void load() {
        amd = Machines.load("amd-8x4");
    }

    /** Pings through a binding forever, swapping it as told: counts pongs before and after each swap. */
    static final class Swapper extends Dispatcher {
        final List<String> log = new ArrayList<>();
        final String service;
        final String[] swaps;
        Binding binding;
        int pongs;
        int next;

        Swapper(String service, String... swaps) {
            this.service = service;
            this.swaps = swaps;
        }

        @Override
        protected void onStart() {
            bind(service, (b, error) -> {
                if (error != null) {
                    log.add("bind failed: " + error.getMessage());
                    return;
                }
                binding = b;
                b.setReceiver(frame -> {
                    pongs++;
                    if (pongs % 50 == 0 && next < swaps.length) {
                        String to = swaps[next++];
                        swap(b, to, () -> log.add("swapped to " + to + " after " + pongs),
                                e -> log.add("refused " + to + ": " + e.getMessage()));
                    }
                    // Stop once every swap was asked for and has answered. On sim the answers come within the same
                    // 50 pongs, so this stops at exactly 50 per swap; on pinned a refusal crosses the monitors on
                    // their own turns and may come some pongs later, the faster the transport the more.
                    if (pongs >= 50 * (swaps.length + 1) && log.size() == swaps.length) {
                        stopKernel();
                        return;
                    }
                    PingPong.send(b, PingPong.PING, pongs);
                });
                PingPong.send(b, PingPong.PING, 0);
            });
        }
    }

    @Test
    void aClientSwapsBetweenCoresAndEveryRefusalReachesItOnceWhileTrafficGoesOn() {
        Swapper client = new Swapper("s", "urpc", "lrpc", "urpc");
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(3)).out(null)
                .dispatcher(4, new PingPong.Server("s")).dispatcher(9, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(mk.failures()).isEmpty();
        assertThat(client.pongs).isEqualTo(200);
        assertThat(client.log).hasSize(3);
        // a swap completes while pings go on: a few pongs after it was asked for, before the next is asked for
        assertThat(client.log.get(0)).matches("swapped to urpc after (5\\d|6\\d)");
        assertThat(client.log.get(1)).startsWith("refused lrpc: cannot swap the binding between core 9 and core 4 "
                + "to 'lrpc'");
        assertThat(client.log.get(2)).matches("swapped to urpc after 1[56]\\d");
        assertThat(mk.channels().waiting()).isZero();
    }

    @Test
    void aBindOfACoreToItselfSwapsLikeAnyOther() {
        Swapper client = new Swapper("self", "urpc", "lrpc");
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(4)).out(null)
                .dispatcher(2, new PingPong.Server("self")).dispatcher(2, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(mk.failures()).isEmpty();
        assertThat(client.log).hasSize(2);
        assertThat(client.log.get(0)).matches("swapped to urpc after (5\\d|6\\d)");
        assertThat(client.log.get(1)).matches("swapped to lrpc after 1[01]\\d");
        assertThat(client.pongs).isEqualTo(150);
        assertThat(mk.channels().waiting()).isZero();
    }

    @Test
    void theServerEndAsksForASwapToo() {
        List<String> log = new ArrayList<>();
        Dispatcher server = new Dispatcher() {
            @Override
            protected void onStart() {
                export("srv", b -> {
                    int[] pings = {0};
                    b.setReceiver(frame -> {
                        pings[0]++;
                        PingPong.send(b, PingPong.PONG, frame.word(0));
                        if (pings[0] == 20) {
                            swap(b, "urpc", () -> log.add("server swapped after " + pings[0]),
                                    e -> log.add("server refused: " + e.getMessage()));
                        }
                    });
                    return true;
                });
            }
        };
        PingPong.Client client = new PingPong.Client("srv", 100, true);
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(5)).out(null)
                .dispatcher(17, server).dispatcher(1, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(mk.failures()).isEmpty();
        assertThat(client.roundTrips()).hasSize(100);
        assertThat(log).hasSize(1).allSatisfy(l -> assertThat(l).startsWith("server swapped after "));
    }

    @Test
    void aBindToAnIrefNobodyExportedFailsOnceThroughItsContinuation() {
        List<String> outcomes = new ArrayList<>();
        Dispatcher client = new Dispatcher() {
            @Override
            protected void onStart() {
                monitor().bind(this, Monitor.IREFS_PER_CORE * 6 + 7, (b, e) -> outcomes.add(b + " " + e.getMessage()));
                monitor().bind(this, 0, (b, e) -> outcomes.add(b + " " + e.getMessage()));
            }
        };
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(6)).out(null).dispatcher(3, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(outcomes).containsExactlyInAnyOrder("null iref 0 names no core",
                "null iref 1543 is not exported on core 6");
    }

    @Test
    void aServiceNameLongerThanTheProtocolCarriesIsRefusedAtExport() {
        List<String> outcomes = new ArrayList<>();
        Dispatcher d = new Dispatcher() {
            @Override
            protected void onStart() {
                try {
                    export("x".repeat(Monitor.MAX_NAME_BYTES + 1), b -> true);
                } catch (BindException e) {
                    outcomes.add(e.getMessage().substring(0, 40));
                }
                bind("y".repeat(300), (b, e) -> outcomes.add("bind: " + e.getMessage().substring(0, 40)));
            }
        };
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(7)).out(null).dispatcher(0, d).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(outcomes).containsExactly("a service name is at most 255 bytes of U",
                "bind: a service name is at most 255 bytes of U");
    }

    @Test
    void onPinnedCoresMonitorsBindAndSwapThroughTheirOwnLinks() {
        Swapper client = new Swapper("p", "urpc", "lrpc");
        try (Multikernel mk = Multikernel.builder(amd, new PinnedPlatform(
                        io.flotilla.channel.TransportRegistry.discover(), true, false, 1)).out(null).cores(2)
                .dispatcher(0, new PingPong.Server("p")).dispatcher(1, client).boot()) {
            mk.run(Duration.ofSeconds(60));
            assertThat(mk.failures()).isEmpty();
            assertThat(client.pongs).isGreaterThanOrEqualTo(150);
            assertThat(client.log).hasSize(2);
            assertThat(client.log.get(0)).matches("swapped to urpc after \\d+");
            assertThat(client.log.get(1)).startsWith("refused lrpc: ");
            assertThat(mk.channels().waiting()).isZero();
        }
    }
}
