package io.flotilla.experiments.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;

/**
 * The floor: two threads take turns writing one long in one cache line (request n as +n, reply as -n). A round trip
 * moves the line to the other core and back, the least any message passing between two cores can cost.
 */
final class Floor extends Contestant {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** The word sits in the middle of 256 bytes of array so nothing else shares its line or line pair. */
    private static final int WORD = 16;
    /** Written instead of a request to end a phase (0 is the idle value). */
    private static final long END = Long.MIN_VALUE;

    private final long[] line = new long[32];

    Floor() {
        super("floor");
    }

    @Override
    void reset() {
        LONGS.setRelease(line, WORD, 0L);
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
            LONGS.setRelease(line, WORD, i);
            while ((long) LONGS.getAcquire(line, WORD) != -i) {
                spinWait();
            }
            record(rtt, System.nanoTime() - start);
        }
        LONGS.setRelease(line, WORD, END);
        return i;
    }

    @Override
    void echo() {
        for (long i = 1; ; i++) {
            long seen;
            while ((seen = (long) LONGS.getAcquire(line, WORD)) != i) {
                if (seen == END) {
                    return;
                }
                spinWait();
            }
            LONGS.setRelease(line, WORD, -i);
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
