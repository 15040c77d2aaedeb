package io.flotilla.experiments.calibration;

/** Mean, median and sample standard deviation of a few thousand cycle counts. */
final class Stats {

    private Stats() {}

    static double mean(long[] xs, double scale) {
        double s = 0;
        for (long x : xs) {
            s += x * scale;
        }
        return xs.length == 0 ? 0 : s / xs.length;
    }

    static double stddev(long[] xs, double scale) {
        if (xs.length < 2) {
            return 0;
        }
        double m = mean(xs, scale);
        double s = 0;
        for (long x : xs) {
            double d = x * scale - m;
            s += d * d;
        }
        return Math.sqrt(s / (xs.length - 1));
    }

    /**
     * The median (the mean of the middle two for an even count): on pinned, where a round trip in which a thread was
     * descheduled costs a time slice, the typical message, which the mean is not.
     */
    static double median(long[] xs, double scale) {
        if (xs.length == 0) {
            return 0;
        }
        long[] sorted = xs.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) * scale;
    }
}
