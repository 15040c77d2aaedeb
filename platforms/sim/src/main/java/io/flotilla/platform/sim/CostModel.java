package io.flotilla.platform.sim;

import io.flotilla.dsl.topo.model.TopoCost;
import io.flotilla.machine.Machine;
import java.util.EnumSet;
import java.util.Set;

/**
 * Every parameter of the simulated hardware and system software, in one place, each with its source. Latencies
 * come from the machine ({@link Machine#latency(int, int)}, link bandwidths); the numbers here say how to turn them
 * into the cost of a message or a memory access. Sources: {@code paper-calibration.md} (Baumann et al., SOSP 2009:
 * Tables 1, 2 and 4, §7), Barrelfish TN-009 (notifications, 2010) and the vendors' manuals named below. No
 * parameter is fitted to Figures 3, 6, 7 or 8: those are predictions.
 *
 * <p><b>Messages (URPC).</b>
 * <ul>
 *   <li><b>messageCpuCycles</b> (76, each end, per message and per destination; {@link Mechanism#MESSAGE_CPU}): the
 *   stub and channel code a sender runs to write a frame and a receiver runs to take one. Table 2's latency is
 *   sender CPU + two line transfers (§7: the sender's invalidation, the receiver's fetch) + receiver CPU. On the
 *   Intel's shared-L2 pair the transfers are L2 accesses of 14 cycles (Intel 64 and IA-32 Architectures
 *   Optimization Reference Manual, Core microarchitecture: L2 load-to-use latency 14 cycles), so each end's CPU
 *   share is (180 - 2 x 14) / 2 = 76 cycles. The same pair's pipelined cost, 83.5 cycles per message (11.97
 *   msgs/kcycle), bounds it from above: neither end can spend more per message than the stream's interval. The
 *   code is the same 9 Icache / 8 Dcache lines on every machine (Table 2), so the cycle count is the same
 *   everywhere. The LRPC row (Table 1) is a measured whole and gets nothing extra.
 *   <br><b>Measured override:</b> a machine that carries its own cost ({@code measured message-cpu N} in its
 *   {@code .topo}, {@link Machine#messageCpuCycles()}) gets N instead of 76. {@code flotilla skb measure
 *   --write-topo} writes it for the host's twin: the CPU time of one message through this project's runtime (generated
 *   stub, binding, urpc channel, the receiving core's loop turn, decoder, handler) on one thread, so that no line
 *   crosses a core, split evenly between the two ends; and it writes the twin's latencies as one-frame messages
 *   through that runtime (the bare channel's measured line transfers plus both ends' runtime CPU), so that the
 *   transfer below is still the measured one. No shipped machine carries it.</li>
 *   <li><b>One cache-line transfer</b> between cores a and b costs {@code lineScale * (machine.latency(a, b) - 2 x
 *   messageCpuCycles)} cycles, at least {@code hitCycles}: the machine files carry Table 2's URPC latencies, and
 *   what is left of one after both ends' CPU work is two transfers ({@code lineScale = 0.5}). So a one-frame URPC
 *   message costs exactly the Table 2 latency, and shared memory is priced with the bare transfer.</li>
 *   <li><b>probeFloorCycles</b> ({@link Mechanism#PROBE_FLOOR}; 303, 283, 361 on the 2x2, 4x4 and 8x4 AMD, none on
 *   the Intel): the paper's Opterons have no probe filter, so every coherent miss broadcasts probes to every package
 *   and completes when the slowest has answered. Its one calibration target is Table 2's throughput, the mean
 *   pipelined cost over each machine's pair classes ({@link #probeFloor}): nearly flat across pair classes while the
 *   latency is not. In a channel it bounds the chain of dependent polls (the receiver cannot see frame i+1 before
 *   its miss on frame i has completed), not each receiving core: fetches from different channels overlap. It
 *   applies to every coherent miss (a shared-memory read or a write that must invalidate), not only to frames.</li>
 *   <li><b>Probe traffic</b> ({@link Mechanism#PROBE_TRAFFIC}; on the machines with a probe floor, i.e. the
 *   broadcast Opterons; no new number): the floor says how long a miss's probe round takes, not what it puts on the
 *   links. In the Opterons' broadcast protocol (Keltcher et al., "The AMD Opteron processor for multiprocessor
 *   servers", IEEE Micro 23(2), 2003; Conway and Hughes, "The AMD Opteron Northbridge architecture", IEEE Micro
 *   27(2), 2007, whose probe filter first shipped after the paper's Opteron 8350 and 8380 [R?]) the requester sends
 *   its request to the line's home node; the home sends a probe to every package and reads its memory; every package
 *   answers the requester, the owner with the data, and memory sends its data too, since without a probe filter the
 *   home cannot know a cache holds the line; the requester then sends source-done to the home. Packet sizes are
 *   HyperTransport's (HyperTransport I/O Link Specification, control packets: a request with its address 8 bytes,
 *   a response 4 bytes; data a line): {@link Interconnect#REQUEST_BYTES}, {@link Interconnect#RESPONSE_BYTES},
 *   {@code lineBytes}. Each link is held for bytes / (bandwidth / clock) cycles, with the machine file's link
 *   bandwidth, on the same calendars as every other transfer ({@link Interconnect#probeRound}); the miss's own data
 *   is then one of the round's responses. What the round's packets queue behind other traffic delays the round; what
 *   they cost one another on a shared link is already inside the probe floor Table 2 measured, so an uncontended
 *   miss costs exactly what it did and Tables 1 and 2 do not move. This is what n lines in flight per core load:
 *   with 16 cores each missing on its next line, up to min(n, cores) rounds overlap, every one sending the home's
 *   memory data and the owner's data over the home's links. Booked for shared-memory misses ({@link
 *   CoherentMemory}); channel frames do not book it yet.</li>
 *   <li><b>outstandingMisses</b> (8; {@link Mechanism#MISS_OVERLAP}): a core's misses to different lines overlap up
 *   to the number its L1 data cache tracks at once: 8 miss address buffers on the Opteron (AMD Software
 *   Optimization Guide for Family 10h Processors, "The L1 data cache ... up to 8 outstanding misses" [R?]), 8 L1D
 *   fill buffers on the Core 2 [R?]. A receiver collecting acknowledgements from many channels therefore pays a
 *   floor per channel chain, not per frame served.</li>
 *   <li><b>jitterCycles</b>: 8, about Table 2's standard deviation on the 8x4 AMD (±6 to ±8), uniform in [0, 8]
 *   from the run's one seeded random source.</li>
 *   <li><b>lrpcCycles</b>: half of Table 1's same-core LRPC latency (a call and its return), e.g. 1549 / 2; a machine
 *   that states its own ({@code measured lrpc-message N}, a host's twin: one message between two dispatchers of one
 *   core through the pinned runtime) gets N.</li>
 * </ul>
 *
 * <p><b>Links.</b> A line occupies each interconnect link it crosses for {@code lineBytes / (bandwidth / clock)}
 * cycles; transfers are booked on each link's calendar in virtual-time order ({@link Mechanism#LINK_CONTENTION}).
 *
 * <p><b>Shared memory</b> ({@link CoherentMemory}): the same line transfer; {@code hitCycles} (3, an L1 hit on the
 * Opterons: AMD Family 10h optimization guide, 3-cycle L1 load-to-use) for a line the core holds. A line nobody
 * caches comes from its home node, one transfer from a core of that node. The trip to the home for a line another
 * cache holds is {@link Mechanism#HOME_NODE}; the link traffic of each miss's broadcast round is {@link
 * Mechanism#PROBE_TRAFFIC} (above). (Not modelled: queueing at the home's memory controller, whose DRAM read of a
 * line holds a DDR2 channel for a burst of about 10 ns [R?], well below a probe round.)
 *
 * <p><b>Kernel crossings</b> ({@link Mechanism#KERNEL_CROSSINGS}), all from TN-009 (Barrelfish's own measurements on
 * the lab's AMD machines): {@code capInvokeCycles} 2000 (a capability invocation on x86-64),
 * {@code syscallCycles} 800 (a bare system call; the IPI baseline's munmap entry, and a monitor's entry into its
 * CPU driver to invalidate a TLB on a remote core), {@code trapCycles} 800 (taking and acknowledging an IPI:
 * TN-009 500-1000, the S3 notes "IPI trap ~800"). An IPI's sender waits for the local APIC's delivery status
 * before it may send the next (Intel SDM vol. 3, §10.6.1, ICR "Delivery Status: Send Pending"; Linux's xAPIC
 * path spins on it), i.e. one interrupt message's trip to the target, priced as one line transfer
 * ({@code interruptSendCycles} {@value #APIC_DELIVERY_WAIT}).
 * <br><b>Measured override:</b> a machine that states its own ({@code measured capability-invocation N}, {@code
 * system-call N}, {@code interrupt-send N}, {@code interrupt-trap N}; {@link Machine#cost}) gets N instead. A host's
 * twin states what the pinned platform spends on that host ({@code RuntimeKernelCrossings}): a JVM has no CPU driver,
 * so a capability invocation or a system call costs a call that does nothing, and an interrupt is a queued signal
 * the target's loop takes, whose sender waits for nothing.
 *
 * <p><b>pollCycles</b> ({@link Mechanism#POLL_LOOP}; 3 = {@code hitCycles}): a dispatcher's event loop looks at
 * the next slot of every channel it watches on each pass; a slot with nothing new is a line the core holds. The
 * Table 2 benchmark polled one channel, so only the channels beyond the first are charged. LRPC is a kernel
 * hand-off, not polled.
 *
 * <p><b>tlbInvalidateCycles</b>: a modelled invalidation of one page in one TLB, default
 * {@value io.flotilla.kernel.Platform#MODELLED_TLB_INVALIDATE_CYCLES} (the S3 notes give 95–320 cycles on x86-64).
 *
 * <p><b>Network ({@code net} on sim)</b>: the paper's Table 4 IP loopback on the 2x2 AMD, which is what two cores of
 * one machine talking over the network stack do. Barrelfish moved 2154 Mbit/s; with full TCP segments of 1448
 * payload bytes (the MSS of a 1500-byte Ethernet MTU with timestamps) that is 5.38 µs, 15,060 cycles at 2.8 GHz,
 * per segment; 21 of those were Dcache misses per packet (Table 4), about 303 cycles each on that machine (its
 * probe floor), so the stack's fixed cost per segment is 15,060 - 21 x 303 = 8,700 cycles = {@code netSegmentNs}
 * 3,106 ns at each end, converted to the simulated machine's clock. Each 64-byte frame also costs one miss at each
 * end (the copy between the channel's ring and the socket buffer), and its line crosses the interconnect like any
 * other (link bandwidth and queueing). Frames a sender publishes while its stack is still busy join the next
 * segment, up to {@code netSegmentBytes} 1448 bytes (22 frames): that is the batching. As a check (not a fit), one
 * frame one way then costs about 2 x 8,700 + misses = 18,000 cycles, 6.4 µs at 2.8 GHz; this project's own net
 * transport measured a 22 µs loopback round trip on the development VM (docs/benchmarks.md), 11 µs one way.
 */
public record CostModel(double lineScale, long lrpcCycles, long messageCpuCycles, long jitterCycles, int lineBytes,
        long hitCycles, long trapCycles, long tlbInvalidateCycles, long probeFloorCycles, int outstandingMisses,
        long capInvokeCycles, long syscallCycles, long interruptSendCycles, long pollCycles, long netSegmentNs,
        int netSegmentBytes, Set<Mechanism> mechanisms) {

    /** Table 2's Intel shared-L2 row: (180 - 2 x 14) / 2 cycles at each end (above). */
    public static final long DEFAULT_MESSAGE_CPU_CYCLES = 76;

    public CostModel {
        if (lineScale <= 0 || lrpcCycles < 0 || messageCpuCycles < 0 || jitterCycles < 0 || lineBytes <= 0
                || hitCycles < 0 || trapCycles < 0 || tlbInvalidateCycles < 0 || probeFloorCycles < 0
                || outstandingMisses < 1 || capInvokeCycles < 0 || syscallCycles < 0 || interruptSendCycles < -1
                || pollCycles < 0
                || netSegmentNs < 0 || netSegmentBytes < lineBytes) {
            throw new IllegalArgumentException("cost model parameters must be positive (lineScale, lineBytes,"
                    + " outstandingMisses, netSegmentBytes >= lineBytes) or non-negative: " + this);
        }
        Set<Mechanism> copy = EnumSet.noneOf(Mechanism.class);
        copy.addAll(mechanisms);
        mechanisms = java.util.Collections.unmodifiableSet(copy);
    }

    /** A capability invocation, TN-009 (above). */
    public static final long DEFAULT_CAP_INVOKE_CYCLES = 2000;
    /** A system call or CPU-driver entry, TN-009 (above). */
    public static final long DEFAULT_SYSCALL_CYCLES = 800;
    /** Taking and acknowledging an IPI, TN-009 (above). */
    public static final long DEFAULT_TRAP_CYCLES = 800;
    /** {@code interruptSendCycles} for "the APIC's delivery wait: one line transfer to the target" (above). */
    public static final long APIC_DELIVERY_WAIT = -1;

    /**
     * The defaults above for {@code machine}, every mechanism on; its measured costs where it has them (a host's twin:
     * {@link Machine#cost}).
     */
    public static CostModel calibrated(Machine machine) {
        return new CostModel(0.5, machine.cost(TopoCost.LRPC_MESSAGE).orElse(lrpcRoundTrip(machine.name()) / 2),
                machine.messageCpuCycles().orElse(DEFAULT_MESSAGE_CPU_CYCLES), 8, 64, 3,
                machine.cost(TopoCost.INTERRUPT_TRAP).orElse(DEFAULT_TRAP_CYCLES),
                io.flotilla.kernel.Platform.MODELLED_TLB_INVALIDATE_CYCLES, probeFloor(machine.name()), 8,
                machine.cost(TopoCost.CAPABILITY_INVOCATION).orElse(DEFAULT_CAP_INVOKE_CYCLES),
                machine.cost(TopoCost.SYSTEM_CALL).orElse(DEFAULT_SYSCALL_CYCLES),
                machine.cost(TopoCost.INTERRUPT_SEND).orElse(APIC_DELIVERY_WAIT), 3, 3106, 1448, Mechanism.all());
    }

    /** The calibrated model of {@code machine} with the mechanisms in {@code off} switched off (an ablation). */
    public static CostModel calibratedWithout(Machine machine, Set<Mechanism> off) {
        CostModel m = calibrated(machine);
        for (Mechanism x : off) {
            m = m.without(x);
        }
        return m;
    }

    /** Whether {@code m} is part of this model. */
    public boolean on(Mechanism m) {
        return mechanisms.contains(m);
    }

    /** This model without {@code m}. */
    public CostModel without(Mechanism m) {
        Set<Mechanism> s = EnumSet.noneOf(Mechanism.class);
        s.addAll(mechanisms);
        s.remove(m);
        return new CostModel(lineScale, lrpcCycles, messageCpuCycles, jitterCycles, lineBytes, hitCycles, trapCycles,
                tlbInvalidateCycles, probeFloorCycles, outstandingMisses, capInvokeCycles, syscallCycles,
                interruptSendCycles, pollCycles,
                netSegmentNs, netSegmentBytes, s);
    }

    /** This model with {@code cycles} of jitter (0: none). */
    public CostModel withJitterCycles(long cycles) {
        return new CostModel(lineScale, lrpcCycles, messageCpuCycles, cycles, lineBytes, hitCycles, trapCycles,
                tlbInvalidateCycles, probeFloorCycles, outstandingMisses, capInvokeCycles, syscallCycles,
                interruptSendCycles, pollCycles,
                netSegmentNs, netSegmentBytes, mechanisms);
    }

    /** Per-message CPU cost at each end, or 0 with {@link Mechanism#MESSAGE_CPU} off. */
    long messageCpu() {
        return on(Mechanism.MESSAGE_CPU) ? messageCpuCycles : 0;
    }

    /** The broadcast-probe floor of a coherent miss, or 0 with {@link Mechanism#PROBE_FLOOR} off. */
    long probeFloor() {
        return on(Mechanism.PROBE_FLOOR) ? probeFloorCycles : 0;
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
     * the machine's pair classes (2x2: 292 and 314; 4x4: 280, 283, 285; 8x4: 361, 358, 364). The Intel's front-side
     * bus with its snoop filter has no such floor, nor do machines the paper did not measure.
     */
    static long probeFloor(String machine) {
        return switch (machine) {
            case "amd-2x2" -> 303;
            case "amd-4x4" -> 283;
            case "amd-8x4" -> 361;
            default -> 0;
        };
    }
}
