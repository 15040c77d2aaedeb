package io.flotilla.kernel.node;

import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.intermon.IntermonCodec;
import io.flotilla.transport.net.NetChannel;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One node's {@code net} connection to another, carrying intermon messages both ways. Its channel and assembler are
 * used by the node's pump thread only; {@link #enqueue} may be called from any core's thread.
 */
final class PeerLink {

    final NetChannel channel;
    /** The node it was dialled to (its HELLO must say so), or -1 for a link a peer dialled in. */
    final int expected;
    final IntermonCodec.Assembler assembler = new IntermonCodec.Assembler();
    private final ConcurrentLinkedQueue<long[]> outgoing = new ConcurrentLinkedQueue<>();
    /** The message being written and how many of its frames are in the channel already (pump thread). */
    private long[] current;
    private int written;
    /** The peer's node id once its HELLO was accepted (pump thread). */
    int node = -1;
    boolean viewed;
    long viewDigest;
    volatile boolean closed;

    PeerLink(NetChannel channel, int expected) {
        this.channel = channel;
        this.expected = expected;
    }

    void enqueue(long[] frames) {
        outgoing.add(frames);
    }

    /** Pump thread: moves queued frames into the channel while it has room. @return frames written */
    int flush() {
        int n = 0;
        while (true) {
            if (current == null) {
                current = outgoing.poll();
                written = 0;
                if (current == null) {
                    return n;
                }
            }
            int frames = current.length / Frame.WORDS;
            while (written < frames) {
                if (channel.writableFrames() == 0) {
                    return n;
                }
                FrameWriter w = channel.claim();
                int base = written * Frame.WORDS;
                for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                    w.putWord(i, current[base + i]);
                }
                w.publish(current[base + Frame.PAYLOAD_WORDS]);
                written++;
                n++;
            }
            current = null;
        }
    }

    boolean drained() {
        return current == null && outgoing.isEmpty();
    }

    /** "node 1 (/127.0.0.1:7001)", or the address alone before the peer said who it is. */
    String peer() {
        String at = String.valueOf(channel.remoteAddress());
        return node >= 0 ? "node " + node + " (" + at + ")" : expected >= 0 ? "node " + expected + " (" + at + ")"
                : "peer " + at;
    }
}
