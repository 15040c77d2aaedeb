package io.flotilla.experiments.runner;

/**
 * A value the paper published for one point of a series, with where it comes from in the calibration notes, e.g.
 * {@code [T:S3]} (stated in a table) or {@code [F~:S1]} (read off a figure).
 */
public record PublishedPoint(int cores, double cycles, String source) {}
