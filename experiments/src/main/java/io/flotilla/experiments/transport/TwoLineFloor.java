package io.flotilla.experiments.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;

/**
 * The floor for a queue pair: each direction has its own cache line, written by one side only (requests in one,
 * replies in the other), as in any design with a ring per direction. A round trip moves two lines instead of
 * bouncing one, so this shows how much of a queue's cost over {@link Floor} is the second line itself.
 */
final class TwoLineFloor extends Contestant {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** 256 bytes apart, each in the middle of its own 128-byte line pair. */
    private static final int REQUEST = 16;
    private static final int REPLY = 48;
    private static final long END = Long.MIN_VALUE;

    private final long[] lines = new long[64];

    TwoLineFloor() {
        super("floor-2lines");
    }

    @Override
    void reset() {
        LONGS.setRelease(lines, REQUEST, 0L);
        LONGS.setRelease(lines, REPLY, 0L);
    }

    @Override
    long ping(long deadline, Histogram rtt) {
        long i = 0;
        while (true) {
            long start = System.nanoTime();
            if (start - deadline > 0) {
                break;
            }
            i++;
            LONGS.setRelease(lines, REQUEST, i);
            while ((long) LONGS.getAcquire(lines, REPLY) != i) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        LONGS.setRelease(lines, REQUEST, END);
        return i;
    }

    @Override
    void echo() {
        for (long i = 1; ; i++) {
            long seen;
            while ((seen = (long) LONGS.getAcquire(lines, REQUEST)) != i) {
                if (seen == END) {
                    return;
                }
                spinWait();
            }
            LONGS.setRelease(lines, REPLY, i);
        }
    }

    @Override
    boolean measuresThroughput() {
        return false;
    }

    @Override
    long produce(long deadline) {
        throw new UnsupportedOperationException();
    }

    @Override
    void consume(BatchClock clock) {
        throw new UnsupportedOperationException();
    }
}
