package io.flotilla.kernel.node;

import java.nio.charset.StandardCharsets;

/** Text that came from a peer, made fit for one log line or for a bounded string field of a message. */
final class Text {

    private Text() {}

    /** {@code s} with control characters shown as '?', cut to {@code maxChars} characters ("..." marks a cut). */
    static String line(String s, int maxChars) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), maxChars + 3));
        for (int i = 0; i < s.length() && b.length() < maxChars; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        if (b.length() < s.length()) {
            b.append("...");
        }
        return b.toString();
    }

    /** {@link #line} cut further, if need be, to at most {@code maxBytes} UTF-8 bytes, never inside a character. */
    static String clip(String s, int maxBytes) {
        String line = line(s, maxBytes);
        if (line.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return line;
        }
        int bytes = 3; // the "..." that marks the cut
        int end = 0;
        while (end < line.length()) {
            int cp = line.codePointAt(end);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return line.substring(0, end) + "...";
    }
}
