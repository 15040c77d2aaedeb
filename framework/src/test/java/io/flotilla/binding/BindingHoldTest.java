package io.flotilla.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Holds: a capability transfer keeps a message's frames, and every later one, until its capability arrived. */
class BindingHoldTest {

    private static final int MSG = ControlWord.FIRST_USER_MESSAGE;

    private static void send(Binding b, long seq, int frames) {
        for (int f = 0; f < frames; f++) {
            FrameWriter w = b.claim();
            w.putWord(0, seq);
            w.publish(ControlWord.of(MSG, f, f == frames - 1, 0));
        }
        b.endMessage(Continuation.NONE);
    }

    @Test
    void heldFramesAndEveryLaterMessageWaitUntilTheHoldIsReleased() {
        ChannelPair pair = LoopbackChannel.open(8);
        var sender = new Binding(pair.left());
        var receiver = new Binding(pair.right());
        var got = new ArrayList<Long>();
        receiver.setReceiver(f -> got.add(f.word(0)));

        send(sender, 1, 1);
        long hold = sender.hold();
        send(sender, 2, 2);
        send(sender, 3, 1);
        assertThat(sender.hasRoomFor(1)).isFalse();
        receiver.poll(100);
        assertThat(got).containsExactly(1L);
        assertThat(sender.queuedFrames()).isEqualTo(3);

        sender.release(hold);
        receiver.poll(100);
        assertThat(got).containsExactly(1L, 2L, 2L, 3L);
        assertThat(sender.holds()).isZero();
        assertThat(sender.hasRoomFor(1)).isTrue();
        assertThatThrownBy(() -> sender.release(hold)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Messages, some behind holds released in any order: everything arrives, in order, and nothing at or after an
     * unreleased hold arrives early.
     */
    @Property(tries = 200)
    void holdsReleasedInAnyOrderKeepFifoOrder(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 3) Integer> sizes,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 1000) Integer> releaseOrder,
            @ForAll @IntRange(min = 1, max = 3) int slotsLog2) {
        ChannelPair pair = LoopbackChannel.open(1 << slotsLog2);
        var sender = new Binding(pair.left());
        var receiver = new Binding(pair.right());
        var got = new ArrayList<Long>();
        receiver.setReceiver(f -> got.add(f.word(0)));
        var holds = new ArrayList<long[]>(); // hold id, first message it holds
        int total = 0;
        for (int i = 0; i < sizes.size(); i++) {
            int frames = Math.max(1, sizes.get(i));
            if (sizes.get(i) == 0) {
                holds.add(new long[] {sender.hold(), i});
            }
            send(sender, i, frames);
            total += frames;
        }
        var open = new ArrayList<>(holds);
        int r = 0;
        while (!open.isEmpty()) {
            for (int t = 0; t < 4; t++) {
                receiver.poll(3);
                sender.flush();
            }
            long firstHeld = open.stream().mapToLong(h -> h[1]).min().getAsLong();
            assertThat(got).allMatch(seq -> seq < firstHeld);
            long[] h = open.remove(releaseOrder.get(r++ % releaseOrder.size()) % open.size());
            sender.release(h[0]);
        }
        for (int t = 0; t < 10_000 && got.size() < total; t++) {
            receiver.poll(3);
            sender.flush();
        }
        assertThat(got).hasSize(total).isSorted();
        assertThat(sender.queuedFrames()).isZero();
    }
}
