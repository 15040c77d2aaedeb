package io.flotilla.dsl.topo.model;

import io.flotilla.dsl.source.SourcePos;

/**
 * A package (socket).
 *
 * @param localLatency cycles for a transfer between two of its cores that share no cache
 */
public record TopoPackage(int id, long localLatency, SourcePos pos) {}
