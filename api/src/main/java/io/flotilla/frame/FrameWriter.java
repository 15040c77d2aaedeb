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
