package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.codegen.WireLayout.Placement;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.iface.model.Message;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WireLayoutTest {

    private static WireLayout layout(String... args) {
        Interface i = IfaceBuilder.iface("t").message("m", args).build();
        return new WireLayout(i.messages().get(0).arguments());
    }

    private static String placements(WireLayout l) {
        return String.join(" ", l.placements.stream().map(WireLayoutTest::str).toList());
    }

    private static String str(Placement p) {
        return p.piece().path() + "@" + p.word() + "." + p.shift() + "/" + p.piece().bits();
    }

    @Test
    void piecesAreSortedBySizeStablyAndPackedGreedily() {
        WireLayout l = layout("uint32 a", "uint8 b", "uint64 c", "bool d");
        assertThat(placements(l)).isEqualTo("[3]@0.0/1 [1]@0.1/8 [0]@0.9/32 [2]@1.0/64");
        assertThat(l.fixedWords).isEqualTo(2);
        assertThat(l.fixedFrames).isEqualTo(1);
    }

    @Test
    void piecesNeverStraddleWordsAndSevenWordsFillAFrame() {
        WireLayout l = layout("uint32 a", "uint16 b", "uint32 c", "uint64 d", "uint64 e", "uint64 f", "uint64 g",
                "uint64 h", "uint64 i");
        assertThat(placements(l)).startsWith("[1]@0.0/16 [0]@0.16/32 [2]@1.0/32 [3]@2.0/64");
        assertThat(l.fixedWords).isEqualTo(8);
        assertThat(l.fixedFrames).isEqualTo(2);
    }

    @Test
    void emptyAndVariableOnlyMessages() {
        WireLayout empty = layout();
        assertThat(empty.fixedFrames).isEqualTo(1);
        assertThat(empty.fixedWords).isZero();
        WireLayout str = layout("String s[10]", "uint8 b[n, 5]");
        assertThat(str.fixedFrames).isZero();
        assertThat(str.parts).extracting(WireLayout.Part::max).containsExactly(9L, 5L);
    }

    @Test
    void variablePartsTakeALengthWordThenPackedElements() {
        Harness h = new Harness(GeneratedSources.shared(), TestInterfaces.everything());
        // 1 fixed frame; a: 1+1 words -> 1 frame; b: 1+38 words -> 6 frames; buf: 1+13 words -> 2 frames
        var frames = h.encode("encodeStrings", 0, new Object[] {5, "1234567", "y".repeat(299), new byte[100]});
        assertThat(frames).hasSize(1 + 1 + 6 + 2);
        assertThat(frames.get(1)[0]).isEqualTo(7);
        assertThat(frames.get(1)[1]).isEqualTo(0x0037363534333231L); // "1234567" little-endian
        // 48 bytes fill 7 words exactly; 49 spill into a second frame
        Message str = h.iface.messages().stream().filter(m -> m.name().equals("strings")).findFirst().orElseThrow();
        assertThat(str).isNotNull();
        assertThat(h.encode("encodeStrings", 0, new Object[] {5, "", "z".repeat(48), new byte[0]})).hasSize(4);
        assertThat(h.encode("encodeStrings", 0, new Object[] {5, "", "z".repeat(49), new byte[0]})).hasSize(5);
        var arrays = h.encode("encodeArrays", 0, new Object[] {new boolean[0], new short[] {1, 2, 3, 4, 5},
            new int[0], new long[0], new byte[0]});
        assertThat(arrays.get(1)[0]).isEqualTo(5);
        assertThat(arrays.get(1)[1]).isEqualTo(0x0004_0003_0002_0001L);
        assertThat(arrays.get(1)[2]).isEqualTo(5);
        // every frame's control word: message number, index, last bit
        for (int i = 0; i < frames.size(); i++) {
            long c = frames.get(i)[7];
            assertThat(io.flotilla.frame.ControlWord.message(c)).isEqualTo(9);
            assertThat(io.flotilla.frame.ControlWord.fragment(c)).isEqualTo(i);
            assertThat(io.flotilla.frame.ControlWord.isLast(c)).isEqualTo(i == frames.size() - 1);
        }
        assertThat(h.randomArgs(str.arguments(), new Random(0))).hasSize(4);
    }

    @Test
    void fingerprintIsPinned() {
        // Changing this value means changing the wire format: update docs/wire-format.md deliberately.
        String holder = new JavaStubGenerator("x").generate(TestInterfaces.pingPong()).files().get(0).toString();
        assertThat(holder).contains("new InterfaceDescriptor(\"ping_pong\", "
                + "\"Ping and pong, the smallest useful protocol.\", 0x" + PING_PONG_FINGERPRINT + "L");
        assertThat(holder).contains("* 3 MESSAGE ping(uint32)\n", "* 4 MESSAGE pong(uint32)\n",
                "* 5 RPC_CALL add_call(int32,int32)\n", "* 6 RPC_RESPONSE add_response(int32)\n",
                "* 7 MESSAGE nothing()\n");
    }

    static final String PING_PONG_FINGERPRINT = "3cc8996bbc5bd5e6"; // SHA-256 of the text in docs/wire-format.md
}
