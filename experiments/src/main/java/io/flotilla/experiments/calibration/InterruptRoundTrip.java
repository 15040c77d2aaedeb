package io.flotilla.experiments.calibration;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.platform.pinned.IdleStrategy;
import io.flotilla.platform.pinned.PinnedPlatform;
import java.time.Duration;
import java.util.Arrays;

/**
 * The round trip of an inter-processor interrupt between cores 0 and 1 of the pinned platform, each core on its own
 * pinned thread: core 0's handler interrupts core 1, whose handler interrupts core 0 back, and so on. It is to an
 * interrupt what {@code skb measure}'s round trips are to a message: the CPU work at both ends ({@link
 * RuntimeMessageCpu#measureWithCrossings} times it on one thread) plus whatever crosses between the cores. On
 * {@code pinned} an interrupt is a signal queued on the target core's loop (a {@code ConcurrentLinkedQueue} node and
 * record the target reads and unlinks), so more than one line crosses per interrupt, which the one-thread probe
 * cannot see. A host's twin takes half of it as the one-way latency of an interrupt ({@code measured
 * interrupt-trap} is what is left of it after the sender's share and one line transfer).
 *
 * <p><b>How:</b> a first boot with backing-off cores warms the JIT for {@code warmup} (two spinning cores on a
 * 2-CPU host leave the compilers no CPU); a second, with spinning cores (as {@code --idle=spin}), runs {@link #TRIALS}
 * trials of {@link #ROUND_TRIPS} round trips, each timed as a whole with {@link System#nanoTime()} on core 0, after
 * one untimed trial. The result is the median trial's time per round trip (a trial in which a thread lost its CPU
 * is an outlier the median ignores) and the fastest beside it.
 */
public final class InterruptRoundTrip {

    /** Timed trials; odd, so the median is one of them. */
    public static final int TRIALS = 21;
    /** Round trips per trial. */
    public static final int ROUND_TRIPS = 2_000;
    /** The vector both cores' handlers are registered on. */
    static final int VECTOR = 0xF1;

    private InterruptRoundTrip() {}

    /**
     * A measured round trip, in cycles of the machine's clock.
     *
     * @param medianCycles  the median trial's time per round trip
     * @param fastestCycles the fastest trial's
     * @param pinned        whether both cores' threads were pinned
     */
    public record Result(double medianCycles, double fastestCycles, int trials, int roundTrips, boolean pinned) {

        /** Half the median round trip: one interrupt, from its sending to its handler's end. */
        public double oneWay() {
            return medianCycles / 2;
        }
    }

    /**
     * Measures between cores 0 and 1 of {@code machine} (the host's model), giving up after {@code limit}.
     *
     * @throws IllegalArgumentException if the machine has fewer than two cores
     * @throws IllegalStateException    if the trials do not finish within {@code limit} or a handler fails
     */
    public static Result measure(Machine machine, Duration warmup, Duration limit) {
        if (machine.coreCount() < 2) {
            throw new IllegalArgumentException(machine.name() + " has " + machine.coreCount()
                    + " core: an interrupt between two cores needs two");
        }
        run(machine, IdleStrategy.Kind.BACKOFF, Integer.MAX_VALUE, warmup);
        Pinger pinger = run(machine, IdleStrategy.Kind.SPIN, TRIALS + 1, limit);
        if (pinger.trial <= TRIALS) {
            throw new IllegalStateException("the interrupt round trips did not finish in " + limit.toMillis()
                    + " ms (" + Math.max(0, pinger.trial - 1) + " of " + TRIALS + " trials)");
        }
        long[] trials = Arrays.copyOfRange(pinger.nanos, 1, TRIALS + 1); // the first was untimed: the warm-up's
        Arrays.sort(trials);
        double perNs = machine.clockGhz() / ROUND_TRIPS;
        return new Result(trials[TRIALS / 2] * perNs, trials[0] * perNs, TRIALS, ROUND_TRIPS, pinger.pinned);
    }

    /** Boots cores 0 and 1 with {@code idle} and ping-pongs until {@code trials} trials are done or {@code limit}. */
    private static Pinger run(Machine machine, IdleStrategy.Kind idle, int trials, Duration limit) {
        PinnedPlatform platform = new PinnedPlatform(TransportRegistry.discover(), true, true, 1).idle(idle);
        Pinger pinger = new Pinger(trials);
        String[] failure = new String[1]; // written by a core's thread, read after run() joined them
        try (Multikernel kernel = Multikernel.builder(machine, platform)
                .cores(2)
                .dispatcher(0, pinger)
                .dispatcher(1, new Ponger())
                // A failed handler sends nothing more: the run ends at its limit and says why.
                .onFailure(f -> failure[0] = "core " + f.core() + ": " + f.cause())
                .out(null)
                .boot()) {
            kernel.run(limit);
            pinger.pinned = platform.pinned();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("the interrupt round trip failed: " + failure[0]);
        }
        return pinger;
    }

    /** Core 0: sends the first interrupt, times each trial, stops the kernel after the last. */
    private static final class Pinger extends Dispatcher {
        final long[] nanos;
        final int trials;
        int trial;
        int inTrial;
        long trialStart;
        boolean pinned;

        Pinger(int trials) {
            this.trials = trials;
            this.nanos = new long[Math.min(trials, TRIALS + 1)];
            onInterrupt(VECTOR, (from, word) -> {
                if (++inTrial < ROUND_TRIPS) {
                    interrupt(1, VECTOR, word + 1);
                    return;
                }
                long now = System.nanoTime();
                if (trial < nanos.length) {
                    nanos[trial] = now - trialStart;
                }
                trial++;
                if (trial >= this.trials) {
                    stopKernel();
                    return;
                }
                inTrial = 0;
                trialStart = System.nanoTime();
                interrupt(1, VECTOR, word + 1);
            });
        }

        @Override
        protected void onStart() {
            trialStart = System.nanoTime();
            interrupt(1, VECTOR, 1);
        }
    }

    /** Core 1: interrupts core 0 back. */
    private static final class Ponger extends Dispatcher {
        Ponger() {
            onInterrupt(VECTOR, (from, word) -> interrupt(from, VECTOR, word));
        }
    }
}
