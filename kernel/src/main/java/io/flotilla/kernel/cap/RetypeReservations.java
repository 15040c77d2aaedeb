package io.flotilla.kernel.cap;

import java.util.ArrayList;
import java.util.List;

/**
 * Memory ranges of one core with a retype under way: this core's own split-phase retypes waiting for agreement,
 * and, on an owner, retypes of its objects it has granted to other cores (Barrelfish's owner lock). A retype over
 * any of them is refused until it is released, which makes the owner the sequencer that lets one of two concurrent
 * retypes of the same memory lose.
 *
 * <p>Not thread-safe: used under the lock of the {@link CapabilityStore} that owns it.
 */
final class RetypeReservations {

    /** {@code [base, base + bytes)} reserved for a retype by core {@code holder}. */
    record Reservation(long base, long bytes, int holder) {
        boolean overlaps(long b, long n) {
            return bytes > 0 && n > 0 && base < b + n && b < base + bytes;
        }
    }

    private final List<Reservation> held = new ArrayList<>();

    /** The first reservation (in the order they were made) that overlaps {@code [base, base + bytes)}, or null. */
    Reservation overlapping(long base, long bytes) {
        for (Reservation r : held) {
            if (r.overlaps(base, bytes)) {
                return r;
            }
        }
        return null;
    }

    Reservation hold(long base, long bytes, int holder) {
        Reservation r = new Reservation(base, bytes, holder);
        held.add(r);
        return r;
    }

    /** Ends one reservation equal to {@code r}, if held. */
    void release(Reservation r) {
        held.remove(r);
    }
}
