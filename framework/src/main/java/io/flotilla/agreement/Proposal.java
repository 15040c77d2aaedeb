package io.flotilla.agreement;

/**
 * One operation put to agreement: an opcode saying what it is (a {@link Voter} is registered per opcode) and four
 * words of arguments. The id names it on every core while it is in flight; it carries the coordinating core in its
 * top bits, so ids of different coordinators never collide.
 *
 * @param id the operation id ({@link #id(int, long)})
 * @param opcode what the operation is; the participants' voters are looked up by it
 */
public record Proposal(long id, int opcode, long a0, long a1, long a2, long a3) {

    /** Bits of an id below the coordinator's core: about a trillion operations per coordinator. */
    public static final int SEQUENCE_BITS = 40;

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
                + ", " + a2 + ", " + a3 + "]";
    }
}
