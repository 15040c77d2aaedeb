package io.flotilla.transport.lrpc;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import java.util.Objects;

/**
 * A channel whose two ends live on one core: both are used by the core's event loop, one thread. Each direction is
 * a plain ring of frames on the heap with plain counters, without fences or atomics: within one thread program
 * order is all the ordering there is to keep.
 *
 * <p><b>Precondition: one thread.</b> Both ends must only ever be used from the same thread. With assertions
 * enabled ({@code -ea}, as in tests) or {@code -Dflotilla.lrpc.checkThread=true}, the first thread that touches
 * either end becomes the owner and any other thread gets an {@link IllegalStateException}; otherwise the check is
 * compiled away (a static final flag).
 *
 * <p>Handlers run inside {@link #poll}; a handler may send on either end (a reply, typically), but must not poll
 * the end it is being called from.
 *
 * <p><b>Passing message objects.</b> Since nothing crosses a core, a frame may also carry a reference to an immutable
 * message object ({@link #canAttach()} is true, as in gRPC's in-process transport): generated stubs use it to send a
 * message of several frames as one frame naming the message, and the generated decoder hands the object's fields to
 * the handler without decoding. The reference sits in a parallel ring of objects, written on {@link #publish} (null
 * when nothing was attached, so a reused slot never shows an older object) and cleared once the receiver's handler
 * has returned, so a consumed message is not kept alive by the ring.
 */
public final class LrpcChannel implements Channel, FrameWriter, FrameReader {

    static final boolean CHECK_THREAD = checkThreadEnabled();

    private static boolean checkThreadEnabled() {
        boolean assertions = false;
        assert assertions = true;
        return assertions || Boolean.getBoolean("flotilla.lrpc.checkThread");
    }

    /** One direction: slot i is words [i*8, i*8+8), control word last. */
    private static final class Ring {
        final long[] words;
        /** Slot i's attached message object, or null. */
        final Object[] objects;
        long produced;
        long consumed;

        Ring(int slots) {
            words = new long[slots * Frame.WORDS];
            objects = new Object[slots];
        }
    }

    /** What both ends share: the thread that owns them, once one has used them (checked mode only). */
    private static final class Shared {
        Thread owner;
    }

    private final Ring tx;
    private final Ring rx;
    private final Shared shared;
    private final int capacity;
    private final int mask;
    private LrpcChannel peer;
    private boolean open = true;

    private int txBase = -1;
    private int txWritten;
    private Object txAttachment;
    private int rxBase;

    private LrpcChannel(Ring tx, Ring rx, Shared shared, int capacity) {
        this.tx = tx;
        this.rx = rx;
        this.shared = shared;
        this.capacity = capacity;
        this.mask = capacity - 1;
    }

    /** Both ends of a same-core channel with {@code slots} frames per direction (a power of two, at least 2). */
    public static ChannelPair open(int slots) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two >= 2: " + slots);
        }
        Ring ab = new Ring(slots);
        Ring ba = new Ring(slots);
        Shared shared = new Shared();
        LrpcChannel a = new LrpcChannel(ab, ba, shared, slots);
        LrpcChannel b = new LrpcChannel(ba, ab, shared, slots);
        a.peer = b;
        b.peer = a;
        return new ChannelPair(a, b);
    }

    private void checkThread() {
        Thread current = Thread.currentThread();
        Thread owner = shared.owner;
        if (owner == null) {
            shared.owner = current;
        } else if (owner != current) {
            throw new IllegalStateException("lrpc channel used from thread '" + current.getName()
                    + "' but it belongs to the event loop of thread '" + owner.getName() + "'");
        }
    }

    @Override
    public int writableFrames() {
        if (CHECK_THREAD) {
            checkThread();
        }
        if (!open || !peer.open) {
            return 0;
        }
        return capacity - (int) (tx.produced - tx.consumed);
    }

    /** {@link #claim()} if there is room; overridden so that its calls are this class's (see {@link Channel}). */
    @Override
    public FrameWriter tryClaim() {
        return writableFrames() > 0 ? claim() : null;
    }

    @Override
    public FrameWriter claim() {
        if (txBase >= 0) {
            throw new IllegalStateException("previous frame not published");
        }
        if (writableFrames() == 0) {
            throw new IllegalStateException(!open ? "channel closed" : !peer.open ? "peer closed the channel"
                    : "channel full: check writableFrames() before claim()");
        }
        txBase = (int) (tx.produced & mask) * Frame.WORDS;
        return this;
    }

    @Override
    public void putWord(int index, long value) {
        tx.words[txBase + Frame.checkWord(index)] = value;
        txWritten |= 1 << index;
    }

    @Override
    public void publish(long control) {
        if (ControlWord.message(control) == 0) {
            throw new IllegalArgumentException("message number 0 is reserved for empty slots");
        }
        if (txBase < 0) {
            throw new IllegalStateException("publish without claim");
        }
        int missing = ~txWritten & ((1 << Frame.PAYLOAD_WORDS) - 1);
        while (missing != 0) {
            tx.words[txBase + Integer.numberOfTrailingZeros(missing)] = 0L;
            missing &= missing - 1;
        }
        tx.words[txBase + Frame.PAYLOAD_WORDS] = control & ~ControlWord.TRANSPORT_MASK;
        tx.objects[txBase / Frame.WORDS] = txAttachment;
        tx.produced++;
        txBase = -1;
        txWritten = 0;
        txAttachment = null;
    }

    /** The words straight into the ring; the receiver sees nothing before {@link #publish(long)}'s count. */
    @Override
    public void publish(long control, long[] words, int offset, int count) {
        Frame.checkCount(words, offset, count);
        if (txBase < 0) {
            throw new IllegalStateException("publish without claim");
        }
        System.arraycopy(words, offset, tx.words, txBase, count);
        txWritten |= (1 << count) - 1;
        publish(control);
    }

    /** Always true: both ends share one thread and one heap. */
    @Override
    public boolean canAttach() {
        return true;
    }

    @Override
    public void attach(Object message) {
        if (txBase < 0) {
            throw new IllegalStateException("attach without claim");
        }
        txAttachment = Objects.requireNonNull(message, "message");
    }

    @Override
    public int poll(FrameHandler handler, int limit) {
        if (CHECK_THREAD) {
            checkThread();
        }
        int delivered = 0;
        while (delivered < limit && rx.consumed != rx.produced) {
            rxBase = (int) (rx.consumed & mask) * Frame.WORDS;
            try {
                handler.onFrame(this);
            } finally {
                rx.objects[rxBase / Frame.WORDS] = null; // the receiver has it now (or dropped it): no leak
                rx.consumed++; // after the handler: a reply sent from it must not overwrite the frame being read
            }
            delivered++;
        }
        return delivered;
    }

    @Override
    public long control() {
        return rx.words[rxBase + Frame.PAYLOAD_WORDS];
    }

    @Override
    public long word(int index) {
        return rx.words[rxBase + Frame.checkWord(index)];
    }

    @Override
    public long read(long[] dst, int offset) {
        Frame.checkRange(dst, offset);
        System.arraycopy(rx.words, rxBase, dst, offset, Frame.PAYLOAD_WORDS);
        return rx.words[rxBase + Frame.PAYLOAD_WORDS];
    }

    @Override
    public Object attachment() {
        return rx.objects[rxBase / Frame.WORDS];
    }


    @Override
    public int capacity() {
        return capacity;
    }

    /** Open while neither end has closed. */
    @Override
    public boolean isOpen() {
        return open && peer.open;
    }

    /** Closes this end; frames already published stay readable by the peer. Idempotent. */
    @Override
    public void close() {
        open = false;
    }
}
