package io.flotilla.examples.pingpong;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.examples.pingpong.generated.KeyValue;
import io.flotilla.examples.pingpong.generated.KeyValueBlockingStub;
import io.flotilla.examples.pingpong.generated.KeyValueFutureStub;
import io.flotilla.examples.pingpong.generated.KeyValueHandler;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.HandlerFailure;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * A blocking stub called from a dispatcher, on a kernel core's own thread, fails at once with a clear error instead
 * of waiting for a response that only that thread could deliver: on sim (every core on the simulation's thread) and
 * on a pinned core's thread.
 */
class BlockingOnACoreTest {

    @Test
    void onSim() {
        assertThat(blockOnACore(new SimPlatform(1))).singleElement().satisfies(f -> assertThat(f)
                .contains("would block event-loop thread"));
    }

    @Test
    void onAPinnedCore() {
        assertThat(blockOnACore(new PinnedPlatform(TransportRegistry.discover(), true, false, 1))).singleElement()
                .satisfies(f -> assertThat(f).contains("would block event-loop thread 'flotilla-core-1'"));
    }

    /** The failures a run reported, as text: a client on core 1 calls a blocking get on a store on core 0. */
    private static List<String> blockOnACore(Platform platform) {
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Dispatcher server = new Dispatcher() {
            @Override
            protected void onStart() {
                export("kv", b -> {
                    KeyValue.bind(b, new KeyValueStore(b));
                    return true;
                });
            }
        };
        Dispatcher client = new Dispatcher() {
            @Override
            protected void onStart() {
                bind("kv", (binding, error) -> {
                    KeyValueFutureStub futures = new KeyValueFutureStub(KeyValue.bind(binding, new KeyValueHandler() {}));
                    Executor sameCore = task -> after(0, task);
                    try {
                        new KeyValueBlockingStub(futures, sameCore).get("k");
                    } finally {
                        stopKernel();
                    }
                });
            }
        };
        try (Multikernel mk = Multikernel.builder(Machines.load("amd-8x4"), platform).cores(2).out(null)
                .onFailure(f -> failures.add(f.cause().getMessage()))
                .dispatcher(0, server).dispatcher(1, client).boot()) {
            mk.run(Duration.ofSeconds(30));
            assertThat(mk.failures()).extracting(HandlerFailure::core).containsExactly(1);
        }
        return failures;
    }
}
