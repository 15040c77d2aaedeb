package io.flotilla.platform.sim;

import io.flotilla.machine.Machine;

/**
 * Every parameter of the simulated hardware, in one place. Latencies come from the machine
 * ({@link Machine#latency(int, int)}, link bandwidths); the numbers here say how to turn them into the cost of a
 * message. Sources: {@code paper-calibration.md} (Baumann et al., SOSP 2009), Tables 1 and 2, and §7.
 *
 * <ul>
 *   <li><b>One cache-line transfer</b> between cores a and b costs {@code lineScale * machine.latency(a, b)}
 *   cycles. The machine files carry Table 2's URPC latencies (8x4 AMD: 538 shared L3, 613 one hop, 618 two hops),
 *   and §7 says a one-line URPC message costs two interconnect round trips (the sender's invalidation, the
 *   receiver's fetch), so {@code lineScale = 0.5} makes a one-frame URPC message cost exactly the Table 2 latency.
 *   Table 2's latency may be a round trip rather than one way (the calibration notes could not settle it); if so,
 *   use {@code 0.25}.</li>
 *   <li><b>URPC delivery</b>: the first frame of a message takes 2 line transfers, each further frame 1 (the
 *   sender writes lines back to back), plus queueing behind earlier lines on every interconnect link on the path
 *   (a busy-until time per link; a line occupies a link for {@code lineBytes / (bandwidth / clock)} cycles), plus
 *   a uniform jitter in {@code [0, jitterCycles]} drawn from the run's seeded random source. The last transfer of
 *   each frame is the receiver fetching the line, and the receiver stalls for it: the frame becomes visible one
 *   transfer before it arrives and the receiving core is charged that transfer when it consumes the frame. An idle
 *   receiver sees exactly the latency above; a busy one pays one fetch per frame, which is what bounds a
 *   pipelined stream (Table 2's throughput) and a core collecting many acknowledgements.</li>
 *   <li><b>LRPC delivery</b> (same core): {@code lrpcCycles}. Default: half of Table 1's same-core LRPC latency for
 *   the machine (a call and its return), e.g. 1549 / 2 on the 8x4 AMD.</li>
 *   <li><b>dispatchCycles</b>: charged to the receiving core for every message it handles, before the handler.
 *   Default 0, because Table 2's latency already includes the receive path; raise it to model heavier stubs.</li>
 *   <li><b>sendCycles</b>: charged to the sending core per frame. Default 0 for the same reason.</li>
 *   <li><b>jitterCycles</b>: default 8, about Table 2's standard deviation on the 8x4 AMD (±6 to ±8).</li>
 *   <li><b>Shared memory</b> ({@link CoherentMemory}) is priced with the same line transfer: a miss costs one
 *   transfer from the line's owner (or from its home node when no cache holds it), a write also waits for the
 *   invalidation of the farthest sharer, and transfers of one line queue behind each other. {@code hitCycles}
 *   (default 3, an L1 hit on the paper's Opterons) is the cost of an access to a line the core already holds.</li>
 *   <li><b>Interrupts</b>: an IPI travels as one line transfer; the receiving core pays {@code trapCycles} to take
 *   and acknowledge it before the handler runs (default 800: TN-009 gives 500–1000 cycles, the S3 notes "IPI trap
 *   ~800"); the sender pays {@code ipiSendCycles} per IPI (default 0: no source gives the cost of the ICR write,
 *   which the APIC posts).</li>
 *   <li><b>tlbInvalidateCycles</b>: a modelled invalidation of one page in one TLB, default
 *   {@value io.flotilla.kernel.Platform#MODELLED_TLB_INVALIDATE_CYCLES} (the S3 notes give 95–320 cycles on
 *   x86-64).</li>
 * </ul>
 *
 * <p>Table 2's pipelined throughput (2.75 to 11.97 msgs/kcycle) follows from the receiver's one fetch per frame:
 * {@code max(line transfer, probeFloorCycles)} per message, where {@code probeFloorCycles} is the broadcast-probe
 * round of the paper's Opterons ({@link #probeFloor}; 0 on the Intel and on machines the paper did not measure).
 * The floor changes no latency: the receiver's stall overlaps the sender's invalidation, so an idle receiver still
 * sees the frame exactly at the Table 2 latency.
 */
public record CostModel(double lineScale, long lrpcCycles, long dispatchCycles, long sendCycles, long jitterCycles,
        int lineBytes, long hitCycles, long trapCycles, long ipiSendCycles, long tlbInvalidateCycles,
        long probeFloorCycles) {

    public CostModel {
        if (lineScale <= 0 || lrpcCycles < 0 || dispatchCycles < 0 || sendCycles < 0 || jitterCycles < 0
                || lineBytes <= 0 || hitCycles < 0 || trapCycles < 0 || ipiSendCycles < 0
                || tlbInvalidateCycles < 0 || probeFloorCycles < 0) {
            throw new IllegalArgumentException("cost model parameters must be positive (lineScale, lineBytes) or"
                    + " non-negative: " + this);
        }
    }

    /** The defaults above for {@code machine}: Table 1's LRPC row where the machine is one of the paper's. */
    public static CostModel calibrated(Machine machine) {
        return new CostModel(0.5, lrpcRoundTrip(machine.name()) / 2, 0, 0, 8, 64, 3, 800, 0,
                io.flotilla.kernel.Platform.MODELLED_TLB_INVALIDATE_CYCLES, probeFloor(machine.name()));
    }

    /** Table 1: same-core LRPC latency in cycles, by the shipped machine names; the 8x4 AMD's for any other. */
    static long lrpcRoundTrip(String machine) {
        return switch (machine) {
            case "intel-2x4" -> 845;
            case "amd-2x2" -> 757;
            case "amd-4x4" -> 1463;
            default -> 1549; // amd-8x4, and machines the paper did not measure
        };
    }

    /**
     * Table 2: the pipelined cost of one URPC message on the paper's AMD machines, 1000 / throughput averaged over
     * the machine's pair classes (2x2: 292 and 314; 4x4: 280, 283, 285; 8x4: 361, 358, 364). These Opterons have no
     * probe filter: every miss broadcasts probes to every package and completes when all have answered, so a
     * receiver's fetch costs it at least this much whichever core holds the line, which is why Table 2's
     * throughput is nearly flat across pair classes while its latency is not. The Intel's front-side bus with its
     * snoop filter has no such floor, nor do machines the paper did not measure.
     */
    static long probeFloor(String machine) {
        return switch (machine) {
            case "amd-2x2" -> 303;
            case "amd-4x4" -> 283;
            case "amd-8x4" -> 361;
            default -> 0;
        };
    }

    public CostModel withProbeFloorCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, dispatchCycles, sendCycles, jitterCycles, lineBytes, hitCycles,
                trapCycles, ipiSendCycles, tlbInvalidateCycles, cycles);
    }

    public CostModel withDispatchCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, cycles, sendCycles, jitterCycles, lineBytes, hitCycles,
                trapCycles, ipiSendCycles, tlbInvalidateCycles, probeFloorCycles);
    }

    public CostModel withJitterCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, dispatchCycles, sendCycles, cycles, lineBytes, hitCycles,
                trapCycles, ipiSendCycles, tlbInvalidateCycles, probeFloorCycles);
    }

    public CostModel withLineScale(double scale) {
        return new CostModel(scale, lrpcCycles, dispatchCycles, sendCycles, jitterCycles, lineBytes, hitCycles,
                trapCycles, ipiSendCycles, tlbInvalidateCycles, probeFloorCycles);
    }

    public CostModel withTrapCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, dispatchCycles, sendCycles, jitterCycles, lineBytes, hitCycles,
                cycles, ipiSendCycles, tlbInvalidateCycles, probeFloorCycles);
    }

    public CostModel withIpiSendCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, dispatchCycles, sendCycles, jitterCycles, lineBytes, hitCycles,
                trapCycles, cycles, tlbInvalidateCycles, probeFloorCycles);
    }

    public CostModel withTlbInvalidateCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, dispatchCycles, sendCycles, jitterCycles, lineBytes, hitCycles,
                trapCycles, ipiSendCycles, cycles, probeFloorCycles);
    }
}
