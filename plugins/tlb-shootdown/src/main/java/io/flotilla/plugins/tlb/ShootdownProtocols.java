package io.flotilla.plugins.tlb;

import io.flotilla.skb.Skb;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Late binding of the shootdown variant: by name ({@link #byName}) or by the SKB rule
 * {@code tlb_shootdown_protocol(Root, Cores, Protocol)} shipped in {@code tlb_shootdown.pl} ({@link #fromSkb}), which a
 * user may replace by asserting their own clauses first. Every call makes a fresh instance: a variant keeps the state
 * of one run.
 */
public final class ShootdownProtocols {

    /** Every variant, in the order of the paper's Figure 6, then the IPI baseline. */
    public static final List<String> NAMES = List.of(BroadcastProtocol.NAME, UnicastProtocol.NAME,
            MulticastProtocol.NAME, NumaMulticastProtocol.NAME, IpiProtocol.NAME);

    static final String RULES = "io/flotilla/plugins/tlb/tlb_shootdown.pl";

    private ShootdownProtocols() {}

    /**
     * A new instance of the variant called {@code name}.
     *
     * @throws IllegalArgumentException naming the known variants, for any other name
     */
    public static ShootdownProtocol byName(String name) {
        return switch (name == null ? "" : name) {
            case BroadcastProtocol.NAME -> new BroadcastProtocol();
            case UnicastProtocol.NAME -> new UnicastProtocol();
            case MulticastProtocol.NAME -> new MulticastProtocol();
            case NumaMulticastProtocol.NAME -> new NumaMulticastProtocol();
            case IpiProtocol.NAME -> new IpiProtocol();
            default -> throw new IllegalArgumentException("no TLB-shootdown variant named '" + name + "'; known: "
                    + String.join(", ", NAMES));
        };
    }

    /** The variant the SKB's rule names for a shootdown from {@code root} to cores {@code 0..cores-1}. */
    public static ShootdownProtocol fromSkb(Skb skb, int root, int cores) {
        return byName(chooseInSkb(skb, root, cores));
    }

    /**
     * The name the SKB's {@code tlb_shootdown_protocol/3} gives; loads the shipped rule first if the SKB has none.
     *
     * @throws IllegalStateException if the rule has no answer or names an unknown variant
     */
    public static synchronized String chooseInSkb(Skb skb, int root, int cores) {
        ensureRules(skb);
        Optional<Map<String, Object>> answer = skb.queryFirst("tlb_shootdown_protocol(" + root + ", " + cores
                + ", P)");
        Object p = answer.map(a -> a.get("P")).orElse(null);
        if (!(p instanceof String name) || !NAMES.contains(name)) {
            throw new IllegalStateException("the SKB's tlb_shootdown_protocol(" + root + ", " + cores
                    + ", P) answered " + (p == null ? "nothing" : Skb.format(p)) + "; expected one of " + NAMES);
        }
        return name;
    }

    /** Asserts the shipped clauses into {@code skb} unless it already has the predicate. */
    static void ensureRules(Skb skb) {
        if (!skb.query("current_predicate(tlb_shootdown_protocol/3)").isEmpty()) {
            return;
        }
        for (String clause : clauses()) {
            skb.query("assertz((" + clause + "))");
        }
    }

    /** The shipped rule file's clauses, comments dropped, one string each without the final '.'. */
    static List<String> clauses() {
        String text;
        try (InputStream in = ShootdownProtocols.class.getClassLoader().getResourceAsStream(RULES)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RULES + " is missing from the plugin's jar");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + RULES, e);
        }
        StringBuilder code = new StringBuilder();
        for (String line : text.split("\n")) {
            int comment = line.indexOf('%');
            code.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        List<String> clauses = new java.util.ArrayList<>();
        for (String clause : code.toString().split("\\.\\s*\n")) {
            if (!clause.isBlank()) {
                clauses.add(clause.strip());
            }
        }
        return clauses;
    }
}
