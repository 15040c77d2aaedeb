package io.flotilla.experiments.transport;

import io.flotilla.binding.Binding;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.channel.ChannelPair;
import io.flotilla.experiments.transport.generated.RuntimeBench;
import io.flotilla.experiments.transport.generated.RuntimeBenchHandler;
import io.flotilla.experiments.transport.generated.RuntimeBenchStub;
import io.flotilla.kernel.Metrics;
import io.flotilla.platform.pinned.MeteredChannel;
import org.HdrHistogram.Histogram;

/**
 * The runtime's layers one at a time (only with {@code --only}): the {@code runtime_bench} stubs and a {@link Binding}
 * at each end of a urpc channel, {@code binding}, or of the same channel wrapped in the pinned platform's sampled
 * metering, {@code binding-metered}, polled by the bench's two threads directly: no multikernel, no core loop. Set
 * beside {@code urpc} and {@code runtime} in one run, the differences are what the stubs and binding, the metering,
 * and the CPU drivers' loops each add (docs/benchmarks.md).
 */
final class BindingContestant extends Contestant {
    private final RuntimeBenchStub mainStub;
    private final RuntimeBenchStub workerStub;
    private final Binding main;
    private final Binding worker;
    private final MainSide ms = new MainSide();
    private final WorkerSide ws = new WorkerSide();

    BindingContestant(String key, boolean metered) {
        super(key);
        ChannelPair pair = TransportBench.urpcPair();
        if (metered) {
            Metrics metrics = new Metrics();
            metrics.boot(null, 2);
            pair = MeteredChannel.pair(pair, 0, 1, metrics, c -> System.nanoTime(), true);
        }
        main = new Binding(pair.left(), CapabilityTransfer.NONE);
        worker = new Binding(pair.right(), CapabilityTransfer.NONE);
        mainStub = RuntimeBench.bind(main, ms);
        workerStub = RuntimeBench.bind(worker, ws);
    }

    /** The main thread's handler: replies only. */
    private static final class MainSide implements RuntimeBenchHandler {
        long last;

        @Override
        public void request(long seq) {
            throw new IllegalStateException("the main thread got a request: " + seq);
        }

        @Override
        public void reply(long seq) {
            last = seq;
        }
    }

    /** The worker's handler: echoes a request in a round-trip phase, ticks the clock in a one-way phase. */
    private final class WorkerSide implements RuntimeBenchHandler {
        long last;
        boolean echo;
        boolean stopped;
        BatchClock clock;

        void begin(boolean echo, BatchClock clock) {
            this.echo = echo;
            this.clock = clock;
            this.stopped = false;
            this.last = 0;
        }

        @Override
        public void request(long seq) {
            if (seq == STOP) {
                stopped = true;
                return;
            }
            expect(seq, last + 1);
            last = seq;
            if (echo) {
                workerStub.reply(seq);
            } else {
                clock.tick(seq);
            }
        }

        @Override
        public void reply(long seq) {
            throw new IllegalStateException("the worker got a reply: " + seq);
        }
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            mainStub.request(++i);
            while (main.poll(1) == 0) {
                spinWait();
            }
            expect(ms.last, i);
            record(rtt, System.nanoTime() - start);
        }
        mainStub.request(STOP);
        return i;
    }

    @Override
    void echo() {
        ws.begin(true, null);
        pollUntilStopped();
    }

    @Override
    long produce(long deadline) {
        long i = 0;
        while (true) {
            if (i > 0 && expired(i, deadline)) {
                break;
            }
            while (!mainStub.tryRequest(i + 1)) {
                spinWait();
            }
            i++;
        }
        while (!mainStub.tryRequest(STOP)) {
            spinWait();
        }
        return i;
    }

    @Override
    void consume(BatchClock clock) {
        ws.begin(false, clock);
        clock.start();
        pollUntilStopped();
    }

    /** The worker's side of a phase: its handler answers or counts each request, until the stop. */
    private void pollUntilStopped() {
        while (!ws.stopped) {
            if (worker.poll(CAPACITY) == 0) {
                spinWait();
            }
        }
    }

    @Override
    void close() {
        main.close();
        worker.close();
    }
}
