package io.flotilla.frame;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ControlWordTest {

    @Property
    void everyFieldRoundTripsAndTheTransportBitsStayClear(
            @ForAll @IntRange(min = 1, max = 0xFFFF) int message,
            @ForAll @IntRange(min = 0, max = 127) int fragment,
            @ForAll boolean last,
            @ForAll int token) {
        long c = ControlWord.of(message, fragment, last, token);

        assertThat(ControlWord.message(c)).isEqualTo(message);
        assertThat(ControlWord.fragment(c)).isEqualTo(fragment);
        assertThat(ControlWord.isLast(c)).isEqualTo(last);
        assertThat(ControlWord.token(c)).isEqualTo(token);
        assertThat(ControlWord.transportBits(c)).isZero();
        assertThat(c).isNotZero();
    }

    @Property
    void transportBitsNeverDisturbTheMessageFields(@ForAll long control, @ForAll @IntRange(min = 0, max = 255) int bits) {
        long c = ControlWord.withTransportBits(control, bits);

        assertThat(ControlWord.transportBits(c)).isEqualTo(bits);
        assertThat(ControlWord.message(c)).isEqualTo(ControlWord.message(control));
        assertThat(ControlWord.fragment(c)).isEqualTo(ControlWord.fragment(control));
        assertThat(ControlWord.isLast(c)).isEqualTo(ControlWord.isLast(control));
        assertThat(ControlWord.token(c)).isEqualTo(ControlWord.token(control));
    }
}
