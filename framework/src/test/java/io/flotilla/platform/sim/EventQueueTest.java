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
    void signalsKeepTheirNumbersAcrossGrowthAndAmongTasks() {
        EventQueue q = new EventQueue(16);
        Object owner = new Object();
        for (int i = 0; i < 40; i++) { // more than the first arrays hold, pushed latest first
            long t = 100 - i;
            if (i % 2 == 0) {
                q.pushSignal(t, i, SimPlatform.INTERRUPT, 1000 + i, i % 256, -7L * i);
            } else {
                q.push(t, i, SimPlatform.TASK, owner, null);
            }
        }
        for (int i = 39; i >= 0; i--) {
            q.pop();
            assertThat(q.poppedCore).isEqualTo(i);
            if (i % 2 == 0) {
                assertThat(q.poppedKind).isEqualTo(SimPlatform.INTERRUPT);
                assertThat(q.poppedSource()).isEqualTo(1000 + i);
                assertThat(q.poppedVector()).isEqualTo(i % 256);
                assertThat(q.poppedWord()).isEqualTo(-7L * i);
                assertThat(q.poppedA).isNull();
            } else {
                assertThat(q.poppedA).isSameAs(owner);
            }
        }
    }

    @Test
    void traceHashFoldDependsOnTimeCoreAndKind() {
        long h = 1;
        assertThat(SimPlatform.fold(h, 10, 1, 1)).isNotEqualTo(SimPlatform.fold(h, 11, 1, 1))
                .isNotEqualTo(SimPlatform.fold(h, 10, 2, 1)).isNotEqualTo(SimPlatform.fold(h, 10, 1, 2));
    }
}
