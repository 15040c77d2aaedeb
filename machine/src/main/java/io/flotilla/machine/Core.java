package io.flotilla.machine;

/**
 * A core as software sees it: one hardware thread, Barrelfish's core id.
 *
 * @param physicalCore index of the physical core within its package; SMT siblings share it
 * @param thread index of this hardware thread within its physical core (0 without SMT)
 */
public record Core(int id, int packageId, int numaNode, int physicalCore, int thread) {}
