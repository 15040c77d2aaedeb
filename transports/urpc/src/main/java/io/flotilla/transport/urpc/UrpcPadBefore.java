package io.flotilla.transport.urpc;

/**
 * 128 bytes in front of a urpc end's hot fields. The two ends of a channel are allocated one after the other, so
 * without padding end A's counters could share a cache line with end B's, and every send on one core would
 * invalidate the line the other core is polling with (false sharing). 128, not 64: the spatial prefetcher pulls in
 * lines in 128-byte pairs. Superclass fields are laid out before subclass fields, which is why padding is done by
 * inheritance; all fields are longs, so no smaller subclass field can be slotted into a gap here.
 */
abstract class UrpcPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}
