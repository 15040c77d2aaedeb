package io.flotilla.kernel.cap;

import io.flotilla.agreement.AgreementMonitors;
import io.flotilla.agreement.AgreementService;
import io.flotilla.agreement.Fanout;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import java.util.List;
import java.util.Objects;

/**
 * The kernel's capability mechanism across cores, installed in a boot builder with one call: an agreement monitor
 * and a capability monitor on every core, and the {@link CapabilityBindings} that let the bindings the kernel makes
 * carry {@code cap} and {@code give_away_cap} arguments between cores. What Barrelfish's monitor does for
 * capabilities (the {@code capops} of {@code intermon.if}), done by per-core dispatchers that talk only over bindings
 * of the kernel's own {@code agreement.if}.
 *
 * <pre>{@code
 * Multikernel.Builder b = Multikernel.builder(machine, platform).cores(4);
 * CapabilitySystem caps = CapabilitySystem.install(b);
 * CSpace cs = caps.monitor(1).createCSpace("client", 4);     // before boot, on the boot thread
 * caps.attach(client, cs, 1);                                 // client's capabilities arrive in L1 slot 1
 * try (Multikernel mk = b.dispatcher(1, client).dispatcher(3, server).boot()) { ... }
 * }</pre>
 *
 * <p><b>Why not on every boot.</b> A bare {@code Multikernel.builder} boots exactly what it is given. Installing
 * this adds two dispatchers and one export per core (a name-service message each), which every simulated run would
 * pay in its trace and every large mesh at boot, although most programs pass no capability between cores. Without
 * it, a capability sent between cores is refused with a message that names the two cores and this class; on one
 * core capabilities work either way.
 */
public final class CapabilitySystem {

    private final AgreementMonitors agreement;
    private final CapabilityMonitors monitors;
    private final CapabilityBindings bindings;

    private CapabilitySystem(AgreementMonitors agreement) {
        this.agreement = agreement;
        this.monitors = new CapabilityMonitors(agreement);
        this.bindings = new CapabilityBindings(agreement, monitors);
    }

    /** {@link #install(Multikernel.Builder, Fanout)} with multicast fan-out (a tree over packages). */
    public static CapabilitySystem install(Multikernel.Builder builder) {
        return install(builder, Fanout.MULTICAST);
    }

    /**
     * Installs the monitors for the builder's cores (call it after {@code cores(n)}) and makes the builder's
     * bindings carry capabilities between cores. Bindings of dispatchers not {@linkplain #attach attached} carry
     * capabilities on one core only, as without this.
     *
     * @param fanout how an agreement coordinator reaches its participants
     * @throws IllegalStateException at boot, if the builder's core count changed after this call
     */
    public static CapabilitySystem install(Multikernel.Builder builder, Fanout fanout) {
        Objects.requireNonNull(builder, "builder");
        int cores = builder.coreCount();
        CapabilitySystem system = new CapabilitySystem(new AgreementMonitors(cores, Objects.requireNonNull(fanout,
                "fanout")));
        builder.capabilityTransfers(system.bindings);
        builder.dispatchers(core -> {
            if (builder.coreCount() != cores) {
                throw new IllegalStateException("CapabilitySystem was installed for " + cores + " cores, but the "
                        + "builder boots " + builder.coreCount() + ": call cores(n) before install");
            }
            return system.agreement.monitor(core);
        });
        return system;
    }

    /** Every core's agreement monitor: one- and two-phase commit for a program's own operations too. */
    public AgreementMonitors agreement() {
        return agreement;
    }

    /** {@code core}'s agreement endpoint; use it only from a dispatcher on that core. */
    public AgreementService agreement(int core) {
        return agreement.service(core);
    }

    /** {@code core}'s capability monitor: its store, and CSpaces made there. */
    public CapabilityMonitor monitor(int core) {
        return monitors.monitor(core);
    }

    public CapabilityMonitors monitors() {
        return monitors;
    }

    /** The capability transfer the builder's bindings now use. */
    public CapabilityBindings bindings() {
        return bindings;
    }

    /**
     * Lets {@code dispatcher}'s bindings carry capabilities from and into {@code cspace}, which must be on the
     * dispatcher's core; capabilities it receives go to free slots of the L2 CNode in L1 slot {@code receiveL1}.
     * See {@link CapabilityBindings#attach}.
     */
    public void attach(Dispatcher dispatcher, CSpace cspace, int receiveL1) {
        bindings.attach(dispatcher, cspace, receiveL1);
    }

    /** Every agreement monitor's problems; empty after a clean run. */
    public List<String> errors() {
        return agreement.errors();
    }
}
