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
    static final class Ring {
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
        /** When the receiver's miss on the previous frame completed: the chain of dependent polls. */
        long lastFetched;
        /** net only: frames the sending stack has taken. */
        long netTaken;
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
    private final Kind kind;
    private final NetPath txPath;
    private final Ring tx;
    private final Ring rx;
    private final int capacity;
    private SimChannel peer;
    private Runnable watcher;
    private boolean open = true;
    private boolean wantsRoom;
    private int txBase = -1;
    private int rxBase;

    /** How a channel's frames travel: priced by {@link CostModel}. */
    enum Kind {
        /** Same core: Table 1's hand-off. */
        LRPC,
        /** Cache-line messages through coherent memory (§7). */
        URPC,
        /** Through both ends' network stacks (Table 4's loopback), batched into segments ({@link NetPath}). */
        NET
    }

    private SimChannel(SimPlatform sim, int core, Kind kind, NetPath txPath, Ring tx, Ring rx, int capacity) {
        this.sim = sim;
        this.core = core;
        this.kind = kind;
        this.txPath = txPath;
        this.tx = tx;
        this.rx = rx;
        this.capacity = capacity;
    }

    /** A channel of {@code kind} between two cores. */
    static ChannelPair open(SimPlatform sim, int coreA, int coreB, Kind kind, int slots, long id) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two >= 2: " + slots);
        }
        // Flow ids: channel, direction, frame number; unique for the run while a direction sends < 2^31 frames.
        Ring ab = new Ring(slots, (2 * id) << 31);
        Ring ba = new Ring(slots, (2 * id + 1) << 31);
        boolean net = kind == Kind.NET;
        SimChannel a = new SimChannel(sim, coreA, kind, net ? sim.netPath(coreA, coreB) : null, ab, ba, slots);
        SimChannel b = new SimChannel(sim, coreB, kind, net ? sim.netPath(coreB, coreA) : null, ba, ab, slots);
        a.peer = b;
        b.peer = a;
        if (net) {
            a.txPath.attach(ab, b);
            b.txPath.attach(ba, a);
        }
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
        int slot = (int) (tx.produced & tx.mask);
        long sent = sim.now(core); // the message's latency starts with the sender's own work on it
        sim.chargeMessageCpu(core, kind);
        tx.sentAt[slot] = sent;
        // Observers only read: nothing here feeds the trace hash or the random source.
        Tracer observer = sim.observer();
        observer.frameSent(core, ControlWord.isLast(control));
        if (first) {
            observer.sent(core, peer.core, tx.flows + tx.produced, sent);
        }
        if (kind == Kind.NET) {
            tx.visibleAt[slot] = Long.MAX_VALUE; // until the sending stack takes it (NetPath)
            tx.fetchCycles[slot] = 0;
            tx.produced++;
            txPath.published(sent);
            return;
        }
        // The frame is in the receiver's hands at `arrival`; the last line transfer of that is the receiver's own
        // fetch, so the frame becomes visible one fetch earlier and the receiver's miss is priced when it consumes
        // the frame (SimPlatform.fetched: the chain of polls, the probe floor, overlapping misses).
        long arrival = sim.frameArrival(core, peer.core, kind == Kind.LRPC, first);
        long fetch = kind == Kind.LRPC ? 0 : sim.fetchCycles(core, peer.core);
        long visible = Math.max(Math.max(arrival - fetch, sim.now(core)), tx.lastVisible);
        tx.lastVisible = visible;
        tx.visibleAt[slot] = visible;
        tx.fetchCycles[slot] = fetch;
        tx.produced++;
        sim.arrivalAt(peer.core, visible, peer);
    }

    @Override
    public int poll(FrameHandler handler, int limit) {
        int delivered = 0;
        // One pass of the event loop takes the frames that were there when it looked. Frames that become visible
        // while it handles them have arrival events of their own, queued in time order with everything else the
        // core has to do (a monitor's work, another channel), so a stream that keeps a busy core just fed cannot
        // starve them.
        long looked = sim.now(core);
        while (delivered < limit && open && rx.consumed < rx.produced) {
            int slot = (int) (rx.consumed & rx.mask);
            if (rx.visibleAt[slot] > looked) {
                break; // still on the wire when the pass looked
            }
            if (rx.fetchCycles[slot] > 0) {
                long fetched = sim.fetched(core, rx.visibleAt[slot], rx.fetchCycles[slot], rx.lastFetched);
                rx.lastFetched = fetched;
                sim.advanceTo(core, fetched);
            }
            rxBase = slot * Frame.WORDS;
            long control = rx.words[rxBase + Frame.PAYLOAD_WORDS];
            if (ControlWord.fragment(control) == 0) {
                rx.messageFlow = rx.flows + rx.consumed;
                rx.messageSentAt = rx.sentAt[slot];
            }
            Tracer observer = sim.observer();
            observer.frameReceived(core);
            sim.chargeMessageCpu(core, kind);
            if (ControlWord.isLast(control)) {
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

    /**
     * Whether a dispatcher's event loop finds this end's frames by polling it: URPC and net rings are polled; an LRPC
     * hand-off is the kernel switching to the receiver (Table 1's measured whole), not a slot anyone looks at.
     */
    boolean polled() {
        return kind != Kind.LRPC;
    }

    /** Whether someone is told of arrivals on this end. */
    boolean watched() {
        return watcher != null;
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
