package io.flotilla.binding;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameSink;
import io.flotilla.frame.FrameWriter;
import java.util.Objects;

/**
 * Runtime support of every generated frame codec: the frame-by-frame writing that is the same for all interfaces
 * (control words, fragment numbering, and the packing of strings and dynamic arrays into the words of their own
 * frames, {@code docs/wire-format.md}). A generated codec extends it and adds one {@code encodeX}/{@code framesX}
 * pair per wire message, which writes the message's fixed part word by word and calls these helpers for the rest.
 * Flounder keeps such code in its runtime library too, rather than in every generated file.
 *
 * <p><b>One transport call per frame.</b> A frame's payload words are gathered in {@link #words}, this encoder's
 * own (one array per binding end, not per message), and handed to the transport in one
 * {@link FrameWriter#publish(long, long[], int, int)}. A program whose bindings use several transports has several
 * writer classes behind that call site, where the JIT can inline none of them; one call per frame rather than one
 * per word is what keeps its messages about as cheap as a one-transport program's (issue 19).
 *
 * <p>One encoder per binding end, used by that end's event loop only. Nothing here allocates.
 */
public abstract class FrameEncoder {

    /** Where frames go, normally a {@link Binding}. */
    protected final FrameSink sink;
    /** Moves capability arguments out of band. */
    protected final CapabilityTransfer caps;
    /** The frame being written; null between frames. */
    protected FrameWriter writer;
    /** The payload words of the frame being written, sent with {@link #publishFrame(int)}. */
    protected final long[] words = new long[Frame.PAYLOAD_WORDS];

    private int message;
    private int token;
    private int fragment;
    private int framesLeft;
    private int wordIndex;
    private int accBits;
    private long acc;

    /**
     * @param sink where frames go (normally a {@link Binding})
     * @param caps moves capability arguments out of band
     */
    protected FrameEncoder(FrameSink sink, CapabilityTransfer caps) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.caps = Objects.requireNonNull(caps, "caps");
    }

    /**
     * Starts a message of {@code frames} frames.
     *
     * @param message the message number
     * @param token the rpc token, 0 for a one-way message
     * @param frames how many frames the message takes
     */
    protected final void begin(int message, int token, int frames) {
        this.message = message;
        this.token = token;
        this.fragment = 0;
        this.framesLeft = frames;
    }

    /** Claims the message's next frame from the sink. */
    protected final void claimFrame() {
        this.writer = this.sink.claim();
        this.wordIndex = 0;
    }

    /**
     * Publishes the frame being written, with the last-fragment bit on the message's last frame: the payload words
     * are whatever was written to {@link #writer} word by word (none, for a frame that carries an object).
     */
    protected final void publishFrame() {
        this.writer.publish(nextControl());
        this.writer = null;
    }

    /**
     * Publishes the frame being written with payload words {@code words[0..count)}, in one transport call; the
     * words after them are zero.
     *
     * @param count payload words written to {@link #words}
     */
    protected final void publishFrame(int count) {
        this.writer.publish(nextControl(), this.words, 0, count);
        this.writer = null;
    }

    /** The control word of the message's next frame; counts the frame as sent. */
    private long nextControl() {
        this.framesLeft--;
        long control = ControlWord.of(this.message, this.fragment, this.framesLeft == 0, this.token);
        this.fragment++;
        return control;
    }

    /**
     * Makes the frame being written the message's only remaining frame: a message passed as one object (lrpc)
     * is one frame whatever its marshalled size.
     */
    protected final void lastFrame() {
        this.framesLeft = 1;
    }

    /**
     * Starts a string or array part in a fresh frame.
     *
     * @param length the part's length word: bytes of a string, elements of an array
     */
    protected final void startPart(int length) {
        claimFrame();
        startClaimedPart(length);
    }

    /**
     * Starts a string or array part in the frame just claimed.
     *
     * @param length the part's length word
     */
    protected final void startClaimedPart(int length) {
        this.words[0] = length;
        this.wordIndex = 1;
        this.acc = 0;
        this.accBits = 0;
    }

    private void putVarWord(long word) {
        if (this.wordIndex == Frame.PAYLOAD_WORDS) {
            publishFrame(Frame.PAYLOAD_WORDS);
            claimFrame();
        }
        this.words[this.wordIndex++] = word;
    }

    /** Appends an element; {@code value} has no bits above {@code bits}. */
    private void putBits(long value, int bits) {
        this.acc |= value << this.accBits;
        this.accBits += bits;
        if (this.accBits == 64) {
            putVarWord(this.acc);
            this.acc = 0;
            this.accBits = 0;
        }
    }

    /** Ends a string or array part: writes what is left of its last word and publishes its last frame. */
    protected final void endPart() {
        if (this.accBits > 0) {
            putVarWord(this.acc);
        }
        publishFrame(this.wordIndex);
    }

    /** @param values the elements of a part of 8-bit integers or chars */
    protected final void putBytes(byte[] values) {
        for (int i = 0; i < values.length; i++) {
            putBits(values[i] & 0xFFL, 8);
        }
    }

    /** @param values the elements of a part of bools, one byte (0 or 1) each */
    protected final void putBooleans(boolean[] values) {
        for (int i = 0; i < values.length; i++) {
            putBits(values[i] ? 1L : 0L, 8);
        }
    }

    /** @param values the elements of a part of 16-bit integers */
    protected final void putShorts(short[] values) {
        for (int i = 0; i < values.length; i++) {
            putBits(values[i] & 0xFFFFL, 16);
        }
    }

    /** @param values the elements of a part of 32-bit integers */
    protected final void putInts(int[] values) {
        for (int i = 0; i < values.length; i++) {
            putBits(values[i] & 0xFFFFFFFFL, 32);
        }
    }

    /** @param values the elements of a part of 64-bit integers */
    protected final void putLongs(long[] values) {
        for (int i = 0; i < values.length; i++) {
            putVarWord(values[i]);
        }
    }

    /**
     * Appends the UTF-8 encoding of {@code s}, which {@link #utf8Length} has checked.
     *
     * @param s the string
     */
    protected final void putString(String s) {
        for (int i = 0; i < s.length(); i++) {
            int c = s.charAt(i);
            if (c < 0x80) {
                putBits(c, 8);
            } else if (c < 0x800) {
                putBits(0xC0 | (c >>> 6), 8);
                putBits(0x80 | (c & 0x3F), 8);
            } else if (Character.isHighSurrogate((char) c)) {
                int cp = Character.toCodePoint((char) c, s.charAt(++i));
                putBits(0xF0 | (cp >>> 18), 8);
                putBits(0x80 | ((cp >>> 12) & 0x3F), 8);
                putBits(0x80 | ((cp >>> 6) & 0x3F), 8);
                putBits(0x80 | (cp & 0x3F), 8);
            } else {
                putBits(0xE0 | (c >>> 12), 8);
                putBits(0x80 | ((c >>> 6) & 0x3F), 8);
                putBits(0x80 | (c & 0x3F), 8);
            }
        }
    }

    /**
     * The UTF-8 length of {@code s}, without allocating.
     *
     * @param s the string
     * @return its length in UTF-8 bytes
     * @throws IllegalArgumentException if {@code s} has an unpaired surrogate
     */
    public static int utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("string is not valid Unicode: unpaired surrogate at index " + i);
                }
                i++;
                n += 4;
            } else {
                n += 3;
            }
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("string too long");
        }
        return (int) n;
    }

    /**
     * Frames of a string or array part: a length word, then the packed elements.
     *
     * @param elements bytes of a string, elements of an array
     * @param perWord elements per 64-bit word
     * @return frames the part takes
     */
    public static int partFrames(int elements, int perWord) {
        long words = 1 + ((long) elements + perWord - 1) / perWord;
        return (int) ((words + 6) / 7);
    }
}
