package io.flotilla.plugins.tlb;

import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The agents of one run: a {@link ShootdownAgent} on each of cores {@code 0..cores-1}, one variant, one plan. Build
 * it before boot and {@link #install} it into the multikernel's builder; the initiator's agent is then the entry
 * point for shootdowns ({@link #initiator()}).
 */
public final class ShootdownGroup {

    private final Machine machine;
    private final int cores;
    private final int initiator;
    private final ShootdownProtocol protocol;
    private final ShootdownPlan plan;
    private final ShootdownAgent[] agents;
    private boolean chargesInvalidation = true;

    /**
     * @param skb asked for only by variants that read the SKB (the NUMA-aware multicast tree)
     * @throws IllegalArgumentException if {@code cores} or {@code initiator} do not fit the machine
     */
    public ShootdownGroup(Machine machine, Supplier<Skb> skb, int cores, int initiator, ShootdownProtocol protocol) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        if (cores < 1 || cores > machine.coreCount()) {
            throw new IllegalArgumentException("a shootdown group needs 1.." + machine.coreCount() + " cores of "
                    + machine.name() + ", not " + cores);
        }
        if (initiator < 0 || initiator >= cores) {
            throw new IllegalArgumentException("initiator " + initiator + " is not one of cores 0.." + (cores - 1));
        }
        this.cores = cores;
        this.initiator = initiator;
        this.plan = protocol.plan(machine, skb, cores, initiator);
        if (plan.cores() != cores || plan.root() != initiator) {
            throw new IllegalStateException(protocol.name() + " planned for " + plan.cores() + " cores from "
                    + plan.root() + ", not " + cores + " from " + initiator);
        }
        this.agents = new ShootdownAgent[cores];
        for (int c = 0; c < cores; c++) {
            agents[c] = new ShootdownAgent(this, c);
        }
    }

    /** A group on the first {@code cores} cores with core 0 initiating; the SKB is built only if needed. */
    public static ShootdownGroup of(Machine machine, int cores, ShootdownProtocol protocol) {
        return new ShootdownGroup(machine, () -> Skb.of(machine), cores, 0, protocol);
    }

    /**
     * Figure 6 measures the messaging of a shootdown only: the agents still drop the translations but charge no
     * TLB invalidation and no kernel entry for it (those belong to Figure 7's unmap). Call before boot.
     */
    public ShootdownGroup messagingOnly() {
        chargesInvalidation = false;
        return this;
    }

    /** Whether invalidations cost their modelled cycles (see {@link #messagingOnly}). */
    public boolean chargesInvalidation() {
        return chargesInvalidation;
    }

    /**
     * Adds every agent to {@code builder}, each on its own core, after the variant has prepared it ({@link
     * ShootdownProtocol#install}). The builder must boot at least {@link #cores()}. Once.
     */
    public Multikernel.Builder install(Multikernel.Builder builder) {
        for (int c = 0; c < cores; c++) {
            protocol.install(agents[c]);
            builder.dispatcher(c, agents[c]);
        }
        return builder;
    }

    public Machine machine() {
        return machine;
    }

    public int cores() {
        return cores;
    }

    public ShootdownProtocol protocol() {
        return protocol;
    }

    public ShootdownPlan plan() {
        return plan;
    }

    /** The agent on the initiating core: call {@link ShootdownAgent#shootdown} there. */
    public ShootdownAgent initiator() {
        return agents[initiator];
    }

    public int initiatorCore() {
        return initiator;
    }

    /** The agent of {@code core}: for reading its counts after a run, or for a variant to prepare it before boot. */
    public ShootdownAgent agent(int core) {
        return agents[core];
    }

    /** Name under which the agent of {@code core} exports its end of the shootdown tree. */
    static String agentService(int core) {
        return "tlb_shootdown.agent." + core;
    }

    /** Name under which the agent of {@code core} takes unmap requests from user dispatchers on its core. */
    public static String unmapService(int core) {
        return "tlb_shootdown.unmap." + core;
    }
}
