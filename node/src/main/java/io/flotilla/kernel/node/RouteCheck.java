package io.flotilla.kernel.node;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.kernel.InternodeRoute;

/**
 * Reads one link's incoming frames as routed messages and checks each before any of it goes further: a
 * well-formed {@linkplain InternodeRoute route frame} whose cores the link may name ({@link Policy}), then exactly
 * the announced number of frames, none of them a route frame, the last bit on the final one and on no other. The
 * message is staged here whole (in a buffer allocated once per link) and handed on only when complete, so a peer
 * that breaks off in the middle of a message delivers none of it.
 *
 * <p>Used by the pump thread only. The pump polls the link for at most {@link #wanted()} frames, so a poll never
 * reads past the end of the message being staged.
 */
final class RouteCheck implements FrameHandler {

    /** Whether a link may carry a message from {@code from} to {@code to}: null if so, else why not. */
    interface Policy {
        String refuse(int from, int to);
    }

    private final int cores;
    private final Policy policy;
    private final long[] unit = new long[(InternodeRoute.MAX_FRAMES + 1) * Frame.WORDS];
    private final ArrayFrames view = new ArrayFrames(unit, 0);
    private int from;
    private int to;
    private int expected; // frames of the message with its route frame; 0 while a route frame is awaited
    private int got;

    /** Checks routes for a machine of {@code cores} cores. */
    RouteCheck(int cores, Policy policy) {
        this.cores = cores;
        this.policy = policy;
    }

    /** Frames to poll for next: 1 for a route frame, else what the message still lacks; 0 when it is complete. */
    int wanted() {
        return expected == 0 ? 1 : expected - got;
    }

    /** Whether a whole message is staged, waiting to be handed on. */
    boolean complete() {
        return expected != 0 && got == expected;
    }

    int from() {
        return from;
    }

    int to() {
        return to;
    }

    /** Frames of the staged message, its route frame included. */
    int unitFrames() {
        return expected;
    }

    /** The staged message, its route frame first, laid out as frames. */
    long[] unit() {
        return unit;
    }

    /** Frame {@code i} of the staged message (0 is the route frame); valid until the next {@link #at} or reset. */
    FrameReader at(int i) {
        return view.at(i);
    }

    /** The staged message has been handed on: await the next route frame. */
    void next() {
        expected = 0;
        got = 0;
    }

    @Override
    public void onFrame(FrameReader frame) {
        long control = frame.control();
        if (expected == 0) {
            String wrong = InternodeRoute.check(frame, cores);
            if (wrong != null) {
                throw new PeerProtocolException(wrong);
            }
            int f = InternodeRoute.from(frame);
            int t = InternodeRoute.to(frame);
            String refused = policy.refuse(f, t);
            if (refused != null) {
                throw new PeerProtocolException(refused);
            }
            from = f;
            to = t;
            expected = InternodeRoute.frames(frame) + 1;
        } else if (got == expected) {
            throw new IllegalStateException("a frame polled past a complete message"); // the pump's bug, not the peer's
        } else {
            if (ControlWord.message(control) == 0) {
                throw new PeerProtocolException("a frame with message number 0 (an empty slot) at frame " + got
                        + " of a message from " + who());
            }
            if (InternodeRoute.isRoute(control)) {
                throw new PeerProtocolException("a route frame at frame " + got + " of a " + (expected - 1)
                        + "-frame message from " + who());
            }
            boolean last = ControlWord.isLast(control);
            boolean end = got == expected - 1;
            if (last != end) {
                throw new PeerProtocolException((last ? "the last bit on frame " + got : "no last bit on frame " + got)
                        + " of a " + (expected - 1) + "-frame message from " + who());
            }
        }
        int base = got * Frame.WORDS;
        for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
            unit[base + i] = frame.word(i);
        }
        unit[base + Frame.PAYLOAD_WORDS] = control;
        got++;
    }

    private String who() {
        return from == InternodeRoute.NODE ? "the node runtime" : "core " + from;
    }
}
