package io.flotilla.plugins.tlb;

import io.flotilla.machine.Machine;
import io.flotilla.skb.Send;
import io.flotilla.skb.Skb;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Unicast: one channel from the initiator to every other core, written in turn (lowest core first); every core
 * acknowledges on its own channel. The initiator's send path grows with the core count, and every message to
 * another package crosses the interconnect on its own.
 */
public final class UnicastProtocol extends MessageProtocol {

    public static final String NAME = "unicast";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ShootdownPlan plan(Machine machine, Supplier<Skb> skb, int cores, int initiator) {
        return star(cores, initiator);
    }

    /** The initiator sends to every other core directly, in core order. */
    static ShootdownPlan star(int cores, int initiator) {
        List<Send> sends = new ArrayList<>();
        for (int c = 0; c < cores; c++) {
            if (c != initiator) {
                sends.add(new Send(initiator, c));
            }
        }
        return ShootdownPlan.of(cores, initiator, sends);
    }
}
