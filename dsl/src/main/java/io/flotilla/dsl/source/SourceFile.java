package io.flotilla.dsl.source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The text of one input file together with its display name, and fast access to its lines for rendering carets.
 *
 * <p>Input is decoded as strict UTF-8: a file that is not valid UTF-8 (binary garbage, a mis-saved file) is not
 * silently mangled into replacement characters; {@link #read(Path)} reports it instead.
 */
public final class SourceFile {

    private final String name;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String name, String text) {
        this.name = name;
        this.text = text;
        this.lineStarts = computeLineStarts(text);
    }

    /**
     * Reads a file as strict UTF-8.
     *
     * @throws IOException if the file cannot be read
     * @throws MalformedSourceException if it is not valid UTF-8; the exception names the byte offset and line
     */
    public static SourceFile read(Path path) throws IOException {
        byte[] bytes = Files.readAllBytes(path);
        return decode(path.toString(), bytes);
    }

    /** Decodes bytes as strict UTF-8, as {@link #read(Path)} does. */
    public static SourceFile decode(String name, byte[] bytes) throws MalformedSourceException {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new MalformedSourceException(new SourcePos(name, line, 1),
                    "file is not valid UTF-8 text (first bad byte at offset " + offset + ")");
        }
        out.flip();
        return new SourceFile(name, out.toString());
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    /** Number of lines (a file without a trailing newline still counts its last line). */
    public int lineCount() {
        return lineStarts.length;
    }

    /** The text of a 1-based line without its line terminator, or "" when out of range. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) {
            return "";
        }
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] : text.length();
        while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(start, end);
    }

    public SourcePos pos(int line, int column) {
        return new SourcePos(name, line, column);
    }

    private static int[] computeLineStarts(String text) {
        int[] starts = new int[16];
        int n = 0;
        starts[n++] = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n' && i + 1 < text.length()) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                }
                starts[n++] = i + 1;
            }
        }
        return Arrays.copyOf(starts, n);
    }

    @Override
    public String toString() {
        return name;
    }
}
