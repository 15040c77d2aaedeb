package io.flotilla.dsl.iface;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import org.antlr.v4.runtime.Token;

/** Values of number and string literals, as Flounder's Haskell lexer reads them. */
final class Literals {

    /**
     * Haskell's ASCII control-character escapes, in code order (NUL = 0 ... US = 31), then SP and DEL. Matching
     * tries them in this order, so {@code \SOH} (listed before SO) is read as SOH, as Haskell does.
     */
    private static final List<String> ASCII_NAMES = List.of("NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK",
            "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN",
            "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US", "SP", "DEL");

    private Literals() {}

    /** Returned for numbers too long to be worth converting; more than any limit of the language allows. */
    static final BigInteger HUGE = BigInteger.ONE.shiftLeft(128);

    /**
     * The value of a NUMBER token: decimal, {@code 0x} hex or {@code 0o} octal. Callers check the range; a number
     * of more than 64 significant digits is {@link #HUGE} (converting a 10 MB digit string would take minutes).
     */
    static BigInteger natural(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        int radix = lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : 10;
        int from = radix == 10 ? 0 : 2;
        while (from < text.length() - 1 && text.charAt(from) == '0') {
            from++;
        }
        return text.length() - from > 64 ? HUGE : new BigInteger(text.substring(from), radix);
    }

    /**
     * Decodes a STRING_LIT token with Haskell escapes: {@code \n \t \\ \" \'} and the other single-letter
     * escapes, decimal {@code \123}, {@code \x7F}, {@code \o177}, {@code \^A}, {@code \NUL}-style names, the empty
     * escape {@code \&} and string gaps (backslash, white space, backslash). A bad escape is reported at its
     * backslash and dropped.
     */
    static String string(Token token, Positions positions, Diagnostics diagnostics) {
        String text = token.getText();
        var out = new StringBuilder();
        int line = token.getLine();
        int column = token.getCharPositionInLine() + 1; // code points, after the opening quote
        int i = 1;
        int end = text.length() - 1;
        while (i < end) {
            int cp = text.codePointAt(i);
            if (cp != '\\') {
                out.appendCodePoint(cp);
                i += Character.charCount(cp);
                column++;
                continue;
            }
            int escapeLine = line;
            int escapeColumn = column;
            int j = i + 1;
            int gapEnd = gapEnd(text, j, end);
            if (gapEnd >= 0) {
                // A gap: skip to the closing backslash, counting lines for the positions of later escapes.
                column++;
                while (j < gapEnd) {
                    if (text.charAt(j) == '\n') {
                        line++;
                        column = 0;
                    } else {
                        column++;
                    }
                    j++;
                }
                column++;
                i = j + 1;
                continue;
            }
            Escape e = escape(text, j, end);
            if (e == null) {
                diagnostics.error(positions.at(escapeLine, escapeColumn, -1),
                        "unknown escape sequence '\\" + new String(Character.toChars(text.codePointAt(j))) + "'");
                e = new Escape(-1, j + Character.charCount(text.codePointAt(j)));
            } else if (e.codePoint > Character.MAX_CODE_POINT) {
                diagnostics.error(positions.at(escapeLine, escapeColumn, -1),
                        "character escape out of range (at most \\1114111)");
            } else if (e.codePoint >= 0) {
                out.appendCodePoint((int) e.codePoint);
            }
            column += text.codePointCount(i, e.next);
            i = e.next;
        }
        return out.toString();
    }

    /** A decoded escape: the character (-1 for none, as {@code \&}) and where the text continues. */
    private record Escape(long codePoint, int next) {}

    private static Escape escape(String text, int j, int end) {
        char c = text.charAt(j);
        String simple = "abfnrtv\\\"'";
        int k = simple.indexOf(c);
        if (k >= 0) {
            return new Escape("\u0007\b\f\n\r\t\u000b\\\"'".charAt(k), j + 1);
        }
        if (c == '&') {
            return new Escape(-1, j + 1);
        }
        if (c == '^' && j + 1 < end && text.charAt(j + 1) >= '@' && text.charAt(j + 1) <= '_') {
            return new Escape(text.charAt(j + 1) - '@', j + 2);
        }
        if (c >= '0' && c <= '9') {
            return numeric(text, j, end, 10);
        }
        if (c == 'x' && j + 1 < end && Character.digit(text.charAt(j + 1), 16) >= 0) {
            return numeric(text, j + 1, end, 16);
        }
        if (c == 'o' && j + 1 < end && Character.digit(text.charAt(j + 1), 8) >= 0) {
            return numeric(text, j + 1, end, 8);
        }
        for (String name : ASCII_NAMES) {
            if (text.startsWith(name, j)) {
                int code = name.equals("SP") ? ' ' : name.equals("DEL") ? 0x7f : ASCII_NAMES.indexOf(name);
                return new Escape(code, j + name.length());
            }
        }
        return null;
    }

    /** Where the string gap starting at {@code from} ends (its closing backslash), or -1 if none starts there. */
    private static int gapEnd(String text, int from, int end) {
        int i = from;
        while (i < end && isWhiteSpace(text.charAt(i))) {
            i++;
        }
        return i > from && i < end && text.charAt(i) == '\\' ? i : -1;
    }

    /** The lexer's {@code \p{White_Space}}, which no single JDK predicate matches. */
    private static boolean isWhiteSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static Escape numeric(String text, int from, int end, int radix) {
        long value = 0;
        int i = from;
        while (i < end && Character.digit(text.charAt(i), radix) >= 0) {
            value = Math.min(value * radix + Character.digit(text.charAt(i), radix), Long.MAX_VALUE / 16);
            i++;
        }
        return new Escape(value, i);
    }
}
