package io.flotilla.transport.urpc;

import static io.flotilla.transport.urpc.RingMemory.load;
import static io.flotilla.transport.urpc.RingMemory.loadAcquire;
import static io.flotilla.transport.urpc.RingMemory.store;
import static io.flotilla.transport.urpc.RingMemory.storeRelease;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * urpc with Barrelfish's older flow control: an epoch bit in each frame and batched acks in a line of the
 * receiver's own. Each cache line is written by one side only: the sender writes the ring, the receiver only reads
 * it and writes its ack line.
 *
 * <p><b>Epoch.</b> Bit 0 of a published control word is 1 in the ring's first lap, 0 in the second, and so on
 * ({@code epoch = ~(position >>> log2(slots)) & 1}). The ring starts zeroed, so a slot the sender has not reached
 * yet, or last lap's frame still in it, never has the epoch the receiver expects. Frame n is valid iff the
 * acquire load of slot {@code n mod slots}'s control word has bit 0 equal to n's epoch; message numbers are
 * never 0, so the zero of an untouched slot fails the test in the first lap, when 1 is expected.
 *
 * <p><b>Acks.</b> The receiver counts frames it has consumed and publishes the count with a release store in its ack
 * line: after every {@code ackBatch} frames, and whenever a poll finds the ring empty before its limit (so an idle
 * receiver never leaves the sender waiting for credit). The sender keeps {@code limit = ack + slots} and reads the
 * ack line again, with acquire, only when it has used up that credit: about once per {@code ackBatch} frames
 * under load. Barrelfish piggy-backed the ack on reverse traffic in 16 header bits; Flotilla's control word leaves
 * the transport only 8 bits, so the ack has its own line, which costs no more: the line moves only when the sender
 * has run out of credit.
 *
 * <p><b>Hand-back</b> (optional; {@link UrpcTransport} turns it on where the two cores share a cache). Before a
 * batch ack, the receiver writes the control word of every slot the ack frees: last lap's epoch bit, message number
 * 0, and transport bit 1 ({@link #HANDED_BACK}), a word no sender writes. So the slots' lines are dirty in the
 * receiver's cache when the sender comes back to them, instead of clean copies both caches share.
 * <ul>
 *   <li><b>Why.</b> Measured, not derived (docs/benchmarks.md, issue 18): on the 2-vCPU AMD EPYC (cores sharing an
 *       L3) one-way streaming of full frames went from 28-30 to 69-76 million frames a second with it, of one-word
 *       frames from 51-57 to 88-97, the same as the used-bit scheme's, whose receiver writes every slot too. Our
 *       reading is that a line the other core holds dirty moves to a writing core in one transfer, where a line both
 *       hold clean takes an invalidation the sender's stores wait for one line at a time; the numbers are what we
 *       know.</li>
 *   <li><b>Only on batch acks.</b> A poll that finds the ring empty acks without handing back: the receiver has
 *       caught up, the traffic is request and response, and there every line stays one-writer, so the round trip
 *       keeps the epoch scheme's (about 140 ns against the used bit's 170 on that machine).</li>
 *   <li><b>Safe.</b> The receiver writes only slots it has consumed and not yet acked, which the sender cannot
 *       touch until the release store of the ack that follows; the word it leaves has last lap's epoch, so its own
 *       next poll of the slot reads "not yet written" until the sender's next frame replaces it. The sender never
 *       reads the control words it writes (its look-ahead, {@link #touchAhead}, is off when the receiver hands
 *       back).</li>
 * </ul>
 */
final class EpochUrpcChannel extends UrpcChannel {

    /** Slots loaded ahead per credit refresh at most (see {@link #touchAhead}): a default ring's worth of lines. */
    private static final int TOUCH_AHEAD = 32;

    /** Transport bit 1: set only by a receiver handing a consumed slot back; never in a frame a sender publishes. */
    static final long HANDED_BACK = 2L;

    private final int ackBatch;
    private final boolean handBack;

    EpochUrpcChannel(ByteBuffer buffer, boolean sideA, int slots, SlotSpacing spacing, int ackBatch,
            boolean handBack, Path file) {
        super(buffer, sideA, slots, spacing, FlowControl.EPOCH, file);
        this.ackBatch = ackBatch;
        this.handBack = handBack;
        this.txLimit = slots; // the peer's ring starts empty: a full lap of credit
    }

    @Override
    int credit() {
        if (!isOpen()) {
            return 0;
        }
        long free = txLimit - txProduced;
        if (free == 0) {
            // acquire: the receiver's reads of the slots it acked happen-before our overwriting them
            long acked = loadAcquire(buffer, address, txAck);
            // The receiver's count only grows and never passes what we sent; txLimit - capacity is the ack last read.
            // Anything else was written by someone else (the file is shared): trusting a larger one would overwrite
            // unread frames, a smaller one would make the credit negative. Compared only on a refresh, about once
            // per ackBatch frames when streaming.
            if (acked > txProduced || acked < txLimit - capacity) {
                throw fail("the peer's ack says " + acked + " frames consumed, but " + txProduced
                        + " were sent and " + (txLimit - capacity) + " already acked", null);
            }
            long limit = acked + capacity;
            if (!handBack && acked < txProduced) { // streaming, lines clean: see touchAhead
                touchAhead(txLimit, Math.min(limit, txLimit + TOUCH_AHEAD));
            }
            txLimit = limit;
            free = txLimit - txProduced;
        }
        return (int) free;
    }

    /**
     * Loads the control words of slots {@code [from, to)}, just credited, before this end overwrites them: the
     * used-bit sender does the same as a side effect of scanning for free slots, and it is what let that scheme
     * out-stream this one. Measured, not derived: on the 2-vCPU VM (docs/benchmarks.md) the epoch scheme's one-way
     * throughput went from 16-30 to 30-37 Mmsg/s with it, in three interleaved runs each. The likely reason is
     * that independent loads miss in parallel, where the stores that follow would each wait for their line in turn.
     *
     * <p>Only when the receiver is behind (it has not consumed everything sent): that is streaming, where it pays.
     * In a ping-pong the receiver has always caught up when credit runs out, and touching 32 lines at every
     * refresh there added about 100 ns to the round trip's p99 and nothing to its median. Bounded by
     * {@link #TOUCH_AHEAD}, so a ring of a million slots does not sweep its buffer through the cache on a refresh.
     *
     * <p>Not when the receiver hands lines back: then the credited slots' lines are dirty in the receiver's cache, and
     * loading them first turns each into a shared copy that the stores must then invalidate, undoing what hand-back
     * is for. Measured (docs/benchmarks.md, eighth session): with both, one-word streams ran at 41-42 Mmsg/s in three
     * fast-mood runs of five and 95-99 in two; without the look-ahead, 95-126 in all four; full frames unchanged.
     */
    private void touchAhead(long from, long to) {
        long sum = 0;
        for (long p = from; p < to; p++) {
            sum += load(buffer, address, txRing + (int) ((p & mask) << slotShift) + Frame.CONTROL_OFFSET);
        }
        txTouchSink = sum; // keeps the JIT from dropping loads whose values are otherwise unused
    }

    /** Bit 0 of frame {@code txProduced}'s control word: its lap's epoch. */
    @Override
    long transportBit() {
        return ~(txProduced >>> shift) & BIT;
    }

    /**
     * Delivers frames from {@code rxConsumed} on. Written for the receiver of a stream, the side that sets its pace
     * (docs/benchmarks.md, issue 18: the receiver, not the sender, was the bottleneck of a one-way stream, and
     * instructions it spends per frame showed up one for one in the stream's rate):
     * <ul>
     *   <li>the ring's geometry and the position live in locals for the whole poll, not re-read from fields after
     *       each acquire load and each handler call; the position is written back once, in {@code finally}, so a
     *       handler that throws still consumes its frame (as before);</li>
     *   <li>one compare tests both the epoch and the reserved transport bits of the control word: a word whose
     *       transport bits are exactly this lap's epoch is a frame; any other is either not written yet (its epoch
     *       is last lap's, as is a handed-back word's) or forged, and only then is the slower test made;</li>
     *   <li>the batch ack is due at a position computed once per ack, not re-derived per frame.</li>
     * </ul>
     */
    @Override
    int receive(FrameHandler handler, int limit) {
        final long start = rxConsumed;
        final long end = start + limit;
        final int ring = rxRing;
        final long ringMask = mask;
        final int slotBits = slotShift;
        final int lapBits = shift;
        long ackDue = rxAcked + ackBatch;
        long position = start;
        try {
            while (position < end) {
                int slot = ring + (int) ((position & ringMask) << slotBits);
                long control = loadAcquire(buffer, address, slot + Frame.CONTROL_OFFSET);
                long epoch = ~(position >>> lapBits) & BIT;
                if ((control & ControlWord.TRANSPORT_MASK) != epoch || (control & MESSAGE_BITS) == 0) {
                    if ((control & BIT) != epoch) {
                        break; // not yet written this lap (last lap's frame, a handed-back word, or the zeroed ring)
                    }
                    throw badControl(position, control);
                }
                rxSlot = slot;
                rxControl = control & PAYLOAD_MASK;
                position++; // consumed even if the handler throws
                handler.onFrame(this);
                if (position >= ackDue) { // >=: a handler that threw at the due frame skipped this test
                    batchAck(position);
                    ackDue = position + ackBatch;
                }
            }
        } finally {
            rxConsumed = position;
        }
        if (position < end && rxAcked != position) {
            ack(position); // the ring is empty: hand back all credit now rather than wait for a full batch
        }
        return (int) (position - start);
    }

    /** The ack of a full batch: hands the batch's lines back first, if this end does. Out of line: the rare path. */
    private void batchAck(long consumed) {
        if (handBack) {
            handBack(consumed);
        }
        ack(consumed);
    }

    /** Writes the control word of the slots of frames {@code [rxAcked, consumed)}, all consumed and not yet acked. */
    private void handBack(long consumed) {
        // An int-counted loop (at most a ring's worth): C2 unrolls it and drops the per-iteration safepoint poll that
        // a long-counted loop keeps.
        long from = rxAcked;
        int count = (int) (consumed - from);
        for (int i = 0; i < count; i++) {
            long p = from + i;
            // plain stores: the release store of the ack that follows orders them before the sender's reuse
            store(buffer, address, rxRing + (int) ((p & mask) << slotShift) + Frame.CONTROL_OFFSET,
                    (~(p >>> shift) & BIT) | HANDED_BACK);
        }
    }

    @Override
    public boolean handsBack() {
        return handBack;
    }

    private void ack(long consumed) {
        // Only this end writes its ack line, so it must still hold the count written last; anything else is a forged
        // ack the sender may already have acted on (overwriting unread frames). One load of a line this end owns or
        // shares, once per batch.
        long line = load(buffer, address, rxAck);
        if (line != rxAcked) {
            throw fail("the ack line this end writes holds " + line + ", not the " + rxAcked
                    + " it wrote last: someone else wrote it", null);
        }
        // release: our reads of every slot up to `consumed` happen-before the sender's reuse of them
        storeRelease(buffer, address, rxAck, consumed);
        rxAcked = consumed;
    }
}
