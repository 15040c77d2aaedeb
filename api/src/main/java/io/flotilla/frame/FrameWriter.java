package io.flotilla.frame;

/**
 * A claimed frame slot being written. Payload words not written are zero. {@link #publish(long)} ends the frame:
 * it writes the control word last, with release semantics, which hands the slot to the receiver.
 */
public interface FrameWriter {

    /** Writes payload word {@code index}, 0 to {@link Frame#PAYLOAD_WORDS} - 1. */
    void putWord(int index, long value);

    /** Writes the control word and makes the frame visible to the receiver. The writer is then spent. */
    void publish(long control);

    /**
     * Writes payload words 0 to {@code count} - 1 from {@code words[offset..offset + count)}, then publishes as
     * {@link #publish(long)} does: the whole frame in one call. Words from {@code count} on are as
     * {@link #putWord} left them (zero if never written).
     *
     * <p>This is the call generated codecs use. A program that uses several transports has several frame writer
     * classes behind this interface, so every call here is a megamorphic dispatch the JIT cannot inline; one call
     * per frame instead of one per word is what keeps such a program's messages about as cheap as a one-transport
     * program's (issue 19). The default writes word by word; a transport overrides it to copy straight into its
     * buffer.
     *
     * @param control the control word
     * @param words holds the payload words; only {@code count} from {@code offset} are read, and not kept
     * @param offset the index of payload word 0 in {@code words}
     * @param count payload words to write, 0 to {@link Frame#PAYLOAD_WORDS}
     * @throws IndexOutOfBoundsException unless 0 <= count <= {@link Frame#PAYLOAD_WORDS} and {@code words} has
     *     {@code count} elements from {@code offset}
     */
    default void publish(long control, long[] words, int offset, int count) {
        Frame.checkCount(words, offset, count);
        for (int i = 0; i < count; i++) {
            putWord(i, words[offset + i]);
        }
        publish(control);
    }

    /**
     * Whether this frame can carry a reference to a message object beside its words ({@link #attach}). Only a
     * transport whose two ends share one thread and one heap can (lrpc): a reference means nothing in another
     * process, and a message object handed to another core would share memory the multikernel keeps apart. The
     * answer holds for this claimed frame only; a binding's queue, for instance, never passes objects.
     *
     * @return false unless the transport passes objects
     */
    default boolean canAttach() {
        return false;
    }

    /**
     * Attaches {@code message} to this frame, to be returned by the receiver's {@link FrameReader#attachment()}:
     * a generated stub's way to send a message without marshalling it. The object must be immutable, or owned by
     * the receiver alone from now on (arrays copied at send), so that passing it means exactly what marshalling
     * would. The frame's control word still names the message; its payload words are not read.
     *
     * @param message the message object; not null
     * @throws UnsupportedOperationException unless {@link #canAttach()}
     */
    default void attach(Object message) {
        throw new UnsupportedOperationException("this transport cannot pass message objects");
    }
}
