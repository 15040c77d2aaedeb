package io.flotilla.platform.pinned;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.platform.pinned.IdleStrategy.Kind;
import org.junit.jupiter.api.Test;

class IdleStrategyTest {

    @Test
    void autoSpinsOnlyWhenPinnedWithACpuToSpare() {
        assertThat(IdleStrategy.of(Kind.AUTO, true, 2, 16).kind()).isEqualTo(Kind.SPIN);
        assertThat(IdleStrategy.of(Kind.AUTO, true, 15, 16).kind()).isEqualTo(Kind.SPIN);
        // as many cores as CPUs: nothing left for the JVM's own threads
        assertThat(IdleStrategy.of(Kind.AUTO, true, 2, 2).kind()).isEqualTo(Kind.BACKOFF);
        assertThat(IdleStrategy.of(Kind.AUTO, false, 2, 16).kind()).isEqualTo(Kind.BACKOFF);
    }

    @Test
    void aNamedStrategyIsUsedWhateverTheHost() {
        assertThat(IdleStrategy.of(Kind.SPIN, false, 4, 2).kind()).isEqualTo(Kind.SPIN);
        assertThat(IdleStrategy.of(Kind.YIELD, true, 1, 16).kind()).isEqualTo(Kind.YIELD);
        assertThat(IdleStrategy.of(Kind.BACKOFF, true, 1, 16).kind()).isEqualTo(Kind.BACKOFF);
    }

    @Test
    void namesParseInAnyCaseAndABadOneSaysWhatIsKnown() {
        assertThat(Kind.of("Spin")).isEqualTo(Kind.SPIN);
        assertThat(Kind.of("backoff")).isEqualTo(Kind.BACKOFF);
        assertThat(Kind.BACKOFF).hasToString("backoff");
        assertThatThrownBy(() -> Kind.of("nap")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no idle strategy named 'nap' (known: auto, spin, yield, backoff)");
    }

    @Test
    void spinPollsWithoutAPauseForAWhileAfterWorkThenPausesOnEveryIdleTurn() {
        IdleStrategy.Spin spin = new IdleStrategy.Spin();
        assertThat(spin.pauses(3)).isFalse();
        for (int i = 0; i < IdleStrategy.HOT_TURNS; i++) {
            assertThat(spin.pauses(0)).as("idle turn %d after work", i + 1).isFalse();
        }
        assertThat(spin.pauses(0)).isTrue();
        assertThat(spin.pauses(0)).isTrue();
        // work starts the window again
        assertThat(spin.pauses(1)).isFalse();
        assertThat(spin.pauses(0)).isFalse();
    }
}
