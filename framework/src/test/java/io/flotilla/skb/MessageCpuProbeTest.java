package io.flotilla.skb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one-thread message probe's bookkeeping (its numbers are the host's, and are not judged here). */
class MessageCpuProbeTest {

    @Test
    void everyMessageIsSentOnceInOrderAndTheCostIsTheFastestTrial() {
        long[] last = {0};
        MessageCpuProbe.Cost cost = MessageCpuProbe.time(seq -> {
            if (seq != last[0] + 1) {
                throw new AssertionError("message " + seq + " after " + last[0]);
            }
            last[0] = seq;
        }, 2.0, false, Duration.ZERO);

        // The warm-up runs in rounds of one trial's messages until it has sent WARMUP_MESSAGES; then the timed trials.
        long round = MessageCpuProbe.MESSAGES_PER_TRIAL;
        long warmup = (MessageCpuProbe.WARMUP_MESSAGES + round - 1) / round * round;
        assertThat(last[0]).isEqualTo(warmup + (long) MessageCpuProbe.TRIALS * MessageCpuProbe.MESSAGES_PER_TRIAL);
        assertThat(cost.trials()).isEqualTo(MessageCpuProbe.TRIALS);
        assertThat(cost.messagesPerTrial()).isEqualTo(MessageCpuProbe.MESSAGES_PER_TRIAL);
        assertThat(cost.cycles()).isLessThanOrEqualTo(cost.medianCycles());
        assertThat(cost.perEnd()).isEqualTo(cost.cycles() / 2);
        assertThat(cost.pinned()).isFalse();
    }

    @Test
    void theBareChannelCarriesEveryMessage() {
        MessageCpuProbe.Cost cost = MessageCpuProbe.bare(2.5, Duration.ZERO);

        assertThat(cost.cycles()).isPositive().isLessThanOrEqualTo(cost.medianCycles());
        assertThat(cost.trials()).isEqualTo(MessageCpuProbe.TRIALS);
    }

    @Test
    void aFailureOnTheProbesThreadReachesTheCaller() {
        assertThatThrownBy(() -> MessageCpuProbe.onCoreZero(pinned -> {
            throw new IllegalStateException("lost a message");
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("lost a message")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClockThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> MessageCpuProbe.time(seq -> {}, 0, false, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
