package io.flotilla.experiments.calibration;

import io.flotilla.machine.Machine;
import java.util.Optional;

/**
 * The classes of core pair Table 2 of the paper measures URPC between, decided from the machine's topology for
 * core 0 and a partner: {@code shared} (the two share a cache: the Intel's L2, the AMDs' L3), {@code same-package}
 * (one package, no shared cache: the Intel's "non-shared" row, two dies of one package, and the 2x2 AMD's "same
 * die" row, private L2s), {@code one-hop} and {@code two-hop} (packages one or two interconnect hops apart).
 */
enum CorePairClass {
    SHARED("shared"),
    SAME_PACKAGE("same-package"),
    ONE_HOP("one-hop"),
    TWO_HOP("two-hop");

    final String label;

    CorePairClass(String label) {
        this.label = label;
    }

    static Optional<CorePairClass> byLabel(String label) {
        for (CorePairClass c : values()) {
            if (c.label.equals(label)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The lowest-numbered core that forms a pair of this class with core 0, or -1 where the machine has none. */
    int partnerOfCoreZero(Machine machine) {
        for (int j = 1; j < machine.coreCount(); j++) {
            if (classOf(machine, 0, j) == this) {
                return j;
            }
        }
        return -1;
    }

    /** The class of the pair (a, b), or null for a pair Table 2 has no row for (three hops and more). */
    static CorePairClass classOf(Machine machine, int a, int b) {
        if (machine.closestSharedCache(a, b).isPresent()) {
            return SHARED;
        }
        return switch (machine.hops(a, b)) {
            case 0 -> SAME_PACKAGE;
            case 1 -> ONE_HOP;
            case 2 -> TWO_HOP;
            default -> null;
        };
    }
}
