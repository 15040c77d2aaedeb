package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Send;
import io.flotilla.skb.Skb;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * NUMA-aware multicast: the SKB's multicast tree ({@link Skb#multicastTree}, after Barrelfish's
 * {@code multicast.pl}): the same edges as {@link MulticastProtocol}, but the initiator and every leader send in
 * decreasing round-trip order, farthest package first, so the slowest messages start earliest and overlap the
 * most. The tree is the whole machine's; it is cut down to the participating cores, which works for any set of
 * cores that holds the leader (lowest core) of every package it touches, such as the first N cores.
 *
 * <p>The paper also places each channel's buffer on the receiver's NUMA node. The simulator prices a message by
 * the two cores' distance only (it has no notion of where a channel's buffer lives), so on {@code sim} that part
 * changes nothing; see docs/plugins/tlb-shootdown.md.
 */
public final class NumaMulticastProtocol extends MessageProtocol {

    public static final String NAME = "numa-multicast";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator) {
        List<Send> sends = new ArrayList<>();
        for (Send s : skb.get().multicastTree(initiator)) {
            if (s.to() >= cores) {
                continue;
            }
            if (s.from() >= cores) {
                throw new IllegalArgumentException("the SKB's tree reaches core " + s.to() + " through core "
                        + s.from() + ", which is not among the " + cores + " participating cores");
            }
            sends.add(s);
        }
        return ShootdownPlan.of(cores, initiator, sends);
    }
}
