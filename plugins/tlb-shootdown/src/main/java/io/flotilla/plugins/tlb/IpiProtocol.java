package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.util.function.Supplier;

/**
 * The IPI-based shootdown of Linux and Windows, for comparison: the initiator writes the operation to a shared
 * line, sends an inter-processor interrupt on {@link #VECTOR} to every other core in turn, and spins on a shared
 * counter until every core has acknowledged. Each interrupted core traps (the platform charges the trap) into the
 * handler it registered for the vector when the group was installed, reads the operation line, invalidates its TLB
 * and acknowledges by an atomic add on the counter line. No channels: the plan has no edges.
 *
 * <p>As hardware, the interrupt carries a vector and a word (here the round's epoch), not code: what runs on a target
 * is its own handler, and it learns the operation from the line. Both lines are homed on the initiator's NUMA node.
 * As in {@link BroadcastProtocol}, the operation line holds the epoch and the operation's address and page count
 * ({@link RequestLine}): only the line crosses cores.
 */
public final class IpiProtocol implements ShootdownProtocol {

    public static final String NAME = "ipi";

    /**
     * The interrupt vector the shootdown's handler is registered on, on every target core: one of the high vectors
     * an x86 kernel keeps for its own inter-processor interrupts.
     */
    public static final int VECTOR = 0xFD;

    private long operationLine = -1;
    private long counterLine = -1;
    // The initiator's own state.
    private long acknowledged;
    private long target;
    private long epoch;
    private ShootdownAgent initiator;
    private Runnable recheck;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator) {
        return ShootdownPlan.none(cores, initiator);
    }

    /**
     * Registers every target's handler before boot, so that no interrupt can reach a core before it has one (an
     * edgeless group is ready at once: the first round may start before the other cores have run anything).
     */
    @Override
    public void install(ShootdownAgent agent) {
        if (agent == agent.group().initiator()) {
            return; // it never interrupts itself
        }
        // Made once per core, run on that core as its agent, after its trap; every access is that core's.
        agent.onInterrupt(VECTOR, (from, word) -> {
            long operation = agent.load(operationLine);
            if (operation != word) {
                throw new IllegalStateException("core " + agent.core() + ": shootdown interrupt from core " + from
                        + " for epoch " + word + ", but the operation line holds epoch " + operation);
            }
            agent.invalidateLocally(RequestLine.vaddr(agent, operationLine), RequestLine.pages(agent, operationLine));
            agent.getAndAdd(counterLine, 1);
        });
    }

    @Override
    public void setUp(ShootdownAgent initiator) {
        this.initiator = initiator;
        int node = initiator.machine().core(initiator.core()).numaNode();
        operationLine = initiator.sharedMemory().allocate(1, node);
        counterLine = initiator.sharedMemory().allocate(1, node);
        recheck = this::checkCounter;
    }

    @Override
    public void send(ShootdownAgent initiator, long vaddr, long pages, long epoch) {
        this.epoch = epoch;
        RequestLine.publish(initiator, operationLine, vaddr, pages, epoch);
        int cores = initiator.group().cores();
        target = acknowledged + cores - 1;
        for (int c = 0; c < cores; c++) {
            if (c != initiator.core()) {
                initiator.interrupt(c, VECTOR, epoch);
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
