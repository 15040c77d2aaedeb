package io.flotilla.frame;

/**
 * Where a codec writes the frames of one message, one frame at a time: a {@code Binding} (which writes straight
 * into its channel's buffer while there is room, and queues otherwise), or a test's collector.
 */
public interface FrameSink {

    /** Whether {@code frames} more frames would go straight to the transport right now, with nothing queued. */
    boolean hasRoomFor(int frames);

    /** Claims the next frame. Never fails: a sink without transport room buffers the frame. */
    FrameWriter claim();
}
