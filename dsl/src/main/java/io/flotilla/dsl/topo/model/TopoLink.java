package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;

/**
 * An interconnect link between two packages (undirected).
 *
 * @param bandwidthGBps gigabytes per second, 0 when not given
 */
public record TopoLink(int a, int b, long latency, double bandwidthGBps, SourcePos pos) {}
