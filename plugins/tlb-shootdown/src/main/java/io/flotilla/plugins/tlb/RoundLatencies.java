package io.flotilla.plugins.tlb;

import java.util.Arrays;

/** Latencies of measured rounds in cycles, and the statistics the scenarios report. */
public final class RoundLatencies {

    private final long[] cycles;
    private int count;

    RoundLatencies(int rounds) {
        cycles = new long[rounds];
    }

    void add(long c) {
        cycles[count++] = c;
    }

    public int count() {
        return count;
    }

    /** The measured rounds in the order they ran. */
    public long[] values() {
        return Arrays.copyOf(cycles, count);
    }

    private long[] sorted() {
        long[] s = values();
        Arrays.sort(s);
        return s;
    }

    /** The {@code q}-quantile (nearest rank); 0 with no rounds. */
    public long quantile(double q) {
        long[] s = sorted();
        if (s.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    public long median() {
        return quantile(0.5);
    }

    public double mean() {
        return count == 0 ? 0 : Arrays.stream(values()).average().orElse(0);
    }

    /** Sample standard deviation; 0 with fewer than two rounds. */
    public double stddev() {
        if (count < 2) {
            return 0;
        }
        double m = mean();
        double sum = 0;
        for (long v : values()) {
            sum += (v - m) * (v - m);
        }
        return Math.sqrt(sum / (count - 1));
    }
}
