package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;
import java.util.List;

/**
 * A machine as a checked {@code .topo} file describes it, every compact form ({@code for}, ranges, {@code per N})
 * expanded: the front end's output, which the framework turns into its immutable machine model.
 *
 * <p>Ids are dense: cores are 0..N-1 in {@link #cores()} order, and so are packages and NUMA nodes.
 *
 * @param remoteLatency base cost in cycles of any transfer between packages, to which the link latencies along
 *                      the cheapest path are added
 */
public record Topology(String name, double clockGhz, long remoteLatency, List<TopoPackage> packages,
        List<TopoNuma> numaNodes, List<TopoCore> cores, List<TopoCache> caches, List<TopoLink> links,
        List<TopoMeasured> measured, SourcePos pos) {

    public Topology {
        packages = List.copyOf(packages);
        numaNodes = List.copyOf(numaNodes);
        cores = List.copyOf(cores);
        caches = List.copyOf(caches);
        links = List.copyOf(links);
        measured = List.copyOf(measured);
    }
}
