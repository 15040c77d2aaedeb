package io.flotilla.platform.sim;

import io.flotilla.machine.Link;
import io.flotilla.machine.Machine;
import java.util.Arrays;
import java.util.List;

/**
 * Prices cache-line transfers between cores: the line latency from the machine (memoised: the machine's own query
 * does a map look-up and a cache search) less both ends' message CPU work (see {@link CostModel}), and contention on
 * the interconnect links a transfer crosses: each link keeps a {@link LinkCalendar}, so transfers are served in
 * virtual-time order whatever order the simulator computes them in ({@link Mechanism#LINK_CONTENTION}).
 */
final class Interconnect {

    private final Machine machine;
    private final CostModel model;
    private final int cores;
    /** lineCycles[a * cores + b], -1 until first asked. */
    private final long[] lineCycles;
    private final int[] packageOf;
    private final int packages;
    /** Link indexes along the path between two packages, by pa * packages + pb; null until first asked. */
    private final int[][] paths;
    private final int[][] linkIndex;
    private final long[] occupancy;
    private final LinkCalendar[] calendars;

    Interconnect(Machine machine, int cores, CostModel model) {
        this.machine = machine;
        this.model = model;
        this.cores = cores;
        this.lineCycles = new long[cores * cores];
        Arrays.fill(lineCycles, -1);
        this.packageOf = new int[cores];
        for (int c = 0; c < cores; c++) {
            packageOf[c] = machine.core(c).packageId();
        }
        this.packages = machine.packages().size();
        this.paths = new int[packages * packages][];
        this.linkIndex = new int[packages][packages];
        for (int[] row : linkIndex) {
            Arrays.fill(row, -1);
        }
        List<Link> links = machine.links();
        this.occupancy = new long[links.size()];
        this.calendars = new LinkCalendar[links.size()];
        double clock = machine.clockGhz();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            linkIndex[l.a()][l.b()] = i;
            linkIndex[l.b()][l.a()] = i;
            double bytesPerCycle = l.bandwidthGBps() / clock;
            occupancy[i] = bytesPerCycle <= 0 ? 0 : (long) Math.ceil(model.lineBytes() / bytesPerCycle);
            calendars[i] = new LinkCalendar();
        }
    }

    /** Cycles for one cache-line transfer from core a to core b, without contention. */
    long line(int a, int b) {
        int key = a * cores + b;
        long c = lineCycles[key];
        if (c < 0) {
            // Table 2's latency less the two ends' CPU work is the message's two transfers (CostModel).
            double transfers = machine.latency(a, b) - 2.0 * model.messageCpu();
            c = Math.max(model.hitCycles(), Math.round(transfers * model.lineScale()));
            lineCycles[key] = c;
        }
        return c;
    }

    /**
     * When {@code lines} cache lines sent from core a at {@code time} have all reached core b: the line latency
     * each, after the earliest time at or after {@code time} at which every link on the path is free for their
     * occupancy; the links are then booked for it.
     */
    long transfer(int a, int b, long time, int lines) {
        long arrival = time + lines * line(a, b);
        int pa = packageOf[a];
        int pb = packageOf[b];
        if (pa == pb || !model.on(Mechanism.LINK_CONTENTION)) {
            return arrival;
        }
        int[] path = path(pa, pb);
        long start = time;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int l : path) {
                long fit = calendars[l].earliestFit(start, lines * occupancy[l]);
                if (fit > start) {
                    start = fit;
                    moved = true;
                }
            }
        }
        for (int l : path) {
            calendars[l].book(start, lines * occupancy[l]);
        }
        return arrival + (start - time);
    }

    /** Forgets link bookings that ended by {@code now}: no transfer is ever asked for an earlier time. */
    void forget(long now) {
        for (LinkCalendar c : calendars) {
            c.forget(now);
        }
    }

    private int[] path(int pa, int pb) {
        int key = pa * packages + pb;
        int[] p = paths[key];
        if (p == null) {
            List<Integer> hops = machine.packagePath(pa, pb);
            p = new int[hops.size() - 1];
            for (int i = 0; i + 1 < hops.size(); i++) {
                p[i] = linkIndex[hops.get(i)][hops.get(i + 1)];
            }
            paths[key] = p;
        }
        return p;
    }
}
