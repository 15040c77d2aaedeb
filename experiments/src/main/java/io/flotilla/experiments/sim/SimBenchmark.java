package io.flotilla.experiments.sim;

import io.flotilla.binding.Binding;
import io.flotilla.binding.Continuation;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The simulator's speed (issue 5): simulated events per second of host time on one core (goal: at least 5
 * million), and the wall time to boot the 1024-core machine and broadcast from core 0 to every other core.
 *
 * <p>{@code java -jar experiments/target/benchmarks.jar SimBenchmark -wi 2 -i 3 -f 1}. The event benchmarks count
 * events with an auxiliary counter: read the {@code events} rows (events/s).
 */
@Fork(1)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class SimBenchmark {

    /** Virtual time each event-rate invocation simulates: 5 ms at 2 GHz. */
    static final Duration SLICE = Duration.ofMillis(5);

    @State(Scope.Benchmark)
    public static class Machines8x4 {
        Machine amd;

        @Setup
        public void load() {
            amd = Machines.load("amd-8x4");
        }
    }

    @State(Scope.Benchmark)
    public static class Mesh {
        Machine mesh;

        @Setup
        public void load() {
            mesh = Machines.load("mesh-1024");
        }
    }

    /** Events simulated, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        public long events;

        @Setup(Level.Iteration)
        public void clear() {
            events = 0;
        }
    }

    /** 16 ping-pong pairs across the packages of the 8x4 AMD: every event is a frame arrival or a bind step. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long messages(Machines8x4 m, Events counter) {
        SimPlatform sim = new SimPlatform(1);
        Multikernel.Builder b = Multikernel.builder(m.amd, sim).out(null);
        for (int pair = 0; pair < 16; pair++) {
            b.dispatcher(pair, new Echo("s" + pair)).dispatcher(31 - pair, new Pinger("s" + pair));
        }
        b.boot().run(SLICE);
        counter.events += sim.events();
        return sim.traceHash().orElseThrow();
    }

    /** One self-rearming timer per core of the 8x4 AMD: the event loop's own cost, without channels. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long timers(Machines8x4 m, Events counter) {
        SimPlatform sim = new SimPlatform(1);
        Multikernel.builder(m.amd, sim).out(null).dispatchers(c -> new Ticker()).boot().run(SLICE);
        counter.events += sim.events();
        return sim.traceHash().orElseThrow();
    }

    /** Boot mesh-1024 (1024 drivers, monitors, dispatchers), export on 1023 cores, bind and broadcast from core 0. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public long bootAndBroadcastMesh1024(Mesh m) {
        int n = m.mesh.coreCount();
        SimPlatform sim = new SimPlatform(1);
        Multikernel mk = Multikernel.builder(m.mesh, sim).out(null)
                .dispatcher(0, new Broadcaster(n))
                .dispatchers(c -> c == 0 ? null : new Echo("node-" + c))
                .boot();
        mk.run(Duration.ofSeconds(10));
        if (mk.failures().size() > 0) {
            throw new IllegalStateException(mk.failures().toString());
        }
        return sim.events();
    }

    static void send(Binding binding, long word) {
        FrameWriter w = binding.claim();
        w.putWord(0, word);
        w.publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
        binding.endMessage(Continuation.NONE);
    }

    /** Exports a name and echoes every frame. */
    static final class Echo extends Dispatcher {
        private final String name;

        Echo(String name) {
            this.name = name;
        }

        @Override
        protected void onStart() {
            export(name, binding -> {
                binding.setReceiver(frame -> send(binding, frame.word(0)));
                return true;
            });
        }
    }

    /** Binds and ping-pongs for ever. */
    static final class Pinger extends Dispatcher {
        private final String name;

        Pinger(String name) {
            this.name = name;
        }

        @Override
        protected void onStart() {
            bind(name, (binding, error) -> {
                binding.setReceiver(frame -> send(binding, frame.word(0) + 1));
                send(binding, 0);
            });
        }
    }

    /** A timer that re-arms itself every 100 cycles; one Runnable, no allocation per tick. */
    static final class Ticker extends Dispatcher implements Runnable {
        @Override
        protected void onStart() {
            after(100, this);
        }

        @Override
        public void run() {
            after(100, this);
        }
    }

    /** Binds to every other core and sends each one frame; stops when all have answered. */
    static final class Broadcaster extends Dispatcher {
        private final int cores;
        private int acks;

        Broadcaster(int cores) {
            this.cores = cores;
        }

        @Override
        protected void onStart() {
            for (int c = 1; c < cores; c++) {
                bind("node-" + c, (binding, error) -> {
                    binding.setReceiver(frame -> {
                        if (++acks == cores - 1) {
                            stopKernel();
                        }
                    });
                    send(binding, core());
                });
            }
        }
    }
}
