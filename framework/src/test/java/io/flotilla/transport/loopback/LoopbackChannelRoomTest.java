package io.flotilla.transport.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.ChannelPair;
import io.flotilla.frame.ControlWord;
import org.junit.jupiter.api.Test;

class LoopbackChannelRoomTest {

    @Test
    void roomReappearsOnceThePeerHasDrainedEvenIfTheRingNeverLookedFull() {
        ChannelPair pair = LoopbackChannel.open(4);
        for (int i = 0; i < 3; i++) {
            pair.left().claim().publish(ControlWord.of(ControlWord.FIRST_USER_MESSAGE, 0, true, 0));
        }
        assertThat(pair.left().writableFrames()).isEqualTo(1);

        assertThat(pair.right().poll(frame -> {}, 10)).isEqualTo(3);

        assertThat(pair.left().writableFrames()).isEqualTo(4);
    }
}
