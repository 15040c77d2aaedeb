package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;

/** A measured transfer latency between two cores (symmetric), which overrides the modelled one. */
public record TopoMeasured(int a, int b, long latency, SourcePos pos) {}
