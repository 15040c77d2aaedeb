package io.flotilla.dsl.iface;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class LiteralsTest {

    private static String description(String literal) {
        CompileResult result = Corpus.compile("interface test " + literal + " { message m(); };");
        assertThat(result.hasErrors()).as(result.render()).isFalse();
        return result.model().orElseThrow().description();
    }

    @Test
    void numbersInEveryBase() {
        assertThat(Literals.natural("42")).isEqualTo(BigInteger.valueOf(42));
        assertThat(Literals.natural("052")).isEqualTo(BigInteger.valueOf(52));
        assertThat(Literals.natural("0x2a")).isEqualTo(BigInteger.valueOf(42));
        assertThat(Literals.natural("0X2A")).isEqualTo(BigInteger.valueOf(42));
        assertThat(Literals.natural("0o52")).isEqualTo(BigInteger.valueOf(42));
        assertThat(Literals.natural("0")).isEqualTo(BigInteger.ZERO);
        assertThat(Literals.natural("0".repeat(100) + "7")).isEqualTo(BigInteger.valueOf(7));
        assertThat(Literals.natural("9".repeat(65))).isEqualTo(Literals.HUGE);
    }

    @Test
    void haskellEscapes() {
        assertThat(description("\"q\\\"b\\\\s\\n\\t\\'\"")).isEqualTo("q\"b\\s\n\t'");
        assertThat(description("\"\\65\\x42\\o103\\^A\\NUL\\SOH\\SO\\DEL\\SP\"")).isEqualTo("ABC\u0001\u0000\u0001\u000e\u007f ");
        assertThat(description("\"\\1234\\&5\"")).isEqualTo("\u04d25");
        assertThat(description("\"a\\   \n   \\b\"")).isEqualTo("ab");
        assertThat(description("\"SKB's map & more\"")).isEqualTo("SKB's map & more");
    }

    @Test
    void badEscapesArePositioned() {
        CompileResult result = Corpus.compile("interface test \"a\\   \n   \\b \\y\" { message m(); };");

        assertThat(result.render()).startsWith("test.if:2:7: error: unknown escape sequence '\\y'");
    }
}
