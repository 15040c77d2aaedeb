package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.util.function.Supplier;

/**
 * The IPI-based shootdown of Linux and Windows, for comparison: the initiator writes the operation to a shared
 * line, sends an inter-processor interrupt to every other core in turn, and spins on a shared counter until every
 * core has acknowledged. Each interrupted core traps (the platform charges the trap), reads the operation line,
 * invalidates its TLB and acknowledges by an atomic add on the counter line. No channels: the plan has no edges.
 *
 * <p>Both lines are homed on the initiator's NUMA node. As in {@link BroadcastProtocol}, the operation's address
 * and page count are the operation line's other words, kept beside it here.
 */
public final class IpiProtocol implements ShootdownProtocol {

    public static final String NAME = "ipi";

    private long operationLine = -1;
    private long counterLine = -1;
    private long requestVaddr;
    private long requestPages;
    private long acknowledged;
    private long target;
    private long epoch;
    private ShootdownAgent initiator;
    private Runnable[] handlers;
    private Runnable recheck;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator) {
        return ShootdownPlan.none(cores, initiator);
    }

    @Override
    public void setUp(ShootdownAgent initiator) {
        this.initiator = initiator;
        int node = initiator.machine().core(initiator.core()).numaNode();
        operationLine = initiator.sharedMemory().allocate(1, node);
        counterLine = initiator.sharedMemory().allocate(1, node);
        ShootdownGroup group = initiator.group();
        handlers = new Runnable[group.cores()];
        for (int c = 0; c < group.cores(); c++) {
            ShootdownAgent target = group.agent(c);
            // Runs on core c, as that core's agent, after its trap; every access is that core's.
            handlers[c] = () -> {
                target.load(operationLine);
                target.invalidateLocally(requestVaddr, requestPages);
                target.getAndAdd(counterLine, 1);
            };
        }
        recheck = this::checkCounter;
    }

    @Override
    public void send(ShootdownAgent initiator, long vaddr, long pages, long epoch) {
        this.epoch = epoch;
        requestVaddr = vaddr;
        requestPages = pages;
        initiator.store(operationLine, epoch);
        int cores = initiator.group().cores();
        target = acknowledged + cores - 1;
        for (int c = 0; c < cores; c++) {
            if (c != initiator.core()) {
                initiator.interrupt(initiator.group().agent(c), handlers[c]);
            }
        }
        checkCounter();
    }

    private void checkCounter() {
        long count = initiator.load(counterLine);
        if (count >= target) {
            int cores = (int) (count - acknowledged);
            acknowledged = count;
            initiator.acknowledged(epoch, cores);
        } else {
            initiator.awaitChange(counterLine, count, recheck);
        }
    }

    @Override
    public String toString() {
        return NAME;
    }
}
