package io.flotilla.platform.sim;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The separable mechanisms of the simulated hardware and system software. Every one is on in a calibrated
 * {@link CostModel}; an ablation run switches one off ({@link CostModel#without}) to show what it contributes to a
 * figure. Switching one off never changes how another is priced.
 */
public enum Mechanism {
    /** Transfers queue on the interconnect links they cross, booked in virtual-time order ({@link Interconnect}). */
    LINK_CONTENTION,
    /** Every coherent miss on the paper's Opterons waits for the broadcast-probe round ({@code probeFloorCycles}). */
    PROBE_FLOOR,
    /**
     * Every shared-memory miss on the paper's Opterons puts its broadcast round's packets on the links: request,
     * probes, responses, the home's memory data and source-done ({@link Interconnect#probeRound}).
     */
    PROBE_TRAFFIC,
    /** The sender's and the receiver's CPU work per message ({@code messageCpuCycles}), charged per destination. */
    MESSAGE_CPU,
    /** A receiver's fetches from different channels overlap, up to {@code outstandingMisses} at once. */
    MISS_OVERLAP,
    /** A coherent miss goes by way of the line's home node when that is neither the requester's nor the holder's. */
    HOME_NODE,
    /** A stolen line stays with its holder until the stealing core's request reaches it ({@code CoherentMemory}). */
    INVALIDATION_HANDOFF,
    /** Kernel crossings: capability invocation, CPU-driver entries, system calls, the APIC's delivery wait. */
    KERNEL_CROSSINGS,
    /** A dispatcher's event loop pays per channel it polls on every pass ({@code pollCycles}). */
    POLL_LOOP;

    /** The name used on command lines and in reports: lower case with dashes, e.g. {@code probe-floor}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The mechanism called {@code label}, as {@link #label()} writes it. */
    public static Mechanism ofLabel(String label) {
        for (Mechanism m : values()) {
            if (m.label().equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no simulator mechanism '" + label + "' (known: "
                + EnumSet.allOf(Mechanism.class).stream().map(Mechanism::label).collect(Collectors.joining(", "))
                + ")");
    }

    static Set<Mechanism> all() {
        return EnumSet.allOf(Mechanism.class);
    }
}
