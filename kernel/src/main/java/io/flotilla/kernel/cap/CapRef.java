package io.flotilla.kernel.cap;

import io.flotilla.cap.Capability;

/**
 * A transferable reference to one capability copy held in a {@link CSpace}: what a {@code cap} argument carries
 * through a {@link CapabilityTransfer}. It is unforgeable: only {@link CSpace#ref} makes one, it names the copy
 * itself rather than a number that could be guessed, and the store that made it checks, when it is accepted, that
 * it is its own and that the copy is still alive.
 */
public final class CapRef implements Capability {

    final CapabilityStore store;
    final CapEntry entry;
    private final CapAddress address;

    CapRef(CapabilityStore store, CapEntry entry, CapAddress address) {
        this.store = store;
        this.entry = entry;
        this.address = address;
    }

    /**
     * Where the copy lies in the CSpace whose {@link CSpace#ref} made this reference: what a handler that received
     * a capability in a message passes to its own CSpace's operations. An address grants nothing by itself.
     */
    public CapAddress address() {
        return address;
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
