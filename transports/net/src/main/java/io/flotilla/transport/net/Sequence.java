package io.flotilla.transport.net;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A 64-bit counter written by one thread and read by another, alone on its cache line.
 *
 * <p>The value sits in the middle of a 15-long array, so 56 bytes of the array lie on either side of it: no other
 * hot field shares its 64-byte line, whatever the allocator puts next to the array (false sharing between the
 * owner's and the event loop's counters would cost a line transfer per update).
 */
final class Sequence {

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int SLOT = 7;

    private final long[] cell = new long[2 * SLOT + 1];

    /** Acquire load: what the writer did before its matching {@link #setRelease} is visible after this. */
    long getAcquire() {
        return (long) LONGS.getAcquire(cell, SLOT);
    }

    /** Release store: everything this thread wrote before is visible to a reader that acquires the new value. */
    void setRelease(long value) {
        LONGS.setRelease(cell, SLOT, value);
    }

    /** Sequentially consistent store, for the Dekker-style wake-up handshake in {@link NetChannel}. */
    void setVolatile(long value) {
        LONGS.setVolatile(cell, SLOT, value);
    }

    long getVolatile() {
        return (long) LONGS.getVolatile(cell, SLOT);
    }
}
