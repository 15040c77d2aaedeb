package io.flotilla.kernel.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameReader;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Every intermon message survives the frames; every malformed frame sequence is refused with a reason. */
class IntermonCodecTest {

    static final List<IntermonMessage> SAMPLES = List.of(
            new IntermonMessage.Hello(1, 2, 2, 3, 4242, "amd-8x4", "127.0.0.1"),
            new IntermonMessage.Hello(1, 2, 2, 3, 4242, "amd-8x4", "127.0.0.1", "d8110b6d-fdd6/host-a"),
            new IntermonMessage.View(0x1234_5678_9ABC_DEF0L),
            new IntermonMessage.Stop(),
            new IntermonMessage.Ready(),
            new IntermonMessage.Leave("its run ended"),
            new IntermonMessage.Leave(""),
            new IntermonMessage.Register(257, "ping_pong"),
            new IntermonMessage.Deregister(257, "ping_pong"),
            new IntermonMessage.Resolve(7, 3, "é ünïcode name"),
            new IntermonMessage.Resolved(7, 513),
            new IntermonMessage.BindRequest(8, 3, 1, "ping_pong"),
            new IntermonMessage.BindRequest(9, 3, 1, ""),
            new IntermonMessage.BindOffer(8, "node-a.example", 40001, -5L),
            new IntermonMessage.BindReply(8, true, ""),
            new IntermonMessage.BindReply(8, false, "x".repeat(IntermonMessage.MAX_REASON_BYTES)),
            new IntermonMessage.BindUrpc(8, "flotilla-urpc-12-0123456789abcdef"),
            new IntermonMessage.SwapRequest(8, 3, 2, "urpc"),
            new IntermonMessage.SwapNet(8, 1, 2, true, "127.0.0.1", 40002, 77L),
            new IntermonMessage.SwapUrpc(8, 1, 2, false, "flotilla-urpc-12-0123456789abcdef"),
            new IntermonMessage.SwapDone(8, 3, 1, 2, true, false, "urpc needs both nodes on one host"),
            new IntermonMessage.SwapDone(8, 3, 3, 2, false, true, ""));

    @Test
    void everyMessageTypeRoundTrips() {
        for (IntermonMessage m : SAMPLES) {
            int target = m.forMonitor() ? 5 : -1;
            List<IntermonCodec.Envelope> out = feed(IntermonCodec.encode(target, m));
            assertThat(out).as(m.toString()).containsExactly(new IntermonCodec.Envelope(target, m));
        }
    }

    @Test
    void messagesFollowEachOtherOnOneLink() {
        var a = new IntermonCodec.Assembler();
        List<IntermonCodec.Envelope> out = new ArrayList<>();
        for (IntermonMessage m : SAMPLES) {
            feed(a, IntermonCodec.encode(m.forMonitor() ? 1 : -1, m), out);
        }
        assertThat(out).extracting(IntermonCodec.Envelope::message).containsExactlyElementsOf(SAMPLES);
    }

    @Test
    void malformedFramesAreRefusedWithAReason() {
        long[] good = IntermonCodec.encode(2, new IntermonMessage.BindOffer(1, "h".repeat(200), 80, 1));
        assertThat(good.length / Frame.WORDS).isGreaterThan(2);
        refused(with(good, 0, good[0] ^ 1L << 48), "bad magic");
        refused(with(good, 0, (good[0] & ~(0xFFL << 40)) | 3L << 40), "version 3");
        refused(with(good, 0, (good[0] & ~(0xFFL << 32)) | 99L << 32), "unknown message type 99");
        refused(with(good, 0, (good[0] & ~0xFFFF_FFFFL) | 5000), "more than " + IntermonCodec.MAX_BODY_BYTES);
        refused(with(good, 1, -7), "target core -7");
        refused(with(good, 7, ControlWord.of(IntermonCodec.FRAME_MESSAGE, 1, true, 0)), "fragment 1 where fragment 0");
        refused(with(good, 7, ControlWord.of(IntermonCodec.FRAME_MESSAGE, 0, true, 0)), "last bit on fragment 0");
        refused(with(good, 7, ControlWord.of(99, 0, false, 0)), "message number 99");
        long[] last = good.clone();
        last[last.length - 1] = ControlWord.of(IntermonCodec.FRAME_MESSAGE, last.length / Frame.WORDS - 1, false, 0);
        refused(last, "no last bit");
        // A shorter length than the fields need: the text runs past the body.
        refused(with(good, 0, (good[0] & ~0xFFFF_FFFFL) | 12), "no last bit on fragment 0");
        long[] small = IntermonCodec.encode(0, new IntermonMessage.Register(1, "ab"));
        refused(with(small, 0, (small[0] & ~0xFFFF_FFFFL) | 6), "runs past the body");
        // A longer length than the fields use: bytes left over (and one more frame, so fix the frame count too).
        long[] one = IntermonCodec.encode(-1, new IntermonMessage.View(1));
        refused(with(one, 0, (one[0] & ~0xFFFF_FFFFL) | 9), "1 bytes left over");
        // Fields out of range are refused by the records themselves.
        long[] hello = IntermonCodec.encode(-1, new IntermonMessage.Hello(1, 2, 2, 3, 1, "m", "h"));
        refused(with(hello, 2, (hello[2] & 0x0000_FFFF_FFFF_FFFFL) | 0xFFFF_0000_0000_0000L), "invalid node id");
        long[] bad = IntermonCodec.encode(-1, new IntermonMessage.Leave("ab"));
        refused(with(bad, 2, (bad[2] & 0x0000_FFFF_FFFF_FFFFL) | 0x0002_C328_0000_0000L), "not valid UTF-8");
        long[] reply = IntermonCodec.encode(1, new IntermonMessage.BindReply(1, true, ""));
        refused(with(reply, 3, reply[3] | 0x0200_0000_0000_0000L), "boolean byte 3");
    }

    @Test
    void recordsRefuseFieldsOutOfRange() {
        assertThatThrownBy(() -> new IntermonMessage.Register(0, "x")).hasMessageContaining("iref");
        assertThatThrownBy(() -> new IntermonMessage.Register(1, "")).hasMessageContaining("empty name");
        assertThatThrownBy(() -> new IntermonMessage.Register(1, "n".repeat(256))).hasMessageContaining("256");
        assertThatThrownBy(() -> new IntermonMessage.BindOffer(1, "h", 0, 0)).hasMessageContaining("port");
        assertThatThrownBy(() -> new IntermonMessage.Hello(2, 2, 0, 0, 1, "m", "h")).hasMessageContaining("node count");
        assertThatThrownBy(() -> new IntermonMessage.Hello(1, 2, 0, 0, 1, "m", "h", "boot\nid"))
                .hasMessageContaining("host identity has a control character");
        assertThatThrownBy(() -> new IntermonMessage.SwapNet(1, 0, 1, true, "h", 70000, 0))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> new IntermonMessage.SwapUrpc(1, 0, 1, true, "")).hasMessageContaining("empty file");
        long[] done = IntermonCodec.encode(1, new IntermonMessage.SwapDone(1, 1, 1, 1, true, true, ""));
        refused(with(done, 5, done[5] | 0x0007_0000_0000_0000L), "boolean byte 7");
        assertThatThrownBy(() -> IntermonCodec.encode(-1, new IntermonMessage.Resolved(1, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void randomFramesNeverThrowAnythingButARefusal(@ForAll("frames") List<long[]> frames) {
        var a = new IntermonCodec.Assembler();
        try {
            for (long[] f : frames) {
                a.accept(reader(f, 0));
            }
        } catch (IntermonException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 200)
    void randomTextRoundTrips(@ForAll @Size(max = 60) String name, @ForAll long request, @ForAll int core) {
        if (name.isEmpty() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255 || core < 0) {
            return;
        }
        var m = new IntermonMessage.Resolve(request, core, name);
        assertThat(feed(IntermonCodec.encode(core, m))).containsExactly(new IntermonCodec.Envelope(core, m));
    }

    @Provide
    Arbitrary<List<long[]>> frames() {
        Arbitrary<Long> word = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.longs().between(0, 4096).map(len -> (long) IntermonCodec.MAGIC << 48
                        | (long) IntermonCodec.VERSION << 40 | (len % 23) << 32 | len),
                Arbitraries.integers().between(0, 130).map(frag -> ControlWord.of(IntermonCodec.FRAME_MESSAGE,
                        frag, frag % 3 == 0, 0)));
        return word.array(long[].class).ofSize(Frame.WORDS).list().ofMaxSize(40);
    }

    private static long[] with(long[] frames, int index, long value) {
        long[] copy = frames.clone();
        copy[index] = value;
        return copy;
    }

    private static void refused(long[] frames, String reason) {
        assertThatThrownBy(() -> feed(frames)).isInstanceOf(IntermonException.class).hasMessageContaining(reason);
    }

    private static List<IntermonCodec.Envelope> feed(long[] frames) {
        List<IntermonCodec.Envelope> out = new ArrayList<>();
        feed(new IntermonCodec.Assembler(), frames, out);
        return out;
    }

    private static void feed(IntermonCodec.Assembler a, long[] frames, List<IntermonCodec.Envelope> out) {
        for (int f = 0; f < frames.length / Frame.WORDS; f++) {
            IntermonCodec.Envelope e = a.accept(reader(frames, f * Frame.WORDS));
            if (e != null) {
                out.add(e);
            }
        }
    }

    private static FrameReader reader(long[] words, int base) {
        return new FrameReader() {
            @Override
            public long control() {
                return words[base + Frame.PAYLOAD_WORDS];
            }

            @Override
            public long word(int index) {
                return words[base + Frame.checkWord(index)];
            }
        };
    }
}
