package io.flotilla.agreement;

/**
 * One operation put to agreement: an opcode saying what it is (a {@link Voter} is registered per opcode), four
 * words of arguments and an optional string payload (empty when there is none). The id names it on every core while
 * it is in flight; it carries the coordinating core in its top bits, so ids of different coordinators never collide.
 *
 * @param id the operation id ({@link #id(int, long)})
 * @param opcode what the operation is; the participants' voters are looked up by it
 * @param payload at most {@link #MAX_PAYLOAD_BYTES} bytes of UTF-8, never null ("" for none; a null given to the
 *     constructor becomes "")
 */
public record Proposal(long id, int opcode, long a0, long a1, long a2, long a3, String payload) {

    /** Bits of an id below the coordinator's core: about a trillion operations per coordinator. */
    public static final int SEQUENCE_BITS = 40;

    /**
     * The most a payload may hold, in UTF-8 bytes (so at most this many characters, fewer outside ASCII). It rides
     * in the continuation frames of the prepare (two-phase) or apply (one-phase) message.
     */
    public static final int MAX_PAYLOAD_BYTES = 1024;

    public Proposal {
        payload = payload == null ? "" : payload;
        checkPayload(payload);
    }

    /** An operation without a payload. */
    public Proposal(long id, int opcode, long a0, long a1, long a2, long a3) {
        this(id, opcode, a0, a1, a2, a3, "");
    }

    /**
     * Refuses a payload that does not fit a proposal: longer than {@link #MAX_PAYLOAD_BYTES} in UTF-8, or not valid
     * Unicode (an unpaired surrogate cannot be encoded). Null is the empty payload.
     *
     * @throws IllegalArgumentException naming the length or the position of the bad character
     */
    public static void checkPayload(String payload) {
        if (payload == null) {
            return;
        }
        long bytes = 0;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= payload.length()
                        || !Character.isLowSurrogate(payload.charAt(i + 1))) {
                    throw new IllegalArgumentException("proposal payload is not valid Unicode: unpaired surrogate at "
                            + "index " + i);
                }
                i++;
                bytes += 4;
            } else {
                bytes += 3;
            }
        }
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("proposal payload of " + bytes + " UTF-8 bytes (" + payload.length()
                    + " chars) exceeds " + MAX_PAYLOAD_BYTES + " bytes");
        }
    }

    /** The id of the {@code sequence}-th operation coordinated by {@code coordinator}. */
    public static long id(int coordinator, long sequence) {
        if (coordinator < 0 || coordinator >= 1 << (63 - SEQUENCE_BITS)) {
            throw new IllegalArgumentException("coordinator core out of range: " + coordinator);
        }
        if (sequence < 0 || sequence >= 1L << SEQUENCE_BITS) {
            throw new IllegalArgumentException("sequence out of range: " + sequence);
        }
        return ((long) coordinator << SEQUENCE_BITS) | sequence;
    }

    /** The core that coordinates operation {@code id}. */
    public static int coordinatorOf(long id) {
        return (int) (id >>> SEQUENCE_BITS);
    }

    /** The coordinator's own count of this operation, from 1. */
    public static long sequenceOf(long id) {
        return id & ((1L << SEQUENCE_BITS) - 1);
    }

    public int coordinator() {
        return coordinatorOf(id);
    }

    @Override
    public String toString() {
        return "Proposal[" + coordinator() + "#" + sequenceOf(id) + ", opcode " + opcode + ", " + a0 + ", " + a1
                + ", " + a2 + ", " + a3
                + (payload.isEmpty() ? "" : ", payload of " + payload.length() + " chars") + "]";
    }
}
