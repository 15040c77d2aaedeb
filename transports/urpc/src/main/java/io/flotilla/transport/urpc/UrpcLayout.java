package io.flotilla.transport.urpc;

/**
 * Byte layout of a urpc channel's shared memory: the same for a direct buffer (two threads) and a mapped file (two
 * processes). All offsets are from a 128-byte-aligned base (a page for a file), so each 128-byte line pair below
 * starts on a pair boundary.
 *
 * <pre>
 *    0  header line, written once by the creator before it publishes MAGIC:
 *         +0 magic (long, published last with release)  +8 version (int)  +12 slots (int)  +16 flow control (int)
 *         +20 slot spacing in bytes (int: 128, or 64 for a packed ring; see {@link SlotSpacing})
 *  128  side A's state line (written only by A): +0 state (NOT_ATTACHED / OPEN / CLOSED), +8 pid
 *  256  side B's state line (written only by B)
 *  384  ring A to B: slots x 64-byte frames, one at the start of each 128-byte line pair (written by A; B clears
 *       control words with the used bit, and marks them handed back with the epoch scheme's hand-back)
 *   ..  ack line A to B: B's count of frames consumed from ring A to B (written only by B; epoch scheme only)
 *   ..  ring B to A
 *   ..  ack line B to A (written only by A)
 * </pre>
 *
 * Lines written by different sides are at least 128 bytes apart, not just 64: Intel's spatial prefetcher fetches the
 * 128-byte-aligned pair of a line that misses, so two neighbouring lines written by two cores would still bounce
 * between them. The same holds between the frames of one ring ({@link SlotSpacing#SPREAD}). Everything starts zeroed;
 * message number 0 never occurs, so a zero control word is an empty slot.
 *
 * <p>Version 2 added the slot spacing (version 1 rings were always packed).
 */
final class UrpcLayout {

    /** "FLOTURPC" in ASCII. */
    static final long MAGIC = 0x464C4F5455525043L;
    static final int VERSION = 2;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 8;
    static final int SLOTS_OFFSET = 12;
    static final int FLOW_OFFSET = 16;
    static final int SLOT_BYTES_OFFSET = 20;

    /** The distance between lines written by different sides (a prefetched pair of cache lines). */
    static final int LINE_PAIR = 128;

    static final int SIDE_A = LINE_PAIR;
    static final int SIDE_B = 2 * LINE_PAIR;
    static final int STATE = 0;
    static final int PID = 8;

    static final long NOT_ATTACHED = 0;
    static final long OPEN = 1;
    static final long CLOSED = 2;

    static final int RING_AB = 3 * LINE_PAIR;

    /** Largest ring: keeps every offset an int, well below 2 GiB. */
    static final int MAX_SLOTS = 1 << 20;

    private UrpcLayout() {}

    static int ackAB(int slots, SlotSpacing spacing) {
        return RING_AB + slots * spacing.bytes();
    }

    static int ringBA(int slots, SlotSpacing spacing) {
        return ackAB(slots, spacing) + LINE_PAIR;
    }

    static int ackBA(int slots, SlotSpacing spacing) {
        return ringBA(slots, spacing) + slots * spacing.bytes();
    }

    /** Total bytes of a channel with {@code slots} frames per direction. */
    static int bytes(int slots, SlotSpacing spacing) {
        return ackBA(slots, spacing) + LINE_PAIR;
    }

    static void checkSlots(int slots) {
        if (slots < 2 || slots > MAX_SLOTS || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("urpc slots must be a power of two in [2, " + MAX_SLOTS + "]: " + slots);
        }
    }
}
