package io.flotilla.experiments.calibration;

/** Mean and sample standard deviation of a few thousand cycle counts. */
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
}
