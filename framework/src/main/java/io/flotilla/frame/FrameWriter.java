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
}
