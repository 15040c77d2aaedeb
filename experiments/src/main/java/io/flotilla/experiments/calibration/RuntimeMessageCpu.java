package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.channel.TransportSelector;
import io.flotilla.experiments.calibration.generated.Calibration;
import io.flotilla.experiments.calibration.generated.CalibrationHandler;
import io.flotilla.experiments.calibration.generated.CalibrationStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.skb.MessageCpuProbe;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The CPU cost of one Table 2 message through this project's runtime, both ends on one thread: core 0's generated
 * {@code calibration} stub sends {@code ping}, through its binding and the urpc channel the bind opened, and core
 * 1's loop turn takes it (the {@code CpuDriver}, the binding's dispatch, the generated decoder, the handler). It is
 * the path {@code table2-urpc} sends on {@code pinned}, without the line transfers between two cores: both cores of
 * a {@linkplain PinnedPlatform#hosted() hosted} pinned platform are run by one thread pinned to one CPU, as the JMH
 * {@code RuntimeMessageBenchmark} does. {@code flotilla skb measure --write-topo} writes half of it into the host's
 * twin as {@code measured message-cpu}, each end's share.
 *
 * <p>With {@link #measureWithCrossings} the same boot also times what a kernel crossing costs on {@code pinned},
 * which a host's twin states beside the message ({@code measured capability-invocation}, {@code system-call},
 * {@code interrupt-send}, {@code interrupt-trap}; {@code CostModel} takes TN-009's numbers otherwise), and what a
 * same-core message costs ({@code measured lrpc-message}: a second pair of dispatchers on core 0, bound over lrpc;
 * {@code CostModel} takes half of Table 1's LRPC round trip otherwise): core 0's
 * dispatcher invoking a capability and making a system call (a JVM has no CPU driver to enter: {@code pinned} runs
 * what the Java code does, which is nothing), and an interrupt from core 0 to core 1 taken by core 1's loop and
 * handler (the signal queued, the target's turn that takes it, the driver's dispatch to the vector's handler).
 *
 * <p>Core 1's turns are numbered on from one message to the next ({@link PinnedPlatform#runCore(int, int,
 * BooleanSupplier)}), so it looks at its inbox, timers and monitor links as often as a busy core does (every 16th
 * turn), not once per message: timed from turn 0 every time, each message paid a full look at everything, and the
 * twin's Table 2 latency came out 25 % above {@code pinned}'s.
 *
 * <p>It lives here rather than in the SKB beside {@link MessageCpuProbe}, which times it: the SKB is below the
 * kernel (the kernel depends on it), and the stubs are the calibration runs' own.
 */
public final class RuntimeMessageCpu {

    private RuntimeMessageCpu() {}

    /**
     * Measures on {@code machine} (the host's model; its first two cores are booted, every bind forced onto urpc as
     * in {@code table2-urpc}), in cycles of its clock.
     *
     * @throws IllegalArgumentException if the machine has fewer than two cores
     * @throws IllegalStateException    if the bind does not complete or a message goes astray
     */
    public static MessageCpuProbe.Cost measure(Machine machine) {
        return measure(machine, Duration.ofMillis(MessageCpuProbe.WARMUP_MILLIS));
    }

    /** As {@link #measure(Machine)}, warming up for {@code warmup} (and {@code WARMUP_MESSAGES}) instead. */
    public static MessageCpuProbe.Cost measure(Machine machine, Duration warmup) {
        return probe(machine, warmup, null).message();
    }

    /**
     * What {@link #measure(Machine)} measures and, in the same boot, the kernel crossings (class comment), each
     * warmed up for {@code crossingWarmup}: their paths are short, and compiled long before the message's is.
     */
    public static Costs measureWithCrossings(Machine machine, Duration warmup, Duration crossingWarmup) {
        return probe(machine, warmup, java.util.Objects.requireNonNull(crossingWarmup, "crossingWarmup"));
    }

    /**
     * What one thread measured, in cycles of the machine's clock; the crossings are null where only the message was
     * measured.
     *
     * @param message              one message, both ends' work
     * @param lrpcMessage          one message between two dispatchers of core 0 (lrpc), both ends' work
     * @param capabilityInvocation one capability invocation by core 0's dispatcher
     * @param systemCall           one system call by core 0's dispatcher
     * @param interrupt            one interrupt sent by core 0 and taken by core 1's handler, both ends' work
     */
    public record Costs(MessageCpuProbe.Cost message, MessageCpuProbe.Cost lrpcMessage,
            MessageCpuProbe.Cost capabilityInvocation,
            MessageCpuProbe.Cost systemCall, MessageCpuProbe.Cost interrupt) {}

    /** The vector the probe's interrupts are sent on: one an x86 kernel leaves to its own IPIs, as the shootdown's. */
    static final int VECTOR = 0xF0;
    /** The service core 0's same-core pair binds on. */
    private static final String LOCAL_SERVICE = "calibration-local";

    private static Costs probe(Machine machine, Duration warmup, Duration crossingWarmup) {
        if (machine.coreCount() < 2) {
            throw new IllegalArgumentException(machine.name() + " has " + machine.coreCount()
                    + " core: a message between two cores needs two");
        }
        // A hosted platform's core is run by the thread that first ran it, so the boot, the bind and the timing all
        // happen on the probe's one thread.
        return MessageCpuProbe.onCoreZero(pinned -> {
            PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, false, 1).hosted();
            Client client = new Client(EchoServer.SERVICE);
            Server server = new Server(EchoServer.SERVICE);
            // Core 0's own pair, for the same-core message; core 1, whose turns the message probe times, polls only
            // the one binding it would have in table2-urpc.
            Client local = new Client(LOCAL_SERVICE);
            Server localServer = new Server(LOCAL_SERVICE);
            // A handler's failure, written by the kernel's failure listener, read by whichever wait is running.
            AtomicReference<String> failure = new AtomicReference<>();
            Delivered delivered = new Delivered(() -> server.last, failure);
            Delivered interrupted = new Delivered(() -> server.lastInterrupt, failure);
            Delivered locallyDelivered = new Delivered(() -> localServer.last, failure);
            try (Multikernel kernel = Multikernel.builder(machine, platform)
                    .cores(2)
                    // urpc between the two cores, as table2-urpc forces; lrpc between core 0's own two
                    .selector(TransportSelector.byLocality())
                    .dispatcher(1, server)
                    .dispatcher(0, localServer)
                    .dispatcher(0, local)
                    .dispatcher(0, client)
                    // A handler's failure is caught by the kernel: the probe must hear of it, or wait for ever.
                    .onFailure(f -> failure.compareAndSet(null, "core " + f.core() + ": " + f.cause()))
                    .out(null)
                    .boot()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (client.stub == null || local.stub == null || server.bound == 0 || localServer.bound == 0) {
                    platform.runTurn(0);
                    platform.runTurn(1);
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("the probe's bind did not complete in 10 s");
                    }
                }
                int[] turn = {1};
                MessageCpuProbe.Cost message = MessageCpuProbe.time(
                        sendAndTake(platform, 1, turn, delivered, "message", seq -> client.stub.ping(seq)),
                        machine.clockGhz(), pinned, warmup);
                if (crossingWarmup == null) {
                    return new Costs(message, null, null, null, null);
                }
                MessageCpuProbe.Cost lrpc = MessageCpuProbe.time(sendAndTake(platform, 0, new int[] {1},
                        locallyDelivered, "same-core message", seq -> local.stub.ping(seq)),
                        machine.clockGhz(), pinned, crossingWarmup);
                MessageCpuProbe.Cost capability = MessageCpuProbe.time(seq -> client.invokeCapability(),
                        machine.clockGhz(), pinned, crossingWarmup);
                MessageCpuProbe.Cost systemCall = MessageCpuProbe.time(seq -> client.systemCall(),
                        machine.clockGhz(), pinned, crossingWarmup);
                MessageCpuProbe.Cost interrupt = MessageCpuProbe.time(sendAndTake(platform, 1, turn, interrupted,
                        "interrupt", seq -> client.interrupt(1, VECTOR, seq)), machine.clockGhz(), pinned,
                        crossingWarmup);
                return new Costs(message, lrpc, capability, systemCall, interrupt);
            }
        });
    }

    /**
     * One timed unit: {@code send} number {@code seq}, then turns of {@code core} (numbered on from {@code turn[0]})
     * until {@code until} has it.
     */
    private static MessageCpuProbe.OneMessage sendAndTake(PinnedPlatform platform, int core, int[] turn,
            Delivered until, String what, java.util.function.LongConsumer send) {
        return seq -> {
            until.expect(seq);
            send.accept(seq);
            turn[0] = platform.runCore(core, turn[0], until);
            until.check(what);
        };
    }

    /**
     * Stops core 1's turns once the expected ping (or interrupt) is in, or on a failure, or when it has not come in
     * {@link #MAX_TURNS} turns (lost): counting turns costs nothing, a clock read per turn would be timed with it.
     */
    private static final class Delivered implements BooleanSupplier {
        static final int MAX_TURNS = 1_000_000;
        private final java.util.function.LongSupplier last;
        private final AtomicReference<String> failure;
        private long expected;
        private int turns;

        Delivered(java.util.function.LongSupplier last, AtomicReference<String> failure) {
            this.last = last;
            this.failure = failure;
        }

        void expect(long seq) {
            expected = seq;
            turns = 0;
        }

        /** Throws if the one just expected did not arrive. */
        void check(String what) {
            if (failure.get() != null) {
                throw new IllegalStateException(what + " " + expected + " of the probe: " + failure.get());
            }
        }

        @Override
        public boolean getAsBoolean() {
            if (last.getAsLong() == expected) {
                return true;
            }
            if (++turns > MAX_TURNS) {
                failure.compareAndSet(null, "not taken in " + MAX_TURNS + " turns of its core");
            }
            return failure.get() != null;
        }
    }

    /** Binds to {@code service}, then only sends. */
    private static final class Client extends Dispatcher implements CalibrationHandler {
        private final String service;
        CalibrationStub stub;

        Client(String service) {
            this.service = service;
        }

        @Override
        protected void onStart() {
            bind(service, (binding, error) -> {
                if (error != null) {
                    throw new IllegalStateException("the probe's bind failed: " + error);
                }
                stub = Calibration.bind(binding, this);
            });
        }

        @Override
        public void ping(long seq) {
            throw new IllegalStateException("the probe's client got a ping");
        }

        @Override
        public void echo(long seq) {
            throw new IllegalStateException("the probe's client got an echo");
        }

        @Override
        public void nullCall(long seq, Calibration.NullCallResponder responder) {
            throw new IllegalStateException("the probe's client got a null call");
        }
    }

    /** Exports {@code service}; takes each ping, and each interrupt, in order. */
    private static final class Server extends Dispatcher implements CalibrationHandler {
        private final String service;
        int bound;
        long last;
        long lastInterrupt;

        Server(String service) {
            this.service = service;
            onInterrupt(VECTOR, (from, word) -> {
                if (word != lastInterrupt + 1) {
                    throw new IllegalStateException("the probe's interrupt " + word + " came after " + lastInterrupt);
                }
                lastInterrupt = word;
            });
        }

        @Override
        protected void onStart() {
            export(service, binding -> {
                Calibration.bind(binding, this);
                bound++;
                return true;
            });
        }

        @Override
        public void ping(long seq) {
            if (seq != last + 1) {
                throw new IllegalStateException("the probe's ping " + seq + " came after " + last);
            }
            last = seq;
        }

        @Override
        public void echo(long seq) {
            throw new IllegalStateException("the probe's server got an echo");
        }

        @Override
        public void nullCall(long seq, Calibration.NullCallResponder responder) {
            throw new IllegalStateException("the probe's server got a null call");
        }
    }
}
