package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A machine as a checked {@code .topo} file describes it, every compact form ({@code for}, ranges, {@code per N})
 * expanded: the front end's output, which the framework turns into its immutable machine model.
 *
 * <p>Ids are dense: cores are 0..N-1 in {@link #cores()} order, and so are packages and NUMA nodes.
 *
 * @param remoteLatency base cost in cycles of any transfer between packages, to which the link latencies along
 *                      the cheapest path are added
 * @param costs         the CPU costs in cycles the file states as measured ({@code measured message-cpu N}, {@code
 *                      measured system-call N}, ...: {@link TopoCost}); a cost it does not state is absent, and the
 *                      simulator's default applies
 */
public record Topology(String name, double clockGhz, long remoteLatency, List<TopoPackage> packages,
        List<TopoNuma> numaNodes, List<TopoCore> cores, List<TopoCache> caches, List<TopoLink> links,
        List<TopoMeasured> measured, Map<TopoCost, Long> costs, SourcePos pos) {

    public Topology {
        costs = costs.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(costs));
        packages = List.copyOf(packages);
        numaNodes = List.copyOf(numaNodes);
        cores = List.copyOf(cores);
        caches = List.copyOf(caches);
        links = List.copyOf(links);
        measured = List.copyOf(measured);
    }

    /** The measured CPU cost of one message at each end ({@code measured message-cpu N}), or empty. */
    public OptionalLong messageCpu() {
        return cost(TopoCost.MESSAGE_CPU);
    }

    /** The measured cost {@code c}, or empty where the file does not state it. */
    public OptionalLong cost(TopoCost c) {
        Long v = costs.get(c);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }
}
