package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.InternodeRoute;
import java.util.function.Consumer;

/**
 * A send-only channel that turns what a generated stub writes into routed units: it keeps one message's frames
 * until the frame with the last bit, then hands {@link #sink} the whole message as one array, its
 * {@linkplain InternodeRoute route frame} first. Whoever receives the unit (a link's queue, a core's inbox) moves it
 * on whole, so messages from several senders on one link never interleave.
 *
 * <p>Used from one thread at a time (a core's for a monitor's outbound channel; the pump's, or a caller holding the
 * link's lock, for membership). Frames are staged in a buffer allocated once; a message allocates its unit.
 */
final class RoutedSender implements Channel, FrameWriter {

    private final int from;
    private final int to;
    private final Consumer<long[]> sink;
    private final long[] staged = new long[InternodeRoute.MAX_FRAMES * Frame.WORDS];
    private int frames;
    private boolean claimed;
    private volatile boolean open = true;

    /** Sends messages from {@code from} to {@code to} (cores, or {@link InternodeRoute#NODE}) into {@code sink}. */
    RoutedSender(int from, int to, Consumer<long[]> sink) {
        this.from = from;
        this.to = to;
        this.sink = sink;
    }

    /** Room left for the message being written: a routed message has at most {@value InternodeRoute#MAX_FRAMES}. */
    @Override
    public int writableFrames() {
        return open ? InternodeRoute.MAX_FRAMES - frames : 0;
    }

    @Override
    public FrameWriter claim() {
        if (claimed) {
            throw new IllegalStateException("previous frame not published");
        }
        if (frames == InternodeRoute.MAX_FRAMES) {
            throw new IllegalStateException("a routed message has at most " + InternodeRoute.MAX_FRAMES
                    + " frames");
        }
        claimed = true;
        int base = frames * Frame.WORDS;
        for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
            staged[base + i] = 0L; // words a codec does not write are zero, as in every transport's slot
        }
        return this;
    }

    @Override
    public void putWord(int index, long value) {
        staged[frames * Frame.WORDS + Frame.checkWord(index)] = value;
    }

    @Override
    public void publish(long control) {
        if (!claimed) {
            throw new IllegalStateException("publish without claim");
        }
        if (InternodeRoute.isRoute(control)) {
            throw new IllegalArgumentException("a message may not carry a route frame of its own");
        }
        staged[frames * Frame.WORDS + Frame.PAYLOAD_WORDS] = control;
        claimed = false;
        frames++;
        if (ControlWord.isLast(control)) {
            long[] unit = new long[(frames + 1) * Frame.WORDS];
            InternodeRoute.write(new ArrayFrames(unit, 0), from, to, frames);
            System.arraycopy(staged, 0, unit, Frame.WORDS, frames * Frame.WORDS);
            frames = 0;
            sink.accept(unit);
        }
    }

    /** Send-only: nothing ever arrives here (replies come on the receiving core's inbox). */
    @Override
    public int poll(FrameHandler handler, int limit) {
        return 0;
    }

    @Override
    public int capacity() {
        return InternodeRoute.MAX_FRAMES;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }
}
