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

class BindingTest {

    private static final int MSG = ControlWord.FIRST_USER_MESSAGE;

    /** Sends a message of {@code frames} frames whose first payload word is its sequence number. */
    private static void send(Binding b, long seq, int frames, Continuation whenSent) {
        for (int f = 0; f < frames; f++) {
            FrameWriter w = b.claim();
            w.putWord(0, seq);
            w.putWord(1, f);
            w.publish(ControlWord.of(MSG, f, f == frames - 1, 0));
        }
        b.endMessage(whenSent);
    }

    @Test
    void framesGoStraightToTheChannelWhileThereIsRoomAndQueueAfter() {
        ChannelPair pair = LoopbackChannel.open(4);
        var b = new Binding(pair.left());
        var sent = new ArrayList<Long>();

        send(b, 1, 3, () -> sent.add(1L));
        assertThat(sent).containsExactly(1L);
        assertThat(b.queuedFrames()).isZero();

        send(b, 2, 3, () -> sent.add(2L));
        assertThat(sent).as("only one frame of message 2 fitted").containsExactly(1L);
        assertThat(b.queuedFrames()).isEqualTo(2);
        assertThat(b.hasRoomFor(1)).as("nothing may overtake queued frames").isFalse();
    }

    @Property(tries = 200)
    void queuedMessagesArriveWholeInOrderAndTheirContinuationsRunInOrder(
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 9) Integer> sizes,
            @ForAll @IntRange(min = 1, max = 3) int slotsLog2,
            @ForAll @IntRange(min = 1, max = 5) int drainPerTurn) {
        ChannelPair pair = LoopbackChannel.open(1 << slotsLog2);
        var sender = new Binding(pair.left());
        var receiver = new Binding(pair.right());
        var received = new ArrayList<long[]>();
        receiver.setReceiver(frame -> received.add(new long[] {frame.word(0), frame.word(1), frame.control()}));
        var continuations = new ArrayList<Integer>();

        for (int i = 0; i < sizes.size(); i++) {
            int k = i;
            send(sender, i, sizes.get(i), () -> continuations.add(k));
        }
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        for (int turns = 0; received.size() < total && turns < 10_000; turns++) {
            receiver.poll(drainPerTurn);
            sender.flush();
        }

        assertThat(received).hasSize(total);
        int at = 0;
        for (int i = 0; i < sizes.size(); i++) {
            for (int f = 0; f < sizes.get(i); f++, at++) {
                long[] r = received.get(at);
                assertThat(r[0]).isEqualTo(i);
                assertThat(r[1]).isEqualTo(f);
                assertThat(ControlWord.isLast(r[2])).isEqualTo(f == sizes.get(i) - 1);
            }
        }
        assertThat(continuations).hasSize(sizes.size()).isSorted();
        assertThat(sender.queuedFrames()).isZero();
    }

    @Test
    void tokensAreNeverZeroAndWrap() {
        var b = new Binding(LoopbackChannel.open(2).left());
        assertThat(b.nextToken()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            assertThat(b.nextToken()).isNotZero();
        }
    }

    @Test
    void errorsGoToTheErrorHandler() {
        var b = new Binding(LoopbackChannel.open(2).left());
        var errors = new ArrayList<BindingException>();
        b.setErrorHandler(errors::add);
        b.fail(new BindingException("bad frame"));
        assertThat(errors).extracting(Throwable::getMessage).containsExactly("bad frame");
    }

    @Test
    void aClosedBindingRefusesToSend() {
        var b = new Binding(LoopbackChannel.open(2).left());
        b.close();
        assertThat(b.isOpen()).isFalse();
        assertThatThrownBy(b::claim).isInstanceOf(RpcException.class)
                .satisfies(e -> assertThat(((RpcException) e).status()).isEqualTo(RpcStatus.CLOSED));
    }
}
