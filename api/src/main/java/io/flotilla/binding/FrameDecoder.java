package io.flotilla.binding;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameHandler;
import io.flotilla.frame.FrameReader;
import java.util.Arrays;
import java.util.Objects;

/**
 * Runtime support of every generated decoder: reassembles the frames of one binding end into messages and checks
 * everything that does not depend on the interface (message numbers staying the same within a message, fragment
 * order, the last-fragment bit, the token, unused words, string and array lengths against their maxima, padding
 * after the last element, strict UTF-8). The generated decoder extends it with the interface's layouts
 * ({@link #start}), names, and one dispatch method per wire message, which checks the fixed part's padding and
 * values and calls the handler or the reply continuation.
 *
 * <p>A violation is reported once and the decoder starts over with the next message; nothing is thrown out of
 * {@link #onFrame}. A rejected rpc response fails the call waiting for it ({@link RpcStatus#REJECTED}); a rejected
 * rpc call is reported here and to the peer, whose caller gets the same status. Memory for strings and arrays
 * grows only as their frames arrive, and never beyond the declared maxima. Decoding a message whose arguments are
 * all primitive or enum values allocates nothing.
 */
public abstract class FrameDecoder implements FrameHandler {

    /** The kind of a wire message (for {@link #expect}): a one-way message. */
    protected static final int MESSAGE = 0;
    /** The kind of a wire message: the call half of an rpc. */
    protected static final int CALL = 1;
    /** The kind of a wire message: the response half of an rpc. */
    protected static final int RESPONSE = 2;

    /** Where errors are reported and capabilities received. */
    protected final Binding binding;
    /** The fixed part of the message being reassembled, word by word. */
    protected final long[] fixed;

    /**
     * The frame being taken by {@link #onFrame}, copied out of the transport in one {@link FrameReader#read} call:
     * one interface call per frame, not one per word, for the reason {@link FrameEncoder} gives.
     */
    private final long[] frameWords = new long[Frame.PAYLOAD_WORDS];
    private final String errorPrefix;
    private long[] varWords = new long[16];
    private final int[] partOffset;
    private final int[] partLength;
    private final int[] partPerWord;
    private final long[] partMax;
    private int message;
    private int kind;
    private int token;
    private int framesSeen;
    private int fixedFrames;
    private int fixedWords;
    private int fixedFramesSeen;
    private int partCount;
    private int part;
    private int partWords;
    private int partWordsRead;
    private int varUsed;
    private boolean partStarted;

    /**
     * @param binding where errors are reported and capabilities received
     * @param interfaceName the interface's name, at the start of every error message
     * @param maxFixedFrames the most fixed frames any message of the interface has
     * @param maxParts the most strings and arrays any message of the interface has
     */
    protected FrameDecoder(Binding binding, String interfaceName, int maxFixedFrames, int maxParts) {
        this.binding = Objects.requireNonNull(binding, "binding");
        this.errorPrefix = interfaceName + ": ";
        this.fixed = new long[Math.max(1, maxFixedFrames) * 7];
        int parts = Math.max(1, maxParts);
        this.partOffset = new int[parts];
        this.partLength = new int[parts];
        this.partPerWord = new int[parts];
        this.partMax = new long[parts];
    }

    /**
     * Sets up the layout of message {@code number} by calling {@link #expect} and {@link #expectPart}.
     *
     * @param number a message number
     * @return false if the interface has no such message
     */
    protected abstract boolean start(int number);

    /**
     * @param number a message number
     * @return the message's name in the interface file, for error messages
     */
    protected abstract String messageName(int number);

    /** Checks and delivers the complete message {@link #currentMessage()}; then {@link #reset()} must be called. */
    protected abstract void dispatch();

    /**
     * Delivers a message that came as an object in one frame (a transport that passes objects), without decoding.
     *
     * @param attached the object; must be the message's own carrier
     */
    protected abstract void passed(Object attached);

    /**
     * The layout of the message {@link #start} sets up.
     *
     * @param kind {@link #MESSAGE}, {@link #CALL} or {@link #RESPONSE}
     * @param fixedFrames frames of its fixed part
     * @param fixedWords words of its fixed part
     * @param partCount its strings and dynamic arrays
     */
    protected final void expect(int kind, int fixedFrames, int fixedWords, int partCount) {
        this.kind = kind;
        this.fixedFrames = fixedFrames;
        this.fixedWords = fixedWords;
        this.partCount = partCount;
    }

    /**
     * One string or dynamic array of the message {@link #start} sets up.
     *
     * @param index the part, from 0
     * @param perWord elements per word
     * @param max the most elements (bytes of a string) it may have
     */
    protected final void expectPart(int index, int perWord, long max) {
        this.partPerWord[index] = perWord;
        this.partMax[index] = max;
    }

    /** @return the number of the message being decoded */
    protected final int currentMessage() {
        return message;
    }

    /** @return the token of the message being decoded: the rpc's token, 0 for a one-way message */
    protected final int currentToken() {
        return token;
    }

    /**
     * Takes one frame; delivers the message it completes. Never throws for bad input.
     *
     * @param frame the frame
     */
    @Override
    public final void onFrame(FrameReader frame) {
        long[] into = destination(this.frameWords);
        int at = destinationOffset();
        take(frame.read(into, at), into, at, frame);
    }

    /**
     * Where the next frame's words are best read to: straight into the fixed part, at the place of its next frame,
     * while the next frame is most likely one (no message in progress, or one whose fixed part is not complete), so
     * that they are copied once; else {@code scratch}. A guess only: {@link #take} moves words that turn out to
     * belong elsewhere, and writing into the fixed part never harms, since only the message in progress uses it and
     * its earlier frames lie below this offset.
     *
     * @param scratch seven words of the caller's
     * @return the fixed part or {@code scratch}
     */
    final long[] destination(long[] scratch) {
        return this.message == 0 || this.fixedFramesSeen < this.fixedFrames ? this.fixed : scratch;
    }

    /** @return the offset for {@link #destination}: the next fixed frame's, or 0 */
    final int destinationOffset() {
        return this.fixedFramesSeen < this.fixedFrames ? this.fixedFramesSeen * 7 : 0;
    }

    /**
     * As {@link #onFrame}, for a frame whose words and control word the caller has read already, in one call into
     * its channel: how a {@link Binding} delivers, so that a frame costs one call through {@code FrameReader}, not
     * a second round of them here (in a program with several transports each is megamorphic; issue 19).
     *
     * @param control the frame's control word
     * @param words holds its seven payload words, best where {@link #destination} said; read during this call only
     * @param offset the index of payload word 0 in {@code words}
     * @param frame the frame itself, asked only for an attached object
     */
    final void take(long control, long[] words, int offset, FrameReader frame) {
        int number = ControlWord.message(control);
        int fragment = ControlWord.fragment(control);
        boolean last = ControlWord.isLast(control);
        int frameToken = ControlWord.token(control);
        if (this.message != 0) {
            if (number != this.message) {
                fail("truncated message: " + messageName(this.message) + " ended after " + this.framesSeen
                        + " frame(s) without its last frame; next came a frame of " + messageName(number));
                if (fragment != 0) {
                    return;
                }
                // that frame may start a new message: go on with it
            } else if (fragment != (this.framesSeen & (ControlWord.FRAGMENT_MODULUS - 1))) {
                int expected = this.framesSeen & (ControlWord.FRAGMENT_MODULUS - 1);
                fail(messageName(number) + ": frame out of order: fragment " + fragment + " where " + expected);
                return;
            } else if (frameToken != this.token) {
                fail(messageName(number) + ": token changed in the middle of the message");
                return;
            }
        }
        if (this.message == 0) {
            if (!start(number)) {
                fail("unknown message number " + number);
                return;
            }
            if (fragment != 0) {
                reset();
                fail(messageName(number) + ": fragment " + fragment
                        + " arrived without the message's first frame (out of order or truncated)");
                return;
            }
            this.message = number;
            this.token = frameToken;
        }
        // A message passed as an object (lrpc) is one frame; only such a frame can carry one.
        if (last && this.framesSeen == 0) {
            Object attached = frame.attachment();
            if (attached != null) {
                passed(attached);
                return;
            }
        }
        this.framesSeen++;
        if (this.fixedFramesSeen < this.fixedFrames) {
            int base = this.fixedFramesSeen * 7;
            if (words != this.fixed || offset != base) {
                System.arraycopy(words, offset, this.fixed, base, Frame.PAYLOAD_WORDS);
            }
            this.fixedFramesSeen++;
            if (this.fixedFramesSeen == this.fixedFrames) {
                for (int i = this.fixedWords; i < this.fixedFrames * 7; i++) {
                    if (this.fixed[i] != 0) {
                        fail(messageName(number) + ": non-zero unused word in the fixed part: " + i);
                        return;
                    }
                }
            }
        } else if (this.part < this.partCount) {
            if (!partFrame(words, offset)) {
                return;
            }
        }
        boolean complete = this.fixedFramesSeen == this.fixedFrames && this.part == this.partCount;
        if (complete != last) {
            fail(messageName(number) + (last ? ": last-fragment bit on frame before the message is complete (truncated)"
                    : ": complete message without the last-fragment bit"));
            return;
        }
        if (complete) {
            dispatch();
        }
    }

    /** One frame of a string or array part; false (after reporting) if it is bad. */
    private boolean partFrame(long[] frame, int offset) {
        int w = 0;
        int perWord = this.partPerWord[this.part];
        if (!this.partStarted) {
            long length = frame[offset];
            if (length < 0 || length > this.partMax[this.part]) {
                fail(messageName(this.message) + ": variable part " + (this.part + 1) + " is oversized: length "
                        + Long.toUnsignedString(length) + ", at most " + this.partMax[this.part]);
                return false;
            }
            this.partLength[this.part] = (int) length;
            this.partOffset[this.part] = this.varUsed;
            this.partWords = (int) ((length + perWord - 1) / perWord);
            this.partWordsRead = 0;
            this.partStarted = true;
            w = 1;
        }
        for (; w < 7 && this.partWordsRead < this.partWords; w++) {
            if (this.varUsed == this.varWords.length) {
                this.varWords = Arrays.copyOf(this.varWords, this.varWords.length * 2);
            }
            this.varWords[this.varUsed++] = frame[offset + w];
            this.partWordsRead++;
        }
        for (; w < 7; w++) {
            if (frame[offset + w] != 0) {
                fail(messageName(this.message) + ": non-zero unused word after a variable part: " + w);
                return false;
            }
        }
        if (this.partWordsRead == this.partWords) {
            int rest = this.partLength[this.part] % perWord;
            if (rest != 0 && (this.varWords[this.varUsed - 1] >>> (rest * (64 / perWord))) != 0) {
                fail(messageName(this.message) + ": non-zero padding after the last element");
                return false;
            }
            this.part++;
            this.partStarted = false;
        }
        return true;
    }

    /** Forgets the message in progress: the next frame must start a message. */
    protected final void reset() {
        this.message = 0;
        this.kind = MESSAGE;
        this.token = 0;
        this.framesSeen = 0;
        this.fixedFramesSeen = 0;
        this.fixedFrames = 0;
        this.partCount = 0;
        this.part = 0;
        this.partStarted = false;
        this.varUsed = 0;
    }

    /**
     * Rejects the message in progress and starts over.
     *
     * @param problem what is wrong, after the interface's name
     */
    protected final void fail(String problem) {
        reject(new BindingException(errorPrefix + problem), RpcStatus.REJECTED);
    }

    /**
     * As {@link #fail(String)}, keeping a capability transfer's own exception as the cause, so a handler can read
     * its kind; a waiting caller gets {@link RpcStatus#CAPABILITY_REFUSED}.
     *
     * @param problem what is wrong
     * @param cause the transfer's exception
     */
    protected final void fail(String problem, BindingException cause) {
        reject(new BindingException(errorPrefix + problem, cause), RpcStatus.CAPABILITY_REFUSED);
    }

    private void reject(BindingException error, RpcStatus status) {
        int rejectedKind = this.kind;
        int rejectedToken = this.token;
        reset();
        binding.rejected(error, status, rejectedKind == CALL, rejectedKind == RESPONSE, rejectedToken);
    }

    /** @param part a part of 8-bit elements @return its elements */
    protected final byte[] bytes(int part) {
        int off = this.partOffset[part];
        byte[] a = new byte[this.partLength[part]];
        for (int i = 0; i < a.length; i++) {
            a[i] = (byte) (this.varWords[off + i / 8] >>> ((i % 8) * 8));
        }
        return a;
    }

    /** @param part a part of 16-bit elements @return its elements */
    protected final short[] shorts(int part) {
        int off = this.partOffset[part];
        short[] a = new short[this.partLength[part]];
        for (int i = 0; i < a.length; i++) {
            a[i] = (short) (this.varWords[off + i / 4] >>> ((i % 4) * 16));
        }
        return a;
    }

    /** @param part a part of 32-bit elements @return its elements */
    protected final int[] ints(int part) {
        int off = this.partOffset[part];
        int[] a = new int[this.partLength[part]];
        for (int i = 0; i < a.length; i++) {
            a[i] = (int) (this.varWords[off + i / 2] >>> ((i % 2) * 32));
        }
        return a;
    }

    /** @param part a part of 64-bit elements @return its elements */
    protected final long[] longs(int part) {
        int off = this.partOffset[part];
        long[] a = new long[this.partLength[part]];
        for (int i = 0; i < a.length; i++) {
            a[i] = this.varWords[off + i];
        }
        return a;
    }

    /**
     * @param part a part of bools
     * @return its bytes as booleans, or null if a byte is neither 0 nor 1
     */
    protected final boolean[] booleans(int part) {
        int off = this.partOffset[part];
        boolean[] a = new boolean[this.partLength[part]];
        for (int i = 0; i < a.length; i++) {
            long v = (this.varWords[off + i / 8] >>> ((i % 8) * 8)) & 0xFFL;
            if (v > 1) {
                return null;
            }
            a[i] = v == 1;
        }
        return a;
    }

    /**
     * @param part a string part
     * @return its bytes decoded as UTF-8, strictly (no overlong forms, no surrogates, nothing above U+10FFFF), or
     *     null if they are not valid UTF-8
     */
    protected final String string(int part) {
        int off = this.partOffset[part];
        int n = this.partLength[part];
        char[] out = new char[n];
        int o = 0;
        int i = 0;
        while (i < n) {
            int b0 = byteAt(off, i);
            int cp;
            int more;
            int min;
            if (b0 < 0x80) {
                out[o++] = (char) b0;
                i++;
                continue;
            } else if (b0 >= 0xC2 && b0 < 0xE0) {
                cp = b0 & 0x1F;
                more = 1;
                min = 0x80;
            } else if (b0 >= 0xE0 && b0 < 0xF0) {
                cp = b0 & 0x0F;
                more = 2;
                min = 0x800;
            } else if (b0 >= 0xF0 && b0 < 0xF5) {
                cp = b0 & 0x07;
                more = 3;
                min = 0x10000;
            } else {
                return null;
            }
            if (i + more >= n) {
                return null;
            }
            for (int k = 1; k <= more; k++) {
                int bk = byteAt(off, i + k);
                if ((bk & 0xC0) != 0x80) {
                    return null;
                }
                cp = (cp << 6) | (bk & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return null;
            }
            o += Character.toChars(cp, out, o);
            i += more + 1;
        }
        return new String(out, 0, o);
    }

    private int byteAt(int off, int i) {
        return (int) (this.varWords[off + i / 8] >>> ((i % 8) * 8)) & 0xFF;
    }
}
