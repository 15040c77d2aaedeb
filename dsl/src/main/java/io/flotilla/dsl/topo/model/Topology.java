package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A machine as a checked {@code .topo} file describes it, every compact form ({@code for}, ranges, {@code per N})
 * expanded: the front end's output, which the framework turns into its immutable machine model.
 *
 * <p>Ids are dense: cores are 0..N-1 in {@link #cores()} order, and so are packages and NUMA nodes.
 *
 * @param remoteLatency base cost in cycles of any transfer between packages, to which the link latencies along
 *                      the cheapest path are added
 * @param messageCpu    the measured CPU cost in cycles of one message at each end ({@code measured message-cpu N}),
 *                      or empty where the file gives none (then the simulator's default applies)
 */
public record Topology(String name, double clockGhz, long remoteLatency, List<TopoPackage> packages,
        List<TopoNuma> numaNodes, List<TopoCore> cores, List<TopoCache> caches, List<TopoLink> links,
        List<TopoMeasured> measured, OptionalLong messageCpu, SourcePos pos) {

    public Topology {
        Objects.requireNonNull(messageCpu, "messageCpu (OptionalLong.empty() where not measured)");
        packages = List.copyOf(packages);
        numaNodes = List.copyOf(numaNodes);
        cores = List.copyOf(cores);
        caches = List.copyOf(caches);
        links = List.copyOf(links);
        measured = List.copyOf(measured);
    }
}
