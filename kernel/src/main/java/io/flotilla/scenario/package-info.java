/**
 * The scenario SPI: workloads and plugin protocols the experiment runner sweeps over core counts
 * ({@code flotilla experiment}). A scenario boots its own multikernel per point and returns a
 * {@link io.flotilla.scenario.Measurement}.
 */
package io.flotilla.scenario;
