package io.flotilla.plugins.tlb;

import com.google.inject.Inject;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.util.List;

/**
 * What the plugin offers through Guice: shootdown groups for the injector's machine, with the variant chosen by
 * name or by the SKB's {@code tlb_shootdown_protocol/3} rule. Install a group's agents into the
 * {@link io.flotilla.kernel.Multikernel.Builder} the {@code KernelModule} provides.
 */
public final class TlbShootdownService {

    private final Machine machine;
    private final Skb skb;

    @Inject
    public TlbShootdownService(Machine machine, Skb skb) {
        this.machine = machine;
        this.skb = skb;
    }

    /** The variants this plugin knows. */
    public List<String> variants() {
        return ShootdownProtocols.NAMES;
    }

    /** A group on cores {@code 0..cores-1}, initiated by {@code initiator}, speaking the variant named {@code name}. */
    public ShootdownGroup group(String name, int cores, int initiator) {
        return new ShootdownGroup(machine, () -> skb, cores, initiator, ShootdownProtocols.byName(name));
    }

    /** As {@link #group(String, int, int)}, with the variant the SKB's rule names for this group. */
    public ShootdownGroup groupChosenBySkb(int cores, int initiator) {
        return new ShootdownGroup(machine, () -> skb, cores, initiator,
                ShootdownProtocols.fromSkb(skb, initiator, cores));
    }
}
