package io.flotilla.binding;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import io.flotilla.transport.urpc.UrpcTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Live swap: the channel under a binding is replaced while frames flow both ways; nothing is lost or reordered. */
public class SwapTest {

    private static final int MSG = ControlWord.FIRST_USER_MESSAGE;

    /** One end: sends sequence numbers, checks that the peer's arrive in order, swaps when its mailbox says so. */
    static final class End {
        final Binding binding;
        final ConcurrentLinkedQueue<Channel> mailbox = new ConcurrentLinkedQueue<>();
        final List<String> errors = new ArrayList<>();
        long sent;
        long received;
        int swaps;

        End(Channel first) {
            binding = new Binding(first);
            binding.setErrorHandler(e -> errors.add(e.getMessage()));
            binding.setReceiver(frame -> {
                long seq = frame.word(0);
                if (seq != received || frame.word(1) != ~seq) {
                    errors.add("expected " + received + " got " + seq);
                }
                received = seq + 1;
            });
        }

        /** Sends up to {@code n} frames, queueing none beyond a small bound so memory stays flat. */
        void send(long n, long total) {
            for (long i = 0; i < n && sent < total && binding.queuedFrames() < 64; i++) {
                FrameWriter w = binding.claim();
                w.putWord(0, sent);
                w.putWord(1, ~sent);
                w.publish(ControlWord.of(MSG, 0, true, 0));
                binding.endMessage(null);
                sent++;
            }
        }

        void maybeSwap(SplittableRandom random) {
            if (random.nextInt(8) == 0) {
                Channel next = mailbox.poll();
                if (next != null) {
                    binding.swap(next);
                    swaps++;
                }
            }
        }
    }

    /**
     * The peer frees a slot between the binding's look at the channel's room and its claim of the swap marker (two
     * threads do this, rarely: this test makes it happen every time). The marker then goes straight into the old
     * channel, and the binding must leave that channel: before the fix it stayed, its later frames went in behind
     * the marker, the peer (already reading the new channel) never saw them, and both ends stopped for good.
     */
    @Test
    void aMarkerThatFindsRoomOnlyAtItsClaimStillMovesTheSenderOn() {
        ChannelPair first = LoopbackChannel.open(4);
        var roomAppears = new RoomAppearsAtClaim(first.left());
        var a = new End(roomAppears);
        var b = new End(first.right());
        a.send(2, 10);
        ChannelPair next = LoopbackChannel.open(4);
        roomAppears.hideRoomOnce = true;
        a.binding.swap(next.left());
        b.binding.swap(next.right());
        a.send(8, 10);
        for (int turn = 0; turn < 1_000 && (b.received < 10 || a.binding.liveChannels() > 1
                || b.binding.liveChannels() > 1); turn++) {
            b.binding.poll(64);
            a.binding.poll(64);
        }
        assertThat(b.errors).isEmpty();
        assertThat(b.received).isEqualTo(10);
        assertThat(a.binding.liveChannels()).isEqualTo(1);
        assertThat(b.binding.liveChannels()).isEqualTo(1);
    }

    /** A channel end that reports no room once, as if the peer freed its slots just after the look. */
    private static final class RoomAppearsAtClaim implements Channel {
        private final Channel inner;
        boolean hideRoomOnce;

        RoomAppearsAtClaim(Channel inner) {
            this.inner = inner;
        }

        @Override
        public int writableFrames() {
            if (hideRoomOnce) {
                hideRoomOnce = false;
                return 0;
            }
            return inner.writableFrames();
        }

        @Override
        public FrameWriter claim() {
            return inner.claim();
        }

        @Override
        public int poll(io.flotilla.frame.FrameHandler handler, int limit) {
            return inner.poll(handler, limit);
        }

        @Override
        public int capacity() {
            return inner.capacity();
        }

        @Override
        public boolean isOpen() {
            return inner.isOpen();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void swapsOnOneThreadInEveryInterleavingOfTheTwoEnds() {
        for (long seed = 0; seed < 200; seed++) {
            var random = new SplittableRandom(seed);
            ChannelPair first = LoopbackChannel.open(4);
            var a = new End(first.left());
            var b = new End(first.right());
            long total = 2_000;
            int offered = 0;
            for (int turn = 0; turn < 1_000_000 && (a.received < total || b.received < total
                    || a.binding.liveChannels() > 1 || b.binding.liveChannels() > 1); turn++) {
                if (offered < 30 && random.nextInt(20) == 0) {
                    ChannelPair next = LoopbackChannel.open(1 << (1 + random.nextInt(4)));
                    a.mailbox.add(next.left());
                    b.mailbox.add(next.right());
                    offered++;
                }
                End e = random.nextBoolean() ? a : b;
                switch (random.nextInt(3)) {
                    case 0 -> e.send(random.nextInt(1, 10), total);
                    case 1 -> e.binding.poll(random.nextInt(1, 10));
                    default -> e.maybeSwap(random);
                }
                if (a.sent == total && b.sent == total) {
                    // Drain: hand over every offered channel so both ends reach the same generation.
                    a.maybeSwap(random);
                    b.maybeSwap(random);
                }
            }
            assertThat(a.errors).as("seed %d", seed).isEmpty();
            assertThat(b.errors).as("seed %d", seed).isEmpty();
            assertThat(a.received).as("seed %d", seed).isEqualTo(total);
            assertThat(b.received).as("seed %d", seed).isEqualTo(total);
            assertThat(a.swaps).isEqualTo(offered);
            assertThat(a.binding.liveChannels()).as("old channels closed").isEqualTo(1);
            assertThat(b.binding.liveChannels()).isEqualTo(1);
        }
    }

    /**
     * Two threads, a million frames each way, a swap offered every few thousand frames: every frame arrives once, in
     * order, whichever channel carried it.
     */
    @Test
    @Timeout(180)
    void millionsOfFramesAcrossRandomSwapsBetweenTwoThreads() throws Exception {
        runAcrossThreads(slots -> LoopbackChannel.open(slots), 1_000_000);
    }

    /**
     * The same across real threads, each swap onto a transport picked at random from every one that joins two
     * threads: the in-memory loopback channel, urpc with either flow-control scheme, and net over a TCP loopback
     * connection. Every pair of transports follows every other at some point.
     */
    @Test
    @Timeout(300)
    void framesSurviveSwapsBetweenEveryPairOfTransports() throws Exception {
        TransportRegistry registry = TransportRegistry.discover();
        Endpoint a = Endpoint.local(0);
        Endpoint b = Endpoint.local(1);
        var pick = new SplittableRandom(11);
        var used = new TreeSet<String>();
        IntFunction<ChannelPair> mixed = slots -> {
            ChannelOptions options = ChannelOptions.DEFAULT.withSlots(slots);
            switch (pick.nextInt(4)) {
                case 0 -> {
                    used.add("loopback");
                    return LoopbackChannel.open(slots);
                }
                case 1 -> {
                    used.add("urpc/used-bit");
                    return registry.get("urpc").open(a, b, options.with(UrpcTransport.FLOW_CONTROL, "used-bit"));
                }
                case 2 -> {
                    used.add("urpc/epoch");
                    return registry.get("urpc").open(a, b, options.with(UrpcTransport.FLOW_CONTROL, "epoch"));
                }
                default -> {
                    // A window of a few frames per TCP round trip would make this test slow, not stronger.
                    used.add("net");
                    return registry.get("net").open(a, b, options.withSlots(Math.max(slots, 512)));
                }
            }
        };
        runAcrossThreads(mixed, 500_000);
        assertThat(used).containsExactly("loopback", "net", "urpc/epoch", "urpc/used-bit");
    }

    /**
     * Streams {@code total} frames each way between two threads over bindings that start on a channel from
     * {@code transport} and are swapped onto a new one from it every 4096 frames; checks exact sequences. Public for
     * the transports' own swap tests.
     *
     * @return how many swaps each end made
     */
    public static int runAcrossThreads(IntFunction<ChannelPair> transport, long total) throws Exception {
        ChannelPair first = transport.apply(32);
        var a = new End(first.left());
        var b = new End(first.right());
        var failure = new AtomicReference<Throwable>();
        Thread peer = new Thread(() -> {
            try {
                loop(b, total, new SplittableRandom(2));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "swap-peer");
        peer.start();
        var offers = new SplittableRandom(3);
        int offered = 0;
        var random = new SplittableRandom(1);
        while (!finished(a, total)) {
            if (a.sent >= (offered + 1) * 4_096L && a.sent < total) {
                ChannelPair next = transport.apply(1 << (2 + offers.nextInt(5)));
                a.mailbox.add(next.left());
                b.mailbox.add(next.right());
                offered++;
            }
            step(a, total, random);
            if (failure.get() != null) {
                break;
            }
        }
        peer.join(30_000);
        assertThat(failure.get()).isNull();
        assertThat(a.errors).isEmpty();
        assertThat(b.errors).isEmpty();
        assertThat(a.received).isEqualTo(total);
        assertThat(b.received).isEqualTo(total);
        assertThat(offered).isGreaterThanOrEqualTo((int) (total / 4_096) - 1);
        assertThat(a.swaps).isEqualTo(offered);
        assertThat(b.swaps).isEqualTo(offered);
        return offered;
    }

    /** Fails after 50 s without progress, not after 50 s in all: a loaded 2-CPU host can be slow, not stuck. */
    private static void loop(End e, long total, SplittableRandom random) {
        long deadline = System.nanoTime() + 50_000_000_000L;
        long seen = -1;
        while (!finished(e, total)) {
            step(e, total, random);
            long progress = e.sent + e.received;
            if (progress != seen) {
                seen = progress;
                deadline = System.nanoTime() + 50_000_000_000L;
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("peer stuck: sent " + e.sent + " received " + e.received);
            }
        }
    }

    /** Done when everything was sent and received, no frame waits in the binding, and no swap is pending. */
    private static boolean finished(End e, long total) {
        return e.received == total && e.sent == total && e.binding.queuedFrames() == 0
                && e.binding.liveChannels() == 1 && e.mailbox.isEmpty();
    }

    private static void step(End e, long total, SplittableRandom random) {
        e.send(random.nextInt(1, 64), total);
        if (e.binding.poll(64) == 0) {
            Thread.onSpinWait();
        }
        e.maybeSwap(random);
    }
}
