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

    /** A HyperTransport request or probe control packet with its address (CostModel: probe traffic). */
    static final int REQUEST_BYTES = 8;
    /** A HyperTransport response control packet without data. */
    static final int RESPONSE_BYTES = 4;

    private final Machine machine;
    private final CostModel model;
    private final int cores;
    /** lineCycles[a * cores + b], -1 until first asked. */
    private final long[] lineCycles;
    private final int[] packageOf;
    private final int packages;
    /** Link indexes along the path between two packages, by pa * packages + pb; null until first asked. */
    private final int[][] paths;
    /** Per package, the links of its probe broadcast tree; null until first asked. */
    private final int[][] probeTrees;
    private final int[][] linkIndex;
    private final long[] occupancy;
    /** Per link: cycles an 8-byte HyperTransport request or probe packet holds it, and a 4-byte response. */
    private final long[] requestOccupancy;
    private final long[] responseOccupancy;
    private final LinkCalendar[] calendars;
    /** Empty calendars on which {@link #probeRound} prices a round alone; cleared after each use. */
    private final LinkCalendar[] scratch;
    /** Per kind of probe round (packages of requester, home and owner; memory data or not): its own queueing, or -1. */
    private final long[] ownQueueing;

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
        this.probeTrees = new int[packages][];
        this.linkIndex = new int[packages][packages];
        for (int[] row : linkIndex) {
            Arrays.fill(row, -1);
        }
        List<Link> links = machine.links();
        this.occupancy = new long[links.size()];
        this.requestOccupancy = new long[links.size()];
        this.responseOccupancy = new long[links.size()];
        this.calendars = new LinkCalendar[links.size()];
        this.scratch = new LinkCalendar[links.size()];
        // Only broadcast machines (the paper's Opterons, a few packages) price probe rounds; a mesh of 1024 must not
        // pay for a table it never uses.
        boolean broadcast = model.probeFloorCycles() > 0 && model.on(Mechanism.PROBE_TRAFFIC);
        this.ownQueueing = new long[broadcast ? packages * packages * packages * 2 : 0];
        Arrays.fill(ownQueueing, -1);
        double clock = machine.clockGhz();
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            linkIndex[l.a()][l.b()] = i;
            linkIndex[l.b()][l.a()] = i;
            double bytesPerCycle = l.bandwidthGBps() / clock;
            occupancy[i] = bytesPerCycle <= 0 ? 0 : (long) Math.ceil(model.lineBytes() / bytesPerCycle);
            requestOccupancy[i] = bytesPerCycle <= 0 ? 0 : (long) Math.ceil(REQUEST_BYTES / bytesPerCycle);
            responseOccupancy[i] = bytesPerCycle <= 0 ? 0 : (long) Math.ceil(RESPONSE_BYTES / bytesPerCycle);
            calendars[i] = new LinkCalendar();
            scratch[i] = new LinkCalendar();
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
        return arrival + (book(calendars, path(pa, pb), occupancy, lines, time) - time);
    }

    /**
     * The link traffic of one coherent miss under a broadcast protocol ({@link Mechanism#PROBE_TRAFFIC}), begun at
     * {@code time} by {@code requester} for a line homed on {@code home}'s package, answered with data by {@code
     * owner} (a cache, or a core of the home node for memory; -1 for an upgrade, which fetches no data) and, when
     * {@code memoryData}, also by the home's memory. Books
     * the three phases of the round on the links they cross and returns how many cycles queueing added to it:
     * <ol>
     *   <li>the request, requester to home (8 bytes);</li>
     *   <li>the home's probe, once on every link of the broadcast tree from the home (8 bytes; a package forwards it
     *   on, so a link carries each probe once);</li>
     *   <li>every other package's probe response to the requester (4 bytes; the owner's carries the line), the data of the home's speculative memory read when a cache supplies the line (without a probe
     *   filter the home cannot know that a cache holds it, so memory answers as well; an upgrade of a shared copy
     *   fetches no data), and the requester's source-done to the home
     *   (4 bytes), which releases the line at the home.</li>
     * </ol>
     * A phase starts a one-way trip (half a line transfer between requester and home) after the one before, later by
     * what that one queued; it waits for its slowest packet. Only queueing behind other traffic counts: what the
     * round's own packets cost one another where they share a link is part of the probe round Table 2 measured
     * ({@link Mechanism#PROBE_FLOOR}), so it is subtracted (computed once per kind of round on empty calendars), and
     * on an idle interconnect a round adds nothing.
     */
    long probeRound(int requester, int home, int owner, boolean memoryData, long time) {
        int pr = packageOf[requester];
        int ph = packageOf[home];
        int po = owner < 0 ? pr : packageOf[owner];
        long trip = line(requester, home) / 2;
        int kind = ((pr * packages + ph) * packages + po) * 2 + (memoryData ? 1 : 0);
        long own = ownQueueing[kind];
        if (own < 0) {
            // Far enough apart (a phase is a trip after the last) that rounds of other kinds do not matter here.
            own = round(scratch, pr, ph, po, memoryData, trip, 0);
            for (LinkCalendar c : scratch) {
                c.forget(Long.MAX_VALUE);
            }
            ownQueueing[kind] = own;
        }
        return Math.max(0, round(calendars, pr, ph, po, memoryData, trip, time) - own);
    }

    /** Books a probe round on {@code cal}; returns the cycles its phases queued (see {@link #probeRound}). */
    private long round(LinkCalendar[] cal, int pr, int ph, int po, boolean memoryData, long trip, long time) {
        long queued = 0;
        if (ph != pr) {
            queued += book(cal, path(pr, ph), requestOccupancy, 1, time) - time;
        }
        long probes = time + queued + trip;
        long probesQueued = 0;
        for (int l : probeTree(ph)) {
            long start = cal[l].earliestFit(probes, requestOccupancy[l]);
            cal[l].book(start, requestOccupancy[l]);
            probesQueued = Math.max(probesQueued, start - probes);
        }
        queued += probesQueued;
        long responses = probes + probesQueued + trip;
        long responsesQueued = 0;
        for (int p = 0; p < packages; p++) {
            if (p != pr && p != po) {
                responsesQueued = Math.max(responsesQueued,
                        book(cal, path(p, pr), responseOccupancy, 1, responses) - responses);
            }
        }
        if (po != pr) {
            responsesQueued = Math.max(responsesQueued, book(cal, path(po, pr), occupancy, 1, responses) - responses);
        }
        if (ph != pr && memoryData) {
            responsesQueued = Math.max(responsesQueued, book(cal, path(ph, pr), occupancy, 1, responses) - responses);
        }
        queued += responsesQueued;
        if (ph != pr) {
            book(cal, path(pr, ph), responseOccupancy, 1, responses + responsesQueued + trip);
        }
        return queued;
    }

    /** The links of the broadcast tree from package {@code from}: the union of its shortest paths, each once. */
    private int[] probeTree(int from) {
        int[] tree = probeTrees[from];
        if (tree == null) {
            boolean[] used = new boolean[calendars.length];
            int n = 0;
            for (int p = 0; p < packages; p++) {
                if (p != from) {
                    for (int l : path(from, p)) {
                        if (!used[l]) {
                            used[l] = true;
                            n++;
                        }
                    }
                }
            }
            tree = new int[n];
            n = 0;
            for (int l = 0; l < used.length; l++) {
                if (used[l]) {
                    tree[n++] = l;
                }
            }
            probeTrees[from] = tree;
        }
        return tree;
    }

    /**
     * Books {@code count} packets of the given per-link occupancy on every link of {@code path} in {@code cal} at the
     * earliest time at or after {@code time} when all of them are free, and returns that time.
     */
    private static long book(LinkCalendar[] cal, int[] path, long[] perLink, int count, long time) {
        long start = time;
        boolean moved = true;
        while (moved) {
            moved = false;
            for (int l : path) {
                long fit = cal[l].earliestFit(start, count * perLink[l]);
                if (fit > start) {
                    start = fit;
                    moved = true;
                }
            }
        }
        for (int l : path) {
            cal[l].book(start, count * perLink[l]);
        }
        return start;
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
