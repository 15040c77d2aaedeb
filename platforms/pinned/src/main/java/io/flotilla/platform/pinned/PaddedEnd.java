package io.flotilla.platform.pinned;

import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;

/**
 * 128 bytes of padding in front of {@link MeteredEndState}. The two ends of a metered pair are made one after the
 * other, so they lie side by side in the heap, and each end's thread writes its state on every frame: without the
 * padding both ends' state can share a cache line, which would then move between the two cores' CPUs on every
 * frame (false sharing; two lines, because of the adjacent-line prefetcher). HotSpot lays out a superclass's fields
 * before its subclass's, so the padding stays in front. The Agrona and JCTools way.
 */
abstract class PaddedEnd {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The per-frame state of a {@link MeteredChannel} end, written by its core's thread only. */
abstract class MeteredEndState extends PaddedEnd {
    FrameWriter writer;
    FrameHandler handler;
    long sent;
    long received;
    long messageSentAt = -1;
    long messageFlow;
}
