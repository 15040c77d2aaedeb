package io.flotilla.experiments.transport;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.ChannelPair;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcTransport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * Round-trip latency and one-way throughput of one-frame messages between two threads pinned to two CPUs, for urpc,
 * its peers and the cache-line floor, measured in ONE run with the contestants interleaved round by round (so slow
 * drift of a noisy machine hits them all alike): compare ratios within a run, never absolute times across runs.
 *
 * <p>Two payload sizes: 8 bytes (a sequence number: the queues with small records pack several per cache line) and
 * 56 bytes (a urpc frame's whole payload; Agrona carries a 56-byte record, the object queues a preallocated message
 * of 7 longs, urpc 7 payload words). Every word of every message is checked on receive. The floors and the
 * contestants that cross a process or a socket ({@code urpc-process}, {@code net}) run at 8 bytes only.
 *
 * <p>Latency: the main thread sends message i and spins until the worker echoes it; each round trip is timed with
 * {@code System.nanoTime()} (its own cost included, the same for all) into one HdrHistogram per contestant across
 * rounds. Throughput: the main thread sends messages one way as fast as the queue takes them; the worker times
 * every batch of 4096 received messages ({@link BatchClock}); the rate of the median batch across all rounds is
 * reported (robust against descheduling on a shared machine). Every queue holds 32 messages per direction.
 * Beside these run-wide medians, {@link RoundRatios} reports urpc's ratios to the floor and to the best peer taken
 * inside each round, medians over the rounds: the figures to read on a machine whose speed changes during a run.
 *
 * <p>The result also names how the two CPUs are related ({@link CpuPair}: SMT siblings, a shared L2 or L3, or
 * nothing but memory), since that decides what a cache line's transfer costs.
 *
 * <p>Entry point for {@code flotilla bench transports}: {@link #run(boolean, PrintStream)}.
 */
public final class TransportBench {

    /** Main thread's CPU and the worker's: system properties flotilla.bench.mainCpu / workerCpu, default 0 and 1. */
    static final int MAIN_CPU = Integer.getInteger("flotilla.bench.mainCpu", 0);
    static final int WORKER_CPU = Integer.getInteger("flotilla.bench.workerCpu", 1);

    private TransportBench() {}

    /**
     * Contestants measured only when named with {@code --only}: urpc's other configurations, the ring floors, the
     * runtime's layers. urpc's other configurations share {@link ChannelContestant}'s loops with {@code urpc}, so in
     * a full run the JIT compiled the default's loops for two channel classes; in the full runs that measured them,
     * the default's one-way rate sat at 28-31 Mmsg/s, against 62-94 in quick runs without them (seventh session,
     * docs/benchmarks.md: a strong hint, not a proof). A program has one configuration per call site; so does the
     * full run now.
     */
    private static final java.util.regex.Pattern DIAGNOSTIC =
            java.util.regex.Pattern.compile("urpc-(epoch|used-bit|packed).*|floor-ring.*|binding.*");

    /**
     * How much to measure: one warm-up round (not recorded, long enough for C2 to compile every loop), then
     * {@code rounds} measured rounds; in each, every contestant runs a round-trip phase and a one-way phase of
     * {@code phaseMillis} each. Phases are bounded in time, not in messages, so a slow contestant or a machine
     * busy with other work cannot stretch the run. With both payload sizes there are about 33 phases a round: the
     * full run's phases are 400 ms (they were 500 ms with one size) to keep it near five minutes; quick is about
     * 35 s.
     */
    record Plan(int warmupMillis, int rounds, int phaseMillis) {
        static Plan of(boolean quick) {
            return quick ? new Plan(200, 5, 150) : new Plan(1000, 20, 400);
        }
    }

    /**
     * Runs the benchmark: about 35 s with {@code quick}, about five minutes without.
     *
     * @param progress where to report each round (never the result); may be a null stream
     */
    public static TransportBenchResult run(boolean quick, PrintStream progress) {
        return run(Plan.of(quick), progress);
    }

    static TransportBenchResult run(Plan plan, PrintStream progress) {
        return run(plan, List.of(), progress);
    }

    /** As {@link #run(boolean, PrintStream)}, measuring only the contestants in {@code only} (all when empty). */
    static TransportBenchResult run(Plan plan, List<String> only, PrintStream progress) {
        // Made only when chosen: some start a process or open a TCP connection.
        Map<String, Supplier<Contestant>> all = new LinkedHashMap<>();
        all.put("floor", Floor::new);
        all.put("floor-2lines", Floor::twoLines);
        all.put("floor-ring", () -> new RingFloor("floor-ring", true));
        all.put("floor-ring-packed", () -> new RingFloor("floor-ring-packed", false));
        all.put("floor-ring-interleaved", () -> new RingFloor("floor-ring-interleaved", false, true));
        all.put("urpc", () -> ChannelContestant.urpcAsOpened("urpc", 1));
        all.put("runtime", RuntimeContestant::new);
        all.put("agrona", AgronaContestant::new);
        all.put("jctools", JctoolsContestant::new);
        all.put("disruptor", DisruptorContestant::new);
        all.put("abq", AbqContestant::new);
        all.put("urpc-epoch", () -> ChannelContestant.urpc("urpc-epoch", FlowControl.EPOCH));
        all.put("urpc-used-bit", () -> ChannelContestant.urpc("urpc-used-bit", FlowControl.USED_BIT));
        all.put("urpc-process", ProcessUrpcContestant::new);
        all.put("net", NetContestant::new);
        all.put("binding", () -> new BindingContestant("binding", false));
        all.put("binding-metered", () -> new BindingContestant("binding-metered", true));
        // only with --only: what the spread slots buy; how the ack batch moves the numbers (used-bit-ack1 clears each
        // slot at once, as before the clears were deferred)
        all.put("urpc-packed", () -> ChannelContestant.urpcPacked("urpc-packed", 1));
        for (int batch : new int[] {1, 8, 32}) {
            all.put("urpc-epoch-ack" + batch, () -> ChannelContestant.urpc("urpc-epoch-ack" + batch,
                    FlowControl.EPOCH, batch));
            all.put("urpc-used-bit-ack" + batch, () -> ChannelContestant.urpc("urpc-used-bit-ack" + batch,
                    FlowControl.USED_BIT, batch));
        }
        // The same queues carrying a full frame's payload (56 bytes), under the same keys ("key/56" in --only).
        Map<String, Supplier<Contestant>> full = new LinkedHashMap<>();
        full.put("urpc", () -> ChannelContestant.urpcAsOpened("urpc", Contestant.FULL));
        full.put("agrona", () -> new AgronaContestant(Contestant.FULL));
        full.put("jctools", () -> new JctoolsContestant(Contestant.FULL));
        full.put("disruptor", () -> new DisruptorContestant(Contestant.FULL));
        full.put("abq", () -> new AbqContestant(Contestant.FULL));
        full.put("urpc-epoch", () -> ChannelContestant.urpcWords("urpc-epoch", FlowControl.EPOCH, Contestant.FULL));
        full.put("urpc-used-bit", () -> ChannelContestant.urpcWords("urpc-used-bit", FlowControl.USED_BIT,
                Contestant.FULL));
        full.put("urpc-packed", () -> ChannelContestant.urpcPacked("urpc-packed", Contestant.FULL));
        List<Contestant> contestants = new ArrayList<>();
        for (Map.Entry<String, Supplier<Contestant>> e : all.entrySet()) {
            if (only.isEmpty() ? !DIAGNOSTIC.matcher(e.getKey()).matches() : only.contains(e.getKey())) {
                contestants.add(e.getValue().get());
            }
        }
        for (Map.Entry<String, Supplier<Contestant>> e : full.entrySet()) {
            if (only.isEmpty() ? !DIAGNOSTIC.matcher(e.getKey()).matches() : only.contains(e.getKey() + "/56")) {
                contestants.add(e.getValue().get());
            }
        }
        Map<Contestant, Histogram> rtt = new LinkedHashMap<>();
        Map<Contestant, Histogram> batches = new LinkedHashMap<>();
        for (Contestant c : contestants) {
            rtt.put(c, new Histogram(TimeUnit.SECONDS.toNanos(1), 3));
            batches.put(c, new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
        }
        String machine = describeMachine(); // before pinning: availableProcessors() follows the affinity mask
        String cpuPair = CpuPair.describe(MAIN_CPU, WORKER_CPU);
        Worker worker = new Worker(WORKER_CPU);
        boolean workerPinned = worker.startPinned();
        boolean mainPinned = Pinning.pin(MAIN_CPU);
        int tick = ClockTick.measure();
        progress.println("transport bench: " + machine + "; pinned main=" + mainPinned + " (cpu " + MAIN_CPU
                + ") worker=" + workerPinned + " (cpu " + WORKER_CPU + "), " + cpuPair + "; urpc's scheme for the pair: "
                + defaultFlowControl().label() + (defaultHandBack() ? " with hand-back" : "") + "; clock step "
                + tick + " ns"
                + (tick > 1 ? " (rtt p50 estimated within it)" : "") + "; " + plan);
        RoundRatios ratios = new RoundRatios(plan.rounds());
        Contestant.aborted = null;
        try {
            for (Contestant c : contestants) {
                roundTrips(worker, c, plan.warmupMillis(), new Histogram(TimeUnit.SECONDS.toNanos(1), 3));
                if (c.measuresThroughput()) {
                    oneWay(worker, c, plan.warmupMillis(), new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
                }
            }
            // One phase's figures, reset before each phase and then added to the run's: allocated once, so no
            // collection falls into a phase.
            Histogram phaseRtt = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
            Histogram phaseBatches = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            for (int round = 0; round < plan.rounds(); round++) {
                StringBuilder line = new StringBuilder("round " + (round + 1) + "/" + plan.rounds() + " Mmsg/s:");
                // rotate the order every round so no contestant always follows the same one
                for (int k = 0; k < contestants.size(); k++) {
                    Contestant c = contestants.get((k + round) % contestants.size());
                    phaseRtt.reset();
                    roundTrips(worker, c, plan.phaseMillis(), phaseRtt);
                    rtt.get(c).add(phaseRtt);
                    ratios.roundTrip(c.label(), round, ClockTick.median(phaseRtt, tick));
                    if (c.measuresThroughput()) {
                        phaseBatches.reset();
                        double mps = oneWay(worker, c, plan.phaseMillis(), phaseBatches);
                        batches.get(c).add(phaseBatches);
                        ratios.rate(c.label(), round, rate(phaseBatches));
                        line.append(String.format(Locale.ROOT, " %s %.1f", c.label(), mps));
                    }
                }
                progress.println(line);
            }
        } catch (RuntimeException | Error e) {
            Contestant.aborted = e; // release the worker if it is waiting for us
            throw e;
        } finally {
            worker.shutdown();
            for (Contestant c : contestants) {
                c.close();
            }
        }
        TransportBenchResult.Size small = new TransportBenchResult.Size();
        TransportBenchResult.Size large = new TransportBenchResult.Size();
        for (Contestant c : contestants) {
            TransportBenchResult.Size size = c.words == 1 ? small : large;
            size.rttMedianNs().put(c.key, ClockTick.median(rtt.get(c), tick));
            size.rttP99Ns().put(c.key, (double) rtt.get(c).getValueAtPercentile(99));
            if (c.measuresThroughput()) {
                size.throughputMps().put(c.key, rate(batches.get(c)));
            }
        }
        return new TransportBenchResult(small.rttMedianNs(), small.rttP99Ns(), small.throughputMps(), large,
                ratios.medians(), mainPinned && workerPinned, plan.rounds(), machine, cpuPair);
    }

    /** The median batch's rate in Mmsg/s; NaN without a whole batch (a slow transport), not a division by zero. */
    private static double rate(Histogram batchNanos) {
        return batchNanos.getTotalCount() == 0
                ? Double.NaN
                : BatchClock.BATCH * 1e3 / batchNanos.getValueAtPercentile(50);
    }

    /**
     * A urpc channel as {@code UrpcTransport.open} makes it between cores on the bench's two CPUs (the scheme, the
     * hand-back per pair, spread slots), with the bench's {@link Contestant#CAPACITY} slots: what a program gets.
     */
    static ChannelPair urpcPair() {
        return new UrpcTransport().open(Endpoint.local(MAIN_CPU), Endpoint.local(WORKER_CPU),
                ChannelOptions.DEFAULT.withSlots(Contestant.CAPACITY));
    }

    /** The scheme {@code UrpcTransport} chooses with default options. */
    static FlowControl defaultFlowControl() {
        return UrpcTransport.flowControlFor(ChannelOptions.DEFAULT);
    }

    /** Whether the bench's two CPUs' receivers hand lines back, as {@code UrpcTransport} chooses for the pair. */
    static boolean defaultHandBack() {
        return UrpcTransport.handBackFor(Endpoint.local(MAIN_CPU), Endpoint.local(WORKER_CPU), ChannelOptions.DEFAULT);
    }

    private static void roundTrips(Worker worker, Contestant c, int millis, Histogram into) {
        c.reset();
        long ticket = worker.submit(c::echo);
        c.ping(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis), into);
        worker.await(ticket);
    }

    /** @return million messages per second over the whole phase (for progress only; the result uses batches) */
    private static double oneWay(Worker worker, Contestant c, int millis, Histogram batchNanos) {
        c.reset();
        BatchClock clock = new BatchClock(batchNanos);
        long ticket = worker.submit(() -> c.consume(clock));
        long start = System.nanoTime();
        long sent = c.produce(start + TimeUnit.MILLISECONDS.toNanos(millis));
        worker.await(ticket);
        long nanos = System.nanoTime() - start;
        return sent * 1e3 / nanos;
    }

    static String describeMachine() {
        String cpu = "unknown CPU";
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (Exception e) {
            cpu = System.getProperty("os.arch");
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, " + System.getProperty("os.name")
                + ", Java " + Runtime.version();
    }

    /**
     * {@code [--quick] [--only=floor,urpc-epoch,agrona/56,...] [--rounds=N] [--phase-ms=M]}: prints progress and a
     * table on stderr and the JSON object on stdout. {@code --only} (a key, or key/56 for the 56-byte payload) and
     * the sizes are for focused experiments (such as epoch against used bit); the JSON then has null for
     * contestants not measured.
     */
    public static void main(String[] args) {
        Plan plan = Plan.of(false);
        List<String> only = List.of();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                plan = Plan.of(true);
            } else if (arg.startsWith("--only=")) {
                only = List.of(arg.substring("--only=".length()).split(","));
            } else if (arg.startsWith("--rounds=")) {
                plan = new Plan(plan.warmupMillis(), positive(arg, "--rounds="), plan.phaseMillis());
            } else if (arg.startsWith("--phase-ms=")) {
                plan = new Plan(plan.warmupMillis(), plan.rounds(), positive(arg, "--phase-ms="));
            } else {
                usage("unknown: " + arg);
            }
        }
        TransportBenchResult result = run(plan, only, System.err);
        System.err.print(result.toTable());
        System.out.println(result.toJson());    }

    /** The positive integer after {@code prefix} in {@code arg}; otherwise the usage line and exit status 2. */
    private static int positive(String arg, String prefix) {
        try {
            int value = Integer.parseInt(arg.substring(prefix.length()));
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, as a value out of range is
        }
        usage(prefix + " needs a positive whole number, not '" + arg.substring(prefix.length()) + "'");
        return 0; // not reached
    }

    private static void usage(String why) {
        System.err.println("usage: TransportBench [--quick] [--only=key,...] [--rounds=N] [--phase-ms=M]   (" + why
                + ")");
        System.exit(2);
    }
}
