package io.flotilla.plugins.tlb;

import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The paper's Figure 7: the latency of a whole unmap, seen by a user dispatcher on core 0.
 *
 * <ul>
 *   <li>{@code Flotilla}: user → its core's shootdown agent by LRPC → one-phase commit to every other core's agent
 *   over the variant named by parameter {@code protocol} (default {@code numa-multicast}; {@code skb} lets the
 *   SKB's rule choose) → TLB invalidation on every core → acknowledgements → answer to the user.</li>
 *   <li>{@code IPI}: the Linux/Windows way, in place on the user's core: write the operation to a shared line,
 *   interrupt every other core, each traps, reads it, invalidates and acknowledges on a shared counter.</li>
 * </ul>
 */
public final class UnmapScenario implements Scenario {

    public UnmapScenario() {}

    @Override
    public String name() {
        return "unmap";
    }

    @Override
    public String description() {
        return "Unmap latency: message-based one-phase commit against IPI-based shootdown (paper Figure 7)";
    }

    @Override
    public List<String> series() {
        return List.of("Flotilla", "IPI");
    }

    @Override
    public Map<String, String> parameters() {
        Map<String, String> p = new TreeMap<>(ScenarioSupport.PARAMETERS);
        p.put("protocol", NumaMulticastProtocol.NAME);
        return p;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        ShootdownBench.Settings s = ScenarioSupport.settings(context);
        ShootdownProtocol protocol;
        UnmapUser.Path path;
        switch (context.series()) {
            case "Flotilla" -> {
                String name = context.parameter("protocol", NumaMulticastProtocol.NAME).trim();
                if (name.equals("skb")) {
                    protocol = ShootdownProtocols.fromSkb(ShootdownBench.skb(context.machine()), 0, context.cores());
                } else {
                    try {
                        protocol = ShootdownProtocols.byName(name);
                    } catch (IllegalArgumentException e) {
                        throw new ScenarioException("parameter 'protocol': " + e.getMessage() + ", or skb");
                    }
                }
                path = UnmapUser.Path.MONITOR;
            }
            case "IPI" -> {
                protocol = ShootdownProtocols.byName(IpiProtocol.NAME);
                path = UnmapUser.Path.IN_PLACE;
            }
            default -> throw new ScenarioException("unmap has no series '" + context.series()
                    + "'; it has Flotilla, IPI");
        }
        ShootdownBench.Result r = ShootdownBench.unmap(context.machine(), context.newPlatform(), context.cores(),
                protocol, path, s);
        return ScenarioSupport.measurement(r, context.series() + " (" + protocol.name() + ")");
    }
}
