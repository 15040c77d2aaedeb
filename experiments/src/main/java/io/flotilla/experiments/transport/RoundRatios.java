package io.flotilla.experiments.transport;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * urpc against the one-line floor, the two-line floor and the best peer, as ratios taken inside each round and then the median
 * over rounds.
 *
 * <p><b>Why beside the run's medians.</b> The contestants of one round run within seconds of one another; a run
 * takes minutes. On a machine whose speed changes from one minute to the next (the shared 2-vCPU VM has a fast and a
 * slow mood, the one-line floor at 120-130 or at 200-360 ns: docs/benchmarks.md), the run's medians can set one
 * contestant's fast rounds against another's slow ones, and a median batch rate favours whoever had more fast rounds,
 * since a fast round yields more batches. A ratio inside one round compares like with like, and the median over the
 * rounds ignores the few a switch fell into. The run's own medians are still reported, unchanged.
 *
 * <p>The peers are the other queues ({@link #PEERS}); the runtime, urpc between processes and net are not peers. A
 * round's best peer is the one with the shortest round trip or the highest rate in that round.
 */
final class RoundRatios {

    /** The contestants urpc is compared with. */
    static final List<String> PEERS = List.of("agrona", "jctools", "disruptor", "abq");

    /** Keys of {@link #medians()}, in order. */
    static final List<String> KEYS = List.of("urpc_rtt_per_floor", "urpc_rtt_per_floor_2lines",
            "urpc_rtt_per_best_peer", "urpc_rtt_per_best_peer_56", "urpc_tput_per_best_peer",
            "urpc_tput_per_best_peer_56");

    private final int rounds;
    /** Per contestant label ("urpc", "urpc/56", ...; {@link Contestant#label}): each round's median round trip. */
    private final Map<String, double[]> rtt = new LinkedHashMap<>();
    /** Per contestant label: each round's median-batch rate in Mmsg/s. NaN in either where not measured. */
    private final Map<String, double[]> rate = new LinkedHashMap<>();

    RoundRatios(int rounds) {
        this.rounds = rounds;
    }

    private double[] row(Map<String, double[]> figures, String key) {
        return figures.computeIfAbsent(key, k -> unmeasured());
    }

    /** A figure per round, none measured yet. */
    private double[] unmeasured() {
        double[] row = new double[rounds];
        Arrays.fill(row, Double.NaN);
        return row;
    }

    /** Records the median round trip in {@code round} of the contestant labelled {@code key}. */
    void roundTrip(String key, int round, double medianNs) {
        row(rtt, key)[round] = medianNs;
    }

    /** Records {@code key}'s median-batch rate in {@code round}, Mmsg/s. */
    void rate(String key, int round, double mps) {
        row(rate, key)[round] = mps;
    }

    /** The median over rounds of each ratio in {@link #KEYS}; NaN where a side of it was not measured. */
    Map<String, Double> medians() {
        Map<String, Double> out = new LinkedHashMap<>();
        String full = Contestant.FULL_SUFFIX;
        out.put(KEYS.get(0), median(rtt.get("urpc"), rtt.get("floor")));
        // The least any pair of one-way queues can cost: one line per direction. Where it is itself well above the
        // one-line floor (the VM's slow mood: 1.34-1.46x), no such design meets a goal set against the one-line one.
        out.put(KEYS.get(1), median(rtt.get("urpc"), rtt.get("floor-2lines")));
        out.put(KEYS.get(2), median(rtt.get("urpc"), best(rtt, "", true)));
        out.put(KEYS.get(3), median(rtt.get("urpc" + full), best(rtt, full, true)));
        out.put(KEYS.get(4), median(rate.get("urpc"), best(rate, "", false)));
        out.put(KEYS.get(5), median(rate.get("urpc" + full), best(rate, full, false)));
        return out;
    }

    /** Per round, the lowest (or highest) figure among the peers measured in it; null if no peer was. */
    private double[] best(Map<String, double[]> figures, String suffix, boolean lowest) {
        double[] best = null;
        for (String peer : PEERS) {
            double[] row = figures.get(peer + suffix);
            if (row == null) {
                continue;
            }
            if (best == null) {
                best = unmeasured();
            }
            for (int r = 0; r < rounds; r++) {
                if (!Double.isNaN(row[r])
                        && (Double.isNaN(best[r]) || (lowest ? row[r] < best[r] : row[r] > best[r]))) {
                    best[r] = row[r];
                }
            }
        }
        return best;
    }

    /** The median over rounds of {@code top[r] / bottom[r]}, skipping rounds where either is missing. */
    static double median(double[] top, double[] bottom) {
        if (top == null || bottom == null) {
            return Double.NaN;
        }
        double[] ratios = new double[top.length];
        int n = 0;
        for (int r = 0; r < top.length; r++) {
            double ratio = top[r] / bottom[r];
            if (!Double.isNaN(ratio) && !Double.isInfinite(ratio)) {
                ratios[n++] = ratio;
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        Arrays.sort(ratios, 0, n);
        return n % 2 == 1 ? ratios[n / 2] : (ratios[n / 2 - 1] + ratios[n / 2]) / 2;
    }
}
