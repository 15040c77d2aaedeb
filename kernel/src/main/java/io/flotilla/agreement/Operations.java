package io.flotilla.agreement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operations in flight on one core, by id: those it coordinates and those it forwards, in one table because a
 * vote or an acknowledgement names only the operation. Lookups only, never iterated, so runs on {@code sim} repeat
 * exactly.
 */
final class Operations {

    private final AgreementMonitor monitor;
    private final List<String> errors;
    private final Map<Long, Operation> byId = new HashMap<>();

    Operations(AgreementMonitor monitor, List<String> errors) {
        this.monitor = monitor;
        this.errors = errors;
    }

    void put(long id, Operation op) {
        byId.put(id, op);
    }

    void remove(long id) {
        byId.remove(id);
    }

    /** The operation {@code id}; null, with the problem noted, if this core knows none (a message out of place). */
    Operation existing(long id, String what) {
        Operation op = byId.get(id);
        if (op == null) {
            errors.add("core " + monitor.core() + ": " + what + " for unknown operation "
                    + Proposal.coordinatorOf(id) + "#" + Proposal.sequenceOf(id));
        }
        return op;
    }
}
