package io.flotilla.experiments.transport;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link TransportBench} measured, side by side in one run. Keys are contestants: {@code floor}, {@code urpc}
 * (a channel as {@code UrpcTransport} opens it for the CPU pair), {@code agrona}, {@code jctools}, {@code disruptor},
 * {@code abq}, urpc between two processes ({@code urpc-process}, round trips only), net over TCP loopback ({@code
 * net}) and the diagnostic contestants named with {@code --only} ({@code urpc-epoch}, {@code urpc-used-bit}, {@code
 * urpc-packed}, the floors), which {@link #toJson()} leaves out; and the runtime
 * ({@code runtime}: stubs, bindings and two cores' loops, {@link RuntimeContestant}).
 *
 * @param rttMedianNs   median round trip of an 8-byte message, ns
 * @param rttP99Ns      99th percentile round trip, 8 bytes, ns
 * @param throughputMps one-way throughput of the median 4096-message batch, 8 bytes, million messages per second
 *                      (no floor)
 * @param full          the same figures for 56-byte messages (a full frame's payload; no floor, no process or net)
 * @param roundRatios   urpc's ratios to the floor and the best peer taken inside each round, median over rounds
 *                      ({@link RoundRatios#KEYS}; NaN where a side was not measured)
 * @param pinned        whether both threads were pinned to their CPUs
 * @param rounds        measured rounds (after one warm-up round)
 * @param machine       a line describing the machine and JVM
 * @param cpuPair       how the two CPUs are related ({@link CpuPair#describe})
 */
public record TransportBenchResult(Map<String, Double> rttMedianNs, Map<String, Double> rttP99Ns,
                                   Map<String, Double> throughputMps, Size full, Map<String, Double> roundRatios,
                                   boolean pinned, int rounds,
                                   String machine, String cpuPair) {

    /** The figures of one payload size, by contestant. */
    public record Size(Map<String, Double> rttMedianNs, Map<String, Double> rttP99Ns,
                       Map<String, Double> throughputMps) {
        public Size() {
            this(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashMap<>());
        }
    }

    /** The keys {@link #toJson()} reports, in order. */
    public static final String[] KEYS = {"floor", "urpc", "agrona", "jctools", "disruptor", "abq"};

    /** Keys reported after {@link #KEYS} for 8-byte messages only: the runtime sends one-word messages. */
    public static final String[] EIGHT_BYTE_KEYS = {"runtime"};

    /**
     * {@code {"rtt_ns": {"floor": .., "urpc": .., "agrona": .., "jctools": .., "disruptor": .., "abq": ..,
     * "runtime": ..}, "throughput_mps": {"urpc": .., ..., "runtime": ..}, "rtt_ns_56": {"urpc": .., ...}, "throughput_mps_56": {"urpc": .., ...},
     * "round_ratios": {"urpc_rtt_per_floor": .., ...}, "cpu_pair": ".."}}: medians; the first two are the 8-byte
     * figures (as before the 56-byte ones were added); {@code round_ratios} has {@link RoundRatios#KEYS}, three
     * decimals.
     */
    public String toJson() {
        StringBuilder json = new StringBuilder("{");
        section(json, "rtt_ns", rttMedianNs, true, EIGHT_BYTE_KEYS);
        section(json.append(", "), "throughput_mps", throughputMps, false, EIGHT_BYTE_KEYS);
        section(json.append(", "), "rtt_ns_56", full.rttMedianNs(), false, new String[0]);
        section(json.append(", "), "throughput_mps_56", full.throughputMps(), false, new String[0]);
        json.append(", \"round_ratios\": {");
        String separator = "";
        for (String key : RoundRatios.KEYS) {
            json.append(separator).append('"').append(key).append("\": ").append(number(roundRatios.get(key), 3));
            separator = ", ";
        }
        json.append("}, \"cpu_pair\": \"");
        for (char c : cpuPair.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c >= ' ') {
                json.append(c);
            }
        }
        return json.append("\"}").toString();
    }

    private static void section(StringBuilder json, String name, Map<String, Double> values, boolean withFloor,
            String[] more) {
        json.append('"').append(name).append("\": {");
        String separator = "";
        for (String key : KEYS) {
            if (withFloor || !key.equals("floor")) {
                json.append(separator).append('"').append(key).append("\": ").append(number(values.get(key), 1));
                separator = ", ";
            }
        }
        for (String key : more) {
            json.append(separator).append('"').append(key).append("\": ").append(number(values.get(key), 1));
        }
        json.append('}');
    }

    /** {@code value} with {@code decimals} decimals, or null where it was not measured. */
    private static String number(Double value, int decimals) {
        return value == null || value.isNaN() ? "null" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** A human-readable table per payload size with p99 and ratios to the (8-byte) floor and to urpc. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append(machine).append(pinned ? ", threads pinned" : ", threads NOT pinned").append(", ")
                .append(rounds).append(" rounds\n").append("CPU pair: ").append(cpuPair).append('\n');
        double floor = rttMedianNs.getOrDefault("floor", Double.NaN);
        table(out, "8-byte messages", rttMedianNs, rttP99Ns, throughputMps, floor);
        if (!full.rttMedianNs().isEmpty()) {
            table(out, "56-byte messages (a full frame)", full.rttMedianNs(), full.rttP99Ns(), full.throughputMps(),
                    floor);
        }
        out.append("urpc's ratios taken inside each round, median over rounds:\n");
        for (String key : RoundRatios.KEYS) {
            out.append(String.format(Locale.ROOT, "  %-28s %7.3f%n", key, roundRatios.getOrDefault(key, Double.NaN)));
        }
        return out.toString();
    }

    private static void table(StringBuilder out, String title, Map<String, Double> median, Map<String, Double> p99,
            Map<String, Double> mps, double floor) {
        out.append(title).append('\n');
        out.append(String.format(Locale.ROOT, "%-14s %10s %10s %9s %12s %9s%n", "", "rtt p50 ns", "rtt p99 ns",
                "rtt/floor", "Mmsg/s", "tput/urpc"));
        double urpc = mps.getOrDefault("urpc", Double.NaN);
        for (String key : median.keySet()) {
            double rtt = median.get(key);
            double tput = mps.getOrDefault(key, Double.NaN);
            out.append(String.format(Locale.ROOT, "%-14s %10.1f %10.0f %9.3f %12.1f %9.2f%n", key, rtt,
                    p99.get(key), rtt / floor, tput, tput / urpc));
        }
    }
}
