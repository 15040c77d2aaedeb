package io.flotilla.experiments.transport;

import io.flotilla.binding.Binding;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.experiments.transport.generated.RuntimeBench;
import io.flotilla.experiments.transport.generated.RuntimeBenchHandler;
import io.flotilla.experiments.transport.generated.RuntimeBenchStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Flotilla's runtime as a contestant: a one-frame message from a client dispatcher on core 0 to a server dispatcher
 * on core 1 through everything a program's message goes through — the stub generated from
 * {@code runtime_bench.if}, the client's {@link Binding}, the channel the two monitors chose for the bind (urpc
 * between two cores, 32 slots like every other contestant, wrapped by the pinned platform's metering as in any run),
 * the server core's loop polling its bindings, the {@code CpuDriver}, the generated decoder and the handler.
 *
 * <p><b>Which threads.</b> A multikernel booted on a {@link PinnedPlatform#hosted() hosted} pinned platform starts
 * no threads of its own: core 0's loop runs on the bench's main thread (pinned to its CPU 0) inside
 * {@link #ping}/{@link #produce}, and core 1's loop on the bench's worker (CPU 1) inside {@link #echo}/
 * {@link #consume}. So the runtime runs on exactly the two pinned threads, CPUs and caches the other contestants
 * use, each core's loop is the platform's own turn (bindings first, housekeeping every few turns, busy-spin when
 * idle), and nothing of the runtime runs between phases (no thread of it spins on the CPUs while another contestant
 * is measured). The alternative — two platform threads pinned to the same CPUs while the bench's threads wait —
 * would leave the bench's threads waking on those CPUs, or the platform's threads spinning during other
 * contestants' phases.
 *
 * <p><b>What the phases time.</b> Round trips: the client sends {@code request(i)} and the server answers
 * {@code reply(i)}; the client times each round trip with {@code System.nanoTime()} around the send and the
 * reply's handler, as {@link ChannelContestant} times its loop. One way: the client sends {@code request(1, 2, ...)}
 * as long as its binding has room ({@code tryRequest}: nothing queues in the binding), from core 0's thread between
 * turns of its loop (where a dispatcher's code would run); the server's handler checks the sequence and ticks the
 * {@link BatchClock}. Both ends check every sequence number.
 *
 * <p>The multikernel boots when the contestant is made; the bind (monitor to monitor) completes during the first
 * warm-up phase, while both threads run their cores' loops.
 */
final class RuntimeContestant extends Contestant {

    private static final String SERVICE = "runtime_bench";
    /** How long the first phase may wait for the bind before the bench gives up. */
    private static final long BIND_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final PinnedPlatform platform;
    private final Multikernel kernel;
    private final Client client = new Client();
    private final Server server = new Server();

    RuntimeContestant() {
        super("runtime");
        platform = new PinnedPlatform(TransportRegistry.discover(), true, false, 1).hosted();
        kernel = Multikernel.builder(machine(), platform)
                .cores(2)
                .channelOptions(ChannelOptions.DEFAULT.withSlots(CAPACITY))
                .dispatcher(1, server)
                .dispatcher(0, client)
                .onFailure(f -> aborted = new IllegalStateException("runtime contestant: core " + f.core() + " "
                        + f.dispatcher() + " failed", f.cause()))
                .out(null)
                .boot();
    }

    /** This host (at least two cores); its model names the cores, the bench's pinned threads run them. */
    private static Machine machine() {
        Machine host = Machines.load("host", warning -> {});
        return host.coreCount() >= 2 ? host : Machines.load("amd-8x4");
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        client.roundTrips(deadline, rtt);
        platform.runCore(0, client::roundTripTurn);
        return client.sent;
    }

    @Override
    void echo() {
        server.begin(true, null);
        platform.runCore(1, server::stopped);
    }

    @Override
    long produce(long deadline) {
        client.oneWay(deadline);
        platform.runCore(0, client::oneWayTurn);
        return client.sent;
    }

    @Override
    void consume(BatchClock clock) {
        server.begin(false, clock);
        clock.start();
        platform.runCore(1, server::stopped);
    }

    @Override
    void close() {
        kernel.close();
    }

    /** Core 0: binds to the server, then runs the phases; touched by the main thread only. */
    private static final class Client extends Dispatcher implements RuntimeBenchHandler {
        private RuntimeBenchStub stub;
        private Binding binding;
        private long deadline;
        private Histogram rtt;
        private long sent;
        private long start;
        private boolean started;
        private boolean done;

        @Override
        protected void onStart() {
            bind(SERVICE, (b, error) -> {
                if (error != null) {
                    aborted = error;
                    return;
                }
                binding = b;
                stub = RuntimeBench.bind(b, this);
            });
        }

        void roundTrips(long deadline, Histogram rtt) {
            this.deadline = deadline;
            this.rtt = rtt;
            phase();
        }

        void oneWay(long deadline) {
            this.deadline = deadline;
            this.rtt = null;
            phase();
        }

        private void phase() {
            sent = 0;
            started = false;
            done = false;
        }

        /** Before each turn of core 0 in a round-trip phase: sends the first request once bound. */
        boolean roundTripTurn() {
            if (!started && bound()) {
                started = true;
                next();
            }
            return done;
        }

        /** Sends the next request, or STOP once past the deadline. */
        private void next() {
            start = System.nanoTime();
            if (start - deadline > 0) {
                stub.request(STOP);
                done = true;
            } else {
                stub.request(++sent);
            }
        }

        @Override
        public void reply(long seq) {
            record(rtt, System.nanoTime() - start);
            expect(seq, sent);
            next();
        }

        /**
         * Before each turn of core 0 in a one-way phase: fills the channel (a message only when the binding has
         * room for it, so none waits in the binding's queue), then STOP once past the deadline; the phase ends when
         * STOP has left.
         */
        boolean oneWayTurn() {
            if (done) {
                return binding.queuedFrames() == 0;
            }
            if (!bound()) {
                return false;
            }
            while (true) {
                if (sent > 0 && expired(sent, deadline)) {
                    stub.request(STOP); // queues in the binding if the channel is full; the next turns flush it
                    done = true;
                    return binding.queuedFrames() == 0;
                }
                if (!stub.tryRequest(sent + 1)) {
                    return false;
                }
                sent++;
            }
        }

        private boolean bound() {
            if (stub != null) {
                return true;
            }
            if (System.nanoTime() - deadline > BIND_NANOS) {
                throw new IllegalStateException("runtime contestant: the client's bind did not complete");
            }
            spinWait();
            return false;
        }

        @Override
        public void request(long seq) {
            throw new IllegalStateException("the client got a request: " + seq);
        }
    }

    /** Core 1: exports the service and answers; touched by the worker thread only. */
    private static final class Server extends Dispatcher implements RuntimeBenchHandler {
        private RuntimeBenchStub stub;
        private boolean echo;
        private BatchClock clock;
        private long last;
        private boolean stopped;

        @Override
        protected void onStart() {
            export(SERVICE, b -> {
                if (stub != null) {
                    return false; // one client
                }
                stub = RuntimeBench.bind(b, this);
                return true;
            });
        }

        void begin(boolean echo, BatchClock clock) {
            this.echo = echo;
            this.clock = clock;
            last = 0;
            stopped = false;
        }

        boolean stopped() {
            if (aborted != null) {
                spinWait(); // throws: the main thread failed
            }
            return stopped;
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
                stub.reply(seq);
            } else {
                clock.tick(seq);
            }
        }

        @Override
        public void reply(long seq) {
            throw new IllegalStateException("the server got a reply: " + seq);
        }
    }
}
