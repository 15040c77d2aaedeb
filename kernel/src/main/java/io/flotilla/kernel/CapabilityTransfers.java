package io.flotilla.kernel;

import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.binding.InProcessCapabilityTransfer;

import java.util.Objects;

/**
 * Where the kernel gets the {@link CapabilityTransfer}s of the bindings it makes: called by the server's monitor
 * once per bind, for both ends together, since the two ends of one transfer must know each other. Set it with
 * {@code Multikernel.Builder.capabilityTransfers}; a cross-core implementation (moving capabilities through the
 * capability monitors) lives in the agreement plugin.
 */
@FunctionalInterface
public interface CapabilityTransfers {

    /** The transfers of the two ends of one binding. */
    record Ends(CapabilityTransfer client, CapabilityTransfer server) {
        public Ends {
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(server, "server");
        }
    }

    /**
     * The transfers for a binding between {@code client} on {@code clientCore} and {@code server} on
     * {@code serverCore}. Runs on the server's core. The owners may be null (a kernel-internal end).
     */
    Ends between(int clientCore, Dispatcher client, int serverCore, Dispatcher server);

    /**
     * The default: two ends on one core share an {@link InProcessCapabilityTransfer} (a capability reference is
     * meaningful only to the store that made it, so nothing needs to move); ends on different cores get
     * {@link CapabilityTransfer#NONE}, since moving a capability between cores needs the capability monitors.
     */
    CapabilityTransfers LOCAL = (clientCore, client, serverCore, server) -> {
        if (clientCore != serverCore) {
            return new Ends(CapabilityTransfer.NONE, CapabilityTransfer.NONE);
        }
        InProcessCapabilityTransfer shared = new InProcessCapabilityTransfer();
        return new Ends(shared, shared);
    };
}
