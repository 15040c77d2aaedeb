package io.flotilla.skb;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.machine.Cache;
import io.flotilla.machine.Machine;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * Online measurement of pipelined throughput, the second column of the paper's Table 2: for one pair of each class
 * of the host's core pairs, the steady-state cost of one message of a back-to-back stream, in cycles. Measured as
 * {@link RttProbe} measures latency: two fresh threads pinned to the pair's host CPUs, an in-process urpc channel
 * of the same ring size and flow control, one-frame messages.
 *
 * <p><b>Pair classes.</b> The representative of a class is core 0 and the lowest-numbered core of that class, as
 * Table 2 and the {@code table2-urpc} scenario pick their pairs: {@code shared L3} (the closest cache the two share;
 * an SMT sibling sharing L1d is {@code shared L1d}), {@code same package} (no shared cache, one package), {@code 1
 * hop}, {@code 2 hops}, ... (packages that many interconnect hops apart). Latency differs by class, and so may the
 * pipelined cost (on the paper's Opterons it did not: the probe floor).
 *
 * <p><b>What is timed.</b> The sender writes frames numbered 0, 1, 2, ... as fast as the ring lets it; the receiver
 * takes them in order (a frame out of order is an error, not a sample) and notes the time when frame {@code warmup +
 * k * messages} arrives, k = 0..trials. A trial's cost per message is the interval between two notes divided by
 * {@code messages}: arrival to arrival, as {@code table2-urpc}'s throughput series measures on the platforms. The
 * {@code warmup} frames before the first note let the JIT compile both loops (thousands of iterations) and fill the
 * ring. The result is the median trial (a trial in which either thread was descheduled is an outlier, not the
 * pipeline) and the fastest.
 *
 * <p><b>Bounded:</b> no pair starts after the budget is spent, and a pair in progress stops at the budget's end,
 * keeping the trials it finished if there are {@link #MIN_TRIALS} (else its class is skipped), so the budget is
 * overrun by at most the start and join of two threads.
 */
public final class PipelineProbe {

    /** Messages per timed trial. */
    public static final int DEFAULT_MESSAGES = 5_000;
    /** Timed trials per pair; the median is the pair's cost. */
    public static final int DEFAULT_TRIALS = 9;
    /** Fewest finished trials a pair cut short by the budget may keep; fewer and its class counts as skipped. */
    public static final int MIN_TRIALS = 3;
    /** Untimed messages first: both loops compiled, the ring full. */
    public static final int DEFAULT_WARMUP = 20_000;
    /** Ring slots, as {@link RttProbe}'s channel. */
    static final int RING_FRAMES = 32;
    private static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);
    /** How many frames a loop handles between looks at the clock for the deadline. */
    private static final int DEADLINE_STRIDE = 1024;

    /** A class of core pair and its representative pair (a, b), a &lt; b. */
    public record PairClass(String name, int a, int b) {}

    /**
     * One measured class: its pair, the median and fastest trial's cost per message in cycles, how many trials and
     * messages per trial, and whether both threads were pinned.
     */
    public record Pipelined(PairClass pairClass, long cycles, long minCycles, int trials, int messages,
            boolean pinned) {}

    /** What a run measured and which classes the budget left out. */
    public record Result(Duration budget, Duration elapsed, List<Pipelined> measured, List<PairClass> skipped) {

        /** One line: {@code pipelined: 2 of 2 pair classes in 31 ms (budget 750 ms), pinned}. */
        public String summary() {
            boolean pinned = !measured.isEmpty() && measured.stream().allMatch(Pipelined::pinned);
            String how = measured.isEmpty() ? "" : pinned ? ", pinned" : ", NOT pinned (affinity unavailable)";
            String rest = skipped.isEmpty() ? "" : "; " + skipped.size() + " skipped: the budget ran out";
            return "pipelined: " + measured.size() + " of " + (measured.size() + skipped.size())
                    + " pair classes in " + elapsed.toMillis() + " ms (budget " + budget.toMillis() + " ms)" + how
                    + rest;
        }
    }

    private final Machine machine;
    private final int warmup;
    private final int messages;
    private final int trials;
    private final IntUnaryOperator hostCpu;

    private PipelineProbe(Machine machine, int warmup, int messages, int trials, IntUnaryOperator hostCpu) {
        this.machine = machine;
        this.warmup = warmup;
        this.messages = messages;
        this.trials = trials;
        this.hostCpu = hostCpu;
    }

    /** A probe of {@code machine}, taken to be the host (core i = the i-th online CPU), with the defaults above. */
    public static PipelineProbe of(Machine machine) {
        return new PipelineProbe(machine, DEFAULT_WARMUP, DEFAULT_MESSAGES, DEFAULT_TRIALS, RttProbe.onlineCpus());
    }

    /** This probe with other sizes: {@code warmup} >= 0, {@code messages} >= 1, {@code trials} >= 1. */
    public PipelineProbe withSizes(int warmup, int messages, int trials) {
        if (warmup < 0 || messages < 1 || trials < 1) {
            throw new IllegalArgumentException("warm-up >= 0, messages >= 1 and trials >= 1, not " + warmup + ", "
                    + messages + ", " + trials);
        }
        return new PipelineProbe(machine, warmup, messages, trials, hostCpu);
    }

    /** Core 0 and the lowest-numbered core of each class, in the order of those cores. */
    public static List<PairClass> classes(Machine machine) {
        Map<String, PairClass> out = new LinkedHashMap<>();
        for (int b = 1; b < machine.coreCount(); b++) {
            String name = className(machine, 0, b);
            out.putIfAbsent(name, new PairClass(name, 0, b));
        }
        return List.copyOf(out.values());
    }

    /** {@code shared L3}, {@code same package}, {@code 1 hop}, {@code 2 hops}, ... */
    static String className(Machine machine, int a, int b) {
        var cache = machine.closestSharedCache(a, b);
        if (cache.isPresent()) {
            return "shared " + cache.map(Cache::name).get();
        }
        int hops = machine.hops(a, b);
        return hops == 0 ? "same package" : hops + (hops == 1 ? " hop" : " hops");
    }

    /**
     * Measures each class's pair until all are done or {@code budget} is spent. Blocks the caller.
     *
     * @throws IllegalArgumentException if the budget is negative
     * @throws IllegalStateException if a frame arrives out of order (the channel is broken, not slow)
     */
    public Result run(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("negative budget " + budget);
        }
        long start = System.nanoTime();
        long deadline;
        try {
            deadline = start + budget.toNanos();
        } catch (ArithmeticException e) {
            deadline = start + Long.MAX_VALUE / 2;
        }
        List<Pipelined> measured = new ArrayList<>();
        List<PairClass> skipped = new ArrayList<>();
        for (PairClass c : classes(machine)) {
            Pipelined p = System.nanoTime() < deadline ? measure(c, deadline) : null;
            if (p == null) {
                skipped.add(c);
            } else {
                measured.add(p);
            }
        }
        return new Result(budget, Duration.ofNanos(System.nanoTime() - start), List.copyOf(measured),
                List.copyOf(skipped));
    }

    /** @return the class's costs, or null if the budget ended first */
    private Pipelined measure(PairClass c, long deadline) {
        ChannelPair channels = UrpcChannel.openPair(RING_FRAMES, FlowControl.EPOCH);
        long total = warmup + (long) trials * messages + 1;
        Receiver receiver = new Receiver(channels.right(), hostCpu.applyAsInt(c.b()), warmup, messages, trials,
                total, deadline);
        Sender sender = new Sender(channels.left(), hostCpu.applyAsInt(c.a()), total, deadline);
        Thread rx = new Thread(receiver, "pipeline-probe-rx-" + c.b());
        Thread tx = new Thread(sender, "pipeline-probe-tx-" + c.a());
        rx.setDaemon(true);
        tx.setDaemon(true);
        rx.start();
        tx.start();
        try {
            tx.join();
            rx.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            channels.left().close();
            channels.right().close();
        }
        if (receiver.error != null) {
            throw new IllegalStateException("pipelined-throughput probe, pair " + c.a() + " -- " + c.b() + ": "
                    + receiver.error);
        }
        // A pair the budget cut short keeps the trials it finished, if there are enough for a median.
        int done = receiver.stampsTaken - 1;
        if (done < Math.min(MIN_TRIALS, trials)) {
            return null;
        }
        long[] perTrial = perMessage(Arrays.copyOf(receiver.stamps, done + 1), messages);
        double ghz = machine.clockGhz();
        long[] sorted = perTrial.clone();
        Arrays.sort(sorted);
        return new Pipelined(c, Math.round(median(sorted) * ghz / 1000), Math.round(sorted[0] * ghz / 1000),
                done, messages, sender.pinned && receiver.pinned);
    }

    /** Each trial's cost per message in picoseconds, from the arrival times of its first and last frame. */
    static long[] perMessage(long[] stampsNanos, int messages) {
        long[] out = new long[stampsNanos.length - 1];
        for (int k = 0; k < out.length; k++) {
            out[k] = Math.round((stampsNanos[k + 1] - stampsNanos[k]) * 1000.0 / messages);
        }
        return out;
    }

    static double median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** Writes frames 0, 1, 2, ... back to back on core a. */
    private static final class Sender implements Runnable {
        private final Channel channel;
        private final int cpu;
        private final long total;
        private final long deadline;
        boolean pinned;

        Sender(Channel channel, int cpu, long total, long deadline) {
            this.channel = channel;
            this.cpu = cpu;
            this.total = total;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            pinned = RttProbe.pin(cpu);
            for (long i = 0; i < total; i++) {
                int spins = 0;
                while (channel.writableFrames() == 0) {
                    if (++spins % DEADLINE_STRIDE == 0 && System.nanoTime() >= deadline) {
                        return; // the receiver is not taking frames (not running, or the budget is spent)
                    }
                    Thread.onSpinWait();
                }
                FrameWriter w = channel.claim();
                w.putWord(0, i);
                w.publish(CONTROL);
                if (i % DEADLINE_STRIDE == 0 && System.nanoTime() >= deadline) {
                    return;
                }
            }
        }
    }

    /** Takes the frames in order on core b, noting the arrival of every trial's boundary frame. */
    private static final class Receiver implements Runnable, FrameHandler {
        private final Channel channel;
        private final int cpu;
        private final int warmup;
        private final int messages;
        private final long total;
        private final long deadline;
        final long[] stamps;
        int stampsTaken;
        long received;
        boolean pinned;
        String error;

        Receiver(Channel channel, int cpu, int warmup, int messages, int trials, long total, long deadline) {
            this.channel = channel;
            this.cpu = cpu;
            this.warmup = warmup;
            this.messages = messages;
            this.total = total;
            this.deadline = deadline;
            this.stamps = new long[trials + 1];
        }

        @Override
        public void onFrame(FrameReader frame) {
            long seq = frame.word(0);
            if (seq != received && error == null) {
                error = "frame " + seq + " arrived where frame " + received + " was due";
            }
            long sinceWarmup = received - warmup;
            if (sinceWarmup >= 0 && sinceWarmup % messages == 0) {
                stamps[stampsTaken++] = System.nanoTime();
            }
            received++;
        }

        @Override
        public void run() {
            pinned = RttProbe.pin(cpu);
            int idle = 0;
            while (received < total && error == null) {
                if (channel.poll(this, 1) == 0) {
                    if (++idle % DEADLINE_STRIDE == 0 && System.nanoTime() >= deadline) {
                        return;
                    }
                    Thread.onSpinWait();
                } else if (received % DEADLINE_STRIDE == 0 && System.nanoTime() >= deadline) {
                    return;
                }
            }
        }
    }
}
