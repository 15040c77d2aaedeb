package io.flotilla.transport.urpc;

/**
 * The fields a urpc end changes on every frame. Only the end's own thread reads or writes them, so they are plain
 * fields; they are padded on both sides (see {@link UrpcPadBefore}) because they change at message rate.
 */
abstract class UrpcHotFields extends UrpcPadBefore {
    /** Frames published into the tx ring. */
    long txProduced;
    /** txProduced may advance up to (exclusive) this without looking at shared memory again. */
    long txLimit;
    /** Byte offset of the claimed, unpublished slot, or -1. */
    long txSlot = -1;
    /** Bit i set: payload word i of the claimed slot was written. */
    long txWritten;
    /** Frames consumed from the rx ring. */
    long rxConsumed;
    /** The consumption count last published to the peer (epoch scheme: acked; used bit: slots cleared). */
    long rxAcked;
    /** Byte offset of the slot being handed to a handler. */
    long rxSlot;
    /** Its control word, transport bits cleared. */
    long rxControl;
    /** Where the epoch sender's look-ahead loads go, so they are not optimised away (EpochUrpcChannel#touchAhead). */
    long txTouchSink;
}
