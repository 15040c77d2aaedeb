package io.flotilla.transport.urpc;

import static io.flotilla.transport.urpc.RingMemory.loadAcquire;
import static io.flotilla.transport.urpc.RingMemory.storeRelease;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * urpc with Barrelfish's 2017 flow control: bit 0 of the control word is a "used" flag. The sender publishes a frame
 * with the flag set; the receiver, once it has read the frame, clears the whole control word with a release store,
 * and that is the only signal that the slot is free. No acks and no laps, but the receiver writes every slot line
 * the sender writes, so each line crosses between the cores once more per frame than in the epoch scheme.
 *
 * <p>The sender learns about free slots by scanning forward from its position with acquire loads while control words
 * are zero, and remembers how far it got ({@code txLimit}); it scans again only when that credit is used up. Slots it
 * has seen free stay free: only the sender sets the flag.
 *
 * <p><b>Deferred clears.</b> Barrelfish clears each slot as soon as its frame is read. Here the receiver clears the
 * slots it has consumed in a burst: when a poll finds the ring empty, and otherwise after {@code clearBatch}
 * frames (the {@code urpc.ackBatch} option; default half the ring), as the epoch scheme batches its acks. Why: a
 * clear is a store to a line the receiver holds only shared (it just read it), so it waits in the store buffer for
 * the line's ownership, and x86 (TSO) makes stores visible in order: an echo published right after an immediate
 * clear waited behind it, which put that wait into every round trip. Deferred to the next empty poll, which in a
 * request-response exchange comes after the reply is published, the clear is off that path. It never delays the
 * sender for long: an idle receiver has cleared everything, and a busy one clears every {@code clearBatch} frames.
 * The shared protocol (and {@link UrpcLayout#VERSION}) is unchanged: a slot is free when its word is 0.
 *
 * <p>Wrap-around: the receiver never reads a slot it has not cleared since its last frame, because it clears once
 * {@code clearBatch <= slots} frames are outstanding, before it looks at the next slot.
 */
final class UsedBitUrpcChannel extends UrpcChannel {

    private final int clearBatch;

    UsedBitUrpcChannel(ByteBuffer buffer, boolean sideA, int slots, SlotSpacing spacing, int clearBatch, Path file) {
        super(buffer, sideA, slots, spacing, FlowControl.USED_BIT, file);
        this.clearBatch = clearBatch;
    }

    @Override
    int credit() {
        if (!isOpen()) {
            return 0;
        }
        long free = txLimit - txProduced;
        if (free == 0) {
            long end = txProduced + capacity;
            long next = txProduced;
            while (next < end) {
                int slot = txRing + (int) ((next & mask) << slotShift);
                // acquire: the receiver's reads of the slot happen-before our overwriting it
                long control = loadAcquire(buffer, address, slot + Frame.CONTROL_OFFSET);
                if ((control & BIT) != 0) {
                    break;
                }
                if (control != 0) { // the receiver clears the whole word: a free slot holds exactly 0
                    throw fail("tx slot " + (next & mask) + " holds control word 0x" + Long.toHexString(control)
                            + ", neither free (0) nor in use (bit 0 set)", null);
                }
                next++;
            }
            txLimit = next;
            free = next - txProduced;
        }
        return (int) free;
    }

    /** Bit 0 of every published control word: the slot is used. */
    @Override
    long transportBit() {
        return BIT;
    }

    @Override
    int receive(FrameHandler handler, int limit) {
        int delivered = 0;
        while (delivered < limit) {
            long position = rxConsumed;
            int slot = rxRing + (int) ((position & mask) << slotShift);
            long control = loadAcquire(buffer, address, slot + Frame.CONTROL_OFFSET);
            if ((control & BIT) == 0) {
                if (control != 0) { // only 0 (free) or a word with bit 0 set is ever in a slot
                    throw badControl(position, control, "used bit clear, yet not an empty slot's 0");
                }
                break;
            }
            if (!isWellFormed(control)) {
                throw badControl(position, control);
            }
            rxSlot = slot;
            rxControl = control & PAYLOAD_MASK;
            try {
                handler.onFrame(this);
            } finally {
                rxConsumed = position + 1;
                if (position + 1 - rxAcked >= clearBatch) {
                    clear(position + 1);
                }
            }
            delivered++;
        }
        if (delivered < limit && rxAcked != rxConsumed) {
            clear(rxConsumed); // the ring is empty: hand every consumed slot back now
        }
        return delivered;
    }

    /** Frees the slots of frames {@code [rxAcked, upTo)}, all consumed. */
    private void clear(long upTo) {
        for (long p = rxAcked; p < upTo; p++) {
            // release: the handler's reads of the payload happen-before the sender's reuse of the slot
            storeRelease(buffer, address, rxRing + (int) ((p & mask) << slotShift) + Frame.CONTROL_OFFSET, 0L);
        }
        rxAcked = upTo;
    }
}
