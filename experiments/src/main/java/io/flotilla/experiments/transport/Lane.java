package io.flotilla.experiments.transport;

import org.HdrHistogram.Histogram;

/**
 * Where one contestant's phases run: in the bench's own JVM ({@link InProcessLane}) or in a JVM of its own
 * ({@link ForkedLane}, the default). {@link TransportBench} drives every lane the same way, round by round, so the
 * choice changes what the JIT sees, not what is measured.
 */
interface Lane extends AutoCloseable {

    /** The contestant's name in {@code --only}, the progress lines and the round ratios ({@link Contestant#label}). */
    String label();

    /** The contestant's key in the result: the label without {@code /56}. */
    String key();

    /** Words per message: 1 or {@link Contestant#FULL}. */
    int words();

    /** Whether the contestant has a one-way phase. */
    boolean measuresThroughput();

    /** Whether both of the lane's threads are pinned to their CPUs. */
    boolean pinned();

    /** A round-trip phase of {@code millis}: every round trip's nanoseconds are recorded into {@code into}. */
    void roundTrips(int millis, Histogram into);

    /**
     * A one-way phase of {@code millis}: every {@link BatchClock#BATCH}-message batch's nanoseconds are recorded into
     * {@code into}.
     *
     * @return million messages per second over the whole phase (for the progress line; the result uses batches)
     */
    double oneWay(int millis, Histogram into);

    /** Releases the contestant's channels, threads and processes. */
    @Override
    void close();
}
