package io.flotilla.kernel.cap;

import io.flotilla.agreement.AgreementMonitors;

import java.util.ArrayList;
import java.util.List;

/**
 * The capability monitors of one multikernel, one per core, each registered with that core's agreement monitor.
 * Make it before booting (CSpaces and boot capabilities can be set up then too) and use
 * {@link #monitor(int)}{@code .store()} and its CSpaces from dispatchers on that core.
 */
public final class CapabilityMonitors {

    private final List<CapabilityMonitor> monitors = new ArrayList<>();

    public CapabilityMonitors(AgreementMonitors agreement) {
        for (int c = 0; c < agreement.cores(); c++) {
            monitors.add(new CapabilityMonitor(agreement.service(c), c, agreement.cores()));
        }
    }

    public CapabilityMonitor monitor(int core) {
        return monitors.get(core);
    }
}
