package io.flotilla.dsl.source;

import java.io.IOException;
import java.io.InputStream;
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
     * Reads a file of at most {@code maxBytes} bytes as strict UTF-8.
     *
     * <p>The size is found by reading, never trusted from the file system: a device or pipe ({@code /dev/zero},
     * {@code /proc} files) reports size 0 however much it yields. At most {@code maxBytes + 1} bytes are read.
     *
     * @throws IOException if the file cannot be read
     * @throws MalformedSourceException if it is larger than {@code maxBytes} or not valid UTF-8; the exception
     *     names the position
     */
    public static SourceFile read(Path path, int maxBytes) throws IOException {
        return decode(path.toString(), readBounded(path, maxBytes));
    }

    /**
     * At most {@code maxBytes} bytes of a file, read through a bounded stream.
     *
     * @throws MalformedSourceException (at line 1, column 1) if the file holds more
     */
    public static byte[] readBounded(Path path, int maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxBytes " + maxBytes + " out of range");
        }
        SourcePos start = new SourcePos(path.toString(), 1, 1);
        // A regular file's size is cheap to trust and spares reading a huge one; anything else is read to see.
        if (Files.isRegularFile(path) && Files.size(path) > maxBytes) {
            throw new MalformedSourceException(start, tooLarge(Files.size(path) + " bytes", maxBytes));
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(path)) {
            // One byte past the limit tells "too large" from "exactly at the limit".
            bytes = in.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            throw new MalformedSourceException(start, tooLarge("more than " + maxBytes + " bytes", maxBytes));
        }
        return bytes;
    }

    private static String tooLarge(String size, int maxBytes) {
        return "file too large: " + size + ", at most " + maxBytes;
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
