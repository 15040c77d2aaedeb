package io.flotilla.kernel.cap;

import io.flotilla.cap.CapabilityException;

import static io.flotilla.cap.CapabilityException.Kind.BAD_ALIGNMENT;
import static io.flotilla.cap.CapabilityException.Kind.BAD_SIZE;
import static io.flotilla.cap.CapabilityException.Kind.FOREIGN_STORE;
import static io.flotilla.cap.CapabilityException.Kind.NOT_HELD;
import static io.flotilla.cap.CapabilityException.Kind.NO_RIGHTS;
import static io.flotilla.cap.CapabilityException.Kind.OUT_OF_MEMORY;
import static io.flotilla.cap.CapabilityException.Kind.OUT_OF_RANGE;
import static io.flotilla.cap.CapabilityException.Kind.OVERLAP;
import static io.flotilla.cap.CapabilityException.Kind.REVOKED;
import static io.flotilla.cap.CapabilityException.Kind.SLOT_OCCUPIED;
import static io.flotilla.cap.CapabilityException.Kind.WRONG_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import io.flotilla.cap.CapabilityException.Kind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

/**
 * Random operation sequences on one core, run against the store and against a deliberately naive sequential model
 * (slots holding copies of objects with parent links; revoke and overlap found by walking every live copy). After
 * every step the outcome (success or the exact error kind) and the content of every slot must agree, and the
 * derivation tree must satisfy its invariants. jqwik shrinks a failing sequence to a short one.
 */
class CapabilityPropertiesTest {

    static final long PAGE = 4096;
    static final int SLOTS = 5;
    static final int WATCHED = SLOTS + 3;
    static final long BOOT_BASE = 0x100000;
    static final long BOOT_SIZE = 16 * PAGE;
    static final List<MemoryRegion> REGIONS = List.of(new MemoryRegion(0, 0, 8 * PAGE),
            new MemoryRegion(1, 0x20000, 4 * PAGE), new MemoryRegion(1, 0x40000, 4 * PAGE));

    /** Retype targets the sequences pick from: valid and invalid pairs and sizes alike. */
    record Target(CapType type, long size) {}

    static final List<Target> TARGETS = List.of(new Target(CapType.RAM, PAGE), new Target(CapType.RAM, 2 * PAGE),
            new Target(CapType.FRAME, PAGE), new Target(CapType.FRAME, 2 * PAGE), new Target(CapType.FRAME, 1000),
            new Target(CapType.DISPATCHER, 1024), new Target(CapType.VNODE_X86_64_PTABLE, PAGE),
            new Target(CapType.END_POINT_LMP, 0), new Target(CapType.DEV_FRAME, PAGE),
            new Target(CapType.VNODE_X86_64_PML4, 2 * PAGE),
            new Target(CapType.L2_CNODE, 4 * PAGE));

    sealed interface Op {}

    record Retype(int cs, CapAddress src, int offsetKiB, int target, int count, CapAddress dest) implements Op {}

    record Copy(int cs, CapAddress src, int destCs, CapAddress dest) implements Op {}

    record Mint(int cs, CapAddress src, CapAddress dest, int rightsMask) implements Op {}

    record Delete(int cs, CapAddress at) implements Op {}

    record Revoke(int cs, CapAddress at) implements Op {}

    record Identify(int cs, CapAddress at) implements Op {}

    record Alloc(int cs, CapAddress dest, int bytes, int preferred) implements Op {}

    record Send(int cs, CapAddress src, int destCs, CapAddress dest, boolean giveAway) implements Op {}

    record AcceptOld(int ref, int cs, CapAddress dest) implements Op {}

    record AcceptForeign(int cs, CapAddress dest) implements Op {}

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void randomSequencesAgreeWithTheModelAndKeepTheInvariants(@ForAll("sequences") List<Op> ops) {
        Harness h = new Harness();
        // Every sequence starts with each CSpace grown by a CNode retyped from its boot RAM, so that deleting or
        // revoking a CNode with capabilities inside is common.
        for (int cs = 0; cs < 2; cs++) {
            h.step(new Retype(cs, CapAddress.of(0, 0), 48, 10, 1, CapAddress.of(0, SLOTS - 1)));
            h.step(new Copy(cs, CapAddress.of(0, SLOTS - 1), cs, CapAddress.cnode(1)));
        }
        for (Op op : ops) {
            h.step(op);
            h.checkAgreement();
            h.checkTreeInvariants();
        }
    }

    @Provide
    Arbitrary<List<Op>> sequences() {
        Arbitrary<Integer> cs = Arbitraries.integers().between(0, 1);
        // Addresses mostly in the kernel-made L2 CNode (L1 slot 0), some in L1 slot 1, which holds a CNode only
        // once a sequence retypes one and installs it there; copies sometimes go to the L1 slots themselves.
        Arbitrary<CapAddress> slot = Combinators.combine(Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(0)),
                Tuple.of(1, Arbitraries.of(1))), Arbitraries.integers().between(0, SLOTS - 1)).as(CapAddress::of);
        Arbitrary<CapAddress> anyDest = Arbitraries.frequencyOf(Tuple.of(8, slot),
                Tuple.of(1, Arbitraries.integers().between(0, 1).map(CapAddress::cnode)));
        // Offsets and targets lean towards ones that fit, so that sequences grow deep trees, not only errors.
        Arbitrary<Integer> offsetKiB = Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.of(0)),
                Tuple.of(4, Arbitraries.of(4, 8, 12)), Tuple.of(1, Arbitraries.integers().between(0, 72)));
        Arbitrary<Integer> target = Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(0, 1, 2, 3, 5, 6, 7, 10)),
                Tuple.of(1, Arbitraries.integers().between(0, TARGETS.size() - 1)));
        Arbitrary<CapAddress> source = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.of(CapAddress.of(0, 0))),
                Tuple.of(2, slot));
        Arbitrary<Op> retype = Combinators.combine(cs, source, offsetKiB, target, Arbitraries.integers().between(1, 3),
                slot)
                .as(Retype::new);
        Arbitrary<Op> copy = Combinators.combine(cs, slot, cs, anyDest).as(Copy::new);
        Arbitrary<Op> mint = Combinators.combine(cs, slot, slot, Arbitraries.integers().between(0, 31)).as(Mint::new);
        Arbitrary<Op> delete = Combinators.combine(cs, slot).as(Delete::new);
        Arbitrary<Op> revoke = Combinators.combine(cs, slot).as(Revoke::new);
        Arbitrary<Op> identify = Combinators.combine(cs, slot).as(Identify::new);
        Arbitrary<Op> alloc = Combinators.combine(cs, slot, Arbitraries.integers().between(1, 5 * (int) PAGE),
                Arbitraries.integers().between(0, 1)).as(Alloc::new);
        Arbitrary<Op> send = Combinators.combine(cs, slot, cs, slot, Arbitraries.of(true, false)).as(Send::new);
        Arbitrary<Op> acceptOld = Combinators.combine(Arbitraries.integers().between(0, 20), cs, slot)
                .as(AcceptOld::new);
        Arbitrary<Op> foreign = Combinators.combine(cs, slot).as(AcceptForeign::new);
        return Arbitraries.frequencyOf(Tuple.of(6, retype), Tuple.of(3, copy), Tuple.of(3, mint), Tuple.of(3, delete),
                Tuple.of(2, revoke), Tuple.of(2, identify), Tuple.of(3, alloc), Tuple.of(2, send),
                Tuple.of(2, acceptOld), Tuple.of(1, foreign)).list().ofMinSize(1).ofMaxSize(60);
    }

    // ---- the model ----

    /** An object: what copies share. The parent link is fixed at creation and never rewritten. */
    static final class MObj {
        final CapType type;
        final long base;
        final long size;
        final MObj parent;
        /** The slots, for an L2 CNode. */
        final MCap[] cnode;

        MObj(CapType type, long base, long size, MObj parent) {
            this.type = type;
            this.base = base;
            this.size = size;
            this.parent = parent;
            this.cnode = type == CapType.L2_CNODE ? new MCap[CapAddress.L2_SLOTS] : null;
        }

        boolean descendsFrom(MObj a) {
            for (MObj p = parent; p != null; p = p.parent) {
                if (p == a) {
                    return true;
                }
            }
            return false;
        }

        boolean overlaps(long b, long s) {
            return size > 0 && s > 0 && base < b + s && b < base + size;
        }
    }

    enum MState { LIVE, DELETED, REVOKED }

    /** One copy in one slot, with the rights of the copy it came from, to check that rights never grow. */
    static final class MCap {
        final MObj obj;
        final Rights rights;
        final MCap[] home;
        final int index;
        MState state = MState.LIVE;

        MCap(MObj obj, Rights rights, Rights from, MCap[] home, int index) {
            assertThat(rights.within(from)).as("rights never grow").isTrue();
            this.obj = obj;
            this.rights = rights;
            this.home = home;
            this.index = index;
        }
    }

    record SentRef(CapRef ref, MCap cap) {}

    static final class Harness {
        final CapabilityStore store = new CapabilityStore(0);
        final MemoryServer server = new MemoryServer(store, REGIONS);
        final CSpace[] spaces = {store.createCSpace("a", 2), store.createCSpace("b", 2)};
        /** Each CSpace's root: two L1 slots. */
        final MCap[][] roots = new MCap[2][2];
        /** Every copy ever made, in order: liveness and revoke walk all of them. */
        final List<MCap> all = new ArrayList<>();
        final List<MObj> regionRoots = new ArrayList<>();
        final List<SentRef> refs = new ArrayList<>();
        final CapRef alien;

        Harness() {
            for (int cs = 0; cs < 2; cs++) {
                place(roots[cs], 0, new MObj(CapType.L2_CNODE, 0, CapType.Sizes.L2_CNODE, null), Rights.ALL,
                        Rights.ALL);
                long base = (cs + 1) * BOOT_BASE;
                store.createBoot(spaces[cs], CapAddress.of(0, 0), CapType.RAM, base, BOOT_SIZE);
                place(roots[cs][0].obj.cnode, 0, new MObj(CapType.RAM, base, BOOT_SIZE, null), Rights.ALL,
                        Rights.ALL);
            }
            for (MemoryRegion r : REGIONS) {
                regionRoots.add(new MObj(CapType.RAM, r.base(), r.size(), null));
            }
            CapabilityStore other = new CapabilityStore(1);
            CSpace there = other.createCSpace("there", 1);
            other.createBoot(there, CapAddress.of(0, 0), CapType.RAM, 0, PAGE);
            alien = there.ref(CapAddress.of(0, 0));
        }

        MCap place(MCap[] home, int index, MObj obj, Rights rights, Rights from) {
            MCap m = new MCap(obj, rights, from, home, index);
            home[index] = m;
            all.add(m);
            return m;
        }

        void step(Op op) {
            if (op instanceof Retype r) {
                retype(r);
            } else if (op instanceof Copy c) {
                copy(c.cs(), c.src(), c.destCs(), c.dest(), null, c);
            } else if (op instanceof Mint m) {
                copy(m.cs(), m.src(), m.cs(), m.dest(), rights(m.rightsMask()), m);
            } else if (op instanceof Delete d) {
                delete(d);
            } else if (op instanceof Revoke r) {
                revoke(r);
            } else if (op instanceof Identify i) {
                identify(i);
            } else if (op instanceof Alloc a) {
                alloc(a);
            } else if (op instanceof Send s) {
                send(s);
            } else if (op instanceof AcceptOld a) {
                acceptOld(a);
            } else if (op instanceof AcceptForeign f) {
                expect(FOREIGN_STORE, () -> spaces[f.cs()].accept(alien, f.dest(), false), f);
            }
        }

        static Rights rights(int mask) {
            Set<Right> set = new LinkedHashSet<>();
            for (Right r : Right.values()) {
                if ((mask & (1 << r.ordinal())) != 0) {
                    set.add(r);
                }
            }
            return Rights.of(set);
        }

        /** Runs the system's operation and checks it failed exactly as the model predicts (null: succeeded). */
        static void expect(Kind expected, Runnable system, Op op) {
            Kind actual = null;
            String message = "succeeded";
            try {
                system.run();
            } catch (CapabilityException e) {
                actual = e.kind();
                message = e.getMessage();
            }
            assertThat(actual).as("%s: %s", op, message).isEqualTo(expected);
            Statistics.label("outcomes").collect(op.getClass().getSimpleName() + " " + (actual == null ? "ok" : actual));
        }

        static Kind kindOf(MCap m) {
            return m == null ? NOT_HELD : m.state == MState.REVOKED ? REVOKED : null;
        }

        /** The slots an address indexes into: the root for level 1, else the CNode in its L1 slot (or a refusal). */
        Object container(int cs, CapAddress at) {
            if (at.isLevel1()) {
                return roots[cs];
            }
            MCap top = roots[cs][at.l1()];
            Kind k = kindOf(top);
            return k != null ? k : top.obj.cnode;
        }

        int index(CapAddress at) {
            return at.isLevel1() ? at.l1() : at.l2();
        }

        /** The model's lookup: the kind of refusal, or null if the address holds a live copy. */
        Kind lookup(int cs, CapAddress at) {
            Object c = container(cs, at);
            return c instanceof Kind k ? k : kindOf(((MCap[]) c)[index(at)]);
        }

        MCap at(int cs, CapAddress at) {
            return ((MCap[]) container(cs, at))[index(at)];
        }

        /** What storing at an address meets: a refusal of the path, SLOT_OCCUPIED, or null if free. */
        Kind destination(int cs, CapAddress at) {
            Object c = container(cs, at);
            if (c instanceof Kind k) {
                return k;
            }
            MCap m = ((MCap[]) c)[index(at)];
            return m != null && m.state == MState.LIVE ? SLOT_OCCUPIED : null;
        }

        MCap[] slotsOf(int cs, CapAddress at) {
            return (MCap[]) container(cs, at);
        }

        List<MObj> liveObjects() {
            List<MObj> out = new ArrayList<>(regionRoots);
            for (MCap m : all) {
                if (m.state == MState.LIVE && !out.contains(m.obj)) {
                    out.add(m.obj);
                }
            }
            return out;
        }

        /** Removes one copy; when it was its object's last, a CNode's slots go the same way. */
        void kill(MCap m, MState how) {
            m.state = how;
            if (how == MState.DELETED && m.home[m.index] == m) {
                m.home[m.index] = null;
            }
            if (m.obj.cnode != null && all.stream().noneMatch(x -> x.obj == m.obj && x.state == MState.LIVE)) {
                for (MCap inside : m.obj.cnode) {
                    if (inside != null && inside.state == MState.LIVE) {
                        kill(inside, how);
                    }
                }
            }
        }

        static boolean derivable(CapType to, CapType from) {
            return switch (to) {
                case RAM, DISPATCHER, VNODE_X86_64_PTABLE, VNODE_X86_64_PML4, L2_CNODE -> from == CapType.RAM;
                case FRAME -> from == CapType.RAM || from == CapType.FRAME;
                case END_POINT_LMP -> from == CapType.DISPATCHER;
                default -> false;
            };
        }

        static boolean sizeOk(Target t) {
            return switch (t.type()) {
                case RAM, FRAME -> t.size() > 0 && t.size() % PAGE == 0;
                case DISPATCHER -> t.size() == 1024;
                case VNODE_X86_64_PTABLE, VNODE_X86_64_PML4 -> t.size() == PAGE;
                case END_POINT_LMP -> t.size() == 0;
                case L2_CNODE -> t.size() == 16 * 1024;
                default -> true;
            };
        }

        void retype(Retype r) {
            Target t = TARGETS.get(r.target());
            long offset = r.offsetKiB() * 1024L;
            Kind expected = lookup(r.cs(), r.src());
            MCap src = expected == null ? at(r.cs(), r.src()) : null;
            if (expected == null) {
                long align = t.type() == CapType.END_POINT_LMP ? 1 : Math.min(PAGE, Math.max(t.size(), 1));
                long bytes = t.size() * r.count();
                if (!src.rights.has(Right.WRITE)) {
                    expected = NO_RIGHTS;
                } else if (!derivable(t.type(), src.obj.type)) {
                    expected = WRONG_TYPE;
                } else if (!sizeOk(t)) {
                    expected = BAD_SIZE;
                } else if (offset % align != 0) {
                    expected = BAD_ALIGNMENT;
                } else if (offset + bytes > src.obj.size) {
                    expected = OUT_OF_RANGE;
                } else {
                    for (int i = 0; i < r.count() && expected == null; i++) {
                        expected = destination(r.cs(), r.dest().plus(i));
                    }
                    long base = src.obj.base + offset;
                    boolean exempt = t.type() == CapType.END_POINT_LMP;
                    for (MObj o : liveObjects()) {
                        if (expected == null && !exempt && o.descendsFrom(src.obj) && o.overlaps(base, bytes)) {
                            expected = OVERLAP;
                        }
                    }
                }
            }
            expect(expected, () -> spaces[r.cs()].retype(r.src(), offset, t.type(), t.size(), r.count(), r.dest()),
                    r);
            if (expected == null) {
                for (int i = 0; i < r.count(); i++) {
                    MObj o = new MObj(t.type(), src.obj.base + offset + i * t.size(), t.size(), src.obj);
                    place(slotsOf(r.cs(), r.dest()), r.dest().l2() + i, o, src.rights, src.rights);
                }
            }
        }

        void copy(int cs, CapAddress src, int destCs, CapAddress dest, Rights minted, Op op) {
            Kind expected = lookup(cs, src);
            MCap m = expected == null ? at(cs, src) : null;
            Rights rights = minted == null && m != null ? m.rights : minted;
            if (expected == null) {
                if (destCs != cs && !m.rights.has(Right.GRANT)) {
                    expected = NO_RIGHTS;
                } else if (!rights.within(m.rights)) {
                    expected = NO_RIGHTS;
                } else if (dest.isLevel1() && m.obj.type != CapType.L2_CNODE) {
                    expected = WRONG_TYPE;
                } else {
                    expected = destination(destCs, dest);
                }
            }
            CSpace from = spaces[cs];
            expect(expected, () -> {
                if (minted != null) {
                    from.mint(src, dest, minted);
                } else if (destCs == cs) {
                    from.copy(src, dest);
                } else {
                    from.copyTo(src, spaces[destCs], dest);
                }
            }, op);
            if (expected == null) {
                place(slotsOf(destCs, dest), index(dest), m.obj, rights, m.rights);
            }
        }

        void delete(Delete d) {
            Kind expected = lookup(d.cs(), d.at());
            expect(expected, () -> spaces[d.cs()].delete(d.at()), d);
            if (expected == null) {
                kill(at(d.cs(), d.at()), MState.DELETED);
            }
        }

        void revoke(Revoke r) {
            Kind expected = lookup(r.cs(), r.at());
            MCap m = expected == null ? at(r.cs(), r.at()) : null;
            if (expected == null && !m.rights.has(Right.WRITE)) {
                expected = NO_RIGHTS;
            }
            expect(expected, () -> spaces[r.cs()].revoke(r.at()), r);
            if (expected != null) {
                return;
            }
            List<MCap> doomed = new ArrayList<>();
            for (MCap x : all) {
                if (x != m && x.state == MState.LIVE && (x.obj == m.obj || x.obj.descendsFrom(m.obj))) {
                    doomed.add(x);
                }
            }
            for (MCap x : doomed) {
                if (x.state == MState.LIVE) {
                    kill(x, MState.REVOKED);
                }
            }
            // No capability survives a revoke of its ancestor, in the system either.
            for (MCap x : all) {
                if (x.state == MState.LIVE && x != m) {
                    assertThat(x.obj != m.obj && !x.obj.descendsFrom(m.obj)).as("a survivor of %s", r).isTrue();
                }
            }
        }

        void identify(Identify i) {
            Kind expected = lookup(i.cs(), i.at());
            MCap m = expected == null ? at(i.cs(), i.at()) : null;
            if (expected == null && !m.rights.has(Right.IDENTIFY)) {
                expected = NO_RIGHTS;
            }
            CapIdentity[] got = new CapIdentity[1];
            expect(expected, () -> got[0] = spaces[i.cs()].identify(i.at()), i);
            if (expected == null) {
                assertThat(got[0]).isEqualTo(new CapIdentity(m.obj.type, m.obj.base, m.obj.size, m.rights, 0));
            }
        }

        void alloc(Alloc a) {
            long pageOrMore = PAGE;
            while (pageOrMore < a.bytes()) {
                pageOrMore *= 2;
            }
            long size = pageOrMore;
            List<Integer> order = a.preferred() == 1 ? List.of(1, 0) : List.of(0, 1);
            MemoryServer.Grant fit = null;
            MObj region = null;
            List<MObj> live = liveObjects();
            for (int node : order) {
                for (int i = 0; i < REGIONS.size() && fit == null; i++) {
                    MemoryRegion r = REGIONS.get(i);
                    MObj root = regionRoots.get(i);
                    for (long c = r.base(); r.node() == node && c + size <= r.base() + r.size() && fit == null;
                            c += size) {
                        long candidate = c;
                        if (live.stream().noneMatch(o -> o.descendsFrom(root) && o.overlaps(candidate, size))) {
                            fit = new MemoryServer.Grant(node, candidate, size);
                            region = root;
                        }
                    }
                }
                if (fit != null) {
                    break;
                }
            }
            Kind expected = fit == null ? OUT_OF_MEMORY : destination(a.cs(), a.dest());
            MemoryServer.Grant[] got = new MemoryServer.Grant[1];
            expect(expected, () -> got[0] = server.allocate(a.bytes(), List.of(a.preferred()), spaces[a.cs()],
                    a.dest()), a);
            if (expected == null) {
                assertThat(got[0]).isEqualTo(fit);
                place(slotsOf(a.cs(), a.dest()), index(a.dest()), new MObj(CapType.RAM, fit.base(), fit.size(), region),
                        Rights.ALL, Rights.ALL);
            }
        }

        void send(Send s) {
            Kind expected = lookup(s.cs(), s.src());
            MCap m = expected == null ? at(s.cs(), s.src()) : null;
            if (expected == null && !m.rights.has(Right.GRANT)) {
                expected = NO_RIGHTS;
            }
            CapRef[] made = new CapRef[1];
            expect(expected, () -> made[0] = spaces[s.cs()].ref(s.src()), s);
            if (expected != null) {
                return;
            }
            refs.add(new SentRef(made[0], m));
            Kind accepted = destination(s.destCs(), s.dest());
            expect(accepted, () -> spaces[s.destCs()].accept(made[0], s.dest(), s.giveAway()), s);
            if (accepted == null) {
                place(slotsOf(s.destCs(), s.dest()), index(s.dest()), m.obj, m.rights, m.rights);
                if (s.giveAway()) {
                    kill(m, MState.DELETED);
                }
            }
        }

        void acceptOld(AcceptOld a) {
            if (refs.isEmpty()) {
                return;
            }
            SentRef r = refs.get(a.ref() % refs.size());
            Kind expected = switch (r.cap().state) {
                case DELETED -> NOT_HELD;
                case REVOKED -> REVOKED;
                case LIVE -> destination(a.cs(), a.dest());
            };
            expect(expected, () -> spaces[a.cs()].accept(r.ref(), a.dest(), false), a);
            if (expected == null) {
                place(slotsOf(a.cs(), a.dest()), index(a.dest()), r.cap().obj, r.cap().rights, r.cap().rights);
            }
        }

        /** Every watched address holds in the system exactly what it holds in the model. */
        void checkAgreement() {
            for (int cs = 0; cs < 2; cs++) {
                for (int l1 = 0; l1 < 2; l1++) {
                    for (int l2 = CapAddress.LEVEL1; l2 < WATCHED; l2++) {
                        CapAddress addr = new CapAddress(l1, l2);
                        MCap m = lookup(cs, addr) == null ? at(cs, addr) : null;
                        CapIdentity want = m == null ? null
                                : new CapIdentity(m.obj.type, m.obj.base, m.obj.size, m.rights, 0);
                        assertThat(store.peek(spaces[cs], addr)).as("%d: %s", cs, addr).isEqualTo(want);
                    }
                }
            }
        }

        /**
         * The derivation tree is consistent (live objects have live copies, children point back at live parents and
         * lie inside them) and no two live memory objects overlap unless one descends from the other: no memory is
         * handed out twice.
         */
        void checkTreeInvariants() {
            List<CopySet> live = store.liveObjects();
            for (CopySet c : live) {
                assertThat(c.live).isTrue();
                assertThat(c.entries).isNotEmpty().allMatch(CapEntry::live);
                for (CopySet child : c.children) {
                    assertThat(child.parent).isSameAs(c);
                    assertThat(child.live).isTrue();
                    assertThat(child.base >= c.base && child.base + child.size <= c.base + c.size).isTrue();
                }
            }
            for (int i = 0; i < live.size(); i++) {
                for (int j = i + 1; j < live.size(); j++) {
                    CopySet x = live.get(i);
                    CopySet y = live.get(j);
                    if (x.type.isMemory() && y.type.isMemory() && x.overlaps(y.base, y.size)) {
                        assertThat(ancestor(x, y) || ancestor(y, x)).as("%s and %s overlap", x.type, y.type).isTrue();
                    }
                }
            }
            long liveModelCopies = all.stream().filter(m -> m.state == MState.LIVE).count();
            long liveSystemCopies = live.stream().mapToLong(c -> c.entries.size()).sum() + 2;
            assertThat(liveSystemCopies).as("live copies, the memory server's regions and kernel CNodes aside")
                    .isEqualTo(liveModelCopies + REGIONS.size());
        }

        static boolean ancestor(CopySet a, CopySet d) {
            for (CopySet p = d.parent; p != null; p = p.parent) {
                if (p == a) {
                    return true;
                }
            }
            return false;
        }
    }
}
