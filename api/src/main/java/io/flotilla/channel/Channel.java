package io.flotilla.channel;

import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;

/**
 * One end of a bidirectional frame channel: the contract every transport implements.
 *
 * <p>Threading: an end is used by one thread at a time (its core's event loop); the two ends of a channel may be
 * on different threads, or processes. Nothing here blocks, locks or allocates on the hot path.
 *
 * <p>Sending is claim, write, publish: {@link #writableFrames()} says how many slots are free, {@link #claim()}
 * hands out the next one (a view onto the transport's own buffer, so the codec writes in place), and
 * {@link FrameWriter#publish(long)} releases it to the peer. Receiving is {@link #poll(FrameHandler, int)}.
 */
public interface Channel extends AutoCloseable {

    /** Frames that can be claimed now without overwriting frames the peer has not consumed (back-pressure). */
    int writableFrames();

    /**
     * Claims the next outgoing slot. Precondition: {@link #writableFrames()} was positive and no claimed slot is
     * still unpublished.
     */
    FrameWriter claim();

    /**
     * Claims the next outgoing slot if one is free: {@link #writableFrames()} and {@link #claim()} in one call,
     * which is how a binding claims. Precondition: no claimed slot is still unpublished.
     *
     * <p>Why a call of its own: in a program whose bindings use several transports, every call a binding makes
     * through this interface is a megamorphic dispatch that the JIT can inline no callee of, so each one a frame
     * saves counts (issue 19; {@code docs/benchmarks.md}). A transport should override it, even with this same body:
     * the default's own calls are profiled once for every class that inherits it, and so are megamorphic too.
     *
     * @return the claimed slot, or null if none is free (or the channel is closed)
     */
    default FrameWriter tryClaim() {
        return writableFrames() > 0 ? claim() : null;
    }

    /**
     * Hands up to {@code limit} received frames to {@code handler}, in the order they were sent.
     *
     * @return how many frames were delivered; 0 when none was waiting
     */
    int poll(FrameHandler handler, int limit);

    /** Slots per direction. */
    int capacity();

    boolean isOpen();

    /** Closes this end. Frames already published stay readable by the peer. Idempotent. */
    @Override
    void close();
}
