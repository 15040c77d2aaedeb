package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;

/** A NUMA node: a memory controller and the memory behind it ({@code memoryBytes} may be 0: a node without RAM). */
public record TopoNuma(int id, long memoryBytes, SourcePos pos) {}
