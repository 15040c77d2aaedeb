package io.flotilla.agreement;

import java.util.List;

/**
 * One core's agreement endpoint, kept by that core's agreement monitor (a plugin's per-core dispatcher): where
 * voters are registered and protocols are picked. Use it only on its own core.
 */
public interface AgreementService {

    int core();

    /** The voter that takes part, on this core, in operations of {@code opcode}; replaces any before it. */
    void register(int opcode, Voter voter);

    /** The protocols this service runs, e.g. {@code [one-phase, two-phase]}. */
    List<String> protocols();

    /**
     * The protocol called {@code name}.
     *
     * @throws IllegalArgumentException naming the protocols there are, for an unknown name
     */
    Agreement agreement(String name);

    /**
     * The protocol the SKB's {@code agreement_protocol/3} rule picks for operations of {@code purpose} (an atom,
     * e.g. {@code retype}) among {@code participants}; see {@link AgreementRules}.
     */
    Agreement select(String purpose, CoreSet participants);
}
