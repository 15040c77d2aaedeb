package io.flotilla.kernel.node;

import io.flotilla.binding.Binding;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.node.membership.MembershipDecoder;
import io.flotilla.kernel.node.membership.MembershipHandler;
import io.flotilla.kernel.node.membership.MembershipStub;
import io.flotilla.transport.net.NetChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * One node's {@code net} connection to another. Every message on it is a routed unit: a route frame, then the
 * message's frames; monitor messages name cores, membership messages go from {@link InternodeRoute#NODE} to
 * {@code NODE}. Units are queued whole ({@link #enqueue}, from any thread) and written whole by the pump, so
 * messages of several cores never interleave on the wire. The channel and the {@link RouteCheck} are the pump's.
 */
final class PeerLink implements MembershipLink {

    final NetChannel channel;
    /** The node it was dialled to (its HELLO must say so), or -1 for a link a peer dialled in. */
    final int expected;
    /** Checks and stages what the peer sends. */
    final RouteCheck incoming;
    private final ConcurrentLinkedQueue<long[]> outgoing = new ConcurrentLinkedQueue<>();
    /** The unit being written and how many of its frames are in the channel already (pump thread). */
    private long[] current;
    private int written;
    /** Membership messages to the peer; the stub and its binding are used under this link's lock. */
    private final MembershipStub membership;
    /** Says this node's HELLO on a stub. */
    private final Consumer<MembershipStub> hello;
    /** The binding the peer's membership messages are decoded on (pump thread). */
    final Binding membershipIn;
    /** The peer's node id once its HELLO was accepted (pump thread). */
    int node = -1;
    volatile boolean closed;

    /**
     * @param hello says this node's HELLO
     */
    PeerLink(NetChannel channel, int expected, int machineCores, RouteCheck.Policy policy,
            Consumer<MembershipStub> hello) {
        this.channel = channel;
        this.expected = expected;
        this.hello = hello;
        this.incoming = new RouteCheck(machineCores, policy);
        Binding out = new Binding(new RoutedSender(InternodeRoute.NODE, InternodeRoute.NODE, this::enqueue));
        this.membership = new MembershipStub(out);
        this.membershipIn = new Binding(new RoutedSender(InternodeRoute.NODE, InternodeRoute.NODE, this::enqueue));
        membershipIn.setErrorHandler(e -> {
            throw new PeerProtocolException(e.getMessage());
        });
    }

    /** Membership messages the peer sends go to {@code handler} (on the pump thread, through the generated decoder). */
    void hear(MembershipHandler handler) {
        membershipIn.setReceiver(new MembershipDecoder(membershipIn, handler, new MembershipStub(membershipIn)));
    }

    /** Queues one routed unit (route frame and message frames) for the peer. Any thread. */
    void enqueue(long[] unit) {
        outgoing.add(unit);
    }

    /** Sends a membership message: {@code message} calls the stub; serialised, since any thread may say something. */
    synchronized void say(Consumer<MembershipStub> message) {
        message.accept(membership);
    }

    // ---- the link as the membership uses it (pump thread; sayHello also on the dialling thread) ----------------

    @Override
    public int dialled() {
        return expected;
    }

    @Override
    public int node() {
        return node;
    }

    @Override
    public void introduce(int node) {
        this.node = node;
    }

    @Override
    public String remote() {
        return String.valueOf(channel.remoteAddress());
    }

    @Override
    public void sayHello() {
        say(hello);
    }

    @Override
    public void sayView(long digest) {
        say(stub -> stub.view(digest));
    }

    @Override
    public CompletableFuture<?> refuse(String reason) {
        say(stub -> stub.leave(reason));
        flush(); // on the pump thread, which owns the channel: close() below sends what is published first
        closed = true;
        channel.close();
        return channel.closeFuture();
    }

    @Override
    public void closeAfterLeave() {
        closed = true;
        channel.closeExpectingLoss(); // it consumes nothing more: what it did not confirm, it never will
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
    @Override
    public String peer() {
        String at = String.valueOf(channel.remoteAddress());
        return node >= 0 ? "node " + node + " (" + at + ")" : expected >= 0 ? "node " + expected + " (" + at + ")"
                : "peer " + at;
    }
}
