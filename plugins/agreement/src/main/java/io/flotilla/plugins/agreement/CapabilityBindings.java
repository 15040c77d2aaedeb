package io.flotilla.plugins.agreement;

import io.flotilla.agreement.Proposal;
import io.flotilla.agreement.Voter;
import io.flotilla.kernel.cap.CSpace;
import io.flotilla.kernel.cap.CapType;
import io.flotilla.cap.Capability;
import io.flotilla.cap.CapabilityException;
import io.flotilla.binding.CapabilityTransfer;
import io.flotilla.binding.CapabilityTransferException;
import io.flotilla.kernel.CapabilityTransfers;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Capabilities in messages between cores: the {@link CapabilityTransfers} to give the boot builder
 * ({@code Multikernel.Builder.capabilityTransfers}) so that the bindings the kernel makes carry {@code cap} and
 * {@code give_away_cap} arguments through the capability monitors, out of band, as Barrelfish's UMP stubs hand
 * capabilities to the monitor. Each end of such a binding is a {@link CapabilityCourier}.
 *
 * <p>A dispatcher that sends or receives capabilities is {@linkplain #attach attached} before boot with its CSpace
 * and the L1 slot of the L2 CNode where capabilities it receives are installed (its receive slots, as Barrelfish's
 * receiver provides a slot for each incoming capability). Bindings of a dispatcher that is not attached carry no
 * capabilities ({@link CapabilityTransfer#NONE}); ends on one core still get the local transfer.
 */
public final class CapabilityBindings implements CapabilityTransfers {

    /** Installs a capability that travels with a message (two-phase, with the receiver's core alone). */
    static final int DELIVER = 0x4341_0600;
    /** Deletes a delivered capability whose sender's copy was revoked before delivery completed (one-phase). */
    static final int WITHDRAW = 0x4341_0700;

    private final AgreementMonitors agreement;
    private final CapabilityMonitors monitors;
    private final Map<Dispatcher, Attachment> attached = new IdentityHashMap<>(); // looked up, never iterated
    private final List<CapabilityCourier> ends = new ArrayList<>();

    record Attachment(CSpace cspace, int receiveL1) {}

    /** Registers the delivery voters with every core's agreement monitor: make it before booting. */
    public CapabilityBindings(AgreementMonitors agreement, CapabilityMonitors monitors) {
        this.agreement = Objects.requireNonNull(agreement, "agreement");
        this.monitors = Objects.requireNonNull(monitors, "monitors");
        for (int c = 0; c < agreement.cores(); c++) {
            int core = c;
            for (CapType t : CapType.values()) {
                agreement.service(c).register(DELIVER | t.ordinal(), new Voter() {
                    @Override
                    public int prepare(Proposal p) {
                        CapabilityCourier end = end((int) p.a3(), core);
                        return end == null ? CapabilityMonitor.code(new CapabilityException(
                                CapabilityException.Kind.NOT_HELD, "no such binding end"))
                                : end.arrive(t, p);
                    }

                    @Override
                    public void commit(Proposal p) {}
                });
            }
            agreement.service(c).register(WITHDRAW, p -> {
                CapabilityCourier end = end((int) p.a3(), core);
                if (end != null) {
                    end.withdraw((int) p.a2());
                }
            });
        }
    }

    /**
     * Lets {@code dispatcher}'s bindings carry capabilities: it sends from and receives into {@code cspace} (on the
     * dispatcher's core), and capabilities it receives go to free slots of the L2 CNode in L1 slot
     * {@code receiveL1} of it.
     */
    public synchronized void attach(Dispatcher dispatcher, CSpace cspace, int receiveL1) {
        Objects.requireNonNull(dispatcher, "dispatcher");
        Objects.requireNonNull(cspace, "cspace");
        if (receiveL1 < 0) {
            throw new IllegalArgumentException("receive L1 slot must not be negative: " + receiveL1);
        }
        attached.put(dispatcher, new Attachment(cspace, receiveL1));
    }

    @Override
    public synchronized Ends between(int clientCore, Dispatcher client, int serverCore, Dispatcher server) {
        Attachment c = client == null ? null : attached.get(client);
        Attachment s = server == null ? null : attached.get(server);
        if (c == null || s == null) {
            return LOCAL.between(clientCore, client, serverCore, server);
        }
        String wrong = misattached(c, clientCore, client) + misattached(s, serverCore, server);
        if (!wrong.isEmpty()) {
            // Runs in the server's monitor: refuse every capability on this binding rather than fail the bind.
            CapabilityTransfer refusing = new Misattached(wrong.trim());
            return new Ends(refusing, refusing);
        }
        CapabilityCourier clientEnd = new CapabilityCourier(this, ends.size(), clientCore, c);
        ends.add(clientEnd);
        CapabilityCourier serverEnd = new CapabilityCourier(this, ends.size(), serverCore, s);
        ends.add(serverEnd);
        clientEnd.peer(serverEnd);
        serverEnd.peer(clientEnd);
        return new Ends(clientEnd, serverEnd);
    }

    private static String misattached(Attachment a, int core, Dispatcher d) {
        return a.cspace().core() == core ? "" : d.name() + " runs on core " + core + " but was attached to "
                + a.cspace() + ". ";
    }

    /** The transfer of a binding with an end attached to another core's CSpace: every capability is refused. */
    private static final class Misattached implements CapabilityTransfer {
        private final String why;

        Misattached(String why) {
            this.why = why;
        }

        @Override
        public int send(Capability cap, boolean giveAway) {
            if (cap == null) {
                return 0;
            }
            throw new CapabilityTransferException(
                    CapabilityException.Kind.FOREIGN_STORE, why);
        }

        @Override
        public Capability receive(int reference) {
            if (reference == 0) {
                return null;
            }
            throw new CapabilityTransferException(
                    CapabilityException.Kind.FOREIGN_STORE, why);
        }
    }

    /** The end numbered {@code id} if it lives on {@code core}: a proposal cannot reach another core's end. */
    synchronized CapabilityCourier end(int id, int core) {
        if (id < 0 || id >= ends.size()) {
            return null;
        }
        CapabilityCourier e = ends.get(id);
        return e.core() == core ? e : null;
    }

    AgreementMonitors agreement() {
        return agreement;
    }

    CapabilityMonitor monitor(int core) {
        return monitors.monitor(core);
    }
}
