package io.flotilla.skb;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.machine.Machine;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * Online measurement, as Barrelfish does at boot: the message round trip of core pairs of the running machine,
 * measured on real cores and asserted into the SKB as {@code message_rtt/6} facts (see {@code docs/skb.md},
 * "Online measurement").
 *
 * <p>For each unordered pair {a, b} two fresh threads are pinned (OpenHFT affinity) to the host CPUs of a and b;
 * a sends a one-frame message over an in-process urpc channel, b echoes it, and a times {@link #roundTrips()}
 * round trips after a warm-up. The statistics, converted from nanoseconds to cycles at the machine's clock, are
 * asserted for both a → b and b → a: a round trip crosses both directions, so one measurement serves both and
 * halves the time. A pair whose threads could not be pinned is measured unpinned and says so.
 *
 * <p><b>Bounded:</b> no pair starts after the budget is spent, and a pair in progress stops at the budget's end
 * (kept if it has {@link #MIN_ROUND_TRIPS}, else skipped), so the budget is overrun by at most the start and join
 * of two threads. Pairs are taken in a fixed pseudo-random order, so that a budget too small for every pair
 * samples pairs across the whole machine rather than all of core 0's; the {@link Result} lists what was measured
 * and what was skipped.
 *
 * <p>Meant for {@code Machines.load("host")}: core i is the i-th online Linux CPU, as host discovery numbers them.
 * A core that is not a host CPU (a modelled machine larger than the host) cannot be pinned; measuring it measures
 * the JVM's scheduling, not that machine, so use the modelled facts (or the simulator) there.
 */
public final class RttProbe {

    /** The whole measurement's budget when none is given. */
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(2);
    /** Timed round trips per pair when none is given: enough for a stable mean of sub-microsecond trips. */
    public static final int DEFAULT_ROUND_TRIPS = 2_000;
    /** Fewest timed round trips a pair cut short by the budget may keep; fewer and it counts as skipped. */
    public static final int MIN_ROUND_TRIPS = 100;
    /** Untimed round trips before each pair's timed ones: the pair's lines are not yet in its caches. */
    static final int WARMUP_ROUND_TRIPS = 500;
    /**
     * Untimed round trips before the first pair of a run instead: the probe's loops run interpreted, then
     * C1-compiled, until HotSpot has seen about ten thousand calls; with only {@link #WARMUP_ROUND_TRIPS} the fastest
     * of 2,000 timed trips was 833 to 3,118 cycles against 675 to 1,301 with this many (2-vCPU VM, four runs of each,
     * interleaved). The compiled code serves every later pair of the run.
     */
    static final int FIRST_PAIR_WARMUP_ROUND_TRIPS = 20_000;
    private static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);
    private static final long STOP = -1;

    /** An unordered pair of cores, {@code a < b}. */
    public record CorePair(int a, int b) {}

    /**
     * One measured pair: round-trip statistics in cycles, as asserted into {@code message_rtt/6} (variance in
     * cycles squared), and how many round trips they summarise; {@code median} is not in the fact (Barrelfish's has
     * none) but is the typical round trip on a host whose threads are sometimes descheduled, where the mean is not.
     */
    public record PairRtt(int a, int b, int roundTrips, boolean pinned, long avg, long var, long min, long max,
            long median) {}

    /**
     * What a run did.
     *
     * @param pairs    every unordered pair of distinct cores
     * @param measured the pairs measured and asserted, in measurement order
     * @param skipped  the pairs not measured because the budget ran out
     * @param pinned   whether every measured pair ran on pinned threads (false when none was measured)
     */
    public record Result(Duration budget, Duration elapsed, int pairs, List<PairRtt> measured, List<CorePair> skipped,
            boolean pinned) {

        /** Whether every pair was measured. */
        public boolean complete() {
            return skipped.isEmpty();
        }

        /** One line for a boot log: {@code measured 1 of 1 core pairs in 41 ms (budget 2000 ms), pinned}. */
        public String summary() {
            String how = measured.isEmpty() ? "" : pinned ? ", pinned" : ", NOT pinned (affinity unavailable)";
            String rest = skipped.isEmpty() ? "" : "; " + skipped.size() + " skipped: the budget ran out";
            return "measured " + measured.size() + " of " + pairs + " core pairs in " + elapsed.toMillis()
                    + " ms (budget " + budget.toMillis() + " ms)" + how + rest;
        }
    }

    private final Skb skb;
    private final int roundTrips;
    private final IntUnaryOperator hostCpu;

    private RttProbe(Skb skb, int roundTrips, IntUnaryOperator hostCpu) {
        this.skb = skb;
        this.roundTrips = roundTrips;
        this.hostCpu = hostCpu;
    }

    /** A probe of {@code skb}'s machine, taken to be the host, with {@link #DEFAULT_ROUND_TRIPS} per pair. */
    public static RttProbe of(Skb skb) {
        return new RttProbe(skb, DEFAULT_ROUND_TRIPS, onlineCpus());
    }

    /** Measures every pair of {@code skb}'s machine within {@link #DEFAULT_BUDGET}; see {@link #run(Duration)}. */
    public static Result measure(Skb skb) {
        return of(skb).run(DEFAULT_BUDGET);
    }

    /** Measures the pairs of {@code skb}'s machine that fit {@code budget}; see {@link #run(Duration)}. */
    public static Result measure(Skb skb, Duration budget) {
        return of(skb).run(budget);
    }

    /** This probe with {@code n} timed round trips per pair, at least {@link #MIN_ROUND_TRIPS}. */
    public RttProbe withRoundTrips(int n) {
        if (n < MIN_ROUND_TRIPS) {
            throw new IllegalArgumentException("round trips per pair must be at least " + MIN_ROUND_TRIPS + ": " + n);
        }
        return new RttProbe(skb, n, hostCpu);
    }

    public int roundTrips() {
        return roundTrips;
    }

    /**
     * Measures core pairs until every one is done or {@code budget} is spent, asserting each measured pair into
     * the SKB with {@link Skb#assertMessageRtt} as it goes. Blocks the caller (whose own affinity is untouched).
     *
     * @throws IllegalArgumentException if the budget is negative
     */
    public Result run(Duration budget) {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("negative budget " + budget);
        }
        long start = System.nanoTime();
        long deadline = start + saturatedNanos(budget);
        Machine machine = skb.machine();
        List<CorePair> pending = pairs(machine.coreCount());
        int total = pending.size();
        List<PairRtt> measured = new ArrayList<>();
        List<CorePair> skipped = new ArrayList<>();
        for (CorePair pair : pending) {
            int warmup = measured.isEmpty() ? FIRST_PAIR_WARMUP_ROUND_TRIPS : WARMUP_ROUND_TRIPS;
            PairRtt rtt = System.nanoTime() < deadline ? measurePair(pair, deadline, machine.clockGhz(), warmup) : null;
            if (rtt == null) {
                skipped.add(pair);
                continue;
            }
            skb.assertMessageRtt(rtt.a(), rtt.b(), rtt.avg(), rtt.var(), rtt.min(), rtt.max());
            skb.assertMessageRtt(rtt.b(), rtt.a(), rtt.avg(), rtt.var(), rtt.min(), rtt.max());
            measured.add(rtt);
        }
        boolean pinned = !measured.isEmpty() && measured.stream().allMatch(PairRtt::pinned);
        return new Result(budget, Duration.ofNanos(System.nanoTime() - start), total, List.copyOf(measured),
                List.copyOf(skipped), pinned);
    }

    /** Every unordered pair, shuffled with a fixed seed: runs are repeatable, samples spread out. */
    static List<CorePair> pairs(int cores) {
        List<CorePair> pairs = new ArrayList<>();
        for (int a = 0; a < cores; a++) {
            for (int b = a + 1; b < cores; b++) {
                pairs.add(new CorePair(a, b));
            }
        }
        Collections.shuffle(pairs, new Random(cores));
        return pairs;
    }

    // ---- one pair ---------------------------------------------------------------------------------------------

    /** @return the pair's statistics, or null if the budget ended before {@link #MIN_ROUND_TRIPS} were timed */
    private PairRtt measurePair(CorePair pair, long deadline, double clockGhz, int warmup) {
        ChannelPair channels = UrpcChannel.openPair(32, FlowControl.EPOCH);
        Echo echo = new Echo(channels.right(), hostCpu.applyAsInt(pair.b()));
        Pinger pinger = new Pinger(channels.left(), hostCpu.applyAsInt(pair.a()), warmup, roundTrips, deadline);
        Thread echoThread = new Thread(echo, "rtt-probe-echo-" + pair.b());
        Thread pingThread = new Thread(pinger, "rtt-probe-ping-" + pair.a());
        echoThread.setDaemon(true);
        pingThread.setDaemon(true);
        echoThread.start();
        pingThread.start();
        try {
            pingThread.join();
            echo.running = false;
            echoThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            echo.running = false;
            return null;
        } finally {
            channels.left().close();
            channels.right().close();
        }
        if (pinger.count < MIN_ROUND_TRIPS) {
            return null;
        }
        return stats(pair, pinger.samples, pinger.count, pinger.pinned && echo.pinned, clockGhz);
    }

    static PairRtt stats(CorePair pair, long[] nanos, int n, boolean pinned, double clockGhz) {
        long min = Long.MAX_VALUE;
        long max = 0;
        double mean = 0;
        double m2 = 0;
        for (int i = 0; i < n; i++) { // Welford: stable for thousands of samples of similar size
            long x = nanos[i];
            min = Math.min(min, x);
            max = Math.max(max, x);
            double delta = x - mean;
            mean += delta / (i + 1);
            m2 += delta * (x - mean);
        }
        double variance = n > 1 ? m2 / (n - 1) : 0;
        long[] sorted = java.util.Arrays.copyOf(nanos, n);
        java.util.Arrays.sort(sorted);
        double median = n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new PairRtt(pair.a(), pair.b(), n, pinned, Math.round(mean * clockGhz),
                Math.round(variance * clockGhz * clockGhz), Math.round(min * clockGhz), Math.round(max * clockGhz),
                Math.round(median * clockGhz));
    }

    /** Times round trips on core a: send the sequence number, spin until it comes back. */
    private static final class Pinger implements Runnable, FrameHandler {
        private final Channel channel;
        private final int cpu;
        private final int warmup;
        private final long deadline;
        final long[] samples;
        int count;
        boolean pinned;
        private long reply;

        Pinger(Channel channel, int cpu, int warmup, int roundTrips, long deadline) {
            this.warmup = warmup;
            this.channel = channel;
            this.cpu = cpu;
            this.deadline = deadline;
            this.samples = new long[roundTrips];
        }

        @Override
        public void onFrame(FrameReader frame) {
            reply = frame.word(0);
        }

        @Override
        public void run() {
            pinned = pin(cpu);
            try {
                for (int i = 0; i < warmup; i++) {
                    if (roundTrip(i) < 0) {
                        return;
                    }
                }
                while (count < samples.length) {
                    long t = roundTrip(count);
                    if (t < 0) {
                        return;
                    }
                    samples[count++] = t;
                }
            } finally {
                send(channel, STOP);
            }
        }

        /** @return nanoseconds, or -1 if the budget ended first */
        private long roundTrip(long value) {
            long t0 = System.nanoTime();
            if (t0 >= deadline) {
                return -1;
            }
            send(channel, value);
            while (channel.poll(this, 1) == 0) {
                if (System.nanoTime() >= deadline) { // the echo thread may not be running at all: give up
                    return -1;
                }
                Thread.onSpinWait();
            }
            long t = System.nanoTime() - t0;
            if (reply != value) {
                throw new IllegalStateException("round-trip probe: reply " + reply + " to " + value);
            }
            return t;
        }
    }

    /** Echoes every frame on core b until told to stop. */
    private static final class Echo implements Runnable, FrameHandler {
        private final Channel channel;
        private final int cpu;
        volatile boolean running = true;
        boolean pinned;
        private long request;
        private boolean got;

        Echo(Channel channel, int cpu) {
            this.channel = channel;
            this.cpu = cpu;
        }

        @Override
        public void onFrame(FrameReader frame) {
            request = frame.word(0);
            got = true;
        }

        @Override
        public void run() {
            pinned = pin(cpu);
            while (running) {
                got = false;
                if (channel.poll(this, 1) == 1 && got) {
                    if (request == STOP) {
                        return;
                    }
                    send(channel, request);
                } else {
                    Thread.onSpinWait();
                }
            }
        }
    }

    static void send(Channel channel, long value) {
        while (channel.writableFrames() == 0) {
            Thread.onSpinWait();
        }
        FrameWriter w = channel.claim();
        w.putWord(0, value);
        w.publish(CONTROL);
    }

    // ---- pinning ----------------------------------------------------------------------------------------------

    /** Pins the calling thread to host CPU {@code cpu}; false (and unpinned) if it is not one or affinity fails. */
    static boolean pin(int cpu) {
        if (cpu < 0) {
            return false;
        }
        try {
            net.openhft.affinity.Affinity.setAffinity(cpu);
            BitSet now = net.openhft.affinity.Affinity.getAffinity();
            return now.cardinality() == 1 && now.get(cpu);
        } catch (RuntimeException | LinkageError e) { // no native library, not Linux, refused by a container
            return false;
        }
    }

    /** Core i → the i-th online Linux CPU (host discovery's numbering); -1 past the last, or if unknown. */
    static IntUnaryOperator onlineCpus() {
        List<Integer> cpus;
        try {
            cpus = io.flotilla.machine.CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")));
        } catch (IOException | RuntimeException e) {
            int n = Runtime.getRuntime().availableProcessors();
            return core -> core < n ? core : -1;
        }
        return core -> core < cpus.size() ? cpus.get(core) : -1;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }
}
