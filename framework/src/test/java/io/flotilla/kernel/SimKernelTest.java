package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.Binding;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimKernelTest {

    private static Machine amd;

    @BeforeAll
    static void load() {
        amd = Machines.load("amd-8x4");
    }

    @Test
    void pingPongAcrossPackagesCostsTwoTable2LatenciesPerRoundTrip() {
        PingPong.Server server = new PingPong.Server("ping");
        PingPong.Client client = new PingPong.Client("ping", 50, true);
        // core 0 is on package 0, core 5 on package 1: one HyperTransport hop, 613 cycles in Table 2.
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null)
                .dispatcher(0, server).dispatcher(5, client).boot();
        mk.run(Duration.ofSeconds(1));

        assertThat(client.error).isNull();
        assertThat(client.roundTrips).hasSize(50);
        assertThat(server.served).isEqualTo(50);
        // a one-frame URPC message = 2 line transfers of 613 / 2 cycles (+ jitter of at most 8 cycles each way)
        assertThat(client.roundTrips).allSatisfy(rtt -> assertThat(rtt).isBetween(2 * 614L, 2 * 614L + 16));
        assertThat(mk.failures()).isEmpty();
    }

    @Test
    void sameCoreBindUsesLrpcPricedFromTable1() {
        PingPong.Server server = new PingPong.Server("local");
        PingPong.Client client = new PingPong.Client("local", 10, true);
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null)
                .dispatcher(3, server).dispatcher(3, client).boot();
        mk.run(Duration.ofSeconds(1));

        assertThat(client.roundTrips).hasSize(10).allSatisfy(rtt -> assertThat(rtt).isEqualTo(1548L));
    }

    private static long hashOfRun(long seed) {
        List<PingPong.Client> clients = new ArrayList<>();
        Multikernel.Builder b = Multikernel.builder(amd, new SimPlatform(seed)).out(null);
        for (int pair = 0; pair < 8; pair++) {
            PingPong.Client c = new PingPong.Client("s" + pair, 20, false);
            clients.add(c);
            b.dispatcher(pair, new PingPong.Server("s" + pair)).dispatcher(31 - pair, c);
        }
        Multikernel mk = b.boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(clients).allSatisfy(c -> assertThat(c.roundTrips).hasSize(20));
        return mk.traceHash().orElseThrow();
    }

    @Test
    void sameSeedSameTraceHashOtherSeedOtherHash() {
        long a = hashOfRun(42);
        long b = hashOfRun(42);
        long c = hashOfRun(43);
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void runPrintsTheTraceHashLast() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(5))
                .out(new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8))
                .dispatcher(0, new PingPong.Server("p")).dispatcher(9, new PingPong.Client("p", 3, false)).boot();
        mk.run(Duration.ofSeconds(1));
        String out = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(String.format("trace-hash: %016x%n", mk.traceHash().orElseThrow()));
    }

    @Test
    void bindToAnUnknownNameFailsAfterItsTimeout() {
        List<BindException> errors = new ArrayList<>();
        long[] when = new long[1];
        Dispatcher d = new Dispatcher() {
            @Override
            protected void onStart() {
                bind("nobody", 100_000, (binding, error) -> {
                    errors.add(error);
                    when[0] = now();
                    assertThat(binding).isNull();
                });
            }
        };
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null).dispatcher(7, d).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).hasMessageContaining("no service named 'nobody'").hasMessageContaining("core 7");
        assertThat(when[0]).isEqualTo(100_000L);
    }

    @Test
    void lookupWaitsForALateExport() {
        PingPong.Client client = new PingPong.Client("late", 2, true);
        Dispatcher lateServer = new Dispatcher() {
            @Override
            protected void onStart() {
                after(50_000, () -> export("late", b -> {
                    b.setReceiver(f -> PingPong.send(b, PingPong.PONG, f.word(0)));
                    return true;
                }));
            }
        };
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null)
                .dispatcher(12, lateServer).dispatcher(30, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(client.error).isNull();
        assertThat(client.roundTrips).hasSize(2);
    }

    @Test
    void aRefusedBindSurfacesAsAnError() {
        List<BindException> errors = new ArrayList<>();
        Dispatcher picky = new Dispatcher() {
            @Override
            protected void onStart() {
                export("picky", binding -> false);
            }
        };
        Dispatcher client = new Dispatcher() {
            @Override
            protected void onStart() {
                bind("picky", (binding, error) -> errors.add(error));
            }
        };
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null)
                .dispatcher(1, picky).dispatcher(20, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("refused"));
    }

    @Test
    void aCrashingHandlerIsReportedAndTheOtherCoresGoOn() {
        List<HandlerFailure> reported = new ArrayList<>();
        Dispatcher crasher = new Dispatcher() {
            @Override
            public String name() {
                return "crasher";
            }

            @Override
            protected void onStart() {
                export("crash", binding -> {
                    binding.setReceiver(frame -> {
                        throw new IllegalStateException("boom");
                    });
                    return true;
                });
            }
        };
        PingPong.Client victim = new PingPong.Client("crash", 1, false);
        PingPong.Server server = new PingPong.Server("fine");
        PingPong.Client client = new PingPong.Client("fine", 30, false);
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null).onFailure(reported::add)
                .dispatcher(1, crasher).dispatcher(1, new PingPong.Server("same-core-neighbour"))
                .dispatcher(2, victim).dispatcher(3, server).dispatcher(4, client)
                .dispatcher(6, new PingPong.Client("same-core-neighbour", 5, false))
                .boot();
        mk.run(Duration.ofSeconds(1));

        assertThat(reported).singleElement().satisfies(f -> {
            assertThat(f.core()).isEqualTo(1);
            assertThat(f.dispatcher()).isEqualTo("crasher");
            assertThat(f.cause()).hasMessage("boom");
        });
        assertThat(mk.failures()).isEqualTo(reported);
        assertThat(crasher.failed()).isTrue();
        assertThat(victim.roundTrips).isEmpty();
        assertThat(client.roundTrips).hasSize(30);
        // the other dispatcher on the crashing core keeps working too
        assertThat(((PingPong.Client) mk.driver(6).dispatchers().get(0)).roundTrips).hasSize(5);
    }

    @Test
    void mesh1024BootsAndBroadcastsToEveryCore() {
        Machine mesh = Machines.load("mesh-1024");
        int n = mesh.coreCount();
        int[] acks = new int[1];
        long[] finished = new long[1];
        Dispatcher root = new Dispatcher() {
            @Override
            protected void onStart() {
                for (int c = 1; c < n; c++) {
                    bind("node-" + c, (binding, error) -> {
                        if (error != null) {
                            throw error;
                        }
                        binding.setReceiver(frame -> {
                            if (++acks[0] == n - 1) {
                                finished[0] = now();
                                stopKernel();
                            }
                        });
                        PingPong.send(binding, PingPong.PING, core());
                    });
                }
            }
        };
        long start = System.nanoTime();
        Multikernel mk = Multikernel.builder(mesh, new SimPlatform(3)).out(null)
                .dispatcher(0, root)
                .dispatchers(c -> c == 0 ? null : new PingPong.Server("node-" + c))
                .boot();
        mk.run(Duration.ofSeconds(10));
        long wallMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(mk.failures()).isEmpty();
        assertThat(acks[0]).isEqualTo(n - 1);
        assertThat(finished[0]).isPositive();
        assertThat(wallMillis).as("wall time of boot + broadcast on 1024 simulated cores").isLessThan(10_000);
    }

    @Test
    void unbindStopsDelivery() {
        Binding[] kept = new Binding[1];
        Dispatcher client = new Dispatcher() {
            @Override
            protected void onStart() {
                bind("s", (binding, error) -> {
                    kept[0] = binding;
                    unbind(binding);
                });
            }
        };
        Multikernel mk = Multikernel.builder(amd, new SimPlatform(1)).out(null)
                .dispatcher(0, new PingPong.Server("s")).dispatcher(1, client).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(kept[0]).isNotNull();
        assertThat(kept[0].isOpen()).isFalse();
        assertThat(mk.driver(1).bindingCount()).isZero();
    }
}
