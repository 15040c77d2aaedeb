package io.flotilla.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

    @Test
    void popsByTimeThenByScheduleOrderAcrossGrowth() {
        EventQueue q = new EventQueue(16);
        SplittableRandom r = new SplittableRandom(9);
        List<long[]> pushed = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long t = r.nextLong(100);
            q.push(t, i, SimPlatform.TASK, null, null);
            pushed.add(new long[] {t, i});
            if (i % 3 == 0) { // interleave pops with pushes, as a run does
                q.pop();
                pushed.removeIf(e -> e[1] == q.poppedCore);
            }
        }
        long lastTime = -1;
        int lastCore = -1;
        while (q.size() > 0) {
            q.pop();
            boolean ordered = q.poppedTime > lastTime || (q.poppedTime == lastTime && q.poppedCore > lastCore);
            assertThat(ordered).as("(%d, %d) after (%d, %d)", q.poppedTime, q.poppedCore, lastTime, lastCore)
                    .isTrue();
            lastTime = q.poppedTime;
            lastCore = q.poppedCore;
        }
    }

    @Test
    void traceHashFoldDependsOnTimeCoreAndKind() {
        long h = 1;
        assertThat(SimPlatform.fold(h, 10, 1, 1)).isNotEqualTo(SimPlatform.fold(h, 11, 1, 1))
                .isNotEqualTo(SimPlatform.fold(h, 10, 2, 1)).isNotEqualTo(SimPlatform.fold(h, 10, 1, 2));
    }
}
