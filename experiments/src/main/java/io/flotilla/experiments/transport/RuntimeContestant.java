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
        return client.state.sent;
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
        return client.state.sent;
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
        /** What the main thread writes per message, padded away from the server's (see {@link Pad}). */
        private final ClientState state = new ClientState();

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
            state.deadline = deadline;
            state.rtt = rtt;
            phase();
        }

        void oneWay(long deadline) {
            state.deadline = deadline;
            state.rtt = null;
            phase();
        }

        private void phase() {
            state.sent = 0;
            state.started = false;
            state.done = false;
        }

        /** Before each turn of core 0 in a round-trip phase: sends the first request once bound. */
        boolean roundTripTurn() {
            if (!state.started && bound()) {
                state.started = true;
                next();
            }
            return state.done;
        }

        /** Sends the next request, or STOP once past the deadline. */
        private void next() {
            state.start = System.nanoTime();
            if (state.start - state.deadline > 0) {
                stub.request(STOP);
                state.done = true;
            } else {
                stub.request(++state.sent);
            }
        }

        @Override
        public void reply(long seq) {
            record(state.rtt, System.nanoTime() - state.start);
            expect(seq, state.sent);
            next();
        }

        /**
         * Before each turn of core 0 in a one-way phase: fills the channel (a message only when the binding has
         * room for it, so none waits in the binding's queue), then STOP once past the deadline; the phase ends when STOP
         * has left.
         */
        boolean oneWayTurn() {
            if (state.done) {
                return binding.queuedFrames() == 0;
            }
            if (!bound()) {
                return false;
            }
            while (true) {
                if (state.sent > 0 && expired(state.sent, state.deadline)) {
                    stub.request(STOP); // queues in the binding if the channel is full; the next turns flush it
                    state.done = true;
                    return binding.queuedFrames() == 0;
                }
                if (!stub.tryRequest(state.sent + 1)) {
                    return false;
                }
                state.sent++;
            }
        }

        private boolean bound() {
            if (stub != null) {
                return true;
            }
            if (System.nanoTime() - state.deadline > BIND_NANOS) {
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
        /** What the worker thread writes per message, padded away from the client's (see {@link Pad}). */
        private final ServerState state = new ServerState();

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
            state.echo = echo;
            state.clock = clock;
            state.last = 0;
            state.stopped = false;
        }

        boolean stopped() {
            if (aborted != null) {
                spinWait(); // throws: the main thread failed
            }
            return state.stopped;
        }

        @Override
        public void request(long seq) {
            if (seq == STOP) {
                state.stopped = true;
                return;
            }
            expect(seq, state.last + 1);
            state.last = seq;
            if (state.echo) {
                stub.reply(seq);
            } else {
                state.clock.tick(seq);
            }
        }

        @Override
        public void reply(long seq) {
            throw new IllegalStateException("the server got a reply: " + seq);
        }
    }

    /**
     * 128 bytes in front of a thread's per-message fields. The client's and the server's state are made one after
     * the other and lie side by side in the heap; without padding they could share a cache line that would then move
     * between the two CPUs on every message (false sharing), a cost of this benchmark, not of the runtime. A
     * superclass's fields come before its subclass's, so the padding stays in front; the final classes add padding
     * behind.
     */
    private abstract static class Pad {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    private abstract static class ClientFields extends Pad {
        long deadline;
        Histogram rtt;
        long sent;
        long start;
        boolean started;
        boolean done;
    }

    private static final class ClientState extends ClientFields {
        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }

    private abstract static class ServerFields extends Pad {
        boolean echo;
        BatchClock clock;
        long last;
        boolean stopped;
    }

    private static final class ServerState extends ServerFields {
        long q00, q01, q02, q03, q04, q05, q06, q07, q08, q09, q10, q11, q12, q13, q14, q15;
    }
}
