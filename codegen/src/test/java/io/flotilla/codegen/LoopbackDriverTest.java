package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Drives the generated API directly, as a user would, through driver classes compiled together with the generated
 * sources (so the test reads like user code and the compiler checks the API shape).
 */
class LoopbackDriverTest {

    private static GeneratedSources sources;

    @BeforeAll
    static void compile() {
        sources = GeneratedSources.shared();
    }

    private static void run(String driver, String method) throws Exception {
        Class<?> c = sources.load(driver);
        try {
            var m = c.getDeclaredMethod(method);
            m.setAccessible(true);
            m.invoke(null);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }

    @Test
    void messagesFlowBothWaysAndQueuedSendsKeepOrder() throws Exception {
        run("PingPongDriver", "pingPongOverTwoSlots");
    }

    @Test
    void rpcRepliesMatchTokensEvenOutOfOrder() throws Exception {
        run("PingPongDriver", "rpcOutOfOrder");
    }

    @Test
    void trySendHasNoEffectWhenTheChannelIsFull() throws Exception {
        run("PingPongDriver", "tryWhenFull");
    }

    @Test
    void unhandledMessagesAndUnknownTokensGoToTheErrorHandler() throws Exception {
        run("PingPongDriver", "unhandledAndUnknownToken");
    }

    @Test
    void handlerExceptionsPropagateButLeaveTheDecoderConsistent() throws Exception {
        run("PingPongDriver", "handlerExceptionsLeaveTheDecoderConsistent");
    }

    @Test
    void aResponderSendsOnceEvenWhenAskedAgainFromItsContinuation() throws Exception {
        run("PingPongDriver", "responderMayBeUsedFromItsOwnContinuation");
    }

    @Test
    void fixedSizeSendAndReceiveAllocateNothing() throws Exception {
        run("PingPongDriver", "noAllocation");
    }

    @Test
    void capabilitiesTravelOutOfBand() throws Exception {
        run("EverythingDriver", "caps");
    }

    @Test
    void maximumSizeStringsAndArraysAndMultiFrameMessages() throws Exception {
        run("EverythingDriver", "maxSizes");
    }

    @Test
    void badArgumentsAreRejectedBeforeAnythingIsWritten() throws Exception {
        run("EverythingDriver", "rejects");
    }

    @Test
    void multiFrameAndBoolMessagesAllocateNothing() throws Exception {
        run("EverythingDriver", "noAllocationForMultiFrameAndBoolMessages");
    }

    @Test
    void structsEnumsArraysAndRpcWithStrings() throws Exception {
        run("EverythingDriver", "typedAndRpc");
    }

    @Test
    void descriptorHasNumbersAndAStableFingerprint() {
        Class<?> holder = sources.load("PingPong");
        assertThat(sources.source("PingPong")).contains("public static final int PING = 3;",
                "public static final int PONG = 4;", "public static final int ADD_CALL = 5;",
                "public static final int ADD_RESPONSE = 6;", "public static final int NOTHING = 7;");
        assertThat(holder).isFinal();
        // Generating again gives the same fingerprint; a change of the wire format gives another.
        String again = new JavaStubGenerator("x").generate(TestInterfaces.pingPong()).files().get(0).toString();
        String fp = again.replaceAll("(?s).*(0x[0-9a-f]+L).*", "$1");
        assertThat(sources.source("PingPong")).contains(fp);
        var changed = IfaceBuilder.iface("ping_pong").message("ping", "uint64 seq").message("pong", "uint32 seq")
                .rpc("add", "in int32 a", "in int32 b", "out int32 sum").message("nothing").build();
        String other = new JavaStubGenerator("x").generate(changed).files().get(0).toString();
        assertThat(other).doesNotContain(fp);
    }

    static final String PING_PONG_DRIVER = """
            package gen.test;

            import static org.assertj.core.api.Assertions.assertThat;
            import static org.assertj.core.api.Assertions.assertThatThrownBy;

            import io.flotilla.binding.Binding;
            import io.flotilla.binding.BindingException;
            import io.flotilla.channel.ChannelPair;
            import io.flotilla.frame.ControlWord;
            import io.flotilla.frame.FrameReader;
            import io.flotilla.transport.loopback.LoopbackChannel;
            import java.util.ArrayList;
            import java.util.List;

            final class PingPongDriver {
                private PingPongDriver() {}

                static void pump(Binding... bs) {
                    for (int rounds = 0; rounds < 10_000; rounds++) {
                        int n = 0;
                        int queued = 0;
                        for (Binding b : bs) {
                            n += b.poll(64);
                            queued += b.queuedFrames();
                        }
                        if (n == 0 && queued == 0) {
                            return;
                        }
                    }
                    throw new AssertionError("no quiescence");
                }

                /** An end whose handler answers ping with pong and records pongs. */
                static final class Peer implements PingPongHandler {
                    final Binding binding;
                    PingPongStub stub;
                    final List<Integer> pongs = new ArrayList<>();
                    final List<PingPong.AddResponder> calls = new ArrayList<>();
                    final List<Integer> callArgs = new ArrayList<>();
                    final List<BindingException> errors = new ArrayList<>();
                    int nothings;

                    Peer(Binding binding) {
                        this.binding = binding;
                        binding.setErrorHandler(errors::add);
                        this.stub = PingPong.bind(binding, this);
                    }

                    @Override
                    public void ping(int seq) {
                        stub.pong(seq);
                    }

                    @Override
                    public void pong(int seq) {
                        pongs.add(seq);
                    }

                    @Override
                    public void add(int a, int b, PingPong.AddResponder responder) {
                        calls.add(responder);
                        callArgs.add(a + b);
                    }

                    @Override
                    public void nothing() {
                        nothings++;
                    }
                }

                static void pingPongOverTwoSlots() {
                    ChannelPair pair = LoopbackChannel.open(2);
                    Peer a = new Peer(new Binding(pair.left()));
                    Peer b = new Peer(new Binding(pair.right()));
                    List<Integer> sent = new ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        int k = i;
                        a.stub.ping(i, () -> sent.add(k));
                    }
                    // two went straight into the channel, the rest are queued in the binding
                    assertThat(sent).containsExactly(0, 1);
                    assertThat(a.binding.queuedFrames()).isEqualTo(4);
                    a.stub.nothing();
                    b.stub.nothing();
                    pump(a.binding, b.binding);
                    assertThat(sent).containsExactly(0, 1, 2, 3, 4, 5);
                    assertThat(a.pongs).containsExactly(0, 1, 2, 3, 4, 5);
                    assertThat(a.nothings).isEqualTo(1);
                    assertThat(b.nothings).isEqualTo(1);
                    assertThat(a.errors).isEmpty();
                    assertThat(b.errors).isEmpty();
                }

                static void rpcOutOfOrder() {
                    ChannelPair pair = LoopbackChannel.open(4);
                    Peer a = new Peer(new Binding(pair.left()));
                    Peer b = new Peer(new Binding(pair.right()));
                    List<String> replies = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        int k = i;
                        a.stub.add(i, 100, sum -> replies.add(k + "=" + sum));
                    }
                    pump(a.binding, b.binding);
                    assertThat(b.calls).hasSize(5);
                    assertThat(a.stub.addReplies.size()).isEqualTo(5);
                    // answer in the order 3, 0, 4, 1, 2
                    for (int i : new int[] {3, 0, 4, 1, 2}) {
                        b.calls.get(i).send(b.callArgs.get(i));
                    }
                    assertThatThrownBy(() -> b.calls.get(0).send(0)).isInstanceOf(IllegalStateException.class);
                    pump(a.binding, b.binding);
                    assertThat(replies).containsExactly("3=103", "0=100", "4=104", "1=101", "2=102");
                    assertThat(a.stub.addReplies.size()).isZero();
                    assertThat(a.errors).isEmpty();
                    assertThat(b.errors).isEmpty();
                }

                static void tryWhenFull() {
                    ChannelPair pair = LoopbackChannel.open(2);
                    Peer a = new Peer(new Binding(pair.left()));
                    Peer b = new Peer(new Binding(pair.right()));
                    assertThat(a.stub.tryPing(1)).isTrue();
                    assertThat(a.stub.tryPing(2)).isTrue();
                    assertThat(a.stub.tryPing(3)).isFalse();
                    assertThat(a.binding.queuedFrames()).isZero();
                    a.stub.ping(4); // queued
                    assertThat(a.stub.tryPing(5)).isFalse(); // something queued: no overtaking
                    pump(a.binding, b.binding);
                    assertThat(a.pongs).containsExactly(1, 2, 4);
                }

                record Frame(long control, long[] words) implements FrameReader {
                    @Override
                    public long word(int i) {
                        return words[i];
                    }
                }

                static void unhandledAndUnknownToken() {
                    ChannelPair pair = LoopbackChannel.open(4);
                    Binding ab = new Binding(pair.left());
                    Binding bb = new Binding(pair.right());
                    List<BindingException> errors = new ArrayList<>();
                    bb.setErrorHandler(errors::add);
                    PingPongStub a = PingPong.bind(ab, new PingPongHandler() {});
                    PingPong.bind(bb, new PingPongHandler() {});
                    a.ping(7);
                    pump(ab, bb);
                    assertThat(errors).singleElement().extracting(Throwable::getMessage)
                            .isEqualTo("ping_pong: unhandled message ping");
                    // a response nobody waits for
                    List<BindingException> aErrors = new ArrayList<>();
                    ab.setErrorHandler(aErrors::add);
                    ab.deliver(new Frame(ControlWord.of(PingPong.ADD_RESPONSE, 0, true, 42), new long[7]));
                    assertThat(aErrors).singleElement().extracting(Throwable::getMessage).asString()
                            .contains("add_response", "token 42");
                }

                static void handlerExceptionsLeaveTheDecoderConsistent() {
                    ChannelPair pair = LoopbackChannel.open(4);
                    Binding ab = new Binding(pair.left());
                    Binding bb = new Binding(pair.right());
                    PingPongStub a = PingPong.bind(ab, new PingPongHandler() {});
                    List<Integer> got = new ArrayList<>();
                    PingPong.bind(bb, new PingPongHandler() {
                        @Override
                        public void ping(int seq) {
                            if (seq == 1) {
                                throw new IllegalStateException("user bug");
                            }
                            got.add(seq);
                        }
                    });
                    a.ping(1);
                    a.ping(2);
                    assertThatThrownBy(() -> bb.poll(10)).hasMessage("user bug");
                    bb.poll(10);
                    assertThat(got).containsExactly(2);
                }

                static void responderMayBeUsedFromItsOwnContinuation() {
                    ChannelPair pair = LoopbackChannel.open(4);
                    Peer a = new Peer(new Binding(pair.left()));
                    Peer b = new Peer(new Binding(pair.right()));
                    List<Integer> replies = new ArrayList<>();
                    a.stub.add(1, 2, replies::add);
                    pump(a.binding, b.binding);
                    PingPong.AddResponder r = b.calls.get(0);
                    List<Throwable> second = new ArrayList<>();
                    r.send(3, () -> {
                        try {
                            r.send(4);
                        } catch (IllegalStateException e) {
                            second.add(e);
                        }
                    });
                    assertThat(second).hasSize(1);
                    assertThat(r.isSent()).isTrue();
                    pump(a.binding, b.binding);
                    assertThat(replies).containsExactly(3);
                }

                static void noAllocation() {
                    ChannelPair pair = LoopbackChannel.open(64);
                    Binding ab = new Binding(pair.left());
                    Binding bb = new Binding(pair.right());
                    PingPongStub a = PingPong.bind(ab, new PingPongHandler() {});
                    long[] sum = new long[1];
                    PingPong.bind(bb, new PingPongHandler() {
                        @Override
                        public void ping(int seq) {
                            sum[0] += seq;
                        }
                    });
                    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                            .getThreadMXBean();
                    long tid = Thread.currentThread().getId();
                    for (int round = 0; round < 3; round++) {
                        long before = threads.getThreadAllocatedBytes(tid);
                        for (int i = 0; i < 20_000; i++) {
                            if (!a.tryPing(i)) {
                                bb.poll(64);
                                a.ping(i);
                            }
                        }
                        bb.poll(64);
                        long after = threads.getThreadAllocatedBytes(tid);
                        if (round == 2) {
                            assertThat(after - before).as("bytes allocated by 20000 sends and receives")
                                    .isLessThan(1024);
                        }
                    }
                    assertThat(sum[0]).isEqualTo(3L * (20_000L * 19_999L / 2));
                }
            }
            """;

    static final String EVERYTHING_DRIVER = """
            package gen.test;

            import static org.assertj.core.api.Assertions.assertThat;
            import static org.assertj.core.api.Assertions.assertThatThrownBy;

            import io.flotilla.binding.Binding;
            import io.flotilla.binding.BindingException;
            import io.flotilla.cap.Capability;
            import io.flotilla.binding.InProcessCapabilityTransfer;
            import io.flotilla.channel.ChannelPair;
            import io.flotilla.codegen.TestCap;
            import io.flotilla.transport.loopback.LoopbackChannel;
            import java.util.ArrayList;
            import java.util.Arrays;
            import java.util.List;

            final class EverythingDriver {
                private EverythingDriver() {}

                static final class Recorder implements EverythingHandler {
                    final List<Object> got = new ArrayList<>();

                    @Override
                    public void caps(Capability c, Capability g, Everything.Pool p) {
                        got.add(List.of(c, g, p));
                    }

                    @Override
                    public void str(String s) {
                        got.add(s);
                    }

                    @Override
                    public void strings(int id, String a, String b, byte[] buf) {
                        got.add(id + "|" + a + "|" + b + "|" + Arrays.toString(buf));
                    }

                    @Override
                    public void arrays(boolean[] flags, short[] shorts, int[] ints, long[] longs, byte[] chars) {
                        got.add(Arrays.toString(flags) + Arrays.toString(shorts) + Arrays.toString(ints)
                                + Arrays.toString(longs) + Arrays.toString(chars));
                    }

                    @Override
                    public void big(Everything.Coremask m1, Everything.Coremask m2, Everything.Coremask m3, byte tail) {
                        got.add(List.of(m1, m2, m3, tail));
                    }

                    @Override
                    public void typed(Everything.Extent e, Everything.Coremask m, Everything.Points ps,
                            Everything.Color c, Everything.Colors cs) {
                        got.add(List.of(e, m, ps, c, cs));
                    }

                    @Override
                    public void empty() {
                        got.add("empty");
                    }

                    @Override
                    public void query(int key, String name, Everything.QueryResponder responder) {
                        responder.send(key * 10L, name.toUpperCase(), name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }

                    @Override
                    public void nop(Everything.NopResponder responder) {
                        responder.send();
                    }
                }

                static final class Ends {
                    final Binding a;
                    final Binding b;
                    final EverythingStub stub;
                    final EverythingStub peerStub;
                    final Recorder rec = new Recorder();
                    final List<BindingException> errors = new ArrayList<>();

                    Ends(int slots, InProcessCapabilityTransfer caps) {
                        ChannelPair pair = LoopbackChannel.open(slots);
                        a = new Binding(pair.left(), caps);
                        b = new Binding(pair.right(), caps);
                        a.setErrorHandler(errors::add);
                        b.setErrorHandler(errors::add);
                        stub = Everything.bind(a, new EverythingHandler() {});
                        peerStub = Everything.bind(b, rec);
                    }

                    void pump() {
                        PingPongDriver.pump(a, b);
                    }
                }

                static void caps() {
                    var caps = new InProcessCapabilityTransfer();
                    Ends e = new Ends(2, caps);
                    TestCap c = new TestCap(1);
                    TestCap g = new TestCap(2);
                    TestCap p = new TestCap(3);
                    e.stub.caps(c, g, new Everything.Pool(p, 77));
                    assertThat(caps.inFlight()).isEqualTo(3);
                    e.pump();
                    assertThat(caps.inFlight()).isZero();
                    List<?> got = (List<?>) e.rec.got.get(0);
                    assertThat(got.get(0)).isSameAs(c);
                    assertThat(got.get(1)).isSameAs(g);
                    assertThat(((Everything.Pool) got.get(2)).c()).isSameAs(p);
                    assertThat(((Everything.Pool) got.get(2)).size()).isEqualTo(77);
                    assertThat(e.errors).isEmpty();
                    // a binding without capability transfer refuses before writing anything
                    ChannelPair pair = LoopbackChannel.open(2);
                    Binding plain = new Binding(pair.left());
                    EverythingStub s = Everything.bind(plain, new EverythingHandler() {});
                    assertThatThrownBy(() -> s.caps(c, null, new Everything.Pool(null, 1)))
                            .isInstanceOf(BindingException.class);
                    assertThat(pair.left().writableFrames()).isEqualTo(2);
                    s.caps(null, null, new Everything.Pool(null, 1)); // null caps are fine
                }

                static void maxSizes() {
                    Ends e = new Ends(2, new InProcessCapabilityTransfer());
                    String fifteen = "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9a"; // 7 x 2 bytes + 1 = 15 bytes
                    e.stub.str(fifteen);
                    e.stub.str("");
                    String emoji = "\\ud83d\\ude00\\ud83d\\ude00\\ud83d\\ude00abc"; // 3 x 4 + 3 = 15 bytes
                    e.stub.str(emoji);
                    byte[] buf = new byte[100];
                    for (int i = 0; i < buf.length; i++) {
                        buf[i] = (byte) (i * 7);
                    }
                    String b299 = "x".repeat(299);
                    e.stub.strings(-1, "1234567", b299, buf);
                    boolean[] flags = new boolean[20];
                    flags[3] = true;
                    flags[19] = true;
                    e.stub.arrays(flags, new short[] {-1, 2, 3, 4, 5, 6, 7, 8, Short.MIN_VALUE},
                            new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE},
                            new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, new byte[17]);
                    e.stub.arrays(new boolean[0], new short[0], new int[0], new long[0], new byte[0]);
                    var m = new Everything.Coremask(new long[] {1, 2, 3, 4});
                    var m2 = new Everything.Coremask(new long[] {-1, -2, -3, -4});
                    e.stub.big(m, m2, m, (byte) 0xFF);
                    e.stub.empty();
                    e.pump();
                    assertThat(e.errors).isEmpty();
                    assertThat(e.rec.got).containsExactly(fifteen, "", emoji,
                            "-1|1234567|" + b299 + "|" + Arrays.toString(buf),
                            Arrays.toString(flags) + "[-1, 2, 3, 4, 5, 6, 7, 8, -32768]"
                                    + "[-2147483648, -1, 0, 1, 2147483647]"
                                    + "[-9223372036854775808, 0, 9223372036854775807]" + Arrays.toString(new byte[17]),
                            "[][][][][]",
                            List.of(m, m2, m, (byte) -1), "empty");
                    assertThat(Everything.DESCRIPTOR.message(Everything.STR).name()).isEqualTo("str");
                }

                static void rejects() {
                    Ends e = new Ends(4, new InProcessCapabilityTransfer());
                    assertThatThrownBy(() -> e.stub.str("0123456789abcdef"))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 15");
                    assertThatThrownBy(() -> e.stub.str("\\u00e9".repeat(8)))
                            .isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> e.stub.str("\\ud800")).isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> e.stub.str(null)).isInstanceOf(NullPointerException.class);
                    assertThatThrownBy(() -> e.stub.strings(1, "a", "b", new byte[101]))
                            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 100");
                    assertThatThrownBy(() -> e.stub.strings(1, "a", null, new byte[1]))
                            .isInstanceOf(NullPointerException.class);
                    assertThatThrownBy(() -> e.stub.typed(null, null, null, null, null))
                            .isInstanceOf(NullPointerException.class);
                    assertThatThrownBy(() -> e.stub.query(1, "x".repeat(32), (err, value, data) -> { }))
                            .isInstanceOf(IllegalArgumentException.class);
                    assertThat(e.stub.queryReplies.size()).isZero();
                    assertThatThrownBy(() -> new Everything.Coremask(new long[3]))
                            .isInstanceOf(IllegalArgumentException.class);
                    assertThatThrownBy(() -> new Everything.Extent(1, null, true, new Everything.Point((short) 1,
                            (short) 2), (byte) 3)).isInstanceOf(NullPointerException.class);
                    assertThat(e.a.queuedFrames()).isZero();
                    assertThat(e.a.poll(10) + e.b.poll(10)).isZero();
                    assertThat(e.rec.got).isEmpty();
                }

                static void noAllocationForMultiFrameAndBoolMessages() {
                    ChannelPair pair = LoopbackChannel.open(64);
                    Binding ab = new Binding(pair.left());
                    Binding bb = new Binding(pair.right());
                    EverythingStub a = Everything.bind(ab, new EverythingHandler() {});
                    long[] sum = new long[1];
                    Everything.bind(bb, new EverythingHandler() {
                        @Override
                        public void allBuiltins(byte a, short b, int c, long d, byte e, short f, int g, long h, int i,
                                boolean j, byte k, long l, long m, long n, int o, long p, byte q) {
                            sum[0] += a + b + c + d + e + f + g + h + i + (j ? 1 : 0) + k + l + m + n + o + p + q;
                        }

                        @Override
                        public void manyBools(boolean b0, boolean b1, boolean b2, boolean b3, boolean b4, byte x,
                                boolean b5, boolean b6, boolean b7, boolean b8, boolean b9) {
                            sum[0] += x + (b9 ? 1 : 0);
                        }
                    });
                    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                            .getThreadMXBean();
                    long tid = Thread.currentThread().getId();
                    for (int round = 0; round < 3; round++) {
                        long before = threads.getThreadAllocatedBytes(tid);
                        for (int i = 0; i < 10_000; i++) {
                            // On false, drain the peer and use the queuing send: LoopbackChannel.writableFrames()
                            // refreshes its view of the consumer only when it believes the ring is full, so
                            // hasRoomFor(2) can stay false after the peer has drained (reported to the framework).
                            if (!a.tryAllBuiltins((byte) 1, (short) 1, 1, 1L, (byte) 1, (short) 1, 1, 1L, 1, true,
                                    (byte) 1, 1L, 1L, 1L, 1, 1L, (byte) 1)) {
                                bb.poll(64);
                                a.allBuiltins((byte) 1, (short) 1, 1, 1L, (byte) 1, (short) 1, 1, 1L, 1, true,
                                        (byte) 1, 1L, 1L, 1L, 1, 1L, (byte) 1);
                            }
                            if (!a.tryManyBools(true, false, true, false, true, (byte) 2, false, true, false, true,
                                    true)) {
                                bb.poll(64);
                                a.manyBools(true, false, true, false, true, (byte) 2, false, true, false, true, true);
                            }
                        }
                        bb.poll(64);
                        long after = threads.getThreadAllocatedBytes(tid);
                        if (round == 2) {
                            assertThat(after - before).as("bytes allocated by 20000 sends and receives")
                                    .isLessThan(1024);
                        }
                    }
                    assertThat(sum[0]).isEqualTo(3L * 10_000 * (17 + 3));
                }

                static void typedAndRpc() {
                    Ends e = new Ends(2, new InProcessCapabilityTransfer());
                    var ext = new Everything.Extent(-5L, Everything.Color.blue, true,
                            new Everything.Point((short) -3, Short.MAX_VALUE), (byte) 200);
                    var ps = new Everything.Points(new Everything.Point[] {new Everything.Point((short) 1, (short) 2),
                        new Everything.Point((short) 3, (short) 4), new Everything.Point((short) 5, (short) 6)});
                    var cs = new Everything.Colors(new Everything.Color[] {Everything.Color.green, Everything.Color.red});
                    var m = new Everything.Coremask(new long[] {9, 8, 7, 6});
                    e.stub.typed(ext, m, ps, Everything.Color.green, cs);
                    List<String> replies = new ArrayList<>();
                    e.stub.query(12, "h\\u00e9llo", (err, value, data) -> replies.add(err + " " + value + " "
                            + data.length));
                    e.stub.nop(() -> replies.add("nop"));
                    e.pump();
                    assertThat(e.errors).isEmpty();
                    assertThat(e.rec.got).containsExactly(List.of(ext, m, ps, Everything.Color.green, cs));
                    assertThat(replies).containsExactly("120 H\\u00c9LLO 6", "nop");
                }
            }
            """;
}
