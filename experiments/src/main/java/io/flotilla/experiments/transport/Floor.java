package io.flotilla.experiments.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.HdrHistogram.Histogram;

/**
 * The floor: two threads take turns writing a long. In the one-line floor both write one word of one cache line
 * (request n as +n, reply as -n), so a round trip moves that line to the other core and back: the least any message
 * passing between two cores can cost. In the two-line floor ({@link #twoLines()}) requests and replies have a line
 * each, written by one side only, as in any design with a queue per direction: it shows how much of a queue's cost
 * over the one-line floor is the second line itself.
 */
final class Floor extends Contestant {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    /** Words 256 bytes apart in the middle of the array, so nothing else shares their lines or line pairs. */
    private static final int REQUEST = 16;
    private static final int SECOND_LINE = 48;
    /** Written instead of a request to end a phase (0 is the idle value). */
    private static final long END = Long.MIN_VALUE;

    private final long[] lines = new long[64];
    private final int reply;
    /** The reply to request n: -n in the request's own word, n in a word of its own. */
    private final long replySign;

    private Floor(String key, int reply) {
        super(key);
        this.reply = reply;
        this.replySign = reply == REQUEST ? -1 : 1;
    }

    /** One line, both sides writing it. */
    Floor() {
        this("floor", REQUEST);
    }

    /** One line per direction. */
    static Floor twoLines() {
        return new Floor("floor-2lines", SECOND_LINE);
    }

    @Override
    void reset() {
        LONGS.setRelease(lines, REQUEST, 0L);
        LONGS.setRelease(lines, reply, 0L);
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
            while ((long) LONGS.getAcquire(lines, reply) != replySign * i) {
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
            LONGS.setRelease(lines, reply, replySign * i);
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
