package io.flotilla.experiments.transport;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.experiments.transport.generated.RuntimeBench;
import io.flotilla.experiments.transport.generated.RuntimeBenchHandler;
import io.flotilla.experiments.transport.generated.RuntimeBenchStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One message through the whole runtime, on one thread: the generated {@code runtime_bench} stub on core 0, its
 * binding, the metered urpc channel the monitors chose for the bind, core 1's loop turn (bindings first), the
 * {@code CpuDriver}, the binding's dispatch, the generated decoder and the handler. Both cores of a
 * {@linkplain PinnedPlatform#hosted() hosted} pinned platform are run by the benchmark thread, one after the other,
 * so this is the runtime's cost per message without any cache line crossing CPUs: what the runtime adds, not what
 * the interconnect costs ({@code TransportBench}'s {@code runtime} contestant measures that). Run with
 * {@code -prof gc}: the runtime's per-message path must allocate nothing.
 *
 * <pre>java -jar experiments/target/benchmarks.jar RuntimeMessageBenchmark -prof gc</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RuntimeMessageBenchmark {

    private PinnedPlatform platform;
    private Multikernel kernel;
    private final Client client = new Client();
    private final Server server = new Server();
    private long seq;
    /** Made once: a method reference made per call would be an allocation of the benchmark's own. */
    private BooleanSupplier delivered;

    @Setup(Level.Trial)
    public void boot() {
        platform = new PinnedPlatform(TransportRegistry.discover(), true, false, 1).hosted();
        kernel = Multikernel.builder(Machines.load("amd-8x4"), platform)
                .cores(2)
                .channelOptions(ChannelOptions.DEFAULT.withSlots(Contestant.CAPACITY))
                .dispatcher(1, server)
                .dispatcher(0, client)
                .out(null)
                .boot();
        // Both cores turn on this thread until the bind (monitor to monitor) has completed.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.stub == null || server.stub == null) {
            platform.runTurn(0);
            platform.runTurn(1);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the bind did not complete");
            }
        }
        delivered = () -> server.last == seq;
    }

    @TearDown(Level.Trial)
    public void close() {
        kernel.close();
    }

    /** A message from core 0's stub to core 1's handler. */
    @Benchmark
    public long message() {
        client.stub.request(++seq);
        platform.runCore(1, delivered);
        return server.last;
    }

    private static final class Client extends Dispatcher implements RuntimeBenchHandler {
        RuntimeBenchStub stub;

        @Override
        protected void onStart() {
            bind("runtime_message", (b, error) -> {
                if (error != null) {
                    throw new IllegalStateException(error);
                }
                stub = RuntimeBench.bind(b, this);
            });
        }

        @Override
        public void request(long seq) {
            throw new IllegalStateException("the client got a request");
        }

        @Override
        public void reply(long seq) {}
    }

    private static final class Server extends Dispatcher implements RuntimeBenchHandler {
        RuntimeBenchStub stub;
        long last;

        @Override
        protected void onStart() {
            export("runtime_message", b -> {
                stub = RuntimeBench.bind(b, this);
                return true;
            });
        }

        @Override
        public void request(long seq) {
            if (seq != last + 1) {
                throw new IllegalStateException("out of sequence: " + seq + " after " + last);
            }
            last = seq;
        }

        @Override
        public void reply(long seq) {}
    }
}
