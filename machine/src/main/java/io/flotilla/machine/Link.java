package io.flotilla.machine;

/**
 * An interconnect link between two packages (undirected).
 *
 * @param bandwidthGBps gigabytes per second, 0 when unknown
 */
public record Link(int a, int b, long latencyCycles, double bandwidthGBps) {}
