package io.flotilla.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Inter-processor interrupts: a vector and a word travel, the handler is the target core's own. */
class InterruptTest {

    private static final Machine AMD8 = Machines.load("amd-8x4");

    /** Sends {@code word} on {@code vector} to each of {@code targets}, 1000 cycles after start. */
    static final class Sender extends Dispatcher {
        final int vector;
        final long word;
        final int[] targets;

        Sender(int vector, long word, int... targets) {
            this.vector = vector;
            this.word = word;
            this.targets = targets;
        }

        @Override
        protected void onStart() {
            after(1000, () -> {
                for (int t : targets) {
                    interrupt(t, vector, word);
                }
            });
        }
    }

    /** Records the interrupts it takes on the vectors it registered before boot: "core:from:word". */
    static final class Receiver extends Dispatcher {
        final List<String> taken = new ArrayList<>();

        Receiver(int... vectors) {
            for (int v : vectors) {
                onInterrupt(v, (from, word) -> taken.add(v + ":" + core() + ":" + from + ":" + word));
            }
        }
    }

    private static List<HandlerFailure> run(Dispatcher... onCores) {
        Multikernel.Builder b = Multikernel.builder(AMD8, new SimPlatform(7)).out(null).onFailure(f -> {});
        for (int c = 0; c < onCores.length; c++) {
            if (onCores[c] != null) {
                b.dispatcher(c, onCores[c]);
            }
        }
        Multikernel mk = b.boot();
        mk.run(Duration.ofSeconds(1));
        return mk.failures();
    }

    @Test
    void eachCoreRunsItsOwnHandlerForAVector() {
        Receiver one = new Receiver(0x30);
        Receiver two = new Receiver(0x30, 0x31);
        List<HandlerFailure> failures = run(new Sender(0x30, -5, 1, 2, 2), one, two);

        assertThat(failures).isEmpty();
        assertThat(one.taken).containsExactly("48:1:0:-5");
        assertThat(two.taken).containsExactly("48:2:0:-5", "48:2:0:-5");
    }

    @Test
    void anUnregisteredVectorIsOneFailureNamingTheCoreTheVectorAndTheSender() {
        Receiver other = new Receiver(0x30);
        Sender sender = new Sender(0x31, 1, 3);
        List<HandlerFailure> failures = run(sender, null, null, other);

        assertThat(failures).hasSize(1);
        HandlerFailure f = failures.get(0);
        assertThat(f.core()).isEqualTo(3);
        assertThat(f.cause().getMessage()).isEqualTo(
                "core 3: interrupt vector 49 from core 0 has no handler registered on this core");
        assertThat(other.taken).isEmpty();
        assertThat(sender.failed()).isFalse();
        assertThat(other.failed()).isFalse();
    }

    @Test
    void aVectorTakenTwiceOnOneCoreFailsTheBoot() {
        Multikernel.Builder b = Multikernel.builder(AMD8, new SimPlatform(7)).out(null)
                .dispatcher(2, new Receiver(0x30)).dispatcher(2, new Receiver(0x31, 0x30));
        assertThatThrownBy(b::boot).isInstanceOf(IllegalStateException.class)
                .hasMessage("core 2: interrupt vector 48 is already handled by Receiver@2; Receiver@2 cannot register"
                        + " it too");
    }

    @Test
    void theSameVectorOnTwoCoresIsTwoHandlers() {
        Receiver a = new Receiver(0x30);
        Receiver b = new Receiver(0x30);
        assertThat(run(new Sender(0x30, 9, 2, 1), a, b)).isEmpty();
        assertThat(a.taken).containsExactly("48:1:0:9");
        assertThat(b.taken).containsExactly("48:2:0:9");
    }

    @Test
    void aHandlerRegisteredOnItsCoreAtRunTimeTakesLaterInterrupts() {
        class Late extends Dispatcher {
            final List<Long> words = new ArrayList<>();

            @Override
            protected void onStart() {
                onInterrupt(0x40, (from, word) -> words.add(word));
                assertThatThrownBy(() -> onInterrupt(0x40, (from, word) -> {}))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot register it twice");
            }
        }
        Late late = new Late();
        assertThat(run(new Sender(0x40, 77, 1), late)).isEmpty();
        assertThat(late.words).containsExactly(77L);
    }

    @Test
    void aThrowingHandlerFailsOnlyItsDispatcherOnce() {
        class Faulty extends Dispatcher {
            int calls;

            Faulty() {
                onInterrupt(0x50, (from, word) -> {
                    calls++;
                    throw new IllegalStateException("bad word " + word);
                });
            }
        }
        Faulty faulty = new Faulty();
        Receiver neighbour = new Receiver(0x51);
        Multikernel mk = Multikernel.builder(AMD8, new SimPlatform(7)).out(null).onFailure(f -> {})
                .dispatcher(0, new Sender(0x50, 1, 1, 1)).dispatcher(0, new Sender(0x51, 2, 1))
                .dispatcher(1, faulty).dispatcher(1, neighbour).boot();
        mk.run(Duration.ofSeconds(1));

        assertThat(mk.failures()).hasSize(1);
        assertThat(mk.failures().get(0).dispatcher()).isEqualTo(faulty.name());
        assertThat(mk.failures().get(0).cause()).hasMessage("bad word 1");
        assertThat(faulty.calls).isEqualTo(1); // a failed dispatcher takes no more upcalls, interrupts included
        assertThat(neighbour.taken).containsExactly("81:1:0:2");
    }

    @Test
    void vectorsAndCoresOutOfRangeAreRefusedAtTheSender() {
        assertThatThrownBy(() -> new Receiver(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interrupt vector 256 is not one of 0..255");
        assertThatThrownBy(() -> new Receiver(-1)).isInstanceOf(IllegalArgumentException.class);
        List<String> refusals = new ArrayList<>();
        class Wrong extends Dispatcher {
            @Override
            protected void onStart() {
                for (int[] call : new int[][] {{1, 256}, {1, -1}, {8, 1}, {-1, 1}}) {
                    try {
                        interrupt(call[0], call[1], 0);
                    } catch (IllegalArgumentException e) {
                        refusals.add(e.getMessage());
                    }
                }
            }
        }
        Multikernel mk = Multikernel.builder(AMD8, new SimPlatform(7)).out(null).cores(8)
                .dispatcher(0, new Wrong()).boot();
        mk.run(Duration.ofSeconds(1));
        assertThat(mk.failures()).isEmpty();
        assertThat(refusals).containsExactly("interrupt vector 256 is not one of 0..255",
                "interrupt vector -1 is not one of 0..255", "Wrong@0: no core 8 to interrupt (booted cores 0..7)",
                "Wrong@0: no core -1 to interrupt (booted cores 0..7)");
    }

    @Test
    void onPinnedAnInterruptCarriesItsSenderVectorAndWordToTheTargetsHandler() {
        AtomicLong seen = new AtomicLong();
        class Pinger extends Dispatcher {
            Pinger() {
                // the answer comes back on 0x21 with the word the target was sent, plus one
                onInterrupt(0x21, (from, word) -> {
                    seen.set(from * 1_000_000L + word);
                    stopKernel();
                });
            }

            @Override
            protected void onStart() {
                // In order: core 1 reports the stray vector before it answers, so before this core stops the kernel.
                interrupt(1, 0x22, 0); // nobody registered 0x22 there
                interrupt(1, 0x20, 41); // may arrive before core 1 has run anything: its vector is set at boot
            }
        }
        class Ponger extends Dispatcher {
            Ponger() {
                onInterrupt(0x20, (from, word) -> interrupt(from, 0x21, word + 1));
            }
        }
        PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, false, 1);
        try (Multikernel mk = Multikernel.builder(AMD8, platform).out(null).cores(2).onFailure(f -> {})
                .dispatcher(0, new Pinger()).dispatcher(1, new Ponger()).boot()) {
            mk.run(Duration.ofSeconds(20));
            assertThat(seen.get()).isEqualTo(1_000_042L);
            assertThat(mk.failures()).extracting(f -> f.cause().getMessage())
                    .containsExactly("core 1: interrupt vector 34 from core 0 has no handler registered on this core");
        }
    }
}
