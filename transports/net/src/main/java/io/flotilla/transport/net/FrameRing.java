package io.flotilla.transport.net;

import io.flotilla.frame.Frame;

/**
 * A single-producer single-consumer ring of 64-byte frames on the heap, one direction of a {@link NetChannel}.
 *
 * <p>Slot {@code p & mask} holds the frame at position {@code p}: words {@code [8*slot, 8*slot+8)}, the seven
 * payload words first and the control word last, as in {@link Frame}. Positions count from 0 and never wrap; the
 * frame at position {@code p} travels with sequence number {@code p + 1}, so the sequence numbers of the wire
 * protocol are the ring's own counters and nothing has to map between them.
 *
 * <p>{@link #head} counts frames the producer has published, {@link #tail} counts slots the consumer has released.
 * Each is written by one side only. The producer writes slot words with plain stores and then publishes them by a
 * release store of {@code head}; the consumer acquires {@code head} before reading those words. Symmetrically the
 * consumer releases slots by a release store of {@code tail} after its last read of them, and the producer acquires
 * {@code tail} before overwriting them. Those two release/acquire pairs are the whole memory-ordering argument:
 * no slot word is ever read and written concurrently.
 */
final class FrameRing {

    final long[] words;
    final int capacity;
    final int mask;
    /** Frames published by the producer. */
    final Sequence head = new Sequence();
    /** Slots released by the consumer. */
    final Sequence tail = new Sequence();

    FrameRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two >= 2: " + capacity);
        }
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.words = new long[capacity * Frame.WORDS];
    }

    /** Index in {@link #words} of the first word of the slot holding position {@code position}. */
    int base(long position) {
        return (int) (position & mask) * Frame.WORDS;
    }
}
