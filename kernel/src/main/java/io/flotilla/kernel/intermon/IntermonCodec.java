package io.flotilla.kernel.intermon;

import io.flotilla.frame.ControlWord;
import io.flotilla.frame.Frame;
import io.flotilla.frame.FrameReader;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The frame encoding of {@link IntermonMessage}s (version {@value #VERSION}), hand-written because the framework
 * module cannot use the interface compiler (the generator's own build depends on the framework).
 *
 * <pre>
 * every frame   control word: message {@value #FRAME_MESSAGE}, fragment i (0, 1, ...), last bit on the final frame
 * frame 0       word 0 = magic 0x494D ("IM") &lt;&lt; 48 | version &lt;&lt; 40 | type &lt;&lt; 32 | body length (bytes)
 *               word 1 = target core (signed; -1 for a message to the node)
 *               words 2..6 = body bytes 0..39
 * frame i &gt; 0  words 0..6 = the next 56 body bytes
 * body          big-endian fields in the order of the record's components; text is u16 length + UTF-8;
 *               booleans are one byte 0 or 1; ints u32, longs u64, port u16
 * </pre>
 *
 * A body is at most {@value #MAX_BODY_BYTES} bytes, so a message is at most 37 frames. The decoder
 * ({@link Assembler}) refuses, with a reason, anything else: a wrong magic, version or type, a length over the
 * limit, a fragment out of order, a frame count that does not match the length, a last bit too early or missing,
 * a field out of range, text that is not valid UTF-8 or too long, or bytes left over after the last field.
 */
public final class IntermonCodec {

    /** The protocol version in every first frame. */
    public static final int VERSION = 2;
    /** The message number of every intermon frame in its control word. */
    public static final int FRAME_MESSAGE = ControlWord.FIRST_USER_MESSAGE;
    /** Largest body, in bytes. */
    public static final int MAX_BODY_BYTES = 2048;

    static final int MAGIC = 0x494D;
    static final int FIRST_FRAME_BYTES = 5 * Long.BYTES;
    static final int NEXT_FRAME_BYTES = Frame.PAYLOAD_WORDS * Long.BYTES;

    static final int HELLO = 1;
    static final int VIEW = 2;
    static final int STOP = 3;
    static final int LEAVE = 4;
    static final int READY = 5;
    static final int REGISTER = 16;
    static final int DEREGISTER = 17;
    static final int RESOLVE = 18;
    static final int RESOLVED = 19;
    static final int BIND_REQUEST = 20;
    static final int BIND_OFFER = 21;
    static final int BIND_REPLY = 22;
    static final int BIND_URPC = 23;
    static final int SWAP_REQUEST = 24;
    static final int SWAP_NET = 25;
    static final int SWAP_URPC = 26;
    static final int SWAP_DONE = 27;

    /** A decoded message and the core it is for (-1: the node). */
    public record Envelope(int target, IntermonMessage message) {}

    private IntermonCodec() {}

    /**
     * Encodes {@code message} for {@code target} as frames: {@link Frame#WORDS} longs per frame, the seven payload
     * words then the control word. Not on a hot path (binds and look-ups), so it allocates.
     */
    public static long[] encode(int target, IntermonMessage message) {
        if (message.forMonitor() ? target < 0 : target != -1) {
            throw new IllegalArgumentException("target " + target + " for " + message);
        }
        ByteBuffer body = ByteBuffer.allocate(MAX_BODY_BYTES);
        if (message instanceof IntermonMessage.Hello h) {
            body.putShort((short) h.node()).putShort((short) h.nodes()).putInt(h.firstCore()).putInt(h.lastCore())
                    .putLong(h.pid());
            putText(body, h.topology());
            putText(body, h.host());
            putText(body, h.hostId());
        } else if (message instanceof IntermonMessage.View v) {
            body.putLong(v.digest());
        } else if (message instanceof IntermonMessage.Leave l) {
            putText(body, l.reason());
        } else if (message instanceof IntermonMessage.Register r) {
            body.putInt(r.iref());
            putText(body, r.name());
        } else if (message instanceof IntermonMessage.Deregister d) {
            body.putInt(d.iref());
            putText(body, d.name());
        } else if (message instanceof IntermonMessage.Resolve r) {
            body.putLong(r.request()).putInt(r.askingCore());
            putText(body, r.name());
        } else if (message instanceof IntermonMessage.Resolved r) {
            body.putLong(r.request()).putInt(r.iref());
        } else if (message instanceof IntermonMessage.BindRequest b) {
            body.putLong(b.request()).putInt(b.clientCore()).putInt(b.iref());
            putText(body, b.name());
        } else if (message instanceof IntermonMessage.BindOffer o) {
            body.putLong(o.request());
            putText(body, o.host());
            body.putShort((short) o.port()).putLong(o.token());
        } else if (message instanceof IntermonMessage.BindReply r) {
            body.putLong(r.request()).put((byte) (r.ok() ? 1 : 0));
            putText(body, r.reason());
        } else if (message instanceof IntermonMessage.BindUrpc u) {
            body.putLong(u.request());
            putText(body, u.file());
        } else if (message instanceof IntermonMessage.SwapRequest r) {
            body.putLong(r.bind()).putInt(r.clientCore()).putLong(r.swap());
            putText(body, r.transport());
        } else if (message instanceof IntermonMessage.SwapNet n) {
            body.putLong(n.bind()).putInt(n.serverCore()).putLong(n.swap()).put((byte) (n.clientAsked() ? 1 : 0));
            putText(body, n.host());
            body.putShort((short) n.port()).putLong(n.token());
        } else if (message instanceof IntermonMessage.SwapUrpc u) {
            body.putLong(u.bind()).putInt(u.serverCore()).putLong(u.swap()).put((byte) (u.clientAsked() ? 1 : 0));
            putText(body, u.file());
        } else if (message instanceof IntermonMessage.SwapDone d) {
            body.putLong(d.bind()).putInt(d.clientCore()).putInt(d.fromCore()).putLong(d.swap())
                    .put((byte) (d.clientAsked() ? 1 : 0)).put((byte) (d.ok() ? 1 : 0));
            putText(body, d.reason());
        } // Stop and Ready have no body
        int length = body.position();
        int frames = framesFor(length);
        long[] out = new long[frames * Frame.WORDS];
        out[0] = (long) MAGIC << 48 | (long) VERSION << 40 | (long) message.type() << 32 | length;
        out[1] = target;
        body.flip();
        for (int f = 0; f < frames; f++) {
            for (int w = f == 0 ? 2 : 0; w < Frame.PAYLOAD_WORDS; w++) {
                out[f * Frame.WORDS + w] = nextWord(body);
            }
            out[f * Frame.WORDS + Frame.PAYLOAD_WORDS] = ControlWord.of(FRAME_MESSAGE, f, f == frames - 1, 0);
        }
        return out;
    }

    /** Frames a body of {@code length} bytes takes. */
    static int framesFor(int length) {
        return length <= FIRST_FRAME_BYTES ? 1 : 1 + (length - FIRST_FRAME_BYTES + NEXT_FRAME_BYTES - 1)
                / NEXT_FRAME_BYTES;
    }

    private static long nextWord(ByteBuffer body) {
        long w = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            w = w << 8 | (body.hasRemaining() ? body.get() & 0xFF : 0);
        }
        return w;
    }

    private static void putText(ByteBuffer body, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        body.putShort((short) bytes.length).put(bytes);
    }

    /** Refuses null, too long, or (unless {@code mayBeEmpty}) empty text. */
    static void checkText(String s, String field, int maxBytes, boolean mayBeEmpty) {
        if (s == null) {
            throw new IntermonException("missing " + field);
        }
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        if (n > maxBytes) {
            throw new IntermonException(field + " is " + n + " UTF-8 bytes, more than " + maxBytes);
        }
        if (n == 0 && !mayBeEmpty) {
            throw new IntermonException("empty " + field);
        }
    }

    /**
     * Reassembles messages from the frames of one link, in order. Not thread-safe: one per link, used by the thread
     * that polls it. After an {@link IntermonException} the link is broken and the assembler must not be fed again.
     */
    public static final class Assembler {
        private final byte[] body = new byte[MAX_BODY_BYTES + NEXT_FRAME_BYTES];
        private int type;
        private int target;
        private int length;
        private int frames;
        private int next; // the next fragment expected; 0 when between messages
        private int filled;

        /**
         * Takes the next frame of the link.
         *
         * @return the message it completes, or null if more frames are needed
         * @throws IntermonException if the frame or the message it completes is malformed
         */
        public Envelope accept(FrameReader frame) {
            long control = frame.control();
            if (ControlWord.message(control) != FRAME_MESSAGE) {
                throw new IntermonException("frame with message number " + ControlWord.message(control)
                        + ", expected " + FRAME_MESSAGE);
            }
            int fragment = ControlWord.fragment(control);
            if (fragment != next) {
                throw new IntermonException("fragment " + fragment + " where fragment " + next + " was expected");
            }
            if (next == 0) {
                start(frame.word(0), frame.word(1));
            }
            for (int w = next == 0 ? 2 : 0; w < Frame.PAYLOAD_WORDS; w++) {
                long word = frame.word(w);
                for (int b = 0; b < Long.BYTES; b++) {
                    body[filled++] = (byte) (word >>> (56 - 8 * b));
                }
            }
            next++;
            boolean last = ControlWord.isLast(control);
            if (last != (next == frames)) {
                throw new IntermonException(last ? "last bit on fragment " + fragment + " of a " + frames
                        + "-frame message" : "no last bit on fragment " + fragment + ", the final one of "
                        + frames);
            }
            if (!last) {
                return null;
            }
            next = 0;
            return new Envelope(target, decode(type, ByteBuffer.wrap(body, 0, length)));
        }

        private void start(long header, long targetWord) {
            int magic = (int) (header >>> 48);
            int version = (int) (header >>> 40) & 0xFF;
            type = (int) (header >>> 32) & 0xFF;
            long len = header & 0xFFFF_FFFFL;
            if (magic != MAGIC) {
                throw new IntermonException("bad magic 0x" + Integer.toHexString(magic) + " (not an intermon frame)");
            }
            if (version != VERSION) {
                throw new IntermonException("intermon version " + version + ", this node speaks " + VERSION);
            }
            if (len > MAX_BODY_BYTES) {
                throw new IntermonException("body of " + len + " bytes, more than " + MAX_BODY_BYTES);
            }
            if (targetWord < -1 || targetWord > Integer.MAX_VALUE) {
                throw new IntermonException("target core " + targetWord + " out of range");
            }
            length = (int) len;
            target = (int) targetWord;
            frames = framesFor(length);
            filled = 0;
        }
    }

    static IntermonMessage decode(int type, ByteBuffer in) {
        IntermonMessage m;
        try {
            m = switch (type) {
                case HELLO -> new IntermonMessage.Hello(in.getShort() & 0xFFFF, in.getShort() & 0xFFFF, in.getInt(),
                        in.getInt(), in.getLong(), text(in, "topology"), text(in, "host"), text(in, "host identity"));
                case VIEW -> new IntermonMessage.View(in.getLong());
                case STOP -> new IntermonMessage.Stop();
                case READY -> new IntermonMessage.Ready();
                case LEAVE -> new IntermonMessage.Leave(text(in, "reason"));
                case REGISTER -> new IntermonMessage.Register(in.getInt(), text(in, "name"));
                case DEREGISTER -> new IntermonMessage.Deregister(in.getInt(), text(in, "name"));
                case RESOLVE -> new IntermonMessage.Resolve(in.getLong(), in.getInt(), text(in, "name"));
                case RESOLVED -> new IntermonMessage.Resolved(in.getLong(), in.getInt());
                case BIND_REQUEST -> new IntermonMessage.BindRequest(in.getLong(), in.getInt(), in.getInt(),
                        text(in, "name"));
                case BIND_OFFER -> new IntermonMessage.BindOffer(in.getLong(), text(in, "host"),
                        in.getShort() & 0xFFFF, in.getLong());
                case BIND_REPLY -> new IntermonMessage.BindReply(in.getLong(), bool(in.get()), text(in, "reason"));
                case BIND_URPC -> new IntermonMessage.BindUrpc(in.getLong(), text(in, "file"));
                case SWAP_REQUEST -> new IntermonMessage.SwapRequest(in.getLong(), in.getInt(), in.getLong(),
                        text(in, "transport"));
                case SWAP_NET -> new IntermonMessage.SwapNet(in.getLong(), in.getInt(), in.getLong(), bool(in.get()),
                        text(in, "host"), in.getShort() & 0xFFFF, in.getLong());
                case SWAP_URPC -> new IntermonMessage.SwapUrpc(in.getLong(), in.getInt(), in.getLong(),
                        bool(in.get()), text(in, "file"));
                case SWAP_DONE -> new IntermonMessage.SwapDone(in.getLong(), in.getInt(), in.getInt(), in.getLong(),
                        bool(in.get()), bool(in.get()), text(in, "reason"));
                default -> throw new IntermonException("unknown message type " + type);
            };
        } catch (BufferUnderflowException e) {
            throw new IntermonException("type " + type + " body of " + in.limit() + " bytes is truncated");
        }
        if (in.hasRemaining()) {
            throw new IntermonException(in.remaining() + " bytes left over after a " + m.getClass().getSimpleName());
        }
        return m;
    }

    private static boolean bool(byte b) {
        if (b != 0 && b != 1) {
            throw new IntermonException("boolean byte " + b);
        }
        return b == 1;
    }

    private static String text(ByteBuffer in, String field) {
        int n = in.getShort() & 0xFFFF;
        if (n > in.remaining()) {
            throw new IntermonException(field + " of " + n + " bytes runs past the body");
        }
        ByteBuffer bytes = in.slice(in.position(), n);
        in.position(in.position() + n);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IntermonException(field + " is not valid UTF-8");
        }
    }
}
