package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Send;
import io.flotilla.skb.Skb;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Multicast: the initiator sends one message to the leader of every other package (its lowest participating core)
 * and one to each other core of its own package, in core order; each leader forwards within its package, where
 * the cores share the L3, gathers its package's acknowledgements and sends one aggregated ack back. Only one
 * request and one ack per package cross the interconnect.
 */
public final class MulticastProtocol extends MessageProtocol {

    public static final String NAME = "multicast";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator) {
        int home = machine.core(initiator).packageId();
        int packages = machine.packages().size();
        int[] leader = new int[packages];
        java.util.Arrays.fill(leader, -1);
        List<Send> sends = new ArrayList<>();
        List<Integer> leaders = new ArrayList<>();
        for (int c = 0; c < cores; c++) {
            int p = machine.core(c).packageId();
            if (c == initiator) {
                continue;
            }
            if (p == home) {
                sends.add(new Send(initiator, c));
            } else if (leader[p] < 0) {
                leader[p] = c;
                leaders.add(c);
                sends.add(new Send(initiator, c));
            }
        }
        for (int l : leaders) {
            int p = machine.core(l).packageId();
            for (int c = 0; c < cores; c++) {
                if (c != l && machine.core(c).packageId() == p) {
                    sends.add(new Send(l, c));
                }
            }
        }
        return ShootdownPlan.of(cores, initiator, sends);
    }
}
