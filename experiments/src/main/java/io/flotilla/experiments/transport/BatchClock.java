package io.flotilla.experiments.transport;

import org.HdrHistogram.Histogram;

/**
 * Times one-way throughput on the receiving thread in batches of {@link #BATCH} messages, recording each batch's
 * duration. The median batch rate is the rate of the pipeline while both threads were running: on a machine shared
 * with other work, a batch during which either thread was descheduled is slow, lands in the tail, and does not move
 * the median (a whole-phase average would mostly measure the scheduler).
 */
final class BatchClock {

    static final int BATCH = 4096;

    private final Histogram batchNanos;
    private long nextMark;
    private long markTime;

    BatchClock(Histogram batchNanos) {
        this.batchNanos = batchNanos;
    }

    /** Called by the receiver before the first message. */
    void start() {
        nextMark = BATCH;
        markTime = System.nanoTime();
    }

    /** Called by the receiver after each receive or drain, with the count received so far. */
    void tick(long received) {
        if (received >= nextMark) {
            long now = System.nanoTime();
            Contestant.record(batchNanos, now - markTime);
            markTime = now;
            nextMark += BATCH;
        }
    }
}
