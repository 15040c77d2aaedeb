package io.flotilla.examples.replicatedkv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The ordering rule of a replica, without a kernel: writes apply in sequence order whatever order they arrive in. */
class OrderedLogTest {

    @Test
    void aWriteAheadOfItsTurnWaitsForTheGapToFill() {
        var log = new OrderedLog();
        assertThat(log.offer(2, "k", "second")).isZero();
        assertThat(log.offer(3, "j", "third")).isZero();
        assertThat(log.waiting()).isEqualTo(2);
        assertThat(log.get("k")).isNull();

        assertThat(log.offer(1, "k", "first")).isEqualTo(3);
        assertThat(log.applied()).isEqualTo(3);
        assertThat(log.waiting()).isZero();
        assertThat(log.get("k")).isEqualTo("second");
        assertThat(log.get("j")).isEqualTo("third");
    }

    @Test
    void twoArrivalOrdersGiveTheSameMapAndHistory() {
        var inOrder = new OrderedLog();
        var shuffled = new OrderedLog();
        String[][] writes = {{"a", "1"}, {"b", "2"}, {"a", "3"}, {"c", "4"}, {"b", "5"}};
        for (int i = 0; i < writes.length; i++) {
            inOrder.offer(i + 1, writes[i][0], writes[i][1]);
        }
        for (int i : new int[] {4, 2, 5, 1, 3}) {
            shuffled.offer(i, writes[i - 1][0], writes[i - 1][1]);
        }
        assertThat(shuffled.snapshot()).isEqualTo(inOrder.snapshot()).containsEntry("a", "3").containsEntry("b", "5");
        assertThat(shuffled.history()).isEqualTo(inOrder.history());
    }

    @Test
    void aDuplicateIsRefused() {
        var log = new OrderedLog();
        log.offer(1, "k", "v");
        log.offer(3, "k", "w");
        assertThatThrownBy(() -> log.offer(1, "k", "v")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> log.offer(3, "k", "w")).hasMessageContaining("write 3 delivered twice");
    }
}
