package io.flotilla.transport.net;

/**
 * Text a peer chose, made safe for one log line: every control character is escaped ({@code \n}, {@code \r},
 * {@code \t}, else {@code \xNN} or a backslash, u and four hex digits), as are the Unicode line and paragraph
 * separators, lone surrogates and the backslash itself, so that nothing a peer sends can start a forged log line
 * or hide what it sent; and it is cut to a length, so that a peer cannot make one line as long as it likes.
 */
public final class PeerText {

    /** The longest peer-supplied text a log line carries by default, in characters before escaping. */
    public static final int DEFAULT_MAX_CHARS = 120;

    private PeerText() {}

    /** {@code s} escaped, cut to {@link #DEFAULT_MAX_CHARS} characters. */
    public static String of(String s) {
        return of(s, DEFAULT_MAX_CHARS);
    }

    /**
     * {@code s} escaped, its first {@code maxChars} characters at most; a cut is marked by "..." and the length of
     * the whole, so a reader knows it saw part of it.
     */
    public static String of(String s, int maxChars) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), maxChars);
        StringBuilder b = new StringBuilder(n + 16);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                            || Character.isSurrogate(c) && !wholePair(s, i)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        if (n < s.length()) {
            b.append("... (").append(s.length()).append(" chars)");
        }
        return b.toString();
    }

    /** Peer bytes meant as UTF-8 (malformed sequences become U+FFFD), escaped and cut as {@link #of(String, int)}. */
    public static String ofUtf8(byte[] bytes, int maxChars) {
        return of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8), maxChars);
    }

    /** Whether the surrogate at {@code i} is half of a well-formed pair (a lone one is escaped). */
    private static boolean wholePair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
