package io.flotilla.experiments.transport;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.HdrHistogram.Histogram;

/**
 * A ring floor: the one-line floor's exchange, but through two rings of {@link Contestant#CAPACITY} lines (one per
 * direction), message n in line {@code n mod CAPACITY}, its sequence number written into word 1 and then, with
 * release, into word 0 as the "published" mark. No flow control, no API, no checks beyond the sequence: what a ring
 * of lines costs over one line, laid out packed (a line every 64 bytes) or spread (a line at the start of every
 * 128-byte pair), the two {@code SlotSpacing}s of urpc, or interleaved: packed, but with line n's pair partner
 * n + CAPACITY/2, idle for half a lap, rather than its neighbour (measured no better than packed: any partner that
 * is written at all costs a round trip). Diagnostic: measured only when named with {@code --only}.
 */
final class RingFloor extends Contestant {

    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class,
            ByteOrder.nativeOrder());
    /** Written instead of a request to end a phase. */
    private static final long END = Long.MIN_VALUE;

    /** Bytes from one slot to the next: 64 or 128. */
    private final int stride;
    /** Two rings in off-heap memory aligned to a 128-byte pair, 256 bytes apart and from the ends. */
    private final ByteBuffer lines;
    private final int requests;
    private final int replies;

    /** Packed, with slot n and slot n + CAPACITY/2 sharing a 128-byte pair. */
    private final boolean interleaved;

    RingFloor(String key, boolean spread) {
        this(key, spread, false);
    }

    RingFloor(String key, boolean spread, boolean interleaved) {
        super(key);
        this.interleaved = interleaved;
        stride = spread ? 128 : 64;
        requests = 256;
        replies = requests + CAPACITY * stride + 256;
        int bytes = replies + CAPACITY * stride + 256;
        lines = ByteBuffer.allocateDirect(bytes + 128).alignedSlice(128).order(ByteOrder.nativeOrder());
    }

    private int slot(int ring, long n) {
        int i = (int) (n & (CAPACITY - 1));
        if (interleaved) {
            int half = CAPACITY / 2;
            return ring + (i & (half - 1)) * 128 + (i / half) * 64;
        }
        return ring + i * stride;
    }

    @Override
    void reset() {
        for (int at = 0; at + Long.BYTES <= lines.capacity(); at += Long.BYTES) {
            LONGS.setRelease(lines, at, 0L);
        }
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
            int out = slot(requests, i);
            LONGS.set(lines, out + Long.BYTES, i);
            LONGS.setRelease(lines, out, i);
            int in = slot(replies, i);
            while ((long) LONGS.getAcquire(lines, in) != i) {
                spinWait();
            }
            long carried = (long) LONGS.get(lines, in + Long.BYTES);
            if (carried != i) {
                throw new IllegalStateException("ring floor: reply " + i + " carries " + carried);
            }
            record(rtt, System.nanoTime() - start);
        }
        LONGS.setRelease(lines, slot(requests, i + 1), END);
        return i;
    }

    @Override
    void echo() {
        for (long i = 1; ; i++) {
            int in = slot(requests, i);
            long seen;
            while ((seen = (long) LONGS.getAcquire(lines, in)) != i) {
                if (seen == END) {
                    return;
                }
                spinWait();
            }
            int out = slot(replies, i);
            LONGS.set(lines, out + Long.BYTES, (long) LONGS.get(lines, in + Long.BYTES));
            LONGS.setRelease(lines, out, i);
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
