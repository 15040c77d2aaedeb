package io.flotilla.experiments.runner;

import io.flotilla.channel.TransportRegistry;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.pinned.IdleStrategy;
import io.flotilla.platform.pinned.PinnedPlatform;
import io.flotilla.platform.sim.SimPlatform;
import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs every point of one experiment (or one shard's share of them): for each machine, series and core count, the
 * repetitions, each on a fresh platform seeded with that repetition's seed ({@link Seeds}). Points a scenario says
 * it cannot measure on a machine ({@link Scenario#supports}) are skipped and listed. Each finished point is handed
 * to a listener at once, so that it is on disk before the next begins. A point whose scenario fails ends the sweep,
 * or with {@code keepGoing} becomes a failed row with its reason; running out of heap, stack or threads always ends
 * it ({@link ExperimentResourceException}).
 *
 * <p>On {@code pinned} nothing is measured cold. First, the JIT is warmed up ({@link JitWarmup}): passes of one
 * unmeasured repetition of each series (at its first point) until a pass leaves the compilers quiet; a scenario's
 * own warm-up rounds are far fewer than the calls after which a method is compiled, and compiler threads take CPUs
 * from spinning cores. Then each point first runs {@value #PINNED_WARMUP_REPETITIONS} repetition whose result is
 * thrown away: the point's own core count, rings and pages. On {@code sim} time is virtual and a repetition costs
 * the same cold or warm, so neither is run (and results and traces stay as they were).
 */
final class Sweep {

    /** Repetitions thrown away before each pinned point's measured ones (the JIT's warm-up, see above). */
    static final int PINNED_WARMUP_REPETITIONS = 1;

    /**
     * The points skipped, as sentences, the rows in run order, the idle strategies the pinned cores used, and how
     * the JIT's warm-up went (both empty on sim).
     */
    record Result(List<PointResult> rows, List<String> skipped, List<String> idleInUse, String warmup) {}

    /** One point of the sweep, in its order. */
    record Point(String machine, String series, int cores) {}

    private final ExperimentSpec spec;
    private final Scenario scenario;
    private final String platform;
    private final long seed;
    private final boolean quick;
    private final boolean keepGoing;
    private final Shard shard;
    private final IdleStrategy.Kind idle;
    /** What the pinned platforms of this sweep resolved their idle strategy to (auto: spin or backoff). */
    private final TreeSet<String> idleInUse = new TreeSet<>();

    Sweep(ExperimentSpec spec, Scenario scenario, String platform, long seed, boolean quick, boolean keepGoing,
            Shard shard, IdleStrategy.Kind idle) {
        this.spec = spec;
        this.scenario = scenario;
        this.platform = platform;
        this.seed = seed;
        this.quick = quick;
        this.keepGoing = keepGoing;
        this.shard = shard;
        this.idle = idle;
    }

    /** Unmeasured repetitions run before each point's measured ones: {@link #PINNED_WARMUP_REPETITIONS} on pinned. */
    int warmupRepetitions() {
        return "pinned".equals(platform) ? PINNED_WARMUP_REPETITIONS : 0;
    }

    /** Every point the scenario can measure, in sweep order (the order shards are dealt from). */
    List<Point> points(List<String> skipped) {
        List<Point> out = new ArrayList<>();
        for (String machineName : spec.machines()) {
            Machine machine = Machines.load(machineName);
            for (String series : spec.series()) {
                if (!scenario.supports(machine, series)) {
                    skipped.add("series '" + series + "' on " + machine.name() + ": the scenario cannot measure it"
                            + " there");
                    continue;
                }
                for (int n : spec.cores(quick)) {
                    out.add(new Point(machineName, series, n));
                }
            }
        }
        return out;
    }

    /** This run's points: the shard's share of {@link #points}. */
    List<Point> mine(List<Point> all) {
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (shard.owns(i)) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    Result run(List<Point> points, List<String> skipped, ProgressBar progress, Consumer<PointResult> finished) {
        int repetitions = spec.repetitions(quick);
        Map<String, String> parameters = spec.parameters(quick);
        List<PointResult> rows = new ArrayList<>();
        Map<String, Machine> machines = new HashMap<>();
        String jitWarmup = "pinned".equals(platform) && !points.isEmpty()
                ? warmUp(points, parameters, machines, progress) : "";
        for (Point p : points) {
            Machine machine = machines.computeIfAbsent(p.machine(), Machines::load);
            List<Measurement> reps = new ArrayList<>();
            PointResult row = null;
            int warmups = warmupRepetitions();
            for (int r = -warmups; r < repetitions && row == null; r++) {
                boolean warmup = r < 0;
                progress.show(spec.name() + " " + spec.label(p.machine(), p.series()) + " cores=" + p.cores()
                        + (warmup ? " warm-up" : repetitions > 1 ? " rep " + (r + 1) : ""));
                try {
                    // A warm-up repetition runs exactly as the first measured one (its seed too), and is dropped.
                    Measurement m = measure(machine, p.series(), p.cores(), Seeds.forRepetition(seed, Math.max(0, r)),
                            parameters, warmup, idle);
                    if (!warmup) {
                        reps.add(m);
                    }
                } catch (ExperimentRunException e) {
                    if (!keepGoing) {
                        throw e;
                    }
                    row = PointResult.failed(spec.label(p.machine(), p.series()), p.machine(), p.series(),
                            p.cores(), (warmup ? "warm-up repetition: " : repetitions > 1 ? "repetition " + (r + 1)
                                    + ": " : "") + e.reason());
                }
                progress.step();
            }
            if (row == null) {
                row = summarise(p.machine(), p.series(), p.cores(), reps);
            }
            rows.add(row);
            finished.accept(row);
        }
        return new Result(rows, skipped, List.copyOf(idleInUse), jitWarmup);
    }

    /**
     * Runs {@link JitWarmup} over one unmeasured repetition of each series at its first point; a repetition that
     * fails is counted and said in the outcome (the point's measured repetitions meet the failure again and report
     * it as any other).
     */
    private String warmUp(List<Point> points, Map<String, String> parameters, Map<String, Machine> machines,
            ProgressBar progress) {
        Map<String, Point> firstOfSeries = new java.util.LinkedHashMap<>();
        for (Point p : points) {
            firstOfSeries.putIfAbsent(p.machine() + "\u0000" + p.series(), p);
        }
        int[] failed = {0};
        int[] pass = {0};
        Map<String, String> longer = JitWarmup.longerRounds(parameters);
        JitWarmup.Outcome outcome = JitWarmup.run(() -> {
            pass[0]++;
            for (Point p : firstOfSeries.values()) {
                progress.show(spec.name() + " JIT warm-up pass " + pass[0] + ": " + spec.label(p.machine(),
                        p.series()));
                try {
                    // Backing off, not spinning: a spinning core leaves the compilers no CPU on a small host,
                    // and the pass is there for them. The code a measured repetition runs is the same but for the
                    // idle strategy's own few lines, which the dropped repetition of each point warms.
                    measure(machines.computeIfAbsent(p.machine(), Machines::load), p.series(), p.cores(),
                            Seeds.forRepetition(seed, 0), longer, true, IdleStrategy.Kind.BACKOFF);
                } catch (ExperimentRunException e) {
                    failed[0]++;
                }
            }
        });
        return outcome.describe() + (failed[0] == 0 ? "" : ", " + failed[0] + " warm-up repetitions failed");
    }

    private Measurement measure(Machine machine, String series, int cores, long repetitionSeed,
            Map<String, String> parameters, boolean warmup, IdleStrategy.Kind kind) {
        List<PinnedPlatform> booted = new ArrayList<>();
        Supplier<Platform> platforms = "pinned".equals(platform)
                ? () -> {
                    PinnedPlatform pinned =
                            new PinnedPlatform(TransportRegistry.discover(), false, true, repetitionSeed).idle(kind);
                    booted.add(pinned);
                    return pinned;
                }
                : () -> new SimPlatform(repetitionSeed);
        String point = "experiment '" + spec.name() + "', series '" + series + "' on " + machine.name() + " at "
                + cores + " cores (seed " + repetitionSeed + (warmup ? ", the dropped warm-up repetition" : "") + ")";
        try {
            var context = new ScenarioContext(machine, platform, series, cores, repetitionSeed, quick, parameters,
                    platforms);
            Measurement m = scenario.run(context);
            if (kind == idle) { // not the JIT warm-up's passes: the run records what its points ran with
                for (PinnedPlatform p : booted) {
                    idleInUse.add(p.idleInUse().toString());
                }
            }
            return m;
        } catch (RuntimeException e) {
            throw new ExperimentRunException(point, e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // The point's objects are unreachable once this frame is left, so there is heap enough to report.
            throw new ExperimentResourceException(point + ": " + ExperimentResourceException.advice(e));
        }
    }

    private PointResult summarise(String machine, String series, int cores, List<Measurement> reps) {
        int n = reps.size();
        double sum = 0;
        for (Measurement m : reps) {
            sum += m.cycles();
        }
        double mean = sum / n;
        double stddev;
        if (n > 1) {
            double sq = 0;
            for (Measurement m : reps) {
                sq += (m.cycles() - mean) * (m.cycles() - mean);
            }
            stddev = Math.sqrt(sq / (n - 1));
        } else {
            stddev = reps.get(0).extra().getOrDefault("stddev", 0.0);
        }
        TreeMap<String, Double> extra = new TreeMap<>();
        for (Measurement m : reps) {
            // With several repetitions the stddev column is their spread; the scenario's own spread of its
            // operations is kept beside it, averaged, as stddev_within.
            m.extra().forEach((k, v) -> {
                if (!"stddev".equals(k)) {
                    extra.merge(k, v / n, Double::sum);
                } else if (n > 1) {
                    extra.merge("stddev_within", v / n, Double::sum);
                }
            });
        }
        String hash = "";
        long folded = 0x9e3779b97f4a7c15L;
        boolean any = false;
        for (Measurement m : reps) {
            if (m.traceHash().isPresent()) {
                any = true;
                folded = Long.rotateLeft(folded * 0xbf58476d1ce4e5b9L, 17) ^ m.traceHash().getAsLong();
            }
        }
        if (any) {
            hash = n == 1 ? Long.toHexString(reps.get(0).traceHash().getAsLong()) : Long.toHexString(folded);
        }
        return new PointResult(spec.label(machine, series), machine, series, cores, mean, stddev, n, hash, extra);
    }
}
