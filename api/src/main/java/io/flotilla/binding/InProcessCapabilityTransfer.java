package io.flotilla.binding;

import io.flotilla.cap.Capability;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Capability transfer between two ends in one process: a table both ends share, standing in for the monitors
 * until the capability system moves caps between cores for real. A reference can be received exactly once.
 */
public final class InProcessCapabilityTransfer implements CapabilityTransfer {

    private final ConcurrentHashMap<Integer, Capability> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger nextReference = new AtomicInteger(1);

    @Override
    public int send(Capability cap, boolean giveAway) {
        if (cap == null) {
            return 0;
        }
        int ref;
        do {
            ref = nextReference.getAndIncrement();
        } while (ref == 0);
        inFlight.put(ref, cap);
        return ref;
    }

    @Override
    public Capability receive(int reference) {
        if (reference == 0) {
            return null;
        }
        Capability cap = inFlight.remove(reference);
        if (cap == null) {
            throw new BindingException("unknown capability reference " + Integer.toUnsignedString(reference));
        }
        return cap;
    }

    /** Capabilities sent but not yet received. */
    public int inFlight() {
        return inFlight.size();
    }
}
