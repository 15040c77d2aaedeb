package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameWriter;
import io.flotilla.transport.loopback.LoopbackChannel;
import io.flotilla.transport.lrpc.LrpcChannel;
import io.flotilla.transport.urpc.FlowControl;
import io.flotilla.transport.urpc.UrpcChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bulk frame calls of each shipped transport that overrides them (and of the word-by-word defaults) mean what
 * the single-word calls mean: the same words and control word arrive, words past the count read as zero even in a
 * slot an earlier, fuller frame used, a bad count or destination is refused before anything is published.
 */
class BulkFrameCallsTest {

    static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0);

    static Stream<Arguments> transports() {
        return Stream.of(
                Arguments.of("word-by-word", (Supplier<ChannelPair>) () ->
                        BulkFrameProperties.WordByWordChannel.wrap(LoopbackChannel.open(4))),
                Arguments.of("loopback", (Supplier<ChannelPair>) () -> LoopbackChannel.open(4)),
                Arguments.of("lrpc", (Supplier<ChannelPair>) () -> LrpcChannel.open(4)),
                Arguments.of("urpc-epoch", (Supplier<ChannelPair>) () -> UrpcChannel.openPair(4, FlowControl.EPOCH)),
                Arguments.of("urpc-used-bit",
                        (Supplier<ChannelPair>) () -> UrpcChannel.openPair(4, FlowControl.USED_BIT)));
    }

    /** Receives one frame both ways: {@code read} into the middle of an array, and word by word. */
    private static long[][] receive(Channel rx) {
        List<long[][]> got = new ArrayList<>();
        int n = rx.poll(frame -> {
            long[] bulk = new long[12];
            long control = frame.read(bulk, 3);
            long[] single = new long[8];
            for (int i = 0; i < 7; i++) {
                single[i] = frame.word(i);
            }
            single[7] = frame.control();
            long[] viaRead = new long[8];
            System.arraycopy(bulk, 3, viaRead, 0, 7);
            viaRead[7] = control;
            got.add(new long[][] {viaRead, single});
        }, 1);
        assertThat(n).isEqualTo(1);
        assertThat(got.get(0)[0]).as("read(dst, offset) and word(i)/control()").isEqualTo(got.get(0)[1]);
        return got.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void bulkCallsCarryTheSameFrameAsSingleWordCalls(String name, Supplier<ChannelPair> open) {
        ChannelPair p = open.get();
        Channel tx = p.left();
        Channel rx = p.right();
        long[] words = {-1, -2, 10, 11, 12, 13, 14, 15, 16, -3};
        // Every slot of the ring gets a full frame first, so that the short frames after land on used slots.
        for (int round = 0; round < 2; round++) {
            for (int slot = 0; slot < 4; slot++) {
                if (round == 0) {
                    tx.claim().publish(CONTROL, words, 2, 7);
                    assertThat(receive(rx)[0]).containsExactly(10, 11, 12, 13, 14, 15, 16, CONTROL);
                } else {
                    // a short bulk frame after a word written singly: words past the count stay as putWord left them
                    FrameWriter w = tx.claim();
                    w.putWord(5, 99);
                    w.publish(CONTROL, words, 2, 2);
                    assertThat(receive(rx)[0]).containsExactly(10, 11, 0, 0, 0, 99, 0, CONTROL);
                }
            }
        }
        tx.claim().publish(CONTROL, words, 0, 0);
        assertThat(receive(rx)[0]).containsExactly(0, 0, 0, 0, 0, 0, 0, CONTROL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void badCountsAndDestinationsAreRefused(String name, Supplier<ChannelPair> open) {
        ChannelPair p = open.get();
        Channel tx = p.left();
        Channel rx = p.right();
        long[] words = new long[7];
        FrameWriter w = tx.claim();
        assertThatThrownBy(() -> w.publish(CONTROL, words, 0, 8)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("payload words 0..8");
        assertThatThrownBy(() -> w.publish(CONTROL, words, 1, 7)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> w.publish(CONTROL, words, -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> w.publish(CONTROL, words, 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(rx.poll(frame -> { }, 1)).as("nothing published").isZero();
        w.publish(CONTROL, words, 0, 7); // the slot is still claimed and usable
        List<Throwable> refused = new ArrayList<>();
        rx.poll(frame -> {
            for (int offset : new int[] {-1, 1}) {
                try {
                    frame.read(new long[7], offset);
                } catch (IndexOutOfBoundsException e) {
                    refused.add(e);
                }
            }
        }, 1);
        assertThat(refused).hasSize(2);
        assertThat(refused.get(1)).hasMessageContaining("no room for a frame's 7 payload words at 1");
        assertThatThrownBy(() -> w.publish(CONTROL, words, 0, 1)).as("publish after the frame was published")
                .isInstanceOf(IllegalStateException.class);
    }

}
