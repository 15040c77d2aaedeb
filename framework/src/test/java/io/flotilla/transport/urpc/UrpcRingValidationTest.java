package io.flotilla.transport.urpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.channel.Channel;
import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameWriter;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 4: words forged into a channel's shared memory (as another process sharing the file could write
 * them) fail the channel once, with a one-line reason, instead of being delivered, sticking the sender, or making
 * its credit negative.
 */
class UrpcRingValidationTest {

    private static final int SLOTS = 4;
    private static final long CONTROL = ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 7);

    /** A forger's view of the channel's memory: plain word stores, native order, as another process would make. */
    private static void forge(UrpcChannel end, int offset, long value) {
        end.buffer.duplicate().order(ByteOrder.nativeOrder()).putLong(offset, value);
    }

    private static long read(UrpcChannel end, int offset) {
        return end.buffer.duplicate().order(ByteOrder.nativeOrder()).getLong(offset);
    }

    private static void send(Channel channel, long value) {
        FrameWriter w = channel.claim();
        w.putWord(0, value);
        w.publish(CONTROL);
    }

    private static int slotControl(int slot) {
        return UrpcLayout.RING_AB + slot * SlotSpacing.SPREAD.bytes() + Frame.CONTROL_OFFSET;
    }

    /** The word a sender would publish in slot 0 in the first lap, with the message number replaced. */
    private static long firstLapWord(FlowControl flow, long control) {
        return control | 1L; // the first lap's epoch is 1, and the used bit is 1
    }

    /** Polls until it throws; checks it was thrown once and the end is closed for both sides afterwards. */
    private static void assertFailsOnce(ChannelPair pair, UrpcChannel failing, Runnable call, String reason) {
        List<Long> delivered = new ArrayList<>();
        assertThatThrownBy(call::run).isInstanceOf(UrpcRingException.class).hasMessageContaining(reason)
                .hasMessageContaining("urpc[").satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(failing.failure()).isNotNull().hasMessageContaining(reason);
        assertThat(failing.isOpen()).isFalse();
        assertThat(failing.poll(f -> delivered.add(f.word(0)), 10)).isZero(); // reported once; nothing more read
        assertThat(failing.writableFrames()).isZero();
        assertThat(delivered).isEmpty();
        Channel peer = pair.left() == failing ? pair.right() : pair.left();
        assertThat(peer.isOpen()).as("the peer sees the failed end closed").isFalse();
    }

    @ParameterizedTest
    @EnumSource(FlowControl.class)
    void aForgedFrameWithMessageNumberZeroIsNotDelivered(FlowControl flow) {
        ChannelPair pair = UrpcChannel.openPair(SLOTS, flow);
        UrpcChannel b = (UrpcChannel) pair.right();
        forge(b, slotControl(0), firstLapWord(flow, 0L));
        assertFailsOnce(pair, b, () -> b.poll(f -> { throw new AssertionError("delivered"); }, 1),
                "message number 0");
    }

    @ParameterizedTest
    @EnumSource(FlowControl.class)
    void aForgedFrameWithReservedTransportBitsIsNotDelivered(FlowControl flow) {
        ChannelPair pair = UrpcChannel.openPair(SLOTS, flow);
        UrpcChannel b = (UrpcChannel) pair.right();
        send(pair.left(), 1);
        long published = read(b, slotControl(0));
        assertThat(b.poll(f -> assertThat(f.word(0)).isEqualTo(1), 1)).isEqualTo(1); // the real one is fine
        forge(b, slotControl(1), published | 0x80);
        assertFailsOnce(pair, b, () -> b.poll(f -> { throw new AssertionError("delivered"); }, 1),
                "reserved transport bits");
    }

    @Test
    void anAckBeyondWhatWasSentFailsTheSender() {
        ChannelPair pair = UrpcChannel.openPair(SLOTS, FlowControl.EPOCH);
        UrpcChannel a = (UrpcChannel) pair.left();
        for (int i = 1; i <= SLOTS; i++) {
            send(a, i);
        }
        forge(a, UrpcLayout.ackAB(SLOTS, SlotSpacing.SPREAD), SLOTS + 3); // more than was sent: trusting it would overwrite unread frames
        assertFailsOnce(pair, a, a::writableFrames, "4 were sent");
    }

    @Test
    void anAckThatGoesBackwardsFailsTheSenderInsteadOfNegativeCredit() {
        ChannelPair pair = UrpcChannel.openPair(SLOTS, FlowControl.EPOCH, 1);
        UrpcChannel a = (UrpcChannel) pair.left();
        UrpcChannel b = (UrpcChannel) pair.right();
        for (int i = 1; i <= SLOTS; i++) {
            send(a, i);
        }
        assertThat(b.poll(f -> {}, SLOTS)).isEqualTo(SLOTS);
        assertThat(a.writableFrames()).isEqualTo(SLOTS); // reads ack 4
        for (int i = 1; i <= SLOTS; i++) {
            send(a, i);
        }
        forge(a, UrpcLayout.ackAB(SLOTS, SlotSpacing.SPREAD), -1L);
        assertFailsOnce(pair, a, a::writableFrames, "already acked");
    }

    @Test
    void theReceiverNoticesAForgedAckInItsOwnLine() {
        ChannelPair pair = UrpcChannel.openPair(SLOTS, FlowControl.EPOCH, 1);
        UrpcChannel b = (UrpcChannel) pair.right();
        send(pair.left(), 1);
        assertThat(b.poll(f -> {}, 1)).isEqualTo(1);
        forge(b, UrpcLayout.ackAB(SLOTS, SlotSpacing.SPREAD), 3); // the sender may reuse slots 1 and 2 before b read them
        send(pair.left(), 2);
        assertFailsOnce(pair, b, () -> b.poll(f -> {}, 1), "someone else wrote it");
    }

    @Test
    void aUsedBitSlotThatIsNeitherFreeNorUsedFailsBothSides() {
        ChannelPair pair = UrpcChannel.openPair(SLOTS, FlowControl.USED_BIT);
        UrpcChannel a = (UrpcChannel) pair.left();
        forge(a, slotControl(2), CONTROL); // bit 0 clear, yet not the receiver's 0
        assertFailsOnce(pair, a, a::writableFrames, "neither free");

        ChannelPair other = UrpcChannel.openPair(SLOTS, FlowControl.USED_BIT);
        UrpcChannel b = (UrpcChannel) other.right();
        forge(b, slotControl(0), CONTROL);
        assertFailsOnce(other, b, () -> b.poll(f -> {}, 1), "0x" + Long.toHexString(CONTROL)
                + ", which no urpc sender writes (used bit clear, yet not an empty slot's 0)");
    }
}
