package io.flotilla.platform.sim;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.SharedMemory;
import io.flotilla.machine.Core;
import io.flotilla.machine.Machine;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The simulated machine's coherent memory: one 64-bit word per cache line, with a MOESI-like state per line and
 * every access priced by the same {@link Interconnect} that prices messages, so shared-memory baselines and URPC
 * are measured with one ruler.
 *
 * <p><b>State.</b> Each line has at most one dirty holder, the {@code owner} (Modified, or Owned once others have
 * read it), and a set of {@code sharers} holding clean copies. A line nobody holds is served by the memory of its
 * home NUMA node.
 *
 * <p><b>Prices</b> (all through {@link Interconnect#transfer}, so link occupancy and queueing apply):
 * <ul>
 *   <li>read hit: {@code hitCycles}; read miss: one line transfer from the owner, or from the home node when the
 *   line is clean; the reader becomes a sharer and the owner keeps the line (Owned), so every later reader is also
 *   served from the writer's cache, as on the paper's Opterons;</li>
 *   <li>write or atomic: the fetch (unless held) and the invalidation of every other copy happen together; the
 *   write completes when the slower of the two does, the invalidation taking one line transfer to the farthest
 *   holder. For one writer and one polling reader this is the paper's two round trips per URPC message (§7): the
 *   writer's invalidation plus the reader's re-fetch;</li>
 *   <li>transfers of one line are serial: a request waits until the line's previous transfer has completed. This is
 *   what makes many cores hammering one line (Figure 3's SHM series, a broadcast channel, an IPI acknowledgement
 *   counter) cost more per core as cores are added.</li>
 *   <li>every miss takes at least the probe floor on the paper's Opterons ({@link Mechanism#PROBE_FLOOR}).</li>
 *   <li>a miss for a line held in another cache goes to the line's home node first (the Opteron's memory
 *   controller orders the transaction and broadcasts the probes), so when the home is in neither the requester's
 *   nor the holder's package the miss pays the detour: half of (requester to home + home to holder - requester to
 *   holder) transfers, a transfer being a request and its answer ({@link Mechanism#HOME_NODE}).</li>
 *   <li>a line changes hands when the stealing core's request reaches the holder, half a transfer after it was
 *   sent, not at request time: until then the holder's own accesses still hit ({@link
 *   Mechanism#INVALIDATION_HANDOFF}). This is why one line hammered by many cores (SHM1) stays cheap per update: the
 *   holder keeps updating until the invalidation arrives.</li>
 * </ul>
 *
 * <p><b>Spinning.</b> {@link #awaitChange} registers a spinning core instead of simulating its loop: when a write
 * changes the line, each spinner (in the order they began to spin) re-fetches it after the write, queued behind the
 * others, and its continuation runs when its fetch lands. Spinning on a held, unchanged line costs nothing, as it
 * would on real hardware.
 *
 * <p>Deterministic: arrays indexed by line, sharers in a {@link BitSet} (iterated in core order), spinners in a
 * list per line kept in arrival order.
 */
final class CoherentMemory implements SharedMemory {

    private static final int NONE = -1;

    /** A core spinning on a line until it no longer holds {@code seen}. */
    private static final class Spinner {
        final int core;
        final long seen;
        final Dispatcher owner;
        final Runnable then;
        Spinner next;

        Spinner(int core, long seen, Dispatcher owner, Runnable then) {
            this.core = core;
            this.seen = seen;
            this.owner = owner;
            this.then = then;
        }
    }

    private final SimPlatform platform;
    private final Machine machine;
    private final Interconnect interconnect;
    private final CostModel model;
    /** Whether every miss broadcasts probes whose packets load the links (the Opterons, {@link Mechanism#PROBE_TRAFFIC}). */
    private final boolean broadcast;
    /** For each NUMA node, the cores that answer for its memory, in core order; see {@link #memorySource}. */
    private final int[][] nodeCores;

    private int lines;
    private long[] value = new long[64];
    /** Words 1.. of each line, {@code WORDS_PER_LINE - 1} per line: the rest of the line, priced with it. */
    private long[] rest = new long[64 * (WORDS_PER_LINE - 1)];
    private int[] home = new int[64];
    private int[] owner = new int[64];
    private BitSet[] sharers = new BitSet[64];
    private long[] busyUntil = new long[64];
    /**
     * Per line (null until it is first stolen), per core: until when the core still holds the line after another
     * core stole it. Each core's window is its own: a line passed along several cores leaves each in turn.
     */
    private long[][] heldUntil = new long[64][];
    private final int cores;
    private final int[] packageOf;
    private Spinner[] spinners = new Spinner[64];

    CoherentMemory(SimPlatform platform, Machine machine, Interconnect interconnect, CostModel model, int cores) {
        this.platform = platform;
        this.machine = machine;
        this.interconnect = interconnect;
        this.model = model;
        this.broadcast = model.on(Mechanism.PROBE_TRAFFIC) && model.probeFloorCycles() > 0;
        this.cores = cores;
        this.packageOf = new int[cores];
        for (int c = 0; c < cores; c++) {
            packageOf[c] = machine.core(c).packageId();
        }
        int nodes = 1 + machine.cores().stream().mapToInt(Core::numaNode).max().orElse(0);
        this.nodeCores = new int[nodes][];
        for (int n = 0; n < nodes; n++) {
            final int node = n;
            nodeCores[n] = machine.cores().stream().filter(c -> c.id() < cores && c.numaNode() == node)
                    .mapToInt(Core::id).toArray();
        }
    }

    @Override
    public long allocate(int count, int node) {
        if (count <= 0) {
            throw new IllegalArgumentException("allocate at least one line: " + count);
        }
        if (node < 0 || node >= nodeCores.length) {
            throw new IllegalArgumentException("no NUMA node " + node + " on " + machine.name() + " (it has "
                    + nodeCores.length + ")");
        }
        if (nodeCores[node].length == 0) {
            throw new IllegalArgumentException("NUMA node " + node + " has no booted core to serve its memory");
        }
        int first = lines;
        ensure(lines + count);
        for (int l = first; l < first + count; l++) {
            home[l] = node;
            owner[l] = NONE;
        }
        lines += count;
        return first;
    }

    @Override
    public long read(int core, long line) {
        int l = index(line);
        long t = platform.now(core);
        platform.advanceTo(core, share(core, l, t));
        return value[l];
    }

    @Override
    public void write(int core, long line, long v) {
        int l = index(line);
        long done = own(core, l, platform.now(core));
        platform.advanceTo(core, done);
        set(core, l, v, done);
    }

    @Override
    public long readWord(int core, long line, int word) {
        if (SharedMemory.checkWord(word) == 0) {
            return read(core, line);
        }
        int l = index(line);
        platform.advanceTo(core, share(core, l, platform.now(core)));
        return rest[l * (WORDS_PER_LINE - 1) + word - 1];
    }

    /** The line's access as {@link #write}'s; only word 0 is what spinners wait on, so none is woken here. */
    @Override
    public void writeWord(int core, long line, int word, long v) {
        if (SharedMemory.checkWord(word) == 0) {
            write(core, line, v);
            return;
        }
        int l = index(line);
        platform.advanceTo(core, own(core, l, platform.now(core)));
        rest[l * (WORDS_PER_LINE - 1) + word - 1] = v;
    }

    @Override
    public long getAndAdd(int core, long line, long delta) {
        int l = index(line);
        long done = own(core, l, platform.now(core));
        platform.advanceTo(core, done);
        long old = value[l];
        set(core, l, old + delta, done);
        return old;
    }

    @Override
    public boolean compareAndSet(int core, long line, long expect, long update) {
        int l = index(line);
        // A failed lock cmpxchg still takes the line exclusive, so it costs as much as a successful one.
        long done = own(core, l, platform.now(core));
        platform.advanceTo(core, done);
        if (value[l] != expect) {
            return false;
        }
        set(core, l, update, done);
        return true;
    }

    @Override
    public void awaitChange(int core, long line, long seen, Dispatcher waiter, Runnable then) {
        int l = index(line);
        if (value[l] != seen) {
            platform.schedule(core, 0, waiter, then);
            return;
        }
        Spinner s = new Spinner(core, seen, waiter, then);
        Spinner tail = spinners[l];
        if (tail == null) {
            spinners[l] = s;
        } else {
            while (tail.next != null) {
                tail = tail.next;
            }
            tail.next = s;
        }
    }

    // ---- the coherence model -------------------------------------------------------------------------------

    /** Gives {@code core} a readable copy of line {@code l}, asked at {@code t}; returns when it has one. */
    private long share(int core, int l, long t) {
        if (holds(core, l) || stillHeld(core, l, t)) {
            return t + model.hitCycles();
        }
        long start = Math.max(t, busyUntil[l]);
        int from = owner[l] != NONE ? owner[l] : memorySource(l, core);
        long done = from == core ? start + model.hitCycles()
                : floored(core, l, from, owner[l] != NONE, start, fetch(from, core, start) + homeDetour(l, core, from));
        busyUntil[l] = done;
        sharers(l).set(core);
        return done;
    }

    /** Gives {@code core} the only copy of line {@code l}, asked at {@code t}; returns when it has it. */
    private long own(int core, int l, long t) {
        BitSet s = sharers[l];
        boolean alone = owner[l] == core && (s == null || s.isEmpty() || (s.cardinality() == 1 && s.get(core)));
        if (alone || stillHeld(core, l, t)) {
            return t + model.hitCycles();
        }
        long start = Math.max(t, busyUntil[l]);
        long fetched = start + model.hitCycles();
        int from = owner[l] != NONE ? owner[l] : memorySource(l, core);
        boolean upgrade = holds(core, l);
        // The home's memory answers too when a cache supplies the data (not for an upgrade of a held copy).
        boolean memoryData = owner[l] != NONE && !upgrade;
        if (!upgrade) {
            if (from != core) {
                fetched = fetch(from, core, start) + homeDetour(l, core, from);
            }
        }
        int previous = owner[l];
        if (previous != NONE && previous != core && model.on(Mechanism.INVALIDATION_HANDOFF)) {
            // The holder keeps the line until this core's request reaches it: half a transfer (request + answer).
            if (heldUntil[l] == null) {
                heldUntil[l] = new long[cores];
            }
            heldUntil[l][previous] = start + interconnect.line(core, previous) / 2;
        }
        long invalidated = start;
        if (s != null) {
            for (int c = s.nextSetBit(0); c >= 0; c = s.nextSetBit(c + 1)) {
                if (c != core) {
                    invalidated = Math.max(invalidated, start + interconnect.line(core, c));
                }
            }
            s.clear();
        }
        // An upgrade of a shared copy must also invalidate the owner's (it may hold the line in O without being
        // among the sharers). Tested on `upgrade`, computed before the sharers were cleared above: testing holds()
        // here, after the clear, could never be true, so the owner's invalidation was never priced.
        if (upgrade && owner[l] != NONE && owner[l] != core) {
            invalidated = Math.max(invalidated, start + interconnect.line(core, owner[l]));
        }
        long done = floored(core, l, upgrade ? NONE : from, memoryData, start, Math.max(fetched, invalidated));
        busyUntil[l] = done;
        owner[l] = core;
        return done;
    }

    /** Stores {@code v}, written by {@code writer} at {@code done}, and wakes the spinners it changes the line for. */
    private void set(int writer, int l, long v, long done) {
        value[l] = v;
        Spinner keep = null;
        Spinner keepTail = null;
        for (Spinner s = spinners[l]; s != null; ) {
            Spinner next = s.next;
            s.next = null;
            if (s.seen != v) {
                long seenAt = share(s.core, l, done);
                platform.wake(s.core, seenAt, s.owner, s.then);
            } else if (keep == null) {
                keep = keepTail = s;
            } else {
                keepTail.next = s;
                keepTail = s;
            }
            s = next;
        }
        spinners[l] = keep;
    }

    /** Whether {@code core} still holds line {@code l} at {@code t}, another core's steal not having reached it. */
    private boolean stillHeld(int core, int l, long t) {
        long[] h = heldUntil[l];
        return h != null && t < h[core];
    }

    /** The extra cost of going by way of line {@code l}'s home node for a miss of {@code core} served by {@code from}. */
    private long homeDetour(int l, int core, int from) {
        if (!model.on(Mechanism.HOME_NODE) || owner[l] == NONE) {
            return 0;
        }
        int h = memorySource(l, core);
        int ph = packageOf[h];
        if (ph == packageOf[core] || ph == packageOf[from]) {
            return 0;
        }
        long detour = interconnect.line(core, h) + interconnect.line(h, from) - interconnect.line(core, from);
        return Math.max(0, detour / 2);
    }

    /**
     * A coherent miss of {@code core} on line {@code l}, supplied by {@code from}, that began at {@code start} and
     * would be done at {@code done}: on the paper's Opterons it also waits for every package to answer its broadcast
     * probe ({@link Mechanism#PROBE_FLOOR}), later by what the round's packets, the data among them, queued on the
     * links behind other traffic ({@link Mechanism#PROBE_TRAFFIC}). {@code from} is the data's source, or {@code
     * NONE} for an upgrade of a copy the core holds.
     */
    private long floored(int core, int l, int from, boolean memoryData, long start, long done) {
        long round = Math.max(done, start + model.probeFloor());
        return broadcast ? round + interconnect.probeRound(core, memorySource(l, core), from, memoryData, start) : round;
    }

    /**
     * When the line fetched from {@code from} at {@code start} reaches {@code core}: with {@link
     * Mechanism#PROBE_TRAFFIC} the data is one of the probe round's responses and the round books it ({@link
     * #floored}); otherwise it is a transfer of its own.
     */
    private long fetch(int from, int core, long start) {
        return broadcast ? start + interconnect.line(from, core) : interconnect.transfer(from, core, start, 1);
    }

    private boolean holds(int core, int l) {
        BitSet s = sharers[l];
        return owner[l] == core || (s != null && s.get(core));
    }

    private BitSet sharers(int l) {
        BitSet s = sharers[l];
        if (s == null) {
            s = new BitSet();
            sharers[l] = s;
        }
        return s;
    }

    /**
     * The core whose distance prices a miss to memory: the machine files give cache-to-cache latencies only, so a
     * line nobody caches costs one transfer from the nearest other core of its home node (the core itself when it
     * is alone there).
     */
    private int memorySource(int l, int core) {
        int[] cs = nodeCores[home[l]];
        int best = cs[0];
        for (int c : cs) {
            if (c != core) {
                return c;
            }
        }
        return best;
    }

    private int index(long line) {
        if (line < 0 || line >= lines) {
            throw new IllegalArgumentException("line " + line + " was never allocated (" + lines + " lines are)");
        }
        return (int) line;
    }

    private void ensure(int capacity) {
        if (capacity <= value.length) {
            return;
        }
        int n = Math.max(capacity, value.length * 2);
        value = Arrays.copyOf(value, n);
        rest = Arrays.copyOf(rest, n * (WORDS_PER_LINE - 1));
        home = Arrays.copyOf(home, n);
        owner = Arrays.copyOf(owner, n);
        sharers = Arrays.copyOf(sharers, n);
        busyUntil = Arrays.copyOf(busyUntil, n);
        heldUntil = Arrays.copyOf(heldUntil, n);
        spinners = Arrays.copyOf(spinners, n);
    }
}
