package io.flotilla.experiments.runner;

/**
 * The seed of each repetition, derived from the experiment's base seed alone (SplitMix64 of base + repetition).
 * Every point of one repetition gets the same seed, so series and core counts are compared under the same draws,
 * and rerunning with the same base seed gives the same seeds.
 */
final class Seeds {

    private Seeds() {}

    static long forRepetition(long base, int repetition) {
        long z = base + 0x9e3779b97f4a7c15L * (repetition + 1L);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
