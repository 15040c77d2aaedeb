package io.flotilla.kernel;

import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.binding.InProcessCapabilityTransfer;

/**
 * Where the kernel gets the {@link CapabilityTransfer} of each binding end it makes. Each end's transfer is made on
 * that end's own core, by its own monitor: the server's end when the server accepts, the client's end when the
 * client takes its channel. The two ends of a binding know each other only by the binding's name, the client's
 * core and the client monitor's request number ({@link End#clientCore}, {@link End#bind}). Set it with
 * {@code Multikernel.Builder.capabilityTransfers}. The kernel's cross-core implementation, which moves capabilities
 * through the capability monitors, is {@code io.flotilla.kernel.cap.CapabilityBindings}; {@code
 * io.flotilla.kernel.cap.CapabilitySystem.install(builder)} boots it with the monitors it needs.
 */
@FunctionalInterface
public interface CapabilityTransfers {

    /**
     * One end of a binding.
     *
     * @param clientCore the client's core
     * @param bind       the client monitor's request number for the bind: with {@code clientCore}, the binding's
     *                   name on both cores
     * @param serverCore the server's core
     * @param server     whether this is the server's end
     * @param owner      the dispatcher that owns this end (may be null: a kernel-internal end)
     */
    record End(int clientCore, long bind, int serverCore, boolean server, Dispatcher owner) {}

    /**
     * The transfer of {@code end}, on its own core. {@code sameCorePeer} is, for the client's end of a binding
     * whose two ends are on one core, the server's end's transfer (made first); otherwise null.
     */
    CapabilityTransfer end(End end, CapabilityTransfer sameCorePeer);

    /**
     * The default: two ends on one core share an {@link InProcessCapabilityTransfer} (a capability reference is
     * meaningful only to the store that made it, so nothing needs to move); ends on different cores refuse every
     * capability, naming both cores and saying how to boot the kernel's cross-core transfer, since moving a
     * capability between cores needs the capability monitors ({@code CapabilitySystem}).
     */
    CapabilityTransfers LOCAL = (end, sameCorePeer) -> {
        if (end.clientCore() != end.serverCore()) {
            return new NoCrossCoreTransfer(end.clientCore(), end.serverCore());
        }
        return sameCorePeer != null ? sameCorePeer : new InProcessCapabilityTransfer();
    };
}
