package io.flotilla.agreement;

import io.flotilla.skb.Skb;
import io.flotilla.skb.SkbQueryException;
import java.util.Map;
import java.util.Optional;

/**
 * Protocol choice by SKB rule. The rule is {@code agreement_protocol(Purpose, Cores, Protocol)}: for operations of
 * {@code Purpose} (an atom such as {@code retype} or {@code unmap}) among {@code Cores} participants, run
 * {@code Protocol} (an atom naming it, e.g. {@code 'two-phase'}). The defaults are the paper's: capability retype
 * by two-phase commit, unmap by one-phase commit, anything else by two-phase commit. A user changes the choice
 * by asserting clauses ahead of the defaults, e.g.
 * {@code skb.query("asserta((agreement_protocol(put, N, 'one-phase') :- N < 8))")}.
 */
public final class AgreementRules {

    /** Asserted once per SKB, in this order; the marker fact says they are there. */
    static final String[] DEFAULTS = {
        "assertz(agreement_choice(retype, 'two-phase'))",
        "assertz(agreement_choice(unmap, 'one-phase'))",
        "assertz((agreement_protocol(Purpose, _, P) :- agreement_choice(Purpose, P), !))",
        "assertz(agreement_protocol(_, _, 'two-phase'))",
        "assertz(agreement_rules_installed)",
    };

    private AgreementRules() {}

    /** Installs the default rules into {@code skb} unless they are there already. */
    public static void install(Skb skb) {
        synchronized (skb) {
            try {
                if (!skb.query("agreement_rules_installed").isEmpty()) {
                    return;
                }
            } catch (SkbQueryException unknown) {
                // Not asserted yet: the checker reports an unknown predicate rather than failing silently.
            }
            for (String clause : DEFAULTS) {
                skb.query(clause);
            }
        }
    }

    /**
     * The protocol the rule names for {@code purpose} among {@code cores} participants.
     *
     * @throws IllegalArgumentException if {@code purpose} is not a plain lower-case atom or the rule names nothing
     */
    public static String protocolFor(Skb skb, String purpose, int cores) {
        if (!purpose.matches("[a-z][a-zA-Z0-9_]*")) {
            throw new IllegalArgumentException("an agreement purpose is a lower-case atom such as 'retype': '"
                    + purpose + "'");
        }
        install(skb);
        Optional<Map<String, Object>> row = skb.queryFirst("agreement_protocol(" + purpose + ", " + cores + ", P)");
        Object p = row.map(r -> r.get("P")).orElse(null);
        if (!(p instanceof String name)) {
            throw new IllegalArgumentException("the SKB rule agreement_protocol/3 names no protocol for " + purpose
                    + " among " + cores + " cores" + (p == null ? "" : " (it gave " + p + ")"));
        }
        return name;
    }
}
