package io.flotilla.dsl.iface;

import io.flotilla.dsl.source.SourceFile;
import io.flotilla.dsl.source.SourcePos;
import java.util.Arrays;
import org.antlr.v4.runtime.Token;

/**
 * Turns ANTLR token positions into {@link SourcePos}.
 *
 * <p>ANTLR counts columns in code points, while {@link SourcePos} and the caret renderer count UTF-16 chars.
 * The two differ only after a character outside the Basic Multilingual Plane (an emoji in a comment), so the
 * correction is a binary search over the code-point indices of those characters, usually an empty array.
 */
final class Positions {

    private final SourceFile source;
    /** Code-point indices of the supplementary characters of the text, ascending. */
    private final int[] supplementary;

    Positions(SourceFile source) {
        this.source = source;
        this.supplementary = supplementaryIndices(source.text());
    }

    SourceFile source() {
        return source;
    }

    /** Where the token starts. */
    SourcePos of(Token t) {
        return at(t.getLine(), t.getCharPositionInLine(), t.getStartIndex());
    }

    /** Just after the token ends: where a missing ';' belongs. */
    SourcePos after(Token t) {
        String text = t.getText();
        if (text == null || text.indexOf('\n') >= 0) {
            return of(t);
        }
        int length = text.codePointCount(0, text.length());
        return at(t.getLine(), t.getCharPositionInLine() + length, t.getStartIndex() + length);
    }

    /**
     * @param line 1-based line
     * @param cpColumn 0-based column in code points
     * @param cpIndex code-point index of the same place in the whole text, or -1 if unknown
     */
    SourcePos at(int line, int cpColumn, int cpIndex) {
        if (line > source.lineCount()) {
            // The end of a file that ends with a newline: show it at the end of the last line, which exists.
            return source.pos(source.lineCount(), source.line(source.lineCount()).length() + 1);
        }
        int column = cpColumn;
        if (supplementary.length > 0 && cpIndex >= 0) {
            int lineStart = cpIndex - cpColumn;
            column += countBefore(cpIndex) - countBefore(lineStart);
        }
        return source.pos(Math.max(line, 1), column + 1);
    }

    private int countBefore(int cpIndex) {
        int i = Arrays.binarySearch(supplementary, cpIndex);
        return i >= 0 ? i : -i - 1;
    }

    private static int[] supplementaryIndices(String text) {
        int[] found = new int[0];
        int n = 0;
        int cp = 0;
        for (int i = 0; i < text.length(); i++, cp++) {
            if (Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                if (n == found.length) {
                    found = Arrays.copyOf(found, Math.max(8, n * 2));
                }
                found[n++] = cp;
                i++;
            }
        }
        return Arrays.copyOf(found, n);
    }
}
