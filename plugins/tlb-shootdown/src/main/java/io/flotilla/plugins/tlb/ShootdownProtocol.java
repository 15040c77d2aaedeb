package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.util.function.Supplier;

/**
 * One way of delivering a TLB shootdown to the participating cores and collecting their acknowledgements. The
 * caller never sees which: it asks the initiator's {@link ShootdownAgent} for {@link ShootdownAgent#shootdown} and
 * gets a continuation when every core has invalidated, whatever the variant (see {@link ShootdownProtocols} for
 * choosing one by name or by an SKB rule).
 *
 * <p>A variant is two things: a {@link ShootdownPlan} (the tree the agents bind along at set-up and acknowledge
 * up), and how the initiator starts a round ({@link #send}). Message variants send down the tree; the shared-memory
 * variants (broadcast, IPI) reach receivers through shared lines or interrupts and use the tree, if at all, only
 * for the acknowledgements. An instance belongs to one run (it may keep that run's shared-line addresses).
 */
public interface ShootdownProtocol {

    /** The variant's name: {@code unicast}, {@code multicast}, {@code numa-multicast}, {@code broadcast}, {@code ipi}. */
    String name();

    /**
     * The tree over cores {@code 0..cores-1} rooted at {@code initiator}. Called once per run before boot;
     * {@code skb} is only asked for if the variant needs it (building a knowledge base is not free).
     */
    ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator);

    /**
     * Before boot, on the thread that installs the group ({@link ShootdownGroup#install}), once for each agent
     * before it is added to the builder: what its core must have before anything runs there, such as the handler of
     * an interrupt vector ({@link io.flotilla.kernel.Dispatcher#onInterrupt}).
     */
    default void install(ShootdownAgent agent) {}

    /** On the initiator's core when its agent starts, before any agent binds: allocate what the variant shares. */
    default void setUp(ShootdownAgent initiator) {}

    /**
     * On a receiving core once it can take part: when its parent has bound to it, or at start-up in an edgeless
     * plan. Shared-memory variants start waiting for requests here.
     */
    default void join(ShootdownAgent receiver) {}

    /**
     * On the initiator's core: starts round {@code epoch}. The variant delivers the request to every other
     * participant, and every acknowledgement reaches {@link ShootdownAgent#acknowledged} on the initiator.
     */
    void send(ShootdownAgent initiator, long vaddr, long pages, long epoch);
}
