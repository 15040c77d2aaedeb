package io.flotilla.scenario;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * What one point of a sweep measured: the cost of one operation in cycles (the y of the paper's figures), any extra
 * columns (e.g. {@code stddev}, {@code p99}, {@code messages}), and the trace hash where the platform is
 * deterministic. Extra columns are kept sorted by name so CSV columns come out in one order.
 */
public record Measurement(double cycles, Map<String, Double> extra, OptionalLong traceHash) {

    public Measurement {
        if (Double.isNaN(cycles) || cycles < 0) {
            throw new IllegalArgumentException("cycles must be a non-negative number: " + cycles);
        }
        extra = Collections.unmodifiableMap(new TreeMap<>(extra));
    }

    public static Measurement of(double cycles) {
        return new Measurement(cycles, Map.of(), OptionalLong.empty());
    }

    /** This measurement with one more column. */
    public Measurement with(String column, double value) {
        TreeMap<String, Double> more = new TreeMap<>(extra);
        more.put(column, value);
        return new Measurement(cycles, more, traceHash);
    }

    public Measurement withTraceHash(OptionalLong hash) {
        return new Measurement(cycles, extra, hash);
    }
}
