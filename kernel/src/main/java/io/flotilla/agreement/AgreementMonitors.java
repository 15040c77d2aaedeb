package io.flotilla.agreement;

import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agreement monitors of one multikernel, one per core: give {@link #monitor} to the boot builder's
 * {@code dispatchers(...)} and reach each core's {@link AgreementService} with {@link #service}.
 *
 * <pre>{@code
 * AgreementMonitors agreement = new AgreementMonitors(8, Fanout.MULTICAST);
 * Multikernel mk = Multikernel.builder(machine, platform).cores(8)
 *         .dispatchers(agreement::monitor)
 *         .dispatcher(0, new MyCoordinator(agreement))    // calls agreement.service(0).agreement("two-phase")
 *         .boot();
 * }</pre>
 */
public final class AgreementMonitors {

    private final int cores;
    private final Fanout fanout;
    private final List<AgreementMonitor> monitors = new ArrayList<>();

    /**
     * @param cores how many cores the multikernel boots (participants must be below it)
     * @param fanout how coordinators reach participants
     */
    public AgreementMonitors(int cores, Fanout fanout) {
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be at least 1: " + cores);
        }
        this.cores = cores;
        this.fanout = Objects.requireNonNull(fanout, "fanout");
        for (int c = 0; c < cores; c++) {
            monitors.add(new AgreementMonitor(this));
        }
    }

    /** The monitor dispatcher for {@code core}; null past the booted cores, as the boot builder expects. */
    public Dispatcher monitor(int core) {
        return core < cores ? monitors.get(core) : null;
    }

    /** The agreement endpoint of {@code core}; use it only from a dispatcher on that core. */
    public AgreementService service(int core) {
        return monitors.get(core);
    }

    public int cores() {
        return cores;
    }

    public Fanout fanout() {
        return fanout;
    }

    /** Every monitor's problems, core by core; empty after a clean run. */
    public List<String> errors() {
        List<String> out = new ArrayList<>();
        for (AgreementMonitor m : monitors) {
            out.addAll(m.errors());
        }
        return out;
    }
}
