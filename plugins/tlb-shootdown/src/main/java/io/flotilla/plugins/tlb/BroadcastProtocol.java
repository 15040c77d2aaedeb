package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.util.function.Supplier;

/**
 * Broadcast: one shared channel that every receiver polls. The initiator writes the request into one cache line
 * (homed on its own NUMA node); every receiver spins on that line ({@link io.flotilla.kernel.Dispatcher#awaitChange})
 * and so fetches it after the write invalidated every copy: the interconnect has no broadcast, so the receivers'
 * fetches of the one line queue behind each other. Each receiver acknowledges on its own channel back to the
 * initiator, as in the paper.
 *
 * <p>The request line's value is the epoch. A real line holds 64 bytes, the shared-memory model one word, so the
 * operation's other words (address and page count) are kept beside it in this object: written before the line's
 * release store, read after the receiver's acquire load, and travelling with the line at no extra cost.
 */
public final class BroadcastProtocol implements ShootdownProtocol {

    public static final String NAME = "broadcast";

    private long requestLine = -1;
    // The rest of the request line (see the class comment).
    private long requestVaddr;
    private long requestPages;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator) {
        // Acknowledgements return on one channel per receiver, straight to the initiator.
        return UnicastProtocol.star(cores, initiator);
    }

    @Override
    public void setUp(ShootdownAgent initiator) {
        int node = initiator.machine().core(initiator.core()).numaNode();
        requestLine = initiator.sharedMemory().allocate(1, node);
    }

    @Override
    public void join(ShootdownAgent receiver) {
        if (requestLine < 0) {
            throw new IllegalStateException("core " + receiver.core() + " joined a broadcast before its initiator"
                    + " allocated the request line");
        }
        // One waiter per receiver, made once: the round's path allocates nothing.
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            long epoch = receiver.load(requestLine);
            receiver.invalidateAndAcknowledge(requestVaddr, requestPages, epoch);
            receiver.awaitChange(requestLine, epoch, self[0]);
        };
        receiver.awaitChange(requestLine, 0, self[0]);
    }

    @Override
    public void send(ShootdownAgent initiator, long vaddr, long pages, long epoch) {
        requestVaddr = vaddr;
        requestPages = pages;
        initiator.store(requestLine, epoch);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
