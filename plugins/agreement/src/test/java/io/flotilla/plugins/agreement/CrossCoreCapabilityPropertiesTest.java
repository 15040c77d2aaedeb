package io.flotilla.plugins.agreement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flotilla.kernel.cap.CSpace;
import io.flotilla.kernel.cap.CapAddress;
import io.flotilla.kernel.cap.CapContinuation;
import io.flotilla.kernel.cap.CapIdentity;
import io.flotilla.kernel.cap.CapType;
import io.flotilla.cap.CapabilityException;
import io.flotilla.cap.CapabilityException.Kind;
import io.flotilla.kernel.cap.Right;
import io.flotilla.kernel.cap.Rights;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.machine.Machine;
import io.flotilla.machine.Machines;
import io.flotilla.platform.sim.SimPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of capability operations on three cores of a booted multikernel (retype, send with and without
 * give-away, mint, delete, revoke; each op on a random core, through the agreement monitors where other cores are
 * involved), one at a time, against a naive sequential model: capabilities in slots, objects with fixed parent
 * links, revoke and overlap found by walking every slot of every core. After every step the outcome (success or the
 * exact error kind) and every watched slot of every core must agree with the model, and the system's own state must
 * keep the invariants: one owner per object, no memory handed out twice (live objects nest or are disjoint), rights
 * never grow past those the object was made with, and nothing survives a revoke of its ancestor.
 */
class CrossCoreCapabilityPropertiesTest {

    static final Machine AMD = Machines.load("amd-8x4");
    static final int CORES = 3;
    static final int SLOTS = 6;
    /** Sources are drawn from the first few slots, so operations mostly find capabilities and collide. */
    static final int SOURCES = 4;
    static final long PAGE = 4096;
    static final long BASE = 0x100_0000;
    static final long STEP = 2_000_000; // cycles between operations: far more than one takes

    @Property(tries = 120)
    void randomMultiCoreSequencesAgreeWithTheSequentialModel(@ForAll("ops") List<int[]> ops) {
        Harness h = new Harness(ops);
        h.run();
        assertEquals(List.of(), h.problems, "ops " + h.describe());
        assertEquals(ops.size(), h.done, "every operation completed");
    }

    @Provide
    Arbitrary<List<int[]>> ops() {
        return Arbitraries.integers().between(0, 999).array(int[].class).ofSize(6).list().ofMinSize(1).ofMaxSize(50);
    }

    // ---- the model ----

    static final class MObj {
        final CapType type;
        final long base;
        final long size;
        final int owner;
        final MObj parent;
        final Rights madeWith;

        MObj(CapType type, long base, long size, int owner, MObj parent, Rights madeWith) {
            this.type = type;
            this.base = base;
            this.size = size;
            this.owner = owner;
            this.parent = parent;
            this.madeWith = madeWith;
        }

        boolean descendsFrom(MObj a) {
            for (MObj p = parent; p != null; p = p.parent) {
                if (p == a) {
                    return true;
                }
            }
            return false;
        }
    }

    record MCap(MObj obj, Rights rights) {}

    static final class Model {
        final MCap[][] slots = new MCap[CORES][SLOTS];
        final boolean[][] tomb = new boolean[CORES][SLOTS];

        Kind lookup(int c, int s) {
            return slots[c][s] != null ? null : tomb[c][s] ? Kind.REVOKED : Kind.NOT_HELD;
        }

        boolean live(MObj o) {
            for (MCap[] core : slots) {
                for (MCap m : core) {
                    if (m != null && m.obj == o) {
                        return true;
                    }
                }
            }
            return false;
        }

        void put(int c, int s, MCap cap) {
            slots[c][s] = cap;
            tomb[c][s] = false;
        }
    }

    // ---- the harness: model and system in lockstep, inside the simulation ----

    final class Harness {
        final List<int[]> ops;
        final Model model = new Model();
        final AgreementMonitors agreement = new AgreementMonitors(CORES, Fanout.MULTICAST);
        final CapabilityMonitors caps = new CapabilityMonitors(agreement);
        final CSpace[] init = new CSpace[CORES];
        final List<String> problems = new ArrayList<>();
        final List<String> trace = new ArrayList<>();
        int done;
        final int[] chosen;

        Harness(List<int[]> ops) {
            this.ops = ops;
            this.chosen = new int[ops.size()];
            java.util.Arrays.fill(chosen, -1);
            for (int c = 0; c < CORES; c++) {
                init[c] = caps.monitor(c).createCSpace("init", 1);
            }
            caps.monitor(0).store().createBoot(init[0], at(0), CapType.RAM, BASE, 16 * PAGE);
            model.put(0, 0, new MCap(new MObj(CapType.RAM, BASE, 16 * PAGE, 0, null, Rights.ALL), Rights.ALL));
        }

        String describe() {
            return String.join("; ", trace);
        }

        void run() {
            Multikernel.Builder b = Multikernel.builder(AMD, new SimPlatform(ops.size())).cores(CORES)
                    .dispatchers(agreement::monitor)
                    .onFailure(f -> problems.add(f + ": " + f.cause()))
                    .out(null);
            for (int c = 0; c < CORES; c++) {
                int core = c;
                b.dispatcher(c, new Dispatcher() {
                    @Override
                    protected void onStart() {
                        // Every core wakes at every step; the one the step picks (from the model's state then) acts.
                        for (int i = 0; i < ops.size(); i++) {
                            int step = i;
                            after((i + 1) * STEP, () -> {
                                if (coreOf(step) == core) {
                                    step(step);
                                }
                            });
                        }
                    }
                });
            }
            try (Multikernel mk = b.boot()) {
                mk.run(Duration.ofSeconds(10));
            }
            problems.addAll(agreement.errors());
        }

        /** Mostly a core that holds something, so that operations find capabilities; sometimes any core. */
        int coreOf(int i) {
            if (chosen[i] < 0) {
                chosen[i] = pickCore(i); // once, by the first core to wake: the step changes the model
            }
            return chosen[i];
        }

        int pickCore(int i) {
            int[] op = ops.get(i);
            List<Integer> holding = new ArrayList<>();
            for (int c = 0; c < CORES; c++) {
                if (!liveSlots(c).isEmpty()) {
                    holding.add(c);
                }
            }
            return op[1] % 4 == 0 || holding.isEmpty() ? op[1] % CORES : holding.get(op[1] / 4 % holding.size());
        }

        List<Integer> liveSlots(int c) {
            List<Integer> out = new ArrayList<>();
            for (int s = 0; s < SLOTS; s++) {
                if (model.slots[c][s] != null) {
                    out.add(s);
                }
            }
            return out;
        }

        void step(int i) {
            if (done != i) {
                problems.add("step " + i + " started before step " + done + " completed");
                return;
            }
            int[] op = ops.get(i);
            int c = coreOf(i);
            List<Integer> held = liveSlots(c);
            int s = op[2] % 5 == 0 || held.isEmpty() ? op[2] % SOURCES : held.get(op[2] / 5 % held.size());
            CSpace cs = init[c];
            int kind = op[0] % 20;
            switch (kind < 7 ? 0 : kind < 13 ? 1 : kind < 16 ? 2 : kind < 18 ? 3 : 4) {
                case 0 -> {
                    CapType type = op[3] % 2 == 0 ? CapType.FRAME : CapType.RAM;
                    long off = (op[4] % 4) * PAGE;
                    long bytes = (1L << (op[5] % 2)) * PAGE;
                    int dest = op[3] / 2 % SLOTS;
                    MCap src = model.slots[c][s];
                    if (src != null && off == 0 && bytes == src.obj.size && type == src.obj.type) {
                        finish(i, "retype onto itself (skipped)", null, null, () -> { });
                        return;
                    }
                    String what = "core " + c + " retype " + s + " +" + off / PAGE + " " + type + " " + bytes / PAGE
                            + "p -> " + dest;
                    Kind want = expectRetype(c, s, type, off, bytes, dest);
                    cs.retype(at(s), off, type, bytes, 1, at(dest), k(i, what, want, () -> model.put(c, dest,
                            new MCap(new MObj(type, src.obj.base + off, bytes, c, src.obj, src.rights),
                                    src.rights))));
                }
                case 1 -> {
                    int to = Math.floorMod(c + 1 + op[3] % (CORES - 1), CORES);
                    int dest = op[4] % SLOTS;
                    boolean give = op[5] % 3 == 0;
                    String what = "core " + c + " send " + s + " to core " + to + " slot " + dest
                            + (give ? " giving away" : "");
                    Kind want = model.lookup(c, s);
                    if (want == null && !model.slots[c][s].rights().has(Right.GRANT)) {
                        want = Kind.NO_RIGHTS;
                    }
                    if (want == null && model.slots[to][dest] != null) {
                        want = Kind.SLOT_OCCUPIED;
                    }
                    MCap src = model.slots[c][s];
                    caps.monitor(c).send(cs, at(s), to, 0, at(dest), give, k(i, what, want, () -> {
                        model.put(to, dest, src);
                        if (give) {
                            model.slots[c][s] = null;
                            model.tomb[c][s] = false;
                        }
                    }));
                }
                case 2 -> {
                    int dest = op[3] % SLOTS;
                    EnumSet<Right> set = EnumSet.of(Right.IDENTIFY);
                    for (Right r : List.of(Right.READ, Right.WRITE, Right.EXECUTE, Right.GRANT)) {
                        if ((op[4] & (1 << r.ordinal())) != 0) {
                            set.add(r);
                        }
                    }
                    Rights rights = Rights.of(set);
                    String what = "core " + c + " mint " + s + " -> " + dest + " " + rights;
                    Kind want = model.lookup(c, s);
                    if (want == null && !rights.within(model.slots[c][s].rights())) {
                        want = Kind.NO_RIGHTS;
                    }
                    if (want == null && model.slots[c][dest] != null) {
                        want = Kind.SLOT_OCCUPIED;
                    }
                    MCap src = model.slots[c][s];
                    Kind expected = want;
                    CapabilityException got = null;
                    try {
                        cs.mint(at(s), at(dest), rights);
                    } catch (CapabilityException e) {
                        got = e;
                    }
                    k(i, what, expected, () -> model.put(c, dest, new MCap(src.obj(), rights))).done(got);
                }
                case 3 -> {
                    String what = "core " + c + " delete " + s;
                    Kind want = model.lookup(c, s);
                    cs.delete(at(s), k(i, what, want, () -> {
                        model.slots[c][s] = null;
                        model.tomb[c][s] = false;
                    }));
                }
                default -> {
                    String what = "core " + c + " revoke " + s;
                    Kind want = model.lookup(c, s);
                    if (want == null && !model.slots[c][s].rights().has(Right.WRITE)) {
                        want = Kind.NO_RIGHTS;
                    }
                    MCap src = model.slots[c][s];
                    cs.revoke(at(s), k(i, what, want, () -> {
                        for (int x = 0; x < CORES; x++) {
                            for (int y = 0; y < SLOTS; y++) {
                                MCap m = model.slots[x][y];
                                if ((x != c || y != s) && m != null
                                        && (m.obj == src.obj() || m.obj.descendsFrom(src.obj()))) {
                                    model.slots[x][y] = null;
                                    model.tomb[x][y] = true;
                                }
                            }
                        }
                    }, src == null ? null : src.obj()));
                }
            }
        }

        Kind expectRetype(int c, int s, CapType type, long off, long bytes, int dest) {
            Kind k = model.lookup(c, s);
            if (k != null) {
                return k;
            }
            MCap src = model.slots[c][s];
            if (!src.rights().has(Right.WRITE)) {
                return Kind.NO_RIGHTS;
            }
            if (!type.derivableFrom(src.obj.type)) {
                return Kind.WRONG_TYPE;
            }
            if (off + bytes > src.obj.size) {
                return Kind.OUT_OF_RANGE;
            }
            if (model.slots[c][dest] != null) {
                return Kind.SLOT_OCCUPIED;
            }
            long base = src.obj.base + off;
            for (MCap[] core : model.slots) {
                for (MCap m : core) {
                    if (m != null && m.obj.descendsFrom(src.obj) && m.obj.base < base + bytes
                            && base < m.obj.base + m.obj.size) {
                        return Kind.OVERLAP;
                    }
                }
            }
            return null;
        }

        CapContinuation k(int i, String what, Kind want, Runnable apply) {
            return k(i, what, want, apply, null);
        }

        CapContinuation k(int i, String what, Kind want, Runnable apply, MObj revoked) {
            return error -> finish(i, what, want, error, () -> {
                if (error == null) {
                    apply.run();
                }
                if (error == null && revoked != null) {
                    checkNothingSurvives(i, what, revoked);
                }
            });
        }

        void finish(int i, String what, Kind want, CapabilityException error, Runnable then) {
            Kind got = error == null ? null : error.kind();
            trace.add(i + ": " + what + " = " + (got == null ? "ok" : got));
            if (!Objects.equals(want, got)) {
                problems.add("step " + i + " " + what + ": expected " + (want == null ? "success" : want) + ", got "
                        + (error == null ? "success" : error.getMessage()));
            }
            then.run();
            compare(i);
            done = i + 1;
        }

        /** Every slot of every core holds what the model says, and the system keeps the invariants. */
        void compare(int i) {
            List<CapIdentity> live = new ArrayList<>();
            for (int c = 0; c < CORES; c++) {
                for (int s = 0; s < SLOTS; s++) {
                    CapIdentity got;
                    Kind gotKind = null;
                    try {
                        got = init[c].identify(at(s));
                        live.add(got);
                    } catch (CapabilityException e) {
                        got = null;
                        gotKind = e.kind();
                    }
                    MCap m = model.slots[c][s];
                    CapIdentity want = m == null ? null
                            : new CapIdentity(m.obj.type, m.obj.base, m.obj.size, m.rights(), m.obj.owner);
                    Kind wantKind = m == null ? model.lookup(c, s) : null;
                    if (!Objects.equals(want, got) || !Objects.equals(wantKind, gotKind)) {
                        problems.add("after step " + i + ", core " + c + " slot " + s + ": model " + (want != null
                                ? want : wantKind) + ", system " + (got != null ? got : gotKind));
                    }
                    if (m != null && got != null && !got.rights().within(m.obj.madeWith)) {
                        problems.add("after step " + i + ": rights grew at core " + c + " slot " + s);
                    }
                }
            }
            for (CapIdentity a : live) {
                for (CapIdentity b : live) {
                    boolean same = a.type() == b.type() && a.base() == b.base() && a.size() == b.size();
                    if (same && a.owner() != b.owner()) {
                        problems.add("after step " + i + ": two owners of " + a + " and " + b);
                    }
                    boolean overlap = a.base() < b.base() + b.size() && b.base() < a.base() + a.size();
                    boolean nested = a.base() <= b.base() && b.base() + b.size() <= a.base() + a.size()
                            || b.base() <= a.base() && a.base() + a.size() <= b.base() + b.size();
                    if (overlap && !nested) {
                        problems.add("after step " + i + ": memory handed out twice: " + a + " and " + b);
                    }
                }
            }
        }

        /** After a revoke: no other slot anywhere holds the object or anything made from it. */
        void checkNothingSurvives(int i, String what, MObj revoked) {
            for (int c = 0; c < CORES; c++) {
                for (int s = 0; s < SLOTS; s++) {
                    MCap m = model.slots[c][s];
                    if (m != null && m.obj != revoked && m.obj.descendsFrom(revoked)) {
                        problems.add("after step " + i + " " + what + ": core " + c + " slot " + s + " survived");
                    }
                }
            }
        }
    }

    static CapAddress at(int slot) {
        return CapAddress.of(0, slot);
    }
}
