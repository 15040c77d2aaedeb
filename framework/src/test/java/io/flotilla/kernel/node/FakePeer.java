package io.flotilla.kernel.node;

import io.flotilla.binding.Binding;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.intermon.IntermonStub;
import io.flotilla.kernel.node.membership.MembershipDecoder;
import io.flotilla.kernel.node.membership.MembershipHandler;
import io.flotilla.kernel.node.membership.MembershipStub;
import io.flotilla.transport.net.NetChannel;
import io.flotilla.transport.net.NetConfig;
import io.flotilla.transport.net.NetTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A hand-played node for tests: it knows the cluster secret and speaks the link protocol through the generated
 * stubs, so a test can join a real {@link Node} as its peer and then send it whatever it likes, well-formed or not.
 * Used by one test thread.
 */
final class FakePeer implements AutoCloseable {

    /** A routed message this peer received: its route and the message number of its first frame. */
    record Heard(int from, int to, int frames, int message) {}

    private final NetTransport net = NetTransport.create(1);
    final NetChannel channel;
    private final MembershipStub membership;
    private final Binding membershipIn;
    final List<Heard> heard = new ArrayList<>();
    volatile long viewDigest;
    volatile boolean viewed;
    private int left; // frames of the message being read
    private int from;
    private int to;
    private int frames;
    private boolean first;

    FakePeer(int port, byte[] secret) throws IOException, InterruptedException {
        NetChannel c = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c == null) {
            try {
                c = net.connect(new InetSocketAddress("127.0.0.1", port),
                        NetConfig.builder(secret, LinkConfig.INTERFACE, LinkConfig.FINGERPRINT).build());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
        channel = c;
        membership = new MembershipStub(new Binding(new RoutedSender(InternodeRoute.NODE, InternodeRoute.NODE,
                this::write)));
        membershipIn = new Binding(new RoutedSender(InternodeRoute.NODE, InternodeRoute.NODE, this::write));
        membershipIn.setReceiver(new MembershipDecoder(membershipIn, new MembershipHandler() {
            @Override
            public void hello(short node, short nodes, int firstCore, int lastCore, long pid, String topology,
                    String host, String hostId) {}

            @Override
            public void view(long digest) {
                viewDigest = digest;
                viewed = true;
            }

            @Override
            public void ready() {}

            @Override
            public void stop() {}

            @Override
            public void leave(String reason) {}
        }, new MembershipStub(membershipIn)));
    }

    MembershipStub membership() {
        return membership;
    }

    /** A stub that sends intermon messages as core {@code from}'s monitor to core {@code to}'s. */
    IntermonStub monitor(int from, int to) {
        return new IntermonStub(new Binding(new RoutedSender(from, to, this::write)));
    }

    /** Joins as node {@code id} of a 2-node cluster running core {@code core} of {@code machine}. */
    void join(int id, int core, String machine) {
        membership.hello((short) id, (short) 2, core, core, ProcessHandle.current().pid(), machine, "127.0.0.1", "");
        awaitTrue(() -> viewed, "the node's VIEW");
        membership.view(viewDigest);
    }

    /** Writes frames (laid out as {@link Frame#WORDS} longs each) onto the link, as they are. */
    void write(long[] frames) {
        for (int f = 0; f < frames.length / Frame.WORDS; f++) {
            awaitTrue(() -> channel.writableFrames() > 0 || !channel.isOpen(), "room on the link");
            if (!channel.isOpen()) {
                return;
            }
            FrameWriter w = channel.claim();
            for (int i = 0; i < Frame.PAYLOAD_WORDS; i++) {
                w.putWord(i, frames[f * Frame.WORDS + i]);
            }
            w.publish(frames[f * Frame.WORDS + Frame.PAYLOAD_WORDS]);
        }
    }

    /** Reads what the node sent: membership goes to the decoder, monitor messages to {@link #heard}. */
    int poll() {
        return channel.poll(this::onFrame, 64);
    }

    private void onFrame(FrameReader frame) {
        if (left == 0) {
            from = InternodeRoute.from(frame);
            to = InternodeRoute.to(frame);
            frames = InternodeRoute.frames(frame);
            left = frames;
            first = true;
            return;
        }
        left--;
        if (to == InternodeRoute.NODE) {
            membershipIn.deliver(frame);
        } else if (first) {
            heard.add(new Heard(from, to, frames, ControlWord.message(frame.control())));
        }
        first = false;
    }

    /** Polls until {@code condition} holds, failing the test after 10 s. */
    void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 10 s");
            }
            poll();
            Thread.onSpinWait();
        }
    }

    /** Polls until the node closes the link. */
    void awaitClosed() {
        awaitTrue(() -> !channel.isOpen(), "close of the link by the node");
    }

    @Override
    public void close() {
        channel.close();
        net.close();
    }
}
