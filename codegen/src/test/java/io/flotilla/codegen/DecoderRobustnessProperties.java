package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.binding.BindingException;
import io.flotilla.codegen.WireLayout.PieceKind;
import io.flotilla.codegen.WireLayout.Placement;
import io.flotilla.dsl.iface.model.Argument;
import io.flotilla.dsl.iface.model.Message;
import io.flotilla.frame.ControlWord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken frame sequences: every problem is reported as a {@link BindingException} through the binding's
 * error handler, nothing escapes {@code onFrame}, and the decoder goes on with the next message.
 */
class DecoderRobustnessProperties {

    private static final class Compiled {
        static final Harness H = new Harness(GeneratedSources.shared(), TestInterfaces.everything());
    }

    private static Harness h() {
        return Compiled.H;
    }

    private static Message msg(String name) {
        return h().iface.messages().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    private static String encodeName(Message m, boolean response) {
        String up = JavaNames.upperCamel(m.name());
        if (m.kind() == Message.Kind.MESSAGE) {
            return "encode" + up;
        }
        return "encode" + up + (response ? "Response" : "Call");
    }

    /** Delivers the frames, then the sentinel message {@code empty} twice; returns the receiving end. */
    private static Harness.End deliverThenSentinel(List<long[]> frames) {
        Harness.End end = h().pair(2)[1];
        for (long[] f : frames) {
            end.deliver(f); // must never throw
        }
        List<long[]> sentinel = h().encode("encodeEmpty", 0, new Object[0]);
        end.deliver(sentinel.get(0));
        end.deliver(sentinel.get(0));
        assertThat(end.calls).isNotEmpty();
        assertThat(end.calls.get(end.calls.size() - 1).method()).isEqualTo("empty");
        assertThat(end.errors).allSatisfy(e -> assertThat(e.getMessage()).startsWith("everything: "));
        return end;
    }

    private static List<String> errorsOf(List<long[]> frames) {
        return deliverThenSentinel(frames).errors.stream().map(Throwable::getMessage).toList();
    }

    private static long control(int msg, int frag, boolean last, int token) {
        return ControlWord.of(msg, frag, last, token);
    }

    // ---- one test per kind of problem ----------------------------------------------------------------------------

    @Test
    void unknownMessageNumber() {
        long[] f = new long[8];
        f[7] = control(999, 0, true, 0);
        assertThat(errorsOf(List.of(f))).containsExactly("everything: unknown message number 999");
    }

    @Test
    void truncatedMessage() {
        var frames = h().encode("encodeBig", 0, h().randomArgs(msg("big").arguments(), new Random(1)));
        assertThat(frames).hasSize(2);
        assertThat(errorsOf(frames.subList(0, 1))).singleElement().asString()
                .contains("truncated message: big ended after 1 frame(s)");
    }

    @Test
    void framesOutOfOrderAndWithoutTheirFirstFrame() {
        var frames = h().encode("encodeBig", 0, h().randomArgs(msg("big").arguments(), new Random(2)));
        assertThat(errorsOf(List.of(frames.get(1), frames.get(0)))).first().asString()
                .contains("big: fragment 1 arrived without the message's first frame");
        var three = new ArrayList<>(h().encode("encodeStrings", 0,
                new Object[] {1, "abc", "x".repeat(100), new byte[60]}));
        Collections.swap(three, 2, 3);
        assertThat(errorsOf(three)).first().asString().contains("frame out of order: fragment 3 where 2");
    }

    @Test
    void lastBitMissingOrEarly() {
        var frames = h().encode("encodeBig", 0, h().randomArgs(msg("big").arguments(), new Random(3)));
        long[] early = frames.get(0).clone();
        early[7] = control(6, 0, true, 0);
        assertThat(errorsOf(List.of(early, frames.get(1)))).first().asString()
                .contains("last-fragment bit on frame before the message is complete");
        long[] late = frames.get(1).clone();
        late[7] = control(6, 1, false, 0);
        assertThat(errorsOf(List.of(frames.get(0), late))).first().asString()
                .contains("complete message without the last-fragment bit");
    }

    @Test
    void tokenChangingInTheMiddleOfAMessage() {
        var frames = h().encode("encodeBig", 0, h().randomArgs(msg("big").arguments(), new Random(4)));
        long[] second = frames.get(1).clone();
        second[7] = control(6, 1, true, 5);
        assertThat(errorsOf(List.of(frames.get(0), second))).containsExactly(
                "everything: big: token changed in the middle of the message");
    }

    @Test
    void oversizedLengthsAreRejectedBeforeAnyMemoryIsTaken() {
        var frames = h().encode("encodeStr", 0, new Object[] {"hello"});
        for (long bad : new long[] {16, 1L << 40, -1}) {
            long[] f = frames.get(0).clone();
            f[0] = bad;
            assertThat(errorsOf(List.of(f))).singleElement().asString()
                    .contains("str: variable part 1 is oversized: length " + Long.toUnsignedString(bad)
                            + ", at most 15");
        }
    }

    @Test
    void badEnumValue() {
        Object[] args = h().randomArgs(msg("typed").arguments(), new Random(5));
        var frames = h().encode("encodeTyped", 0, args);
        Placement c = layout(msg("typed").arguments()).placements.stream()
                .filter(p -> p.piece().kind() == PieceKind.ENUM && p.piece().path().equals(List.of(3)))
                .findFirst().orElseThrow();
        long[] f = frames.get(c.word() / 7).clone();
        f[c.word() % 7] = (f[c.word() % 7] & ~(0xFFFFFFFFL << c.shift())) | (3L << c.shift());
        var list = new ArrayList<>(frames);
        list.set(c.word() / 7, f);
        assertThat(errorsOf(list)).containsExactly("everything: typed: c is not a valid color value: 3");
    }

    @Test
    void nonZeroPaddingAndUnusedWords() {
        var frames = h().encode("encodeManyBools", 0, h().randomArgs(msg("many_bools").arguments(), new Random(6)));
        long[] f = frames.get(0).clone();
        f[0] |= 1L << 40;
        assertThat(errorsOf(List.of(f))).containsExactly(
                "everything: many_bools: non-zero padding bits in the fixed part");
        long[] g = frames.get(0).clone();
        g[6] = 1;
        assertThat(errorsOf(List.of(g))).singleElement().asString().contains("non-zero unused word");
        var s = h().encode("encodeStr", 0, new Object[] {"abc"}).get(0);
        s[1] |= 0xFFL << 40; // beyond the 3 bytes
        assertThat(errorsOf(List.of(s))).singleElement().asString().contains("non-zero padding after the last element");
    }

    @Test
    void boolBytesMustBeZeroOrOne() {
        var frames = h().encode("encodeArrays", 0, new Object[] {new boolean[] {true, false}, new short[0],
            new int[0], new long[0], new byte[0]});
        long[] f = frames.get(0).clone();
        assertThat(f[0]).isEqualTo(2);
        assertThat(f[1]).isEqualTo(1);
        f[1] = 2;
        var list = new ArrayList<>(frames);
        list.set(0, f);
        assertThat(errorsOf(list)).containsExactly(
                "everything: arrays: flags holds a bool byte other than 0 or 1");
    }

    @Test
    void invalidUtf8IsRejectedStrictly() {
        long[][] bad = {
            {2, 0x80C0}, // overlong NUL
            {3, 0x80A0ED}, // a UTF-16 surrogate encoded
            {1, 0x80}, // a lone continuation byte
            {2, 0xE2 | (0x82 << 8)}, // a sequence cut short
            {4, 0xF4 | (0x90L << 8) | (0x80L << 16) | (0x80L << 24)}, // above U+10FFFF
            {1, 0xFF},
        };
        for (long[] b : bad) {
            long[] f = new long[8];
            f[0] = b[0];
            f[1] = b[1];
            f[7] = control(8, 0, true, 0);
            assertThat(errorsOf(List.<long[]>of(f))).as("bytes %x", b[1])
                    .containsExactly("everything: str: s is not valid UTF-8");
        }
        long[] ok = new long[8];
        ok[0] = 4;
        ok[1] = 0xF0 | (0x9FL << 8) | (0x98L << 16) | (0x80L << 24); // U+1F600
        Harness.End end = deliverThenSentinel(List.<long[]>of(withControl(ok, 8)));
        assertThat(end.errors).isEmpty();
        assertThat(end.calls.get(0).args()).containsExactly("\ud83d\ude00");
    }

    @Test
    void responsesWithUnknownTokensAndUnknownCapabilities() {
        var frames = h().encode("encodeNopResponse", 77, new Object[0]);
        assertThat(errorsOf(frames)).containsExactly(
                "everything: nop_response: no call is waiting for a response with token 77");
        long[] f = new long[8];
        f[0] = 12345L; // capability reference nobody sent
        f[7] = control(7, 0, true, 0);
        assertThat(errorsOf(List.<long[]>of(f))).singleElement().asString()
                .contains("caps: unknown capability reference 12345");
    }

    @Test
    void fragmentIndexesWrapAt128() {
        byte[] data = new byte[10_000];
        new Random(7).nextBytes(data);
        String text = "\u00e9".repeat(999);
        var frames = h().encode("encodeBulk", 0, new Object[] {data, text, -42L});
        assertThat(frames).hasSize(1 + 179 + 36);
        assertThat(ControlWord.fragment(frames.get(200)[7])).isEqualTo(200 - 128);
        Harness.End end = deliverThenSentinel(frames);
        assertThat(end.errors).isEmpty();
        assertThat(end.calls.get(0).args()).containsExactly(data, text, -42L);
        // the same over a 4-slot loopback channel, with the binding queueing most of it
        Harness.End[] ends = h().pair(4);
        h().send(ends[0], msg("bulk"), new Object[] {data, text, 1L});
        assertThat(ends[0].binding.queuedFrames()).isEqualTo(216 - 4);
        Harness.pump(ends);
        assertThat(ends[1].errors).isEmpty();
        assertThat(ends[1].calls.get(0).args()).containsExactly(data, text, 1L);
    }

    private static long[] withControl(long[] f, int msg) {
        f[7] = control(msg, 0, true, 0);
        return f;
    }

    static WireLayout layout(List<Argument> args) {
        return new WireLayout(args);
    }

    // ---- properties ----------------------------------------------------------------------------------------------

    /** Random frames: plausible message numbers, fragment indexes, tokens and lengths, random payloads. */
    @Property(tries = 300)
    void randomFramesOnlyEverProduceBindingExceptions(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 40) int count) {
        Random r = new Random(seed);
        var frames = new ArrayList<long[]>();
        for (int i = 0; i < count; i++) {
            long[] f = new long[8];
            for (int w = 0; w < 7; w++) {
                f[w] = switch (r.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> r.nextInt(400);
                    case 2 -> 1L << r.nextInt(64);
                    default -> r.nextLong();
                };
            }
            int msg = r.nextInt(10) == 0 ? r.nextInt(0x10000) : 3 + r.nextInt(16);
            f[7] = control(msg, r.nextInt(4) == 0 ? r.nextInt(128) : r.nextInt(3), r.nextBoolean(),
                    r.nextInt(3));
            if (r.nextInt(8) == 0) {
                f[7] = r.nextLong();
            }
            frames.add(f);
        }
        deliverThenSentinel(frames);
    }

    /** A valid message broken in one way, then a valid one: the breakage is reported and the decoder recovers. */
    @Property(tries = 400)
    void brokenMessagesAreReportedAndTheDecoderRecovers(@ForAll long seed,
            @ForAll @IntRange(min = 0, max = 6) int mutation) {
        Random r = new Random(seed);
        List<Message> all = h().iface.messages();
        Message m = all.get(r.nextInt(all.size()));
        boolean response = m.kind() == Message.Kind.RPC && r.nextBoolean();
        List<Argument> args = response ? m.outArguments() : m.inArguments();
        Object[] values = h().randomArgs(args, r);
        int token = m.kind() == Message.Kind.RPC ? 1 + r.nextInt(1000) : 0;
        var frames = new ArrayList<>(h().encode(encodeName(m, response), token, values));
        int n = frames.size();
        boolean mustFail;
        switch (mutation) {
            case 0 -> { // truncate
                if (n < 2) {
                    return;
                }
                frames.subList(1 + r.nextInt(n - 1), n).clear();
                mustFail = true;
            }
            case 1 -> { // swap two frames
                if (n < 2) {
                    return;
                }
                int i = r.nextInt(n - 1);
                Collections.swap(frames, i, i + 1 + r.nextInt(n - i - 1));
                mustFail = true;
            }
            case 2 -> { // move the last bit
                int i = r.nextInt(n);
                long[] f = frames.get(i).clone();
                f[7] ^= 1L << 31;
                frames.set(i, f);
                mustFail = true;
            }
            case 3 -> { // a frame of another message in the middle
                if (n < 2) {
                    return;
                }
                int i = 1 + r.nextInt(n - 1);
                long[] f = frames.get(i).clone();
                int other = ControlWord.message(f[7]) == 3 ? 4 : 3;
                f[7] = control(other, ControlWord.fragment(f[7]), ControlWord.isLast(f[7]), token);
                frames.set(i, f);
                mustFail = true;
            }
            case 4 -> { // oversize the first variable part's length
                WireLayout l = layout(args);
                if (l.parts.isEmpty()) {
                    return;
                }
                long[] f = frames.get(l.fixedFrames).clone();
                f[0] = l.parts.get(0).max() + 1 + (r.nextBoolean() ? 0 : r.nextLong() >>> 1);
                frames.set(l.fixedFrames, f);
                mustFail = true;
            }
            case 5 -> { // flip one random bit anywhere (may or may not be detectable)
                int i = r.nextInt(n);
                long[] f = frames.get(i).clone();
                f[r.nextInt(8)] ^= 1L << r.nextInt(64);
                frames.set(i, f);
                mustFail = false;
            }
            default -> { // drop one frame in the middle
                if (n < 3) {
                    return;
                }
                frames.remove(1 + r.nextInt(n - 2));
                mustFail = true;
            }
        }
        Harness.End end = deliverThenSentinel(frames);
        if (mustFail) {
            assertThat(end.errors).as("mutation %s of %s", mutation, m.name()).isNotEmpty();
        }
    }
}
