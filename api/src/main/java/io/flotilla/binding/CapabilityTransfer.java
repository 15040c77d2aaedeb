package io.flotilla.binding;

import io.flotilla.cap.Capability;


/**
 * The hook through which generated codecs move capabilities out of band, as Barrelfish's UMP stubs hand caps to
 * the monitor. The runtime fills it per binding; the frame carries only the 32-bit reference this returns.
 */
public interface CapabilityTransfer {

    /**
     * Takes a capability for transfer to the peer.
     *
     * @param cap the capability, or null for the null capability
     * @param giveAway true for {@code give_away_cap}: the sender loses it
     * @return the reference to put in the frame; 0 stands for the null capability
     */
    int send(Capability cap, boolean giveAway);

    /**
     * Returns the capability a received reference names, and forgets the reference.
     *
     * @return null for reference 0
     * @throws BindingException if no capability was sent under this reference
     */
    Capability receive(int reference);

    /**
     * Called once by the {@link Binding} this transfer serves, from its constructor: a transfer that must hold a
     * message's frames until its capability has arrived ({@link Binding#hold()}) keeps it. One transfer serves one
     * binding end, except where it ignores this call.
     */
    default void attach(Binding binding) {}

    /** For bindings that carry no capabilities: any attempt is a clear error. */
    CapabilityTransfer NONE = new CapabilityTransfer() {
        @Override
        public int send(Capability cap, boolean giveAway) {
            if (cap == null) {
                return 0;
            }
            throw new BindingException("this binding cannot transfer capabilities");
        }

        @Override
        public Capability receive(int reference) {
            if (reference == 0) {
                return null;
            }
            throw new BindingException("capability reference " + reference + " received on a binding without "
                    + "capability transfer");
        }
    };
}
