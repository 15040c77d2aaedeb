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
}
