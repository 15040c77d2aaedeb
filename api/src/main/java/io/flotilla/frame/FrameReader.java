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
