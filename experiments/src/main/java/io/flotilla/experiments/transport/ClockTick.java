package io.flotilla.experiments.transport;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The step of {@link System#nanoTime()} on this host, and the median of round trips timed with it, estimated within
 * that step. On the project's VM the clock advances in steps of 10 ns (back-to-back reads differ by 20, 21, 30, 31,
 * ... ns), so every round trip timed with two reads is a multiple of 10 ns give or take 1, and a median read off those
 * values is, too: the one-line floor's 130 ns and urpc's 170 ns were each somewhere in a 10 ns step, and issue 18's
 * goal (urpc within 1.3x the floor: 169 ns) was inside one step of the measurement. The phase of each round trip
 * against the clock's steps is random, so a round trip of true length (k + f) steps reads as k steps with
 * probability 1 - f and k + 1 with f: the samples dither, their count per step says where in it the median lies,
 * and the usual median of grouped data (linear within the step that holds the middle sample) recovers it to about a
 * tenth of a step. On a host whose clock has a 1 ns step this is the ordinary median.
 */
final class ClockTick {

    /** Back-to-back clock reads sampled to find the step. */
    static final int SAMPLES = 200_000;
    /** The largest step looked for, in ns. */
    static final int MAX_STEP = 50;
    /** The share of read-to-read differences that must lie within 1 ns of a multiple of a step for it to be one. */
    static final double SHARE = 0.95;

    private ClockTick() {}

    /** The clock's step on this host, in ns: 1 where it has none coarser. */
    static int measure() {
        long[] diffs = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long t0 = System.nanoTime();
            diffs[i] = System.nanoTime() - t0;
        }
        return stepOf(diffs);
    }

    /**
     * The largest step of at least 4 ns that at least {@link #SHARE} of {@code diffs} are within 1 ns of a multiple
     * of, or 1 (below 4, every difference is within 1 ns of a multiple).
     */
    static int stepOf(long[] diffs) {
        for (int step = MAX_STEP; step >= 4; step--) {
            int near = 0;
            for (long d : diffs) {
                long r = Math.floorMod(d, (long) step);
                if (r <= 1 || r == step - 1) {
                    near++;
                }
            }
            if (near >= SHARE * diffs.length) {
                return step;
            }
        }
        return 1;
    }

    /**
     * The median of {@code h}'s values, each taken as the nearest multiple of {@code step}, interpolated within the
     * step that holds the middle sample; NaN for an empty histogram, the plain median for a 1 ns step.
     */
    static double median(Histogram h, int step) {
        long n = h.getTotalCount();
        if (n == 0) {
            return Double.NaN;
        }
        if (step <= 1) {
            return h.getValueAtPercentile(50);
        }
        Map<Long, Long> bySteps = new TreeMap<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            bySteps.merge(Math.round(v.getValueIteratedTo() / (double) step), v.getCountAtValueIteratedTo(),
                    Long::sum);
        }
        double half = n / 2.0;
        long below = 0;
        for (Map.Entry<Long, Long> e : bySteps.entrySet()) {
            if (below + e.getValue() >= half) {
                return step * (e.getKey() - 0.5 + (half - below) / e.getValue());
            }
            below += e.getValue();
        }
        throw new IllegalStateException("no middle sample in " + n); // unreachable: the counts add up to n
    }
}
