package io.flotilla.frame;

/**
 * Packs and unpacks the 64-bit control word of a frame.
 *
 * <pre>
 *  bits  0..7   reserved for the transport (URPC's epoch bit, ...); codecs write 0 and ignore them on read
 *  bits  8..23  message number (16 bits): 0 is never a message, so a zeroed slot is never mistaken for one
 *  bits 24..30  fragment index of this frame within its message, modulo 128
 *  bit  31      last fragment of the message
 *  bits 32..63  token: matches an rpc response to its call; 0 for one-way messages
 * </pre>
 *
 * <p>Message numbers follow Flounder: 1 and 2 are the bind handshake, user messages start at
 * {@link #FIRST_USER_MESSAGE} in file order, an rpc takes two consecutive numbers (call, then response). Numbers from
 * {@link #FIRST_FRAMEWORK_MESSAGE} up are reserved for the framework's own control frames (swap markers, capability
 * acknowledgements).
 */
public final class ControlWord {

    public static final int TRANSPORT_BITS = 8;
    public static final long TRANSPORT_MASK = (1L << TRANSPORT_BITS) - 1;

    public static final int BIND_MESSAGE = 1;
    public static final int BIND_REPLY_MESSAGE = 2;
    public static final int FIRST_USER_MESSAGE = 3;
    public static final int FIRST_FRAMEWORK_MESSAGE = 0xFF00;
    public static final int MAX_MESSAGE = 0xFFFF;

    /** Fragment indexes wrap at this value; the index is a sequence check, not a count. */
    public static final int FRAGMENT_MODULUS = 128;

    private static final int MESSAGE_SHIFT = 8;
    private static final int FRAGMENT_SHIFT = 24;
    private static final long LAST_BIT = 1L << 31;
    private static final int TOKEN_SHIFT = 32;

    private ControlWord() {}

    /** Builds a control word with the transport bits clear. */
    public static long of(int message, int fragment, boolean last, int token) {
        return ((long) (message & 0xFFFF) << MESSAGE_SHIFT)
                | ((long) (fragment & (FRAGMENT_MODULUS - 1)) << FRAGMENT_SHIFT)
                | (last ? LAST_BIT : 0L)
                | ((long) token << TOKEN_SHIFT);
    }

    public static int message(long control) {
        return (int) (control >>> MESSAGE_SHIFT) & 0xFFFF;
    }

    public static int fragment(long control) {
        return (int) (control >>> FRAGMENT_SHIFT) & (FRAGMENT_MODULUS - 1);
    }

    public static boolean isLast(long control) {
        return (control & LAST_BIT) != 0;
    }

    public static int token(long control) {
        return (int) (control >>> TOKEN_SHIFT);
    }

    public static int transportBits(long control) {
        return (int) (control & TRANSPORT_MASK);
    }

    /** The same control word with its transport bits replaced. */
    public static long withTransportBits(long control, int bits) {
        return (control & ~TRANSPORT_MASK) | (bits & TRANSPORT_MASK);
    }

    public static String toString(long control) {
        return "msg=" + message(control) + " frag=" + fragment(control) + (isLast(control) ? " last" : "")
                + " token=" + Integer.toUnsignedString(token(control));
    }
}
