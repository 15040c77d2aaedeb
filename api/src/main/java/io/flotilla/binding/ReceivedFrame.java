package io.flotilla.binding;

import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameReader;

/**
 * The frame a {@link Binding} is delivering, copied out of its channel in one {@link FrameReader#read} call: what
 * the binding's receiver (a generated decoder) reads. The receiver's calls then go to this one class whatever
 * transports the program uses, so the JIT inlines them, instead of being a second round of megamorphic calls into
 * the channel's reader (issue 19); the price is a copy of seven words. Like any frame, valid only during the
 * receiver's call. One per binding; the binding's event loop only.
 */
final class ReceivedFrame implements FrameReader {

    private final long[] words = new long[Frame.PAYLOAD_WORDS];
    private long control;
    /** The channel's frame, asked only for its attachment; null outside a delivery. */
    private FrameReader source;

    /** Copies {@code frame} in and returns its control word. */
    long take(FrameReader frame) {
        this.control = frame.read(this.words, 0);
        this.source = frame;
        return this.control;
    }

    /** Ends the delivery: the channel's frame is not ours to keep. */
    void done() {
        this.source = null;
    }

    @Override
    public long control() {
        return this.control;
    }

    @Override
    public long word(int index) {
        return this.words[Frame.checkWord(index)];
    }

    @Override
    public long read(long[] dst, int offset) {
        Frame.checkRange(dst, offset);
        System.arraycopy(this.words, 0, dst, offset, Frame.PAYLOAD_WORDS);
        return this.control;
    }

    /** Asked of the channel's frame: only a transport that passes objects has one (lrpc). */
    @Override
    public Object attachment() {
        return this.source == null ? null : this.source.attachment();
    }
}
