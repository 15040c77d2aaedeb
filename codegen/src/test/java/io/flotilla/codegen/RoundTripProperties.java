package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.iface.model.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Random values of every type and shape go through encode, a loopback channel and decode unchanged. */
class RoundTripProperties {

    private static final class Compiled {
        static final GeneratedSources SOURCES = GeneratedSources.shared();
        static final Harness EVERYTHING = new Harness(SOURCES, TestInterfaces.everything());
    }

    @Property(tries = 300)
    void everyMessageRoundTrips(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int slotsLog) {
        Harness h = Compiled.EVERYTHING;
        Random r = new Random(seed);
        Harness.End[] ends = h.pair(2 << slotsLog);
        var sent = new ArrayList<Object[]>();
        var names = new ArrayList<String>();
        var continuations = new ArrayList<Integer>();
        // a burst of random messages, in both directions, then deliver everything
        for (int i = 0; i < 6; i++) {
            Message m = pick(h, r, Message.Kind.MESSAGE);
            Object[] args = h.randomArgs(m.arguments(), r);
            int k = i;
            h.send(ends[0], m, args, () -> continuations.add(k));
            sent.add(args);
            names.add(h.javaName(m));
        }
        Harness.pump(ends);
        assertThat(continuations).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Harness.Call c = ends[1].calls.get(i);
            assertThat(c.method()).isEqualTo(names.get(i));
            assertThat(Harness.sameArgs(c.args(), sent.get(i)))
                    .as("%s sent %s received %s", names.get(i), Arrays.deepToString(sent.get(i)), c).isTrue();
        }
    }

    @Property(tries = 200)
    void rpcCallsAndRepliesRoundTrip(@ForAll long seed) {
        Harness h = Compiled.EVERYTHING;
        Random r = new Random(seed);
        Harness.End[] ends = h.pair(4);
        var calls = new ArrayList<Message>();
        var ins = new ArrayList<Object[]>();
        var replies = new ArrayList<List<Harness.Call>>();
        for (int i = 0; i < 4; i++) {
            Message m = pick(h, r, Message.Kind.RPC);
            Object[] in = h.randomArgs(m.inArguments(), r);
            var rs = new ArrayList<Harness.Call>();
            h.call(ends[0], m, in, rs);
            calls.add(m);
            ins.add(in);
            replies.add(rs);
        }
        Harness.pump(ends);
        assertThat(ends[1].calls).hasSize(4);
        var outs = new ArrayList<Object[]>();
        for (int i = 0; i < 4; i++) {
            Harness.Call c = ends[1].calls.get(i);
            Object[] in = Arrays.copyOf(c.args(), c.args().length - 1);
            assertThat(Harness.sameArgs(in, ins.get(i))).as("call %s", c).isTrue();
            outs.add(h.randomArgs(calls.get(i).outArguments(), r));
        }
        // respond in a random order
        var order = new ArrayList<>(List.of(0, 1, 2, 3));
        java.util.Collections.shuffle(order, r);
        for (int i : order) {
            Harness.Call c = ends[1].calls.get(i);
            Harness.respond(c.args()[c.args().length - 1], outs.get(i));
        }
        Harness.pump(ends);
        assertThat(ends[0].errors).isEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(replies.get(i)).hasSize(1);
            assertThat(Harness.sameArgs(replies.get(i).get(0).args(), outs.get(i)))
                    .as("reply %s expected %s", replies.get(i), Arrays.deepToString(outs.get(i))).isTrue();
        }
    }

    private static Message pick(Harness h, Random r, Message.Kind kind) {
        List<Message> ms = h.iface.messages().stream().filter(m -> m.kind() == kind).toList();
        return ms.get(r.nextInt(ms.size()));
    }
}
