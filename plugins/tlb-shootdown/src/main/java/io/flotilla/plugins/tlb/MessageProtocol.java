package io.flotilla.plugins.tlb;

/**
 * The message variants: the request travels down the plan's tree over the agents' URPC bindings, and each core
 * forwards it to its own children before it invalidates. Subclasses differ only in the tree.
 */
abstract class MessageProtocol implements ShootdownProtocol {

    @Override
    public final void send(ShootdownAgent initiator, long vaddr, long pages, long epoch) {
        initiator.forward(vaddr, pages, epoch);
    }

    @Override
    public String toString() {
        return name();
    }
}
