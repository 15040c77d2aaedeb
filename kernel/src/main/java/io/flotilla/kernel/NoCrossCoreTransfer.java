package io.flotilla.kernel;

import io.flotilla.binding.BindingException;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.cap.Capability;

/**
 * {@link CapabilityTransfers#LOCAL}'s end of a binding between two cores: every capability is refused, and the
 * refusal says how to boot the kernel's cross-core transfer.
 */
final class NoCrossCoreTransfer implements CapabilityTransfer {
    private final String why;

    NoCrossCoreTransfer(int clientCore, int serverCore) {
        this.why = "this binding cannot transfer capabilities between cores " + clientCore + " and " + serverCore
                + ": the multikernel was booted without the kernel's capability monitors (boot it with "
                + "CapabilitySystem.install(builder), see docs/capabilities.md)";
    }

    @Override
    public int send(Capability cap, boolean giveAway) {
        if (cap == null) {
            return 0;
        }
        throw new BindingException(why);
    }

    @Override
    public Capability receive(int reference) {
        if (reference == 0) {
            return null;
        }
        throw new BindingException("capability reference " + Integer.toUnsignedString(reference)
                + " received, but " + why);
    }
}
