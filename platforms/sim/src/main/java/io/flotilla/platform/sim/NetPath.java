package io.flotilla.platform.sim;

/**
 * One direction of a simulated {@code net} channel: the sending end's network stack, the loopback path through the
 * machine's memory, and the receiving end's stack (see {@link CostModel}, "Network"). The stacks are the event
 * loops' work, not the dispatchers': a dispatcher pays only its message CPU cost, as for URPC.
 *
 * <p><b>Batching.</b> A frame published while the sending stack is idle leaves at once, alone. Frames published while
 * it is busy wait in the ring; when it comes free it takes every waiting frame that fits one TCP segment
 * ({@code netSegmentBytes / lineBytes} frames) and sends them as one segment, paying the stack's fixed cost per
 * segment once and one miss per frame. The receiving stack takes segments in order, pays the same, and the frames
 * of a segment become visible together.
 */
final class NetPath {

    private final SimPlatform sim;
    private final int from;
    private final int to;
    private final long segmentCycles;
    private final long frameCycles;
    private final int framesPerSegment;
    private SimChannel.Ring ring;
    private SimChannel receiver;
    private long senderFree;
    private long receiverFree;
    private boolean senderEventPending;
    private long segments;

    NetPath(SimPlatform sim, int from, int to, CostModel model, double clockGhz) {
        this.sim = sim;
        this.from = from;
        this.to = to;
        this.segmentCycles = Math.round(model.netSegmentNs() * clockGhz);
        this.frameCycles = sim.missCycles(from, to);
        this.framesPerSegment = Math.max(1, model.netSegmentBytes() / model.lineBytes());
    }

    /** The ring this direction's frames are published in, and the end that receives them. */
    void attach(SimChannel.Ring ring, SimChannel receiver) {
        this.ring = ring;
        this.receiver = receiver;
    }

    /**
     * A frame was published at {@code now}: send at once if the stack is idle, else make sure the
     * stack takes the waiting frames when it comes free.
     */
    void published(long now) {
        if (senderEventPending) {
            return; // the waiting frames go with the next segment
        }
        if (senderFree <= now) {
            sendSegment(now);
        } else {
            senderEventPending = true;
            sim.netStackFreeAt(from, senderFree, this);
        }
    }

    /** The sending stack came free at {@code now} with frames waiting. */
    void stackFree(long now) {
        senderEventPending = false;
        if (ring.netTaken < ring.produced) {
            sendSegment(now);
        }
    }

    /** Segments sent so far (for tests). */
    long segments() {
        return segments;
    }

    private void sendSegment(long now) {
        int n = (int) Math.min(framesPerSegment, ring.produced - ring.netTaken);
        long sent = now + segmentCycles + n * frameCycles;
        long copied = sim.lines(from, to, sent, n);
        long start = Math.max(copied, receiverFree);
        long visible = start + segmentCycles + n * frameCycles;
        receiverFree = visible;
        senderFree = sent;
        for (int i = 0; i < n; i++) {
            int slot = (int) (ring.netTaken & ring.mask);
            ring.visibleAt[slot] = visible;
            ring.fetchCycles[slot] = 0; // the receiving stack's copy already brought the line to the ring
            ring.netTaken++;
        }
        segments++;
        sim.arrivalAt(to, visible, receiver);
        if (ring.netTaken < ring.produced) {
            senderEventPending = true;
            sim.netStackFreeAt(from, senderFree, this);
        }
    }
}
