package io.flotilla.experiments.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ClockTickTest {

    @Test
    void aClockThatStepsByTenIsFoundAndAFineOneIsNot() {
        // the development VM's back-to-back reads: 20, 21, 30, 31, 40 ns
        long[] coarse = new long[1000];
        for (int i = 0; i < coarse.length; i++) {
            coarse[i] = (i % 3 == 0 ? 30 : 20) + (i % 20 == 0 ? 1 : 0) + (i % 97 == 0 ? 10 : 0);
        }
        assertThat(ClockTick.stepOf(coarse)).isEqualTo(10);
        long[] fine = new long[1000];
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < fine.length; i++) {
            fine[i] = 15 + random.nextInt(40);
        }
        assertThat(ClockTick.stepOf(fine)).isEqualTo(1);
    }

    @Test
    void theMedianOfDitheredReadsIsFoundWithinTheStep() {
        // round trips of a true 166 ns read with a 10 ns clock at a random phase: 160 or 170 (and a stray +1)
        Histogram h = new Histogram(1_000_000, 3);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            double phase = random.nextDouble() * 10;
            long start = (long) Math.floor(phase / 10) * 10;
            long end = (long) Math.floor((phase + 166) / 10) * 10;
            h.recordValue(end - start + (i % 25 == 0 ? 1 : 0));
        }
        assertThat(h.getValueAtPercentile(50)).isEqualTo(170); // what the plain median says
        assertThat(ClockTick.median(h, 10)).isCloseTo(166, within(1.0));
        assertThat(ClockTick.median(h, 1)).isEqualTo(170);
        assertThat(ClockTick.median(new Histogram(1000, 3), 10)).isNaN();
    }
}
