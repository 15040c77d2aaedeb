package io.flotilla.frame;

/** Receives frames in order from a channel's poll. */
@FunctionalInterface
public interface FrameHandler {

    /** Called once per frame; {@code frame} is only valid during the call. */
    void onFrame(FrameReader frame);
}
