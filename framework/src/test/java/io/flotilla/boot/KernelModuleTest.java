package io.flotilla.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import io.flotilla.binding.Binding;
import io.flotilla.binding.Continuation;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A multikernel assembled by Guice from a machine, a platform and the kernel module, then booted and run. */
class KernelModuleTest {

    private static void send(Binding b, long value) {
        FrameWriter w = b.claim();
        w.putWord(0, value);
        w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
        b.endMessage(Continuation.NONE);
    }

    /** Echoes every frame back. */
    static final class Echo extends Dispatcher {
        @Override
        protected void onStart() {
            export("echo", binding -> {
                binding.setReceiver(frame -> send(binding, frame.word(0)));
                return true;
            });
        }
    }

    /** Sends 1..n one at a time and records the echoes and the binding's round-trip times. */
    static final class Client extends Dispatcher {
        final List<Long> echoed = new ArrayList<>();
        final List<Long> rtts = new ArrayList<>();
        long sentAt;

        @Override
        protected void onStart() {
            bind("echo", (binding, error) -> {
                binding.setReceiver(frame -> {
                    echoed.add(frame.word(0));
                    rtts.add(now() - sentAt);
                    if (echoed.size() < 10) {
                        sentAt = now();
                        send(binding, echoed.size() + 1);
                    } else {
                        stopKernel();
                    }
                });
                sentAt = now();
                send(binding, 1);
            });
        }
    }

    @Test
    void theInjectorBuildsABootableMultikernelWhoseBindsFollowTheSkb() {
        var injector = Guice.createInjector(new MachineModule(Machines.load("amd-8x4")), PlatformModule.sim(5),
                new KernelModule());
        var client = new Client();
        var sameCoreClient = new Client();
        Multikernel mk = injector.getInstance(Multikernel.Builder.class)
                .cores(8)
                .dispatcher(7, new Echo())
                .dispatcher(0, client)
                .out(null)
                .boot();
        mk.run(Duration.ofSeconds(10));

        assertThat(client.echoed).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        // Cores 0 and 7 are in different packages of the 8x4 AMD: the SKB picks urpc, priced as two messages.
        assertThat(client.rtts).allMatch(rtt -> rtt >= 2 * 538);
        assertThat(mk.traceHash()).isPresent();
        mk.close();

        var sameCore = Guice.createInjector(new MachineModule(Machines.load("amd-8x4")), PlatformModule.sim(5),
                new KernelModule());
        Multikernel local = sameCore.getInstance(Multikernel.Builder.class)
                .cores(1)
                .dispatcher(0, new Echo())
                .dispatcher(0, sameCoreClient)
                .out(null)
                .boot();
        local.run(Duration.ofSeconds(10));
        // Same core: the SKB picks lrpc, Table 1's 1549-cycle round trip on this machine.
        assertThat(sameCoreClient.rtts).isNotEmpty().allMatch(rtt -> rtt >= 1500 && rtt <= 1600);
        local.close();
    }
}
