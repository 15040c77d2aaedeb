package io.flotilla.plugins.tlb;

import io.flotilla.kernel.Dispatcher;
import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Skb;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Boots a multikernel with a {@link ShootdownGroup} on the first {@code cores} cores and runs measured rounds: the
 * raw shootdown ({@link #shootdown}, Figure 6) or the full unmap from a user dispatcher ({@link #unmap}, Figure 7).
 * The scenarios and the tests share it.
 */
public final class ShootdownBench {

    /**
     * What one run measured.
     *
     * @param invalidations TLB invalidations per core, by core id
     * @param errors        handler failures and protocol errors; empty in a correct run
     * @param traceHash     the platform's trace hash where it has one (sim)
     */
    public record Result(String protocol, int cores, RoundLatencies latencies, long[] invalidations,
            List<String> errors, OptionalLong traceHash, int planDepth) {

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Settings of a run: rounds before measuring, measured rounds, pages per shootdown, idle cycles between rounds. */
    public record Settings(int warmup, int rounds, int pages, long gapCycles, Duration limit) {

        public static final Settings DEFAULT = new Settings(5, 50, 1, 20_000, Duration.ofSeconds(60));

        public Settings {
            if (warmup < 0 || rounds < 1 || pages < 1 || gapCycles < 0) {
                throw new IllegalArgumentException("warmup >= 0, rounds >= 1, pages >= 1 and gap >= 0 required: "
                        + this);
            }
        }

        public Settings withRounds(int warmup, int rounds) {
            return new Settings(warmup, rounds, pages, gapCycles, limit);
        }
    }

    private ShootdownBench() {}

    /** Figure 6: the initiator (core 0) shoots down cores 1..cores-1 with {@code protocol}. */
    public static Result shootdown(Machine machine, Platform platform, int cores, ShootdownProtocol protocol,
            Settings s) {
        ShootdownGroup group = ShootdownGroup.of(machine, cores, protocol).messagingOnly();
        ShootdownRounds rounds = new ShootdownRounds(group, s.warmup(), s.rounds(), s.pages(), s.gapCycles());
        return run(machine, platform, group, rounds, s, rounds::latencies, List::of);
    }

    /** Figure 7: a user dispatcher on core 0 unmaps through {@code path}, the agents shoot down with {@code protocol}. */
    public static Result unmap(Machine machine, Platform platform, int cores, ShootdownProtocol protocol,
            UnmapUser.Path path, Settings s) {
        ShootdownGroup group = ShootdownGroup.of(machine, cores, protocol);
        UnmapUser user = new UnmapUser(group, path, s.warmup(), s.rounds(), s.pages(), s.gapCycles());
        return run(machine, platform, group, user, s, user::latencies, user::errors);
    }

    private static Result run(Machine machine, Platform platform, ShootdownGroup group, Dispatcher driver,
            Settings s, java.util.function.Supplier<RoundLatencies> latencies,
            java.util.function.Supplier<List<String>> driverErrors) {
        List<String> errors = new ArrayList<>();
        OptionalLong hash;
        try (Multikernel mk = group.install(Multikernel.builder(machine, platform).cores(group.cores()))
                .dispatcher(group.initiatorCore(), driver)
                .onFailure(f -> {
                    synchronized (errors) {
                        errors.add("core " + f.core() + " " + f.dispatcher() + ": " + f.cause());
                    }
                })
                .out(null)
                .boot()) {
            mk.run(s.limit());
            hash = mk.traceHash();
        }
        long[] invalidations = new long[group.cores()];
        for (int c = 0; c < group.cores(); c++) {
            invalidations[c] = group.agent(c).invalidations();
            errors.addAll(group.agent(c).errors());
        }
        errors.addAll(driverErrors.get());
        RoundLatencies l = latencies.get();
        if (l.count() < s.rounds()) {
            errors.add("only " + l.count() + " of " + s.rounds() + " measured rounds finished within " + s.limit());
        }
        return new Result(group.protocol().name(), group.cores(), l, invalidations, List.copyOf(errors), hash,
                group.plan().depth());
    }

    /** The SKB of {@code machine}, for callers that choose a variant by rule. */
    public static Skb skb(Machine machine) {
        return Skb.of(machine);
    }
}
