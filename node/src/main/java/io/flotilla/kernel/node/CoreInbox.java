package io.flotilla.kernel.node;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/**
 * Where monitor messages from other nodes reach one local core: a single-producer single-consumer ring of frames
 * (an in-process {@link LoopbackChannel}), written only by the node's pump thread and polled only by the core's
 * thread, so neither side takes a lock. The pump writes each routed message whole, its route frame first.
 *
 * <p>A routed message from a link is written only when it fits (else the link waits: back-pressure to the peer);
 * a message of the node runtime itself ({@link #post}, cores lost) is never dropped: it waits here in order until
 * the ring has room.
 */
final class CoreInbox {

    /** Slots of the ring: room for the largest routed message (65 frames) with some to spare. */
    static final int SLOTS = 256;

    private static final VarHandle POLLS;

    static {
        try {
            POLLS = MethodHandles.lookup().findVarHandle(Reader.class, "polls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int core;
    private final Channel writer;
    private final Reader reader;
    private final ArrayDeque<long[]> waiting = new ArrayDeque<>(); // pump thread only

    CoreInbox(int core) {
        this.core = core;
        ChannelPair pair = LoopbackChannel.open(SLOTS);
        this.writer = pair.left();
        this.reader = new Reader(pair.right());
    }

    int core() {
        return core;
    }

    /** The core's end, for {@link io.flotilla.kernel.Internode#inbox}. */
    Channel channel() {
        return reader;
    }

    /** Pump: whether {@code frames} frames can go in now, behind everything that waits. */
    boolean hasRoomFor(int frames) {
        return waiting.isEmpty() && writer.writableFrames() >= frames;
    }

    /** Pump: writes {@code frames} frames of {@code words} (laid out as frames); {@link #hasRoomFor} said yes. */
    void write(long[] words, int frames) {
        for (int f = 0; f < frames; f++) {
            int base = f * Frame.WORDS;
            FrameWriter w = writer.claim();
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                w.putWord(i, words[base + i]);
            }
            w.publish(words[base + Frame.PAYLOAD_WORDS]);
        }
    }

    /** Pump: a whole routed unit of the node runtime's own; it goes in behind whatever waits already. */
    void post(long[] unit) {
        waiting.add(unit);
        flush();
    }

    /** Pump: moves waiting units into the ring while they fit. @return units moved */
    int flush() {
        int moved = 0;
        for (long[] unit; (unit = waiting.peek()) != null; ) {
            int frames = unit.length / Frame.WORDS;
            if (writer.writableFrames() < frames) {
                break;
            }
            waiting.poll();
            write(unit, frames);
            moved++;
        }
        return moved;
    }

    /** Pump: whether the core has consumed everything written here (its handlers for it have returned). */
    boolean drained() {
        return waiting.isEmpty() && writer.writableFrames() == SLOTS;
    }

    /** How many times the core has polled this inbox (each turn of its binding polls once). */
    long polls() {
        return (long) POLLS.getAcquire(reader);
    }

    /** The core's end: the ring's reader, counting its polls for {@link #polls}. */
    static final class Reader implements Channel {
        private final Channel ring;
        @SuppressWarnings("unused") // through POLLS
        private volatile long polls;

        Reader(Channel ring) {
            this.ring = ring;
        }

        @Override
        public int poll(FrameHandler handler, int limit) {
            POLLS.setRelease(this, (long) POLLS.getOpaque(this) + 1); // one writer: this core
            return ring.poll(handler, limit);
        }

        /** Receive-only: the core answers other nodes on its outbound channels. */
        @Override
        public int writableFrames() {
            return 0;
        }

        @Override
        public FrameWriter claim() {
            throw new IllegalStateException("a core's inbox is receive-only; send on Internode.outbound");
        }

        @Override
        public int capacity() {
            return ring.capacity();
        }

        @Override
        public boolean isOpen() {
            return ring.isOpen();
        }

        @Override
        public void close() {
            ring.close();
        }
    }
}
