package io.flotilla.plugins.tlb;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.vm.TlbShootdown;
import java.util.ArrayDeque;

/**
 * The {@link TlbShootdown} an {@link io.flotilla.vm.AddressSpace} unmaps through: a {@link ShootdownGroup}'s
 * protocol, whichever variant it speaks, invalidating the address space's pages in every other core's modelled TLB.
 *
 * <p>The group is the address space's set of cores, fixed when it boots; a request naming fewer cores still reaches
 * them all (an extra invalidation is harmless, a missed one is not). Requests are served one round at a time, in
 * order, because an agent runs one round at a time. They must come from the initiator's core, where the caller and
 * the initiating agent share the event loop, so the caller hands the request over with a direct call, as a kernel
 * would in place.
 */
public final class GroupShootdown implements TlbShootdown {

    private record Request(int asid, long vaddr, long pages, Runnable done) {}

    private final ShootdownGroup group;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private boolean busy;

    public GroupShootdown(ShootdownGroup group) {
        this.group = group;
    }

    @Override
    public void shootdown(Dispatcher caller, int asid, long vaddr, long pages, int[] cores, Runnable done) {
        if (caller.core() != group.initiatorCore()) {
            throw new IllegalArgumentException("core " + caller.core() + " asked for a shootdown of a group initiated"
                    + " on core " + group.initiatorCore());
        }
        for (int c : cores) {
            if (c < 0 || c >= group.cores()) {
                throw new IllegalArgumentException("core " + c + " is not in the shootdown group (cores 0.."
                        + (group.cores() - 1) + ")");
            }
        }
        queue.add(new Request(asid, vaddr, pages, done));
        if (!busy) {
            next();
        }
    }

    private void next() {
        Request r = queue.poll();
        if (r == null) {
            busy = false;
            return;
        }
        busy = true;
        ShootdownAgent initiator = group.initiator();
        Runnable start = () -> initiator.shootdown(TaggedAddress.of(r.asid(), r.vaddr()), r.pages(), () -> {
            r.done().run();
            next();
        });
        if (initiator.isReady()) {
            start.run();
        } else {
            initiator.whenReady(start);
        }
    }
}
