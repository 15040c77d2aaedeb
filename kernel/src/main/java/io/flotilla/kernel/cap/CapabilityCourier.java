package io.flotilla.kernel.cap;

import io.flotilla.agreement.Agreement;
import io.flotilla.agreement.CoreSet;
import io.flotilla.agreement.Outcome;
import io.flotilla.agreement.Proposal;
import io.flotilla.agreement.Voter;
import io.flotilla.binding.Binding;
import io.flotilla.cap.Capability;
import io.flotilla.cap.CapabilityException;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.binding.CapabilityTransferException;
import java.util.HashMap;
import java.util.Map;

/**
 * One end of a binding whose capability arguments travel through the capability monitors, as Barrelfish's UMP stubs
 * hand a message's capabilities to their monitor while its words go on the channel. Made in pairs by
 * {@link CapabilityBindings}.
 *
 * <p><b>Sending</b> ({@link #send}, called by the generated codec before the message's frames are written): the
 * reference must be one this core's store made, to a live copy with GRANT; otherwise the send fails with a
 * {@link CapabilityTransferException} and nothing is written. The capability gets a number, unique on this end, which
 * is all the frame carries. Between cores the binding {@linkplain Binding#hold() holds} the message's frames, and
 * this core's monitor proposes a two-phase {@code DELIVER} to the receiver's core alone: its voter installs a copy
 * (same type, range, rights and owner) in a free receive slot of the receiving dispatcher's CSpace and notes the
 * number, or notes why it could not. Once the vote is in, the sender records the receiver's copy (with
 * {@code give_away_cap}, deletes its own: only now, when the receiver holds one) and releases the frames. On one
 * core the copy is installed at once and nothing is held.
 *
 * <p><b>Ordering.</b> The receiver's install (and its note of the number) happens before its vote; the vote reaches
 * the sender before the held frames enter the channel; the channel is FIFO and every later message's frames queue
 * behind the held ones. So when the decoder reads the number, the capability is there: {@link #receive} never has
 * to wait, and no message sent after a capability-carrying one is delivered before it. The price is one monitor
 * round trip of latency per capability-carrying message (Barrelfish sends both at once and makes the receiver wait
 * for both; holding at the sender keeps the receive path and the binding's decoder unchanged).
 *
 * <p><b>Refusals.</b> A number that names nothing that arrived (forged, or received already) is refused by
 * {@link #receive} with a {@link CapabilityTransferException}, which the decoder reports to the binding's error
 * handler; the message is dropped. So is a capability the receiver's core refused (no free receive slot) or one
 * revoked in transit: if the sender's copy is found revoked when the vote comes back, a one-phase
 * {@code WITHDRAW} deletes the receiver's copy before the frames are released; if a revoke reaches the receiver's
 * copy itself, the slot's tombstone says REVOKED.
 *
 * <p>Not covered: a revoke started by a third core that sweeps the receiver before the install and the sender
 * after the vote leaves the receiver's copy alive (Barrelfish locks the capability while it is in transit).
 */
public final class CapabilityCourier implements CapabilityTransfer {

    private final CapabilityBindings bindings;
    private final int id;
    private final int core;
    private final CSpace cspace;
    private final int receiveL1;
    private CapabilityCourier peer;
    private Binding binding;
    private int nextNumber = 1;
    private int cursor;
    /** Capabilities arrived (or refused) and not yet received, by number: looked up, never iterated. */
    private final Map<Integer, Arrival> arrivals = new HashMap<>();

    private record Arrival(CapAddress at, CapabilityException refusal) {}

    CapabilityCourier(CapabilityBindings bindings, int id, int core, CapabilityBindings.Attachment attachment) {
        this.bindings = bindings;
        this.id = id;
        this.core = core;
        this.cspace = attachment.cspace();
        this.receiveL1 = attachment.receiveL1();
    }

    void peer(CapabilityCourier other) {
        this.peer = other;
    }

    int core() {
        return core;
    }

    @Override
    public void attach(Binding b) {
        if (binding != null && binding != b) {
            throw new IllegalStateException("a capability courier serves one binding end");
        }
        binding = b;
    }

    /** Capabilities arrived here (or refused) whose message has not been received yet. */
    public synchronized int pendingArrivals() {
        return arrivals.size();
    }

    @Override
    public int send(Capability cap, boolean giveAway) {
        if (cap == null) {
            return 0;
        }
        if (!(cap instanceof CapRef ref)) {
            throw new CapabilityTransferException(CapabilityException.Kind.FOREIGN_STORE,
                    cap + " is not a reference made by a CSpace");
        }
        if (peer == null) {
            throw new CapabilityTransferException(CapabilityException.Kind.FOREIGN_STORE, "the other end of this "
                    + "binding carries no capabilities (its dispatcher is not attached to the capability bindings)");
        }
        CapabilityStore store = bindings.monitor(core).store();
        CapIdentity identity;
        try {
            identity = store.monitorOps.sendable(ref);
        } catch (CapabilityException e) {
            throw new CapabilityTransferException("cannot send " + ref, e);
        }
        int number = nextNumber();
        if (peer.core == core) {
            try {
                peer.acceptLocal(ref, number, giveAway);
            } catch (CapabilityException e) {
                throw new CapabilityTransferException("cannot send " + ref, e);
            }
            return number;
        }
        long hold = binding.hold();
        long packed = ((long) CapabilityMonitor.rightsBits(identity.rights()) << 48)
                | ((long) (identity.owner() & 0xffff) << 32) | (number & 0xffff_ffffL);
        agreement().propose(CapabilityBindings.DELIVER | identity.type().ordinal(), identity.base(), identity.size(),
                packed, peer.id, CoreSet.of(peer.core), (p, delivered, refusal, refuser) -> {
                    if (!delivered) {
                        binding.release(hold); // the receiver noted why: its decoder reports it
                        return;
                    }
                    try {
                        store.monitorOps.sent(ref, peer.core, giveAway);
                    } catch (CapabilityException e) {
                        if (e.kind() == CapabilityException.Kind.REVOKED) {
                            withdraw(number, hold);
                            return;
                        }
                        // Deleted by the sender while it travelled: the arrival stands, as a copy made earlier would.
                    }
                    binding.release(hold);
                });
        return number;
    }

    @Override
    public synchronized Capability receive(int number) {
        if (number == 0) {
            return null;
        }
        Arrival a = arrivals.remove(number);
        String n = Integer.toUnsignedString(number);
        if (a == null) {
            throw new CapabilityTransferException(CapabilityException.Kind.NOT_HELD,
                    "no capability arrived under reference " + n + " (forged, or received already)");
        }
        if (a.refusal() != null) {
            throw new CapabilityTransferException("capability " + n + " did not arrive", a.refusal());
        }
        try {
            return cspace.ref(a.at());
        } catch (CapabilityException e) {
            throw new CapabilityTransferException("capability " + n + " arrived at " + a.at() + " but", e);
        }
    }

    // ---- receiving core ----

    /** The DELIVER voter's part, on this end's core: install in a free receive slot, or note why not. */
    synchronized int arrive(CapType type, Proposal p) {
        long packed = p.a2();
        int number = (int) packed;
        CapabilityException why = null;
        for (int i = 0; i < CapAddress.L2_SLOTS; i++) {
            CapAddress at = receiveSlot(i);
            try {
                bindings.monitor(core).store().monitorOps.installArrived(cspace, at, type, p.a0(), p.a1(),
                        CapabilityMonitor.rights((int) (packed >>> 48) & 0xff), (int) (packed >>> 32) & 0xffff,
                        p.coordinator());
                cursor = (at.l2() + 1) % CapAddress.L2_SLOTS;
                arrivals.put(number, new Arrival(at, null));
                return Voter.YES;
            } catch (CapabilityException e) {
                why = e;
                if (e.kind() != CapabilityException.Kind.SLOT_OCCUPIED) {
                    break;
                }
            }
        }
        arrivals.put(number, new Arrival(null, why));
        return CapabilityMonitor.code(why);
    }

    /** Same core: installs the sender's copy in a free receive slot now. */
    private synchronized void acceptLocal(CapRef ref, int number, boolean giveAway) {
        CapabilityException why = null;
        for (int i = 0; i < CapAddress.L2_SLOTS; i++) {
            CapAddress at = receiveSlot(i);
            try {
                cspace.accept(ref, at, giveAway);
                cursor = (at.l2() + 1) % CapAddress.L2_SLOTS;
                arrivals.put(number, new Arrival(at, null));
                return;
            } catch (CapabilityException e) {
                why = e;
                if (e.kind() != CapabilityException.Kind.SLOT_OCCUPIED) {
                    break;
                }
            }
        }
        throw why;
    }

    /** The WITHDRAW voter's part: the sender's copy was revoked in transit, so this copy goes too. */
    synchronized void withdraw(int number) {
        Arrival a = arrivals.get(number);
        if (a == null || a.at() == null) {
            return;
        }
        try {
            cspace.delete(a.at());
        } catch (CapabilityException e) {
            // Gone already (the revoke reached it): the refusal below says what matters.
        }
        arrivals.put(number, new Arrival(null, new CapabilityException(CapabilityException.Kind.REVOKED,
                "the sender's copy was revoked before delivery completed")));
    }

    // ---- helpers ----

    private void withdraw(int number, long hold) {
        bindings.agreement().service(core).agreement(Agreement.ONE_PHASE).propose(CapabilityBindings.WITHDRAW, 0, 0,
                number & 0xffff_ffffL, peer.id, CoreSet.of(peer.core), new Outcome() {
                    @Override
                    public void decided(Proposal p, boolean committed, int refusal, int refuser) {}

                    @Override
                    public void completed(Proposal p, boolean committed) {
                        binding.release(hold);
                    }
                });
    }

    private CapAddress receiveSlot(int i) {
        return CapAddress.of(receiveL1, (cursor + i) % CapAddress.L2_SLOTS);
    }

    private Agreement agreement() {
        return bindings.agreement().service(core).agreement(Agreement.TWO_PHASE);
    }

    private int nextNumber() {
        int n = nextNumber++;
        if (nextNumber == 0) {
            nextNumber = 1;
        }
        return n;
    }
}
