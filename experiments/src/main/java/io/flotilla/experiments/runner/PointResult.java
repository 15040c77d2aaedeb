package io.flotilla.experiments.runner;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of an experiment's CSV: a series at one core count, averaged over the repetitions, or a point that failed
 * (with {@code --keep-going}) and says why.
 *
 * @param label the series label ({@link ExperimentSpec#label})
 * @param cycles the mean over the repetitions; NaN for a failed point
 * @param stddev across repetitions when there were several; with one, the spread the scenario reported for its
 *     operations (its {@code stddev} column), or 0; NaN for a failed point
 * @param traceHash the repetitions' sim trace hashes folded into one (hex), or empty where the platform has none
 * @param extra the scenario's other columns, averaged over the repetitions, sorted by name
 * @param failure why the point failed, or empty when it was measured
 */
public record PointResult(String label, String machine, String series, int cores, double cycles, double stddev,
        int repetitions, String traceHash, Map<String, Double> extra, String failure) {

    public PointResult {
        extra = Collections.unmodifiableMap(new TreeMap<>(extra));
        failure = failure == null ? "" : failure;
    }

    /** A measured point. */
    public PointResult(String label, String machine, String series, int cores, double cycles, double stddev,
            int repetitions, String traceHash, Map<String, Double> extra) {
        this(label, machine, series, cores, cycles, stddev, repetitions, traceHash, extra, "");
    }

    /** A point that could not be measured, and why. */
    static PointResult failed(String label, String machine, String series, int cores, String reason) {
        return new PointResult(label, machine, series, cores, Double.NaN, Double.NaN, 0, "", Map.of(), reason);
    }

    public boolean isFailed() {
        return !failure.isEmpty();
    }
}
