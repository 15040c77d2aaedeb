package io.flotilla.transport.urpc;

import io.flotilla.frame.Frame;

/**
 * How far apart a urpc ring's frames lie. A frame is one 64-byte cache line either way; what differs is whether the
 * other line of its 128-byte-aligned pair holds the next frame or nothing.
 *
 * <p><b>The trade.</b> A line's 128-byte pair partner travels with it: the spatial (adjacent-line) prefetchers of
 * AMD and Intel cores fetch the partner of a line that misses. In a packed ring the partner of a frame is the next
 * or previous frame. Measured on the 2-vCPU AMD EPYC (cores sharing an L3; docs/benchmarks.md, issue 18):
 * <ul>
 *   <li><b>Round trips</b> pay for the partner: a bare ring of 32 lines ping-ponged between two threads took 150 ns a
 *       round trip packed and 120 spread, the same as one line written in place; urpc's own round trip is about
 *       170 ns packed and 135-145 spread, and spread is faster in that VM's slow mode too.</li>
 *   <li><b>Streaming</b> full frames gains from it: packed carried 1.2-1.3x as many 56-byte frames a second as
 *       spread (the partner is the next frame, fetched early); one-word frames streamed alike.</li>
 * </ul>
 * Spread is the default because a multikernel's traffic is mostly requests and replies (a round trip waits on every
 * message; a stream only on the slowest); a channel that only streams full frames one way can ask for packed
 * ({@code urpc.slotSpacing=packed}). Spread costs address space, not cache: the empty partner lines are never
 * written.
 */
public enum SlotSpacing {

    /** One frame per 64 bytes, the version-1 layout: for channels that stream full frames one way. */
    PACKED(Frame.BYTES),

    /** One frame per 128-byte line pair, the partner line left empty. */
    SPREAD(UrpcLayout.LINE_PAIR);

    private final int bytes;

    SlotSpacing(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes from one frame to the next. */
    public int bytes() {
        return bytes;
    }

    /** log2 of {@link #bytes()}: a slot's offset is {@code (position & mask) << shift()}. */
    int shift() {
        return Integer.numberOfTrailingZeros(bytes);
    }

    /** The option's word: {@code packed} or {@code spread}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses {@code packed} or {@code spread} (case-insensitive). */
    public static SlotSpacing parse(String text) {
        for (SlotSpacing s : values()) {
            if (s.label().equalsIgnoreCase(text.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("urpc.slotSpacing must be 'packed' or 'spread', not '" + text + "'");
    }

    /** The spacing a shared file's header names, or an IllegalArgumentException saying what it holds. */
    static SlotSpacing ofBytes(int bytes) {
        for (SlotSpacing s : values()) {
            if (s.bytes == bytes) {
                return s;
            }
        }
        throw new IllegalArgumentException("urpc slot spacing must be " + PACKED.bytes + " or " + SPREAD.bytes
                + " bytes, not " + bytes);
    }
}
