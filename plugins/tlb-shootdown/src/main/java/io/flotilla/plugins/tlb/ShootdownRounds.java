package io.flotilla.plugins.tlb;

/**
 * Drives the raw shootdown of the paper's Figure 6 on the initiator's core: once the group is set up, runs
 * {@code warmup} unmeasured rounds and then {@code rounds} measured ones, each timed on the initiator from the first
 * send to the last acknowledgement, with {@code gapCycles} of idle time between rounds so that one round's traffic
 * has left the interconnect before the next starts. Stops the kernel when done.
 */
public final class ShootdownRounds extends io.flotilla.kernel.Dispatcher {

    /** The virtual address shot down; any page-aligned value. */
    public static final long VADDR = 0x7f00_0000_0000L;

    private final ShootdownGroup group;
    private final int warmup;
    private final int pages;
    private final long gapCycles;
    private final RoundLatencies latencies;
    private final int total;
    private int round;
    private long started;
    private final Runnable next = this::next;
    private final Runnable finished = this::finished;

    public ShootdownRounds(ShootdownGroup group, int warmup, int rounds, int pages, long gapCycles) {
        if (warmup < 0 || rounds < 1 || pages < 1 || gapCycles < 0) {
            throw new IllegalArgumentException("warmup >= 0, rounds >= 1, pages >= 1, gap >= 0 required: warmup="
                    + warmup + " rounds=" + rounds + " pages=" + pages + " gap=" + gapCycles);
        }
        this.group = group;
        this.warmup = warmup;
        this.pages = pages;
        this.gapCycles = gapCycles;
        this.latencies = new RoundLatencies(rounds);
        this.total = warmup + rounds;
    }

    @Override
    protected void onStart() {
        group.initiator().whenReady(next);
    }

    private void next() {
        if (round == total) {
            stopKernel();
            return;
        }
        started = now();
        group.initiator().shootdown(VADDR, pages, finished);
    }

    private void finished() {
        if (round >= warmup) {
            latencies.add(now() - started);
        }
        round++;
        after(gapCycles, next);
    }

    public RoundLatencies latencies() {
        return latencies;
    }

    /** Rounds completed, warm-up included. */
    public int roundsDone() {
        return round;
    }
}
