package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.channel.ChannelOptions;
import io.flotilla.channel.ChannelPair;
import io.flotilla.channel.Endpoint;
import io.flotilla.channel.TransportRegistry;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.frame.ControlWord;
import io.flotilla.frame.FrameReader;
import io.flotilla.transport.lrpc.LrpcChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Generated stubs and decoders over lrpc, where messages of several frames travel as one frame carrying the message
 * object: the handler must see exactly what marshalling would have given it, whatever the binding does meanwhile
 * (queueing on a full channel, swapping to a transport that cannot pass objects and back).
 */
class LrpcPassThroughTest {

    private static final class Compiled {
        static final GeneratedSources SOURCES = GeneratedSources.shared();
        static final Harness EVERYTHING = new Harness(SOURCES, TestInterfaces.everything());
        static final Harness SEQUENCED = new Harness(SOURCES, TestInterfaces.sequenced());
        static final Harness CARRIER_NAMES = new Harness(SOURCES, TestInterfaces.carrierNames());
    }

    private static Message message(Harness h, String name) {
        return h.iface.messages().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Property(tries = 200)
    void everyMessageRoundTripsOverLrpc(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3) int slotsLog) {
        Harness h = Compiled.EVERYTHING;
        Random r = new Random(seed);
        Harness.End[] ends = h.pair(LrpcChannel.open(2 << slotsLog));
        List<Message> messages = h.iface.messages().stream().filter(m -> m.kind() == Message.Kind.MESSAGE).toList();
        var sent = new ArrayList<Object[]>();
        var names = new ArrayList<String>();
        var continuations = new ArrayList<Integer>();
        for (int i = 0; i < 8; i++) {
            Message m = messages.get(r.nextInt(messages.size()));
            Object[] args = h.randomArgs(m.arguments(), r);
            Object[] kept = deepCopy(args);
            int k = i;
            h.send(ends[0], m, args, () -> continuations.add(k));
            scribble(args); // the sender reuses its arrays at once: the receiver must not notice
            sent.add(kept);
            names.add(h.javaName(m));
        }
        Harness.pump(ends);
        assertThat(continuations).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Harness.Call c = ends[1].calls.get(i);
            assertThat(c.method()).isEqualTo(names.get(i));
            assertThat(Harness.sameArgs(c.args(), sent.get(i)))
                    .as("%s sent %s received %s", names.get(i), Arrays.deepToString(sent.get(i)), c).isTrue();
        }
    }

    @Property(tries = 100)
    void rpcsRoundTripOverLrpc(@ForAll long seed) {
        Harness h = Compiled.EVERYTHING;
        Random r = new Random(seed);
        Harness.End[] ends = h.pair(LrpcChannel.open(4));
        List<Message> rpcs = h.iface.messages().stream().filter(m -> m.kind() == Message.Kind.RPC).toList();
        var calls = new ArrayList<Message>();
        var ins = new ArrayList<Object[]>();
        var replies = new ArrayList<List<Harness.Call>>();
        for (int i = 0; i < 4; i++) {
            Message m = rpcs.get(r.nextInt(rpcs.size()));
            Object[] in = h.randomArgs(m.inArguments(), r);
            var rs = new ArrayList<Harness.Call>();
            h.call(ends[0], m, in, rs);
            calls.add(m);
            ins.add(in);
            replies.add(rs);
        }
        Harness.pump(ends);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(4);
        var outs = new ArrayList<Object[]>();
        for (int i = 0; i < 4; i++) {
            Harness.Call c = ends[1].calls.get(i);
            assertThat(Harness.sameArgs(Arrays.copyOf(c.args(), c.args().length - 1), ins.get(i))).as("call %s", c)
                    .isTrue();
            Object[] out = h.randomArgs(calls.get(i).outArguments(), r);
            outs.add(deepCopy(out));
            Harness.respond(c.args()[c.args().length - 1], out);
            scribble(out);
        }
        Harness.pump(ends);
        assertThat(ends[0].errors).isEmpty();
        for (int i = 0; i < 4; i++) {
            assertThat(replies.get(i)).hasSize(1);
            assertThat(Harness.sameArgs(replies.get(i).get(0).args(), outs.get(i)))
                    .as("reply %s expected %s", replies.get(i), Arrays.deepToString(outs.get(i))).isTrue();
        }
    }

    /** Generated carriers do not clash with the interface's own names (it compiled) and still deliver. */
    @Test
    void carriersNamedLikeTheInterfaceAndItsLocalsWork() {
        Harness h = Compiled.CARRIER_NAMES;
        ChannelPair p = LrpcChannel.open(4);
        Harness.End[] ends = h.pair(p);
        byte[] attached = bytes(3, 50);
        h.send(ends[0], message(h, "say"), new Object[] {text(1, 99), attached});
        assertThat(p.left().writableFrames()).as("passed as one frame").isEqualTo(3);
        var replies = new ArrayList<Harness.Call>();
        h.call(ends[0], message(h, "echo"), new Object[] {text(2, 59), new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9}},
                replies);
        Harness.pump(ends);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(2);
        assertThat(ends[1].calls.get(0).args()[0]).isEqualTo(text(1, 99));
        assertThat((byte[]) ends[1].calls.get(0).args()[1]).isEqualTo(attached).isNotSameAs(attached);
        Object[] call = ends[1].calls.get(1).args();
        assertThat(call[0]).isEqualTo(text(2, 59));
        assertThat((long[]) call[1]).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        boolean[] flags = new boolean[80];
        flags[79] = true;
        Harness.respond(call[2], new Object[] {text(4, 69), flags});
        Harness.pump(ends);
        assertThat(ends[0].errors).isEmpty();
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).args()[0]).isEqualTo(text(4, 69));
        assertThat((boolean[]) replies.get(0).args()[1]).isEqualTo(flags).isNotSameAs(flags);
    }

    /** A long message takes one lrpc slot, not the dozens its frames would; a short one stays one frame. */
    @Test
    void aLongMessageTakesOneSlotAndArrivesAsItsOwnCopy() {
        Harness h = Compiled.EVERYTHING;
        ChannelPair p = LrpcChannel.open(4);
        Harness.End[] ends = h.pair(p);
        byte[] data = new byte[10_000];
        Arrays.fill(data, (byte) 7);
        String text = "x".repeat(1999);
        h.send(ends[0], message(h, "bulk"), new Object[] {data, text, 42L});
        assertThat(p.left().writableFrames()).as("slots taken by 'bulk'").isEqualTo(3);
        assertThat(ends[0].binding.queuedFrames()).isZero();
        h.send(ends[0], message(h, "str"), new Object[] {"short"});
        assertThat(p.left().writableFrames()).as("a one-frame message is one frame either way").isEqualTo(2);
        data[0] = 99; // after the send, before the receiver runs
        Harness.pump(ends);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(2);
        byte[] got = (byte[]) ends[1].calls.get(0).args()[0];
        assertThat(got).isNotSameAs(data).hasSize(10_000).containsOnly((byte) 7);
        assertThat(ends[1].calls.get(0).args()[1]).isEqualTo(text);
        assertThat(ends[1].calls.get(0).args()[2]).isEqualTo(42L);
        assertThat(ends[1].calls.get(1).args()).containsExactly("short");
    }

    /** A frame whose object is not the message's carrier, or a message that is never passed, is a protocol error. */
    @Test
    void refusesObjectsTheMessageCannotBePassedAs() throws ReflectiveOperationException {
        Harness h = Compiled.SEQUENCED;
        Harness.End[] ends = h.pair(LrpcChannel.open(4));
        int tick = h.holder.getField("TICK").getInt(null);
        int line = h.holder.getField("LINE").getInt(null);
        for (int number : new int[] {tick, line}) { // tick is never passed; line's carrier is not a String
            ends[1].binding.deliver(new FrameReader() {
                @Override
                public long control() {
                    return ControlWord.of(number, 0, true, 0);
                }

                @Override
                public long word(int index) {
                    return 0;
                }

                @Override
                public Object attachment() {
                    return "not a carrier";
                }
            });
        }
        assertThat(ends[1].calls).isEmpty();
        assertThat(ends[1].errors).hasSize(2);
        assertThat(ends[1].errors.get(0)).hasMessageContaining("tick").hasMessageContaining("java.lang.String");
        assertThat(ends[1].errors.get(1)).hasMessageContaining("line").hasMessageContaining("java.lang.String");
        // the decoder is not left half-way: a proper message still gets through
        h.send(ends[0], message(h, "line"), new Object[] {7, text(7, 100)});
        Harness.pump(ends);
        assertThat(ends[1].calls).hasSize(1);
        assertThat(ends[1].calls.get(0).args()).containsExactly(7, text(7, 100));
    }

    /**
     * On a full channel the binding queues: those messages go by frames, behind the ones already passed, and
     * the next pass-through waits until the queue has drained, so the order holds.
     */
    @Test
    void messagesQueuedOnAFullChannelAreMarshalledAndKeepTheirOrder() {
        Harness h = Compiled.SEQUENCED;
        ChannelPair p = LrpcChannel.open(2);
        Harness.End[] ends = h.pair(p);
        Message line = message(h, "line");
        for (int seq = 0; seq < 40; seq++) {
            h.send(ends[0], line, new Object[] {seq, text(seq, 200)});
        }
        // Two passed through, one slot each; the other 38 queued as frames: the fixed part (seq) in one frame, then
        // the length word and 25 words of text in 4 frames of 7 words.
        assertThat(p.left().writableFrames()).isZero();
        assertThat(ends[0].binding.queuedFrames()).isEqualTo(38 * 5);
        Harness.pump(ends);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls).hasSize(40);
        for (int seq = 0; seq < 40; seq++) {
            assertThat(ends[1].calls.get(seq).args()).containsExactly(seq, text(seq, 200));
        }
    }

    /**
     * 10^5 numbered messages of every size each way, plus rpcs, while the binding moves lrpc -> urpc -> lrpc, each
     * end swapping at its own moment with plenty in flight and queued: every message arrives once, in order, with
     * its own contents.
     */
    @Test
    @Timeout(120)
    void survivesSwapsLrpcUrpcLrpcWithTrafficInFlight() {
        Harness h = Compiled.SEQUENCED;
        TransportRegistry registry = TransportRegistry.discover();
        Harness.End[] ends = h.pair(LrpcChannel.open(16));
        ChannelPair urpc = registry.get("urpc").open(Endpoint.local(0), Endpoint.local(1),
                ChannelOptions.DEFAULT.withSlots(16));
        ChannelPair lrpc = LrpcChannel.open(8);
        Message tick = message(h, "tick");
        Message line = message(h, "line");
        Message blob = message(h, "blob");
        Message echo = message(h, "echo");
        Random r = new Random(5);
        int total = 100_000;
        int[] sent = new int[2];
        Checker[] checkers = {new Checker(), new Checker()}; // checkers[i] checks what end i receives
        var replies = new ArrayList<Harness.Call>();
        int[] echoesSent = {0};
        int[] echoesChecked = {0};
        int step = 0;
        while (sent[0] < total || sent[1] < total) {
            for (int side = 0; side < 2; side++) {
                int burst = r.nextInt(24);
                for (int k = 0; k < burst && sent[side] < total; k++) {
                    int seq = sent[side]++;
                    switch (seq % 4) {
                        case 0 -> h.send(ends[side], tick, new Object[] {seq});
                        case 1 -> h.send(ends[side], line, new Object[] {seq, text(seq, seq % 300)});
                        case 2 -> {
                            byte[] data = bytes(seq, seq % 601);
                            h.send(ends[side], blob, new Object[] {seq, data});
                            Arrays.fill(data, (byte) -1);
                        }
                        default -> {
                            if (side == 0) {
                                h.call(ends[0], echo, new Object[] {seq, ints(seq, seq % 41)}, replies);
                                echoesSent[0]++;
                            } else {
                                h.send(ends[side], tick, new Object[] {seq});
                            }
                        }
                    }
                }
            }
            // each end swaps at its own moment, well apart, with messages queued and in the channels
            if (step == 200) {
                ends[0].binding.swap(urpc.left());
            } else if (step == 230) {
                ends[1].binding.swap(urpc.right());
            } else if (step == 500) {
                ends[1].binding.swap(lrpc.right());
            } else if (step == 517) {
                ends[0].binding.swap(lrpc.left());
            }
            step++;
            for (int side = 0; side < 2; side++) {
                ends[side].binding.poll(r.nextInt(40));
                checkers[side].take(ends[side]);
            }
            replies.forEach(c -> checkReply(c, echoesChecked));
            replies.clear();
        }
        for (int rounds = 0; rounds < 1000; rounds++) {
            Harness.pump(ends);
            checkers[0].take(ends[0]);
            checkers[1].take(ends[1]);
            replies.forEach(c -> checkReply(c, echoesChecked));
            replies.clear();
        }
        assertThat(ends[0].errors).isEmpty();
        assertThat(ends[1].errors).isEmpty();
        assertThat(step).as("swaps happened mid-stream").isGreaterThan(517);
        assertThat(ends[0].binding.generation()).isEqualTo(2);
        assertThat(ends[0].binding.liveChannels()).isEqualTo(1);
        assertThat(checkers[1].next).isEqualTo(total);
        assertThat(checkers[0].next).isEqualTo(total);
        assertThat(echoesChecked[0]).isEqualTo(echoesSent[0]);
    }

    /** Checks the numbered stream one end receives, answering echo calls at once. */
    private static final class Checker {
        int next;

        void take(Harness.End end) {
            for (Harness.Call c : end.calls) {
                int seq = (int) c.args()[0];
                assertThat(seq).as("sequence after %s", next - 1).isEqualTo(next);
                next++;
                switch (c.method()) {
                    case "tick" -> assertThat(seq % 4 == 0 || seq % 4 == 3).isTrue();
                    case "line" -> assertThat(c.args()[1]).isEqualTo(text(seq, seq % 300));
                    case "blob" -> assertThat((byte[]) c.args()[1]).isEqualTo(bytes(seq, seq % 601));
                    case "echo" -> {
                        assertThat((int[]) c.args()[1]).isEqualTo(ints(seq, seq % 41));
                        Harness.respond(c.args()[2], new Object[] {seq, text(seq, seq % 100)});
                    }
                    default -> throw new AssertionError("unexpected " + c);
                }
            }
            end.calls.clear();
        }
    }

    private static void checkReply(Harness.Call c, int[] checked) {
        int seq = (int) c.args()[0];
        assertThat(c.args()[1]).isEqualTo(text(seq, seq % 100));
        checked[0]++;
    }

    static String text(int seq, int length) {
        var sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + (seq + i) % 26));
        }
        return sb.toString();
    }

    static byte[] bytes(int seq, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    static int[] ints(int seq, int length) {
        int[] a = new int[length];
        for (int i = 0; i < length; i++) {
            a[i] = seq * 1_000 + i;
        }
        return a;
    }

    /** A copy of an argument list with every primitive array copied (other values are immutable). */
    private static Object[] deepCopy(Object[] args) {
        Object[] out = args.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = copyArray(out[i]);
        }
        return out;
    }

    private static Object copyArray(Object o) {
        if (o instanceof byte[] a) {
            return a.clone();
        } else if (o instanceof short[] a) {
            return a.clone();
        } else if (o instanceof int[] a) {
            return a.clone();
        } else if (o instanceof long[] a) {
            return a.clone();
        } else if (o instanceof boolean[] a) {
            return a.clone();
        }
        return o;
    }

    /** Overwrites every primitive array argument, as a sender reusing its buffers would. */
    private static void scribble(Object[] args) {
        for (Object o : args) {
            if (o instanceof byte[] a) {
                Arrays.fill(a, (byte) 0x5A);
            } else if (o instanceof short[] a) {
                Arrays.fill(a, (short) 0x5A5A);
            } else if (o instanceof int[] a) {
                Arrays.fill(a, 0x5A5A5A5A);
            } else if (o instanceof long[] a) {
                Arrays.fill(a, 0x5A5A5A5A5A5A5A5AL);
            } else if (o instanceof boolean[] a) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = !a[i];
                }
            }
        }
    }
}
