package io.flotilla.experiments.runner;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of an experiment's CSV: a series at one core count, averaged over the repetitions.
 *
 * @param label the series label ({@link ExperimentSpec#label})
 * @param stddev across repetitions when there were several; with one, the spread the scenario reported for its
 *     operations (its {@code stddev} column), or 0
 * @param traceHash the repetitions' sim trace hashes folded into one (hex), or empty where the platform has none
 * @param extra the scenario's other columns, averaged over the repetitions, sorted by name
 */
public record PointResult(String label, String machine, String series, int cores, double cycles, double stddev,
        int repetitions, String traceHash, Map<String, Double> extra) {

    public PointResult {
        extra = Collections.unmodifiableMap(new TreeMap<>(extra));
    }
}
