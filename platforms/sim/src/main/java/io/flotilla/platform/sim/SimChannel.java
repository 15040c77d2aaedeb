package io.flotilla.platform.sim;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.Tracer;

/**
 * One end of a simulated channel: the {@link Channel} contract, so that {@link io.flotilla.binding.Binding} and
 * generated stubs run on it unchanged, with the one difference that a published frame becomes visible to the
 * receiver only at the virtual time the {@link CostModel} gives. Frames stay in order: a frame is never visible
 * before the one sent before it.
 *
 * <p>Each publish schedules an arrival event on the receiving core, which runs the poller the kernel asked to
 * {@linkplain SimPlatform#watch watch} this end with. When a sender found the ring full, the receiver's next
 * consumption schedules a wake-up for it one line transfer later (the credit travelling back).
 *
 * <p>Single-threaded like the whole simulator: plain fields, no fences.
 */
public final class SimChannel implements Channel, FrameWriter, FrameReader {

    /**
     * One direction: slot i is words [i*8, i*8+8), control word last, visible from {@code visibleAt[i]}, published
     * at {@code sentAt[i]}. Frame n of the direction is flow {@code flows + n} in traces.
     */
    private static final class Ring {
        final long[] words;
        final long[] visibleAt;
        final long[] sentAt;
        /** The receiver's stall to fetch slot i's line from the sender's cache, paid when it consumes the frame. */
        final long[] fetchCycles;
        final int mask;
        final long flows;
        long produced;
        long consumed;
        long lastVisible;
        // The receiver's view of the message being reassembled: flow and send time of its first frame.
        long messageFlow;
        long messageSentAt;

        Ring(int slots, long flows) {
            words = new long[slots * Frame.WORDS];
            visibleAt = new long[slots];
            sentAt = new long[slots];
            fetchCycles = new long[slots];
            mask = slots - 1;
            this.flows = flows;
        }
    }

    private final SimPlatform sim;
    private final int core;
    private final boolean sameCoreTransport;
    private final Ring tx;
    private final Ring rx;
    private final int capacity;
    private SimChannel peer;
    private Runnable watcher;
    private boolean open = true;
    private boolean wantsRoom;
    private int txBase = -1;
    private int rxBase;

    private SimChannel(SimPlatform sim, int core, boolean sameCoreTransport, Ring tx, Ring rx, int capacity) {
        this.sim = sim;
        this.core = core;
        this.sameCoreTransport = sameCoreTransport;
        this.tx = tx;
        this.rx = rx;
        this.capacity = capacity;
    }

    /** A channel between two cores; {@code lrpc} is priced as a same-core hand-off, anything else as URPC. */
    static ChannelPair open(SimPlatform sim, int coreA, int coreB, boolean lrpc, int slots, long id) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two >= 2: " + slots);
        }
        // Flow ids: channel, direction, frame number; unique for the run while a direction sends < 2^31 frames.
        Ring ab = new Ring(slots, (2 * id) << 31);
        Ring ba = new Ring(slots, (2 * id + 1) << 31);
        SimChannel a = new SimChannel(sim, coreA, lrpc, ab, ba, slots);
        SimChannel b = new SimChannel(sim, coreB, lrpc, ba, ab, slots);
        a.peer = b;
        b.peer = a;
        return new ChannelPair(a, b);
    }

    /** The core this end belongs to. */
    public int core() {
        return core;
    }

    @Override
    public int writableFrames() {
        int free = (int) (capacity - (tx.produced - tx.consumed));
        if (free == 0) {
            wantsRoom = true;
        }
        return free;
    }

    @Override
    public FrameWriter claim() {
        if (txBase >= 0) {
            throw new IllegalStateException("previous frame not published");
        }
        if (!open) {
            throw new IllegalStateException("channel closed");
        }
        if (tx.produced - tx.consumed == capacity) {
            throw new IllegalStateException("channel full: check writableFrames() before claim()");
        }
        txBase = (int) (tx.produced & tx.mask) * Frame.WORDS;
        java.util.Arrays.fill(tx.words, txBase, txBase + Frame.WORDS, 0L);
        return this;
    }

    @Override
    public void putWord(int index, long value) {
        tx.words[txBase + Frame.checkWord(index)] = value;
    }

    @Override
    public void publish(long control) {
        if (ControlWord.message(control) == 0) {
            throw new IllegalArgumentException("message number 0 is reserved for empty slots");
        }
        tx.words[txBase + Frame.PAYLOAD_WORDS] = control;
        txBase = -1;
        boolean first = ControlWord.fragment(control) == 0;
        // The frame is in the receiver's hands at `arrival`; the last line transfer of that is the receiver's own
        // fetch, which stalls the receiver, so the frame becomes visible one fetch earlier and the fetch is charged
        // to the receiver when it consumes the frame. An idle receiver sees the same latency; a busy one (a server,
        // an initiator collecting acknowledgements) pays one fetch per frame, as on the real machine (§7).
        long arrival = sim.frameArrival(core, peer.core, sameCoreTransport, first);
        long fetch = sameCoreTransport ? 0 : sim.fetchCycles(core, peer.core);
        long visible = Math.max(Math.max(arrival - fetch, sim.now(core)), tx.lastVisible);
        tx.lastVisible = visible;
        int slot = (int) (tx.produced & tx.mask);
        tx.visibleAt[slot] = visible;
        tx.fetchCycles[slot] = fetch;
        long sent = sim.now(core);
        tx.sentAt[slot] = sent;
        // Observers only read: nothing here feeds the trace hash or the random source.
        Tracer observer = sim.observer();
        observer.frameSent(core, ControlWord.isLast(control));
        if (first) {
            observer.sent(core, peer.core, tx.flows + tx.produced, sent);
        }
        tx.produced++;
        sim.arrivalAt(peer.core, visible, peer);
    }

    @Override
    public int poll(FrameHandler handler, int limit) {
        int delivered = 0;
        while (delivered < limit && open && rx.consumed < rx.produced) {
            int slot = (int) (rx.consumed & rx.mask);
            if (rx.visibleAt[slot] > sim.now(core)) {
                break; // still on the wire
            }
            if (rx.fetchCycles[slot] > 0) {
                sim.compute(core, rx.fetchCycles[slot]);
            }
            rxBase = slot * Frame.WORDS;
            long control = rx.words[rxBase + Frame.PAYLOAD_WORDS];
            if (ControlWord.fragment(control) == 0) {
                rx.messageFlow = rx.flows + rx.consumed;
                rx.messageSentAt = rx.sentAt[slot];
            }
            Tracer observer = sim.observer();
            observer.frameReceived(core);
            if (ControlWord.isLast(control)) {
                sim.chargeDispatch(core);
                observer.received(core, rx.messageFlow, rx.messageSentAt, sim.now(core));
            }
            try {
                handler.onFrame(this);
            } finally {
                rx.consumed++;
            }
            delivered++;
        }
        if (delivered > 0 && peer.wantsRoom) {
            peer.wantsRoom = false;
            sim.roomAt(peer.core, peer);
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
    public int capacity() {
        return capacity;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
        watcher = null;
    }

    /** Sets who is told of arrivals; frames that arrived before anyone watched are announced now. */
    void watch(Runnable poller) {
        watcher = poller;
        if (poller != null && rx.consumed < rx.produced) {
            sim.arrivalAt(core, rx.visibleAt[(int) (rx.consumed & rx.mask)], this);
        }
    }

    /** An arrival or wake-up event for this end has come due. */
    void fire() {
        Runnable w = watcher;
        if (w != null && open) {
            w.run();
        }
    }
}
