package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.channel.TransportSelector;
import io.flotilla.experiments.calibration.generated.Calibration;
import io.flotilla.experiments.calibration.generated.CalibrationHandler;
import io.flotilla.experiments.calibration.generated.CalibrationStub;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.platform.pinned.IdleStrategy;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.time.Duration;
import java.util.Arrays;

/**
 * Round trips between cores 0 and 1 of the pinned platform, each core on its own pinned thread, through the runtime:
 * {@link #messages} ping-pongs {@code table2-urpc}'s one-word messages through the generated stubs, a binding and
 * the urpc channel the bind opened, against the calibration runs' own {@link EchoServer} on core 1; {@link
 * #interrupts} ping-pongs inter-processor interrupts (each handler interrupts the other core back). They are to
 * the runtime what {@code skb measure}'s round trips are to the bare channel: the CPU work at both ends, which
 * {@link RuntimeMessageCpu} times on one thread, plus every line that crosses between the cores, the runtime's own
 * (a binding's state, the target's queue of signals on {@code pinned}) as well as the frame's, which the one-thread
 * probe cannot see. A host's twin takes half of each as a one-way latency (docs/skb.md).
 *
 * <p><b>How:</b> a first boot with backing-off cores warms the JIT for {@code warmup} (two spinning cores on a
 * 2-CPU host leave the compilers no CPU); a second, with spinning cores (as {@code --idle=spin}), runs {@link #TRIALS}
 * trials of {@link #ROUND_TRIPS} round trips, each timed as a whole with {@link System#nanoTime()} on core 0, after
 * one untimed trial. The result is the median trial's time per round trip (a trial in which a thread lost its CPU
 * is an outlier the median ignores) and the fastest beside it.
 */
public final class CrossCoreRoundTrip {

    /** Timed trials; odd, so the median is one of them. */
    public static final int TRIALS = 21;
    /** Round trips per trial. */
    public static final int ROUND_TRIPS = 2_000;
    /** The vector both cores' interrupt handlers are registered on. */
    static final int VECTOR = 0xF1;

    private CrossCoreRoundTrip() {}

    /**
     * A measured round trip, in cycles of the machine's clock.
     *
     * @param medianCycles  the median trial's time per round trip
     * @param fastestCycles the fastest trial's
     * @param pinned        whether both cores' threads were pinned
     */
    public record Result(double medianCycles, double fastestCycles, int trials, int roundTrips, boolean pinned) {

        /** Half the median round trip: one message or interrupt, from its sending to its handler's end. */
        public double oneWay() {
            return medianCycles / 2;
        }
    }

    /**
     * Interrupts between cores 0 and 1 of {@code machine} (the host's model), giving up after {@code limit}.
     *
     * @throws IllegalArgumentException if the machine has fewer than two cores
     * @throws IllegalStateException    if the trials do not finish within {@code limit} or a handler fails
     */
    public static Result interrupts(Machine machine, Duration warmup, Duration limit) {
        return measure(machine, warmup, limit, InterruptPinger::new, InterruptPonger::new);
    }

    /** Messages through the runtime between cores 0 and 1, as {@link #interrupts}. */
    public static Result messages(Machine machine, Duration warmup, Duration limit) {
        return measure(machine, warmup, limit, MessagePinger::new, () -> new EchoServer(true, 0));
    }

    private static Result measure(Machine machine, Duration warmup, Duration limit,
            java.util.function.IntFunction<Pinger> pingers, java.util.function.Supplier<Dispatcher> pongers) {
        if (machine.coreCount() < 2) {
            throw new IllegalArgumentException(machine.name() + " has " + machine.coreCount()
                    + " core: a round trip between two cores needs two");
        }
        run(machine, IdleStrategy.Kind.BACKOFF, pingers.apply(Integer.MAX_VALUE), pongers.get(), warmup);
        Pinger pinger = pingers.apply(TRIALS + 1);
        run(machine, IdleStrategy.Kind.SPIN, pinger, pongers.get(), limit);
        if (pinger.trial <= TRIALS) {
            throw new IllegalStateException("the round trips between cores 0 and 1 did not finish in "
                    + limit.toMillis() + " ms (" + Math.max(0, pinger.trial - 1) + " of " + TRIALS + " trials)");
        }
        long[] trials = Arrays.copyOfRange(pinger.nanos, 1, TRIALS + 1); // the first was untimed: the warm-up's
        Arrays.sort(trials);
        double perNs = machine.clockGhz() / ROUND_TRIPS;
        return new Result(trials[TRIALS / 2] * perNs, trials[0] * perNs, TRIALS, ROUND_TRIPS, pinger.pinned);
    }

    /** Boots cores 0 and 1 with {@code idle} and ping-pongs until the pinger's trials are done or {@code limit}. */
    private static void run(Machine machine, IdleStrategy.Kind idle, Pinger pinger, Dispatcher ponger,
            Duration limit) {
        PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, true, 1).idle(idle);
        String[] failure = new String[1]; // written by a core's thread, read after run() joined them
        try (Multikernel kernel = Multikernel.builder(machine, platform)
                .cores(2)
                .selector(TransportSelector.forced(TransportSelector.URPC))
                .dispatcher(1, ponger)
                .dispatcher(0, pinger)
                // A failed handler sends nothing more: the run ends at its limit and says why.
                .onFailure(f -> failure[0] = "core " + f.core() + ": " + f.cause())
                .out(null)
                .boot()) {
            kernel.run(limit);
            pinger.pinned = platform.pinned();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("the round trip failed: " + failure[0]);
        }
    }

    /** Core 0: starts the round trips, times each trial, stops the kernel after the last. */
    private abstract static class Pinger extends Dispatcher {
        final long[] nanos;
        final int trials;
        int trial;
        int inTrial;
        long trialStart;
        boolean pinned;

        Pinger(int trials) {
            this.trials = trials;
            this.nanos = new long[Math.min(trials, TRIALS + 1)];
        }

        /** Sends number {@code seq} to core 1. */
        abstract void send(long seq);

        /** Starts the first trial. */
        final void begin() {
            trialStart = System.nanoTime();
            send(1);
        }

        /** Round trip {@code seq} is back: sends the next, or ends the trial (and after the last, the run). */
        final void back(long seq) {
            if (++inTrial < ROUND_TRIPS) {
                send(seq + 1);
                return;
            }
            long now = System.nanoTime();
            if (trial < nanos.length) {
                nanos[trial] = now - trialStart;
            }
            trial++;
            if (trial >= trials) {
                stopKernel();
                return;
            }
            inTrial = 0;
            trialStart = System.nanoTime();
            send(seq + 1);
        }
    }

    private static final class InterruptPinger extends Pinger {
        InterruptPinger(int trials) {
            super(trials);
            onInterrupt(VECTOR, (from, word) -> back(word));
        }

        @Override
        protected void onStart() {
            begin();
        }

        @Override
        void send(long seq) {
            interrupt(1, VECTOR, seq);
        }
    }

    /** Core 1: interrupts core 0 back. */
    private static final class InterruptPonger extends Dispatcher {
        InterruptPonger() {
            onInterrupt(VECTOR, (from, word) -> interrupt(from, VECTOR, word));
        }
    }

    private static final class MessagePinger extends Pinger implements CalibrationHandler {
        private CalibrationStub stub;

        MessagePinger(int trials) {
            super(trials);
        }

        @Override
        protected void onStart() {
            bind(EchoServer.SERVICE, (binding, error) -> {
                if (error != null) {
                    throw new IllegalStateException("the round trip's bind failed: " + error);
                }
                stub = Calibration.bind(binding, this);
                begin();
            });
        }

        @Override
        void send(long seq) {
            stub.ping(seq);
        }

        @Override
        public void echo(long seq) {
            back(seq);
        }

        @Override
        public void ping(long seq) {
            throw new IllegalStateException("the round trip's client got a ping");
        }

        @Override
        public void nullCall(long seq, Calibration.NullCallResponder responder) {
            throw new IllegalStateException("the round trip's client got a null call");
        }
    }
}
