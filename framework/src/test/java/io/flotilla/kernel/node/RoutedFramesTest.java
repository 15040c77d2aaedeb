package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameReader;
import io.flotilla.frame.FrameWriter;
import io.flotilla.kernel.InternodeRoute;
import io.flotilla.kernel.intermon.IntermonCodec;
import io.flotilla.kernel.node.membership.MembershipCodec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The pieces a routed message passes through: the sender that frames it, the check that reads it, the inbox. */
class RoutedFramesTest {

    private static void write(FrameWriterSource channel, int message, int frames) {
        for (int f = 0; f < frames; f++) {
            FrameWriter w = channel.claim();
            w.putWord(0, message * 100L + f);
            w.publish(ControlWord.of(message, f, f == frames - 1, 0));
        }
    }

    interface FrameWriterSource {
        FrameWriter claim();
    }

    @Property(tries = 50)
    void aMessageLeavesAsOneUnitBehindItsRouteAndTheCheckTakesItWhole(@ForAll @IntRange(min = 1, max = 64) int n) {
        List<long[]> units = new ArrayList<>();
        RoutedSender sender = new RoutedSender(3, 5, units::add);
        write(sender::claim, 9, n);
        assertThat(units).hasSize(1);
        long[] unit = units.get(0);
        assertThat(unit).hasSize((n + 1) * Frame.WORDS);
        assertThat(sender.writableFrames()).isEqualTo(InternodeRoute.MAX_FRAMES);

        RouteCheck check = new RouteCheck(8, (from, to) -> null);
        ArrayFrames view = new ArrayFrames(unit, 0);
        assertThat(check.wanted()).isEqualTo(1);
        check.onFrame(view.at(0));
        assertThat(check.from()).isEqualTo(3);
        assertThat(check.to()).isEqualTo(5);
        assertThat(check.wanted()).isEqualTo(n);
        for (int f = 1; f <= n; f++) {
            assertThat(check.complete()).isFalse();
            check.onFrame(view.at(f));
        }
        assertThat(check.complete()).isTrue();
        assertThat(check.unitFrames()).isEqualTo(n + 1);
        FrameReader last = check.at(n);
        assertThat(last.word(0)).isEqualTo(900L + n - 1);
        assertThat(ControlWord.isLast(last.control())).isTrue();
    }

    @Test
    void aMessageLongerThanARouteAllowsIsRefusedBySenderAndItsWritableFramesSaySo() {
        RoutedSender sender = new RoutedSender(0, 1, unit -> { });
        for (int f = 0; f < InternodeRoute.MAX_FRAMES; f++) {
            assertThat(sender.writableFrames()).isEqualTo(InternodeRoute.MAX_FRAMES - f);
            sender.claim().publish(ControlWord.of(4, f, false, 0));
        }
        assertThat(sender.writableFrames()).isZero();
        assertThatThrownBy(sender::claim).isInstanceOf(IllegalStateException.class).hasMessageContaining("64");
    }

    @Test
    void theLargestMessageOfEveryKernelInterfaceFitsOneRoute() {
        String name = "n".repeat(254);
        String reason = "r".repeat(1023);
        int intermon = Math.max(IntermonCodec.framesSwapDone(1, 1, 1, true, 1, true, true, reason),
                Math.max(IntermonCodec.framesBindReply(1, 1, true, reason), IntermonCodec.framesCoresLost(0, 1, reason)));
        intermon = Math.max(intermon, IntermonCodec.framesSwapNet(1, 1, 1, 1, true, name, (short) 1, 1));
        int membership = Math.max(MembershipCodec.framesLeave("l".repeat(1024)),
                MembershipCodec.framesHello((short) 1, (short) 2, 0, 1, 1, "t".repeat(255), "h".repeat(255),
                        "i".repeat(255)));
        assertThat(intermon).isLessThanOrEqualTo(InternodeRoute.MAX_FRAMES);
        assertThat(membership).isLessThanOrEqualTo(InternodeRoute.MAX_FRAMES);
    }

    @Test
    void anInboxSaysWhenItsCoreHasConsumedEverythingAndPolledAgain() {
        CoreInbox inbox = new CoreInbox(2);
        assertThat(inbox.drained()).isTrue();
        long[] unit = new long[2 * Frame.WORDS];
        new ArrayFrames(unit, 0).publish(ControlWord.of(InternodeRoute.MESSAGE, 0, true, 0));
        new ArrayFrames(unit, 1).publish(ControlWord.of(5, 0, true, 0));
        inbox.post(unit);
        assertThat(inbox.drained()).isFalse();
        long before = inbox.polls();
        List<Long> seen = new ArrayList<>();
        assertThat(inbox.channel().poll(f -> seen.add(f.control()), 64)).isEqualTo(2);
        assertThat(seen).containsExactly(unit[Frame.PAYLOAD_WORDS], unit[Frame.WORDS + Frame.PAYLOAD_WORDS]);
        assertThat(inbox.drained()).isTrue();
        assertThat(inbox.polls()).isEqualTo(before + 1);
        assertThat(inbox.channel().writableFrames()).as("receive-only").isZero();
    }

    @Test
    void aFullInboxKeepsTheNodesOwnMessagesInOrderAndRefusesRoutedOnesUntilThereIsRoom() {
        CoreInbox inbox = new CoreInbox(0);
        long[] big = new long[100 * Frame.WORDS];
        for (int f = 0; f < 100; f++) {
            new ArrayFrames(big, f).publish(ControlWord.of(6, f, f == 99, 0));
        }
        inbox.post(big);
        inbox.post(big);
        inbox.post(big); // 300 frames: the third waits
        assertThat(inbox.hasRoomFor(1)).isFalse();
        int[] got = new int[1];
        inbox.channel().poll(f -> got[0]++, 1000);
        assertThat(got[0]).isEqualTo(200);
        assertThat(inbox.flush()).isEqualTo(1);
        inbox.channel().poll(f -> got[0]++, 1000);
        assertThat(got[0]).isEqualTo(300);
        assertThat(inbox.hasRoomFor(CoreInbox.SLOTS)).isTrue();
    }
}
