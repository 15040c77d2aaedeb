package io.flotilla.kernel.node;

import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;

/**
 * A view of one frame of a word array laid out as frames ({@link Frame#WORDS} longs each, the control word last):
 * to write a route frame into a unit, or to hand staged frames to a decoder again, without allocating per frame.
 */
final class ArrayFrames implements FrameReader, FrameWriter {

    private final long[] words;
    private int base;

    ArrayFrames(long[] words, int frame) {
        this.words = words;
        at(frame);
    }

    /** Points the view at frame {@code frame}. */
    ArrayFrames at(int frame) {
        base = frame * Frame.WORDS;
        return this;
    }

    @Override
    public long control() {
        return words[base + Frame.PAYLOAD_WORDS];
    }

    @Override
    public long word(int index) {
        return words[base + Frame.checkWord(index)];
    }

    @Override
    public void putWord(int index, long value) {
        words[base + Frame.checkWord(index)] = value;
    }

    @Override
    public void publish(long control) {
        words[base + Frame.PAYLOAD_WORDS] = control;
    }
}
