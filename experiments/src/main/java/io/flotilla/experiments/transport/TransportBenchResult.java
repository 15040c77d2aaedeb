package io.flotilla.experiments.transport;

import java.util.Locale;
import java.util.Map;

/**
 * What {@link TransportBench} measured, side by side in one run. Keys are contestants: {@code floor}, {@code urpc}
 * (the default flow control), {@code agrona}, {@code jctools}, {@code disruptor}, {@code abq}, and the two urpc
 * schemes by name ({@code urpc-epoch}, {@code urpc-used-bit}), urpc between two processes ({@code urpc-process},
 * round trips only) and net over TCP loopback ({@code net}), which {@link #toJson()} leaves out; and the runtime
 * ({@code runtime}: stubs, bindings and two cores' loops, {@link RuntimeContestant}).
 *
 * @param rttMedianNs   median round trip of a one-frame message, ns
 * @param rttP99Ns      99th percentile round trip, ns
 * @param throughputMps one-way throughput of the median 4096-message batch, million messages per second (no floor)
 * @param pinned        whether both threads were pinned to their CPUs
 * @param rounds        measured rounds (after one warm-up round)
 * @param machine       a line describing the machine and JVM
 */
public record TransportBenchResult(Map<String, Double> rttMedianNs, Map<String, Double> rttP99Ns,
                                   Map<String, Double> throughputMps, boolean pinned, int rounds, String machine) {

    /** The keys {@link #toJson()} reports, in order. */
    public static final String[] KEYS = {"floor", "urpc", "agrona", "jctools", "disruptor", "abq", "runtime"};

    /**
     * {@code {"rtt_ns": {"floor": .., "urpc": .., "agrona": .., "jctools": .., "disruptor": .., "abq": ..},
     * "throughput_mps": {"urpc": .., "agrona": .., "jctools": .., "disruptor": .., "abq": ..}}}: medians.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"rtt_ns\": {");
        String separator = "";
        for (String key : KEYS) {
            json.append(separator).append('"').append(key).append("\": ").append(number(rttMedianNs.get(key)));
            separator = ", ";
        }
        json.append("}, \"throughput_mps\": {");
        separator = "";
        for (String key : KEYS) {
            if (!key.equals("floor")) {
                json.append(separator).append('"').append(key).append("\": ").append(number(throughputMps.get(key)));
                separator = ", ";
            }
        }
        return json.append("}}").toString();
    }

    private static String number(Double value) {
        return value == null || value.isNaN() ? "null" : String.format(Locale.ROOT, "%.1f", value);
    }

    /** A human-readable table with p99 and ratios to the floor and to urpc. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(machine).append(pinned ? ", threads pinned" : ", threads NOT pinned").append(", ")
                .append(rounds).append(" rounds\n");
        out.append(String.format(Locale.ROOT, "%-14s %10s %10s %9s %12s %9s%n", "", "rtt p50 ns", "rtt p99 ns",
                "rtt/floor", "Mmsg/s", "tput/urpc"));
        double floor = rttMedianNs.getOrDefault("floor", Double.NaN);
        double urpc = throughputMps.getOrDefault("urpc", Double.NaN);
        for (String key : rttMedianNs.keySet()) {
            double rtt = rttMedianNs.get(key);
            double tput = throughputMps.getOrDefault(key, Double.NaN);
            out.append(String.format(Locale.ROOT, "%-14s %10.0f %10.0f %9.2f %12.1f %9.2f%n", key, rtt,
                    rttP99Ns.get(key), rtt / floor, tput, tput / urpc));
        }
        return out.toString();
    }
}
