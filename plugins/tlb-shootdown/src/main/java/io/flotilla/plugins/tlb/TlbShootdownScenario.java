package io.flotilla.plugins.tlb;

import io.flotilla.scenario.Measurement;
import io.flotilla.scenario.Scenario;
import io.flotilla.scenario.ScenarioContext;
import io.flotilla.scenario.ScenarioException;
import java.util.List;
import java.util.Map;

/**
 * The paper's Figure 6: the raw messaging cost of a TLB shootdown. Core 0 sends an invalidation to cores
 * 1..N-1 with one of the four message-passing variants and waits for every acknowledgement; the point is the
 * median round latency in cycles on core 0 (columns {@code p90}, {@code mean}, {@code stddev}, {@code min},
 * {@code rounds}, and the trace hash on sim).
 */
public final class TlbShootdownScenario implements Scenario {

    /** Series name to variant name, in the figure's order. */
    static final Map<String, String> SERIES = new java.util.LinkedHashMap<>();

    static {
        SERIES.put("Broadcast", BroadcastProtocol.NAME);
        SERIES.put("Unicast", UnicastProtocol.NAME);
        SERIES.put("Multicast", MulticastProtocol.NAME);
        SERIES.put("NUMA-aware multicast", NumaMulticastProtocol.NAME);
    }

    public TlbShootdownScenario() {}

    @Override
    public String name() {
        return "tlb-shootdown";
    }

    @Override
    public String description() {
        return "TLB shootdown: one core invalidates N-1 others and waits for every ack (paper Figure 6)";
    }

    @Override
    public List<String> series() {
        return List.copyOf(SERIES.keySet());
    }

    @Override
    public Map<String, String> parameters() {
        return ScenarioSupport.PARAMETERS;
    }

    @Override
    public Measurement run(ScenarioContext context) {
        String variant = SERIES.get(context.series());
        if (variant == null) {
            throw new ScenarioException("tlb-shootdown has no series '" + context.series() + "'; it has "
                    + String.join(", ", SERIES.keySet()));
        }
        ShootdownBench.Settings s = ScenarioSupport.settings(context);
        ShootdownBench.Result r = ShootdownBench.shootdown(context.machine(), context.newPlatform(),
                context.cores(), ShootdownProtocols.byName(variant), s);
        return ScenarioSupport.measurement(r, context.series()).with("depth", r.planDepth());
    }
}
