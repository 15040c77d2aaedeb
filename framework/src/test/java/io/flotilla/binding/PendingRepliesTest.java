package io.flotilla.binding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class PendingRepliesTest {

    /** One step: put a token (if absent) or remove one; tokens come from a small range to force collisions. */
    record Op(boolean put, int token) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> tokens = Arbitraries.oneOf(
                Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(1, 64).map(i -> i << 16),
                Arbitraries.integers().filter(i -> i != 0));
        return Arbitraries.of(true, false).flatMap(p -> tokens.map(t -> new Op(p, t))).list().ofMaxSize(400);
    }

    @Property
    void behavesLikeAMap(@ForAll("ops") List<Op> ops) {
        var table = new PendingReplies<String>();
        var model = new HashMap<Integer, String>();
        for (Op op : ops) {
            if (op.put() && !model.containsKey(op.token())) {
                table.put(op.token(), "r" + op.token());
                model.put(op.token(), "r" + op.token());
            } else if (!op.put()) {
                assertThat(table.remove(op.token())).isEqualTo(model.remove(op.token()));
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Integer, String> e : model.entrySet()) {
            assertThat(table.remove(e.getKey())).isEqualTo(e.getValue());
        }
        assertThat(table.size()).isZero();
    }

    @Test
    void tokenZeroIsNeverAPendingCall() {
        var table = new PendingReplies<String>();
        assertThatThrownBy(() -> table.put(0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(table.remove(0)).isNull();
    }

    @Test
    void aTokenCannotBePendingTwice() {
        var table = new PendingReplies<String>();
        table.put(7, "a");
        assertThatThrownBy(() -> table.put(7, "b")).isInstanceOf(IllegalStateException.class);
    }
}
