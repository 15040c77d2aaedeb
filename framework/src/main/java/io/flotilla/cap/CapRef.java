package io.flotilla.cap;

/**
 * A transferable reference to one capability copy held in a {@link CSpace}: what a {@code cap} argument carries
 * through a {@link CapabilityTransfer}. It is unforgeable: only {@link CSpace#ref} makes one, it names the copy
 * itself rather than a number that could be guessed, and the store that made it checks, when it is accepted, that
 * it is its own and that the copy is still alive.
 */
public final class CapRef implements Capability {

    final CapabilityStore store;
    final CapEntry entry;

    CapRef(CapabilityStore store, CapEntry entry) {
        this.store = store;
        this.entry = entry;
    }

    /** The core whose store made this reference. */
    public int core() {
        return store.core();
    }

    @Override
    public String toString() {
        return "CapRef[core " + store.core() + ", " + entry.object.type + "]";
    }
}
