package io.flotilla.frame;

/**
 * A received frame, as a transport presents it to a {@link FrameHandler}. Valid only for the duration of the
 * callback: the transport may reuse the slot as soon as the handler returns.
 */
public interface FrameReader {

    /** The control word (see {@link ControlWord}). */
    long control();

    /** Payload word {@code index}, 0 to {@link Frame#PAYLOAD_WORDS} - 1. */
    long word(int index);

    /**
     * Copies the seven payload words into {@code dst[offset..offset + 7)} and returns the control word: the whole
     * frame in one call, which is how generated decoders read it. As with {@link FrameWriter#publish(long, long[],
     * int)}, one call per frame instead of one per word is what a program with several transports behind this
     * interface gains from (its calls here are megamorphic). The default reads word by word; a transport overrides
     * it to copy straight out of its buffer.
     *
     * @param dst where the words go
     * @param offset the index of word 0 in {@code dst}
     * @return the control word, as {@link #control()}
     * @throws IndexOutOfBoundsException unless {@code dst} has seven elements from {@code offset}
     */
    default long read(long[] dst, int offset) {
        Frame.checkRange(dst, offset);
        for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
            dst[offset + i] = word(i);
        }
        return control();
    }

    /**
     * The message object the sender attached to this frame ({@link FrameWriter#attach}), or null: always null
     * unless the transport passes objects (lrpc). Like the frame, valid only during the callback; the transport
     * forgets the reference once the handler returns.
     *
     * @return the attached object, or null
     */
    default Object attachment() {
        return null;
    }
}
