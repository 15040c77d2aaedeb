package io.flotilla.codegen;

import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.dsl.diag.Diagnostic;
import io.flotilla.dsl.iface.CompileResult;
import io.flotilla.dsl.iface.InterfaceLanguage;
import io.flotilla.dsl.iface.model.Interface;
import io.flotilla.dsl.source.SourceFile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The generator's limits are exactly where the JVM's are: an interface right at every limit generates Java that
 * compiles, and one past any limit is refused with a positioned error instead of sources javac rejects.
 */
class JavaLimitsTest {

    private static Interface model(String name, String text) {
        CompileResult r = InterfaceLanguage.compile(new SourceFile(name + ".if", text), List.of());
        assertThat(r.hasErrors()).as(r.render()).isFalse();
        return r.model().orElseThrow();
    }

    private static List<Diagnostic> errors(String name, String text) {
        return new JavaStubGenerator("gen.limits").generate(model(name, text)).diagnostics().stream()
                .filter(Diagnostic::isError).toList();
    }

    private static String args(String prefix, String type, int n) {
        return IntStream.range(0, n).mapToObj(i -> type + " " + prefix + i).collect(Collectors.joining(", "));
    }

    private static String fields(String type, int n) {
        return IntStream.range(0, n).mapToObj(i -> type + " f" + i + ";").collect(Collectors.joining(" "));
    }

    /** Everything at its limit at once, so javac runs once. */
    private static String atTheLimits(int extraParameterSlots, int extraMessages, int extraDescription,
            int extraName) {
        var b = new StringBuilder("interface atlimits \"")
                .append("d".repeat(JavaLimits.MAX_CONSTANT_BYTES + extraDescription)).append("\" {\n");
        b.append("typedef struct { ").append(fields("uint64", JavaLimits.MAX_PARAMETER_SLOTS / 2))
                .append(fields("uint8", extraParameterSlots).replace(" f", " g")).append(" } wide;\n");
        b.append("message bytes(").append(args("a", "uint8", JavaLimits.MAX_PARAMETER_SLOTS + extraParameterSlots))
                .append(");\n");
        b.append("message longs(").append(args("a", "uint64", JavaLimits.MAX_PARAMETER_SLOTS / 2)).append(");\n");
        b.append("message structs(wide w);\n");
        b.append("rpc call(").append(args("a", "in uint8", JavaLimits.MAX_PARAMETER_SLOTS)).append(", ")
                .append(args("b", "out uint8", JavaLimits.MAX_PARAMETER_SLOTS)).append(");\n");
        b.append("message ").append("n".repeat(JavaLimits.MAX_NAME + extraName)).append("(uint8 x);\n");
        // The rest of the wire messages carry a string and a dynamic array: the costliest decoder cases.
        for (int i = 6; i < JavaLimits.MAX_WIRE_MESSAGES + extraMessages; i++) {
            b.append("message m").append(i).append("(String s[8], uint8 d[n, 4]);\n");
        }
        return b.append("};\n").toString();
    }

    @Test
    @Timeout(120)
    void anInterfaceAtEveryLimitCompiles() {
        Interface atLimits = model("atlimits", atTheLimits(0, 0, 0, 0));
        assertThat(atLimits.messages().stream().mapToInt(m -> m.kind().name().equals("RPC") ? 2 : 1).sum())
                .isEqualTo(JavaLimits.MAX_WIRE_MESSAGES);
        // Throws, with javac's messages, if the generated Java does not compile cleanly.
        GeneratedSources.compile(List.of(atLimits), Map.of());
    }

    @Test
    void oneMoreThanALimitIsAPositionedErrorNotJavaThatCannotCompile() {
        assertThat(errors("atlimits", atTheLimits(1, 0, 0, 0))).extracting(d -> d.pos().line() + ": " + d.message())
                .containsExactlyInAnyOrder(
                        "2: struct 'wide' needs 253 constructor parameter slots (a 64-bit field takes two); a Java"
                                + " method takes at most 252 here",
                        "3: message 'bytes' needs 253 parameter slots (a 64-bit argument takes two); a generated Java"
                                + " method takes at most 252");
        assertThat(errors("atlimits", atTheLimits(0, 1, 0, 0))).singleElement().extracting(Diagnostic::message)
                .isEqualTo("interface 'atlimits' has 513 wire messages (an rpc counts two); the Java generator"
                        + " supports at most 512");
        assertThat(errors("atlimits", atTheLimits(0, 0, 1, 0))).singleElement().extracting(Diagnostic::message)
                .isEqualTo("the description of interface 'atlimits' is 65535 bytes long; a Java string constant"
                        + " holds at most 65534");
        assertThat(errors("atlimits", atTheLimits(0, 0, 0, 1))).singleElement()
                .satisfies(d -> assertThat(d.pos().line()).isEqualTo(7))
                .extracting(Diagnostic::message).asString().endsWith("is 65 characters long; the Java generator"
                        + " supports at most 64");
    }

    @Test
    void aDescriptionIsMeasuredInTheClassFilesEncoding() {
        // 21,846 three-byte characters are 65,538 bytes although only 21,846 characters.
        assertThat(errors("wide", "interface wide \"" + "\u20ac".repeat(21_846) + "\" { message m(); };"))
                .singleElement().extracting(Diagnostic::message).asString().contains("65538 bytes");
        assertThat(JavaLimits.constantBytes("a\u0000\u00e9\ud83d\ude00")).isEqualTo(1 + 2 + 2 + 6);
    }

    /** The 309-byte file: flattening it would take 2 x 4096 x 2 x 4096 x ... pieces. */
    static final String NESTED_ARRAYS = """
            interface nested {
                typedef uint8 a0[4096];
                typedef struct { a0 x; a0 y; } s1;
                typedef s1 a1[4096];
                typedef struct { a1 x; a1 y; } s2;
                typedef s2 a2[4096];
                typedef struct { a2 x; a2 y; } s3;
                typedef s3 a3[4096];
                typedef struct { a3 x; a3 y; } s4;
                message m(s4 v, s4 w);
            };
            """;

    @Test
    @Timeout(5)
    void nestedFixedArraysAreCountedNotExpanded() {
        long start = System.nanoTime();
        List<Diagnostic> errors = errors("nested", NESTED_ARRAYS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(errors).singleElement().satisfies(d -> assertThat(d.pos().line()).isEqualTo(10))
                .extracting(Diagnostic::message).isEqualTo("message 'm' has 9007199254740992 fixed-size fields"
                        + " after flattening; at most 2048 are supported");
        // Saturates instead of overflowing.
        String deeper = NESTED_ARRAYS.replace("message m(s4 v, s4 w);", """
                typedef s4 a4[4096];
                typedef struct { a4 x; a4 y; } s5;
                typedef s5 a5[4096];
                typedef struct { a5 x; a5 y; } s6;
                message m(s6 v);""");
        assertThat(errors("nested", deeper)).singleElement().extracting(Diagnostic::message).asString()
                .contains("has at least 2^63 - 1 fixed-size fields");
        // Just at the limit still flattens.
        assertThat(new WireLayout(model("ok", "interface ok { typedef uint8 a[1024]; message m(a x, a y); };")
                .messages().get(0).arguments()).pieces).hasSize(2048);
    }
}
