package io.flotilla.frame;

/**
 * The unit every transport moves: 64 bytes, one cache line on the machines Flotilla models.
 *
 * <pre>
 *  bytes  0..55  seven 64-bit payload words, written first
 *  bytes 56..63  the control word ({@link ControlWord}), written last with release semantics and read first
 *                with acquire semantics
 * </pre>
 *
 * This is Barrelfish's UMP slot layout. Putting the control word last lets a receiver that polls one word learn,
 * with a single acquire load, that the whole line is valid: the producer's release store orders the payload
 * stores before it.
 */
public final class Frame {

    /** Size of a frame in bytes. */
    public static final int BYTES = 64;

    /** Payload bytes per frame. */
    public static final int PAYLOAD_BYTES = 56;

    /** Payload words per frame. */
    public static final int PAYLOAD_WORDS = 7;

    /** Byte offset of the control word inside a frame. */
    public static final int CONTROL_OFFSET = 56;

    /** Words per frame including the control word: the stride of word-addressed frame buffers. */
    public static final int WORDS = 8;

    private Frame() {}

    /**
     * Checks a payload word index for a {@link FrameWriter#putWord} or {@link FrameReader#word}: every transport
     * refuses the same indexes with the same message.
     *
     * @return {@code index}
     * @throws IndexOutOfBoundsException unless 0 <= index < {@link #PAYLOAD_WORDS}
     */
    public static int checkWord(int index) {
        if (index < 0 || index >= PAYLOAD_WORDS) {
            throw new IndexOutOfBoundsException("payload word " + index);
        }
        return index;
    }

    /**
     * Checks the word count of a bulk {@link FrameWriter#publish(long, long[], int, int)}, the same way for every
     * transport.
     *
     * @throws IndexOutOfBoundsException unless 0 <= count <= {@link #PAYLOAD_WORDS} and {@code words} has
     *     {@code count} elements from {@code offset}
     */
    public static void checkCount(long[] words, int offset, int count) {
        if (count < 0 || count > PAYLOAD_WORDS || offset < 0 || offset > words.length - count) {
            throw new IndexOutOfBoundsException("payload words " + offset + ".." + ((long) offset + count)
                    + " of an array of " + words.length + " (a frame has " + PAYLOAD_WORDS + ")");
        }
    }

    /**
     * Checks the destination of a bulk {@link FrameReader#read(long[], int)}, the same way for every transport.
     *
     * @throws IndexOutOfBoundsException unless {@code dst} has {@link #PAYLOAD_WORDS} elements from {@code offset}
     */
    public static void checkRange(long[] dst, int offset) {
        if (offset < 0 || offset > dst.length - PAYLOAD_WORDS) {
            throw new IndexOutOfBoundsException("no room for a frame's " + PAYLOAD_WORDS + " payload words at "
                    + offset + " in an array of " + dst.length);
        }
    }
}
