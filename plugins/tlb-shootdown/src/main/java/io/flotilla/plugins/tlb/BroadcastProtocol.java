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
 * <p>The request line holds the epoch and the operation's address and page count ({@link RequestLine}): nothing but
 * the line crosses cores.
 */
public final class BroadcastProtocol implements ShootdownProtocol {

    public static final String NAME = "broadcast";

    private long requestLine = -1;

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
            receiver.invalidateAndAcknowledge(RequestLine.vaddr(receiver, requestLine),
                    RequestLine.pages(receiver, requestLine), epoch);
            receiver.awaitChange(requestLine, epoch, self[0]);
        };
        receiver.awaitChange(requestLine, 0, self[0]);
    }

    @Override
    public void send(ShootdownAgent initiator, long vaddr, long pages, long epoch) {
        RequestLine.publish(initiator, requestLine, vaddr, pages, epoch);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
