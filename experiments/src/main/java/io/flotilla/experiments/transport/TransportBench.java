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
 * <p>Each contestant runs in a JVM of its own ({@link ForkedLane}: the parent asks one child at a time for a phase),
 * so no contestant's code is compiled for another's: several of them share urpc's. {@code --one-jvm} runs them all
 * in this JVM instead, as before.
 *
 * <p>The result also names how the two CPUs are related ({@link CpuPair}: SMT siblings, a shared L2 or L3, or
 * nothing but memory), since that decides what a cache line's transfer costs.
 *
 * <p>Entry point for {@code flotilla bench transports}: {@link #run(boolean, boolean, PrintStream)}.
 */
public final class TransportBench {

    /** Main thread's CPU and the worker's: system properties flotilla.bench.mainCpu / workerCpu, default 0 and 1. */
    static final int MAIN_CPU = Integer.getInteger("flotilla.bench.mainCpu", 0);
    static final int WORKER_CPU = Integer.getInteger("flotilla.bench.workerCpu", 1);

    private TransportBench() {}

    /**
     * How much to measure: one warm-up round (not recorded, long enough for C2 to compile every loop), then
     * {@code rounds} measured rounds; in each, every contestant runs a round-trip phase and a one-way phase of
     * {@code phaseMillis} each. Phases are bounded in time, not in messages, so a slow contestant or a machine
     * busy with other work cannot stretch the run. With both payload sizes there are about 33 phases a round: the
     * full run's phases are 400 ms (they were 500 ms with one size) to keep it near five minutes; quick is about
     * 35 s. {@code oneJvm}: every contestant in the bench's own JVM, as before the ninth session, instead of one JVM
     * each ({@link ForkedLane} says why that is the default).
     */
    record Plan(int warmupMillis, int rounds, int phaseMillis, boolean oneJvm) {
        static Plan of(boolean quick) {
            return quick ? new Plan(200, 5, 150, false) : new Plan(1000, 20, 400, false);
        }

        Plan inOneJvm(boolean one) {
            return new Plan(warmupMillis, rounds, phaseMillis, one);
        }
    }

    /**
     * Runs the benchmark: about 35 s with {@code quick}, about five minutes without; each contestant in a JVM of its
     * own unless {@code oneJvm}.
     *
     * @param progress where to report each round (never the result); may be a null stream
     */
    public static TransportBenchResult run(boolean quick, boolean oneJvm, PrintStream progress) {
        return run(Plan.of(quick).inOneJvm(oneJvm), List.of(), progress);
    }

    /**
     * As {@link #run(boolean, boolean, PrintStream)}, measuring only the contestants labelled in {@code only}
     * ({@link Contestants#chosen}: every one that is not a diagnostic when empty).
     *
     * @throws IllegalArgumentException if a label in {@code only} is no contestant's
     * @throws IllegalStateException if a contestant fails: which one, and why
     */
    static TransportBenchResult run(Plan plan, List<String> only, PrintStream progress) {
        List<String> labels = Contestants.chosen(only);
        String machine = describeMachine(); // before pinning: availableProcessors() follows the affinity mask
        String cpuPair = CpuPair.describe(MAIN_CPU, WORKER_CPU);
        int tick = ClockTick.measure();
        Worker worker = null;
        List<Contestant> contestants = new ArrayList<>(); // of --one-jvm, closed through their lanes once they have one
        List<Lane> lanes = new ArrayList<>();
        Contestant.aborted = null; // a failed run before this one in this JVM left its cause here
        try {
            if (plan.oneJvm()) {
                // Made before the threads are pinned: a process a contestant starts (urpc-process's echo) inherits
                // the affinity of the thread that starts it, and an echo confined to the main thread's CPU answers
                // only when the scheduler takes that CPU from the spinning main thread (round trips of 1.1 ms).
                for (String label : labels) {
                    contestants.add(Contestants.make(label));
                }
                worker = new Worker(WORKER_CPU);
                boolean workerPinned = worker.startPinned();
                boolean pinned = Pinning.pin(MAIN_CPU) && workerPinned;
                for (Contestant c : contestants) {
                    lanes.add(new InProcessLane(c, worker, pinned));
                }
            } else {
                lanes.addAll(ForkedLane.startAll(labels, MAIN_CPU, WORKER_CPU));
            }
            boolean pinned = lanes.stream().allMatch(Lane::pinned);
            progress.println("transport bench: " + machine + "; " + cpuPair + "; main on cpu " + MAIN_CPU
                    + ", worker on cpu " + WORKER_CPU + (pinned ? ", pinned" : ", NOT pinned") + "; "
                    + (plan.oneJvm() ? "all contestants in this JVM" : "one JVM per contestant")
                    + "; urpc's scheme for the pair: " + defaultFlowControl().label()
                    + (defaultHandBack() ? " with hand-back" : "") + "; clock step " + tick + " ns"
                    + (tick > 1 ? " (rtt p50 estimated within it)" : "") + "; " + plan);
            return measure(plan, lanes, tick, pinned, machine, cpuPair, progress);
        } catch (RuntimeException | Error e) {
            Contestant.aborted = e; // release this JVM's worker if it is waiting for us
            throw e;
        } finally {
            if (worker != null) {
                worker.shutdown();
            }
            if (lanes.isEmpty()) {
                contestants.forEach(Contestant::close);
            }
            for (Lane lane : lanes) {
                lane.close();
            }
        }
    }

    private static TransportBenchResult measure(Plan plan, List<Lane> lanes, int tick, boolean pinned,
            String machine, String cpuPair, PrintStream progress) {
        Map<Lane, Histogram> rtt = new LinkedHashMap<>();
        Map<Lane, Histogram> batches = new LinkedHashMap<>();
        for (Lane lane : lanes) {
            rtt.put(lane, new Histogram(TimeUnit.SECONDS.toNanos(1), 3));
            batches.put(lane, new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
        }
        RoundRatios ratios = new RoundRatios(plan.rounds());
        // One phase's figures, reset before each phase and then added to the run's: allocated once, so no collection
        // falls into a phase.
        Histogram phaseRtt = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
        Histogram phaseBatches = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        for (Lane lane : lanes) {
            lane.roundTrips(plan.warmupMillis(), phaseRtt);
            if (lane.measuresThroughput()) {
                lane.oneWay(plan.warmupMillis(), phaseBatches);
            }
        }
        for (int round = 0; round < plan.rounds(); round++) {
            StringBuilder line = new StringBuilder("round " + (round + 1) + "/" + plan.rounds() + " Mmsg/s:");
            StringBuilder rtts = new StringBuilder("round " + (round + 1) + "/" + plan.rounds() + " rtt p50 ns:");
            // rotate the order every round so no contestant always follows the same one
            for (int k = 0; k < lanes.size(); k++) {
                Lane lane = lanes.get((k + round) % lanes.size());
                phaseRtt.reset();
                lane.roundTrips(plan.phaseMillis(), phaseRtt);
                rtt.get(lane).add(phaseRtt);
                double median = ClockTick.median(phaseRtt, tick);
                ratios.roundTrip(lane.label(), round, median);
                rtts.append(String.format(Locale.ROOT, " %s %.0f", lane.label(), median));
                if (lane.measuresThroughput()) {
                    phaseBatches.reset();
                    double mps = lane.oneWay(plan.phaseMillis(), phaseBatches);
                    batches.get(lane).add(phaseBatches);
                    ratios.rate(lane.label(), round, rate(phaseBatches));
                    line.append(String.format(Locale.ROOT, " %s %.1f", lane.label(), mps));
                }
            }
            progress.println(line);
            progress.println(rtts);
        }
        TransportBenchResult.Size small = new TransportBenchResult.Size();
        TransportBenchResult.Size large = new TransportBenchResult.Size();
        for (Lane lane : lanes) {
            TransportBenchResult.Size size = lane.words() == 1 ? small : large;
            size.rttMedianNs().put(lane.key(), ClockTick.median(rtt.get(lane), tick));
            size.rttP99Ns().put(lane.key(), (double) rtt.get(lane).getValueAtPercentile(99));
            if (lane.measuresThroughput()) {
                size.throughputMps().put(lane.key(), rate(batches.get(lane)));
            }
        }
        return new TransportBenchResult(small.rttMedianNs(), small.rttP99Ns(), small.throughputMps(), large,
                ratios.medians(), pinned, plan.rounds(), machine, cpuPair);
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
     * {@code [--quick] [--one-jvm] [--only=floor,urpc-epoch,agrona/56,...] [--rounds=N] [--phase-ms=M]}: prints
     * progress and a table on stderr and the JSON object on stdout. {@code --only} (labels: a key, or key/56 for the
     * 56-byte payload) and the sizes are for focused experiments (such as epoch against used bit); the JSON then has
     * null for contestants not measured. A bad argument prints the usage line and exits 2; a contestant that fails
     * prints one line naming it and exits 1.
     */
    public static void main(String[] args) {
        Plan plan = Plan.of(false);
        List<String> only = List.of();
        for (String arg : args) {
            if (arg.equals("--quick")) {
                plan = Plan.of(true).inOneJvm(plan.oneJvm());
            } else if (arg.equals("--one-jvm")) {
                plan = plan.inOneJvm(true);
            } else if (arg.startsWith("--only=")) {
                only = List.of(arg.substring("--only=".length()).split(","));
            } else if (arg.startsWith("--rounds=")) {
                plan = new Plan(plan.warmupMillis(), positive(arg, "--rounds="), plan.phaseMillis(), plan.oneJvm());
            } else if (arg.startsWith("--phase-ms=")) {
                plan = new Plan(plan.warmupMillis(), plan.rounds(), positive(arg, "--phase-ms="), plan.oneJvm());
            } else {
                usage("unknown: " + arg);
            }
        }
        try {
            Contestants.chosen(only);
        } catch (IllegalArgumentException e) {
            usage(e.getMessage());
        }
        TransportBenchResult result;
        try {
            result = run(plan, only, System.err);
        } catch (IllegalStateException e) {
            System.err.println("transport bench failed: " + ContestantHost.oneLine(e));
            System.exit(1);
            return;
        }
        System.err.print(result.toTable());
        System.out.println(result.toJson());
    }

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
        System.err.println("usage: TransportBench [--quick] [--one-jvm] [--only=label,...] [--rounds=N] [--phase-ms=M]"
                + "   (" + why + ")");
        System.exit(2);
    }
}
