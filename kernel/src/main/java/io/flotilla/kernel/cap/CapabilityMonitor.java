package io.flotilla.kernel.cap;

import io.flotilla.agreement.AgreementMonitor;

import io.flotilla.agreement.Agreement;
import io.flotilla.agreement.AgreementService;
import io.flotilla.agreement.CoreSet;
import io.flotilla.agreement.Outcome;
import io.flotilla.agreement.Proposal;
import io.flotilla.agreement.Voter;
import io.flotilla.cap.CapabilityException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One core's capability operations across cores (Barrelfish's monitor "capops"), run through the agreement
 * monitors: the {@link CapabilityAgreement} of this core's {@link CapabilityStore}, and the voters that answer
 * other cores' operations here. Use it only on its own core.
 *
 * <ul>
 *   <li><b>Retype</b> of an object other cores may hold, in three steps: the object's owner grants the range (a
 *       two-phase commit with the owner alone; it refuses while another retype of overlapping memory is under way,
 *       so of two concurrent retypes exactly one wins); a two-phase commit among all other cores, each voting no if
 *       it holds a live descendant overlapping the range (Barrelfish's {@code check_retypeable} broadcast); on
 *       commit the requester creates the objects, then tells the owner to release the range (one-phase). An owner
 *       retyping its own object skips the first and last steps: its store's reservation is the lock.
 *   <li><b>Revoke</b>: the requester sweeps its own core, then one-phase commit to all other cores, each deleting
 *       its copies of the object and of its descendants (found by the memory they cover).
 *   <li><b>Delete</b> of a last local copy agrees at once: the owner sequences retypes by memory range whether or
 *       not it still holds a copy, and copies elsewhere are found by broadcast, so no ownership needs to move.
 *   <li><b>Send</b> ({@link #send}): a capability travels out of band to a CSpace on another core (two-phase commit
 *       with that core alone, which refuses an occupied slot), keeping its rights, owner and identity.
 * </ul>
 *
 * Broadcast rather than tracked copy lists, as Barrelfish's {@code capsend} does: the store's own records decide
 * only whether other cores are involved at all.
 */
public final class CapabilityMonitor implements CapabilityAgreement {

    static final int GRANT = 0x4341_0100;
    static final int CHECK = 0x4341_0200;
    static final int RELEASE = 0x4341_0300;
    static final int REVOKE = 0x4341_0400;
    static final int INSTALL = 0x4341_0500;
    private static final CapType[] TYPES = CapType.values();
    private static final CapabilityException.Kind[] KINDS = CapabilityException.Kind.values();
    private static final Right[] RIGHTS = Right.values();

    private final AgreementService service;
    private final int core;
    private final int cores;
    private final CapabilityStore store;
    private final List<CSpace> cspaces = new ArrayList<>();

    /**
     * The capability monitor of {@code core}, whose agreement endpoint is {@code service}, for a multikernel of
     * {@code cores} cores. Made before boot: the voters are registered at once.
     */
    public CapabilityMonitor(AgreementService service, int core, int cores) {
        this.service = service;
        this.core = core;
        this.cores = cores;
        this.store = new CapabilityStore(core, this);
        service.register(GRANT, new Voter() {
            @Override
            public int prepare(Proposal p) {
                return code(store.monitorOps.grantRetype(p.a0(), p.a1(), (int) p.a2()));
            }

            @Override
            public void commit(Proposal p) {
                // The range stays reserved until the requester has created its objects and sends RELEASE.
            }

            @Override
            public void abort(Proposal p) {
                store.monitorOps.releaseRetype(p.a0(), p.a1(), (int) p.a2());
            }
        });
        service.register(RELEASE, p -> store.monitorOps.releaseRetype(p.a0(), p.a1(), (int) p.a2()));
        for (CapType t : TYPES) {
            service.register(CHECK | t.ordinal(), new Voter() {
                @Override
                public int prepare(Proposal p) {
                    return code(store.monitorOps.checkRetypeable(t, p.a0(), p.a1(), p.a2(), p.a3()));
                }

                @Override
                public void commit(Proposal p) {}
            });
            service.register(REVOKE | t.ordinal(), p -> store.monitorOps.sweepRevoked(t, p.a0(), p.a1()));
            service.register(INSTALL | t.ordinal(), new Voter() {
                @Override
                public int prepare(Proposal p) {
                    long packed = p.a2();
                    try {
                        store.monitorOps.installArrived(cspace((int) p.a3()), CapAddress.fromRaw((int) packed), t,
                                p.a0(), p.a1(), rights((int) (packed >>> 48) & 0xff), (int) (packed >>> 32) & 0xffff,
                                p.coordinator());
                        return Voter.YES;
                    } catch (CapabilityException e) {
                        return code(e);
                    } catch (IndexOutOfBoundsException e) {
                        return code(new CapabilityException(CapabilityException.Kind.NOT_HELD, "no CSpace"));
                    }
                }

                @Override
                public void commit(Proposal p) {}
            });
        }
    }

    public int core() {
        return core;
    }

    /** This core's capabilities. */
    public CapabilityStore store() {
        return store;
    }

    /** A new CSpace on this core, numbered in creation order ({@link #send} names destinations by that number). */
    public CSpace createCSpace(String dispatcher, int l1Slots) {
        CSpace cs = store.createCSpace(dispatcher, l1Slots);
        cspaces.add(cs);
        return cs;
    }

    public CSpace cspace(int index) {
        return cspaces.get(index);
    }

    @Override
    public boolean splitPhase() {
        return true;
    }

    /**
     * Sends the capability at {@code at} (which needs GRANT) to slot {@code dest} of CSpace number {@code toCSpace}
     * on core {@code toCore}, with the same rights; with {@code giveAway} the sender's copy is deleted once it has
     * arrived. {@code k} runs here: null on success, else the refusal (an occupied slot there, say).
     */
    public void send(CSpace from, CapAddress at, int toCore, int toCSpace, CapAddress dest, boolean giveAway,
            CapContinuation k) {
        CapIdentity id;
        try {
            id = store.monitorOps.sendable(from, at);
        } catch (CapabilityException e) {
            k.done(e);
            return;
        }
        if (toCore == core) {
            k.done(new CapabilityException(CapabilityException.Kind.FOREIGN_STORE,
                    "core " + core + " is this core: copy within it instead"));
            return;
        }
        if (toCore < 0 || toCore >= cores) {
            k.done(new CapabilityException(CapabilityException.Kind.BAD_ADDRESS, "no core " + toCore));
            return;
        }
        long packed = ((long) rightsBits(id.rights()) << 48) | ((long) (id.owner() & 0xffff) << 32)
                | (dest.raw() & 0xffff_ffffL);
        twoPhase().propose(INSTALL | id.type().ordinal(), id.base(), id.size(), packed, toCSpace, CoreSet.of(toCore),
                (p, committed, refusal, refuser) -> {
                    if (!committed) {
                        k.done(refused("send", refusal, refuser));
                        return;
                    }
                    CapabilityException error = null;
                    try {
                        store.remote.record(from, at, toCore);
                        if (giveAway) {
                            from.delete(at);
                        }
                    } catch (CapabilityException e) {
                        error = e; // the sender's copy went while it travelled: the arrival stands
                    }
                    k.done(error);
                });
    }

    // ---- CapabilityAgreement ----

    @Override
    public void retype(int requester, CapIdentity source, Set<Integer> involved, long base, long bytes,
            Decision decision) {
        int owner = source.owner();
        if (cores == 1) {
            decision.agreed();
            return;
        }
        Runnable check = () -> twoPhase().propose(CHECK | source.type().ordinal(), source.base(), source.size(),
                base, bytes, everyoneBut(core), (p, committed, refusal, refuser) -> {
                    if (committed) {
                        decision.agreed();
                    }
                    if (owner != core) {
                        release(owner, base, bytes);
                    }
                    if (!committed) {
                        decision.refused(refused("retype", refusal, refuser));
                    }
                });
        if (owner == core) {
            check.run(); // this store's own reservation is the owner's lock
            return;
        }
        twoPhase().propose(GRANT, base, bytes, core, 0, CoreSet.of(owner), (p, granted, refusal, refuser) -> {
            if (granted) {
                check.run();
            } else {
                decision.refused(refused("retype", refusal, refuser));
            }
        });
    }

    @Override
    public void revoke(int requester, CapIdentity target, Set<Integer> involved, Decision decision) {
        if (cores == 1) {
            decision.agreed();
            return;
        }
        service.agreement(Agreement.ONE_PHASE).propose(REVOKE | target.type().ordinal(), target.base(),
                target.size(), 0, 0, everyoneBut(core), new Outcome() {
                    @Override
                    public void decided(Proposal p, boolean committed, int refusal, int refuser) {}

                    @Override
                    public void completed(Proposal p, boolean committed) {
                        decision.agreed();
                    }
                });
    }

    @Override
    public void deleteLast(int requester, CapIdentity target, Set<Integer> involved, Decision decision) {
        decision.agreed();
    }

    // ---- helpers ----

    private Agreement twoPhase() {
        return service.agreement(Agreement.TWO_PHASE);
    }

    private void release(int owner, long base, long bytes) {
        service.agreement(Agreement.ONE_PHASE).propose(RELEASE, base, bytes, core, 0, CoreSet.of(owner),
                (p, c, r, x) -> { });
    }

    private CoreSet everyoneBut(int me) {
        return CoreSet.range(0, cores).without(me);
    }

    static int code(CapabilityException e) {
        return e == null ? Voter.YES : e.kind().ordinal() + 1;
    }

    static CapabilityException refused(String what, int refusal, int refuser) {
        if (refusal == AgreementMonitor.NO_VOTER) {
            return new CapabilityException(CapabilityException.Kind.REMOTE_REQUIRED, what + " refused: core "
                    + refuser + " runs no capability monitor");
        }
        CapabilityException.Kind kind = refusal >= 1 && refusal <= KINDS.length ? KINDS[refusal - 1]
                : CapabilityException.Kind.REMOTE_REQUIRED;
        return new CapabilityException(kind, what + " refused by core " + refuser + " (" + kind + ")");
    }

    static int rightsBits(Rights rights) {
        int bits = 0;
        for (Right r : rights.asSet()) {
            bits |= 1 << r.ordinal();
        }
        return bits;
    }

    static Rights rights(int bits) {
        EnumSet<Right> set = EnumSet.noneOf(Right.class);
        for (Right r : RIGHTS) {
            if ((bits & (1 << r.ordinal())) != 0) {
                set.add(r);
            }
        }
        return Rights.of(set);
    }
}
