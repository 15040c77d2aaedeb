package io.flotilla.examples.replicatedkv;

import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import io.flotilla.agreement.AgreementMonitors;
import io.flotilla.agreement.Fanout;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A key-value map replicated on every booted core of a multikernel, as in the paper's argument that OS state
 * should be replicated and kept consistent by messages rather than shared. Every core holds a copy and serves reads
 * locally. Writes go one of two ways ({@link Protocol}): by default each put is a two-phase commit among every
 * core's agreement monitor (plugin {@code agreement}), whose {@link LockingStore} voter locks the key or refuses, and
 * a refused put is retried after a random back-off ({@link TwoPhaseWriter}); or writer cores send puts to the
 * {@link Sequencer} on core 0, which orders them and makes every {@link Replica} apply them in that order.
 *
 * <p>The same dispatchers run on sim (virtual cycles; deterministic, the run ends with a trace hash) and on pinned
 * host cores. Commit latency is in cycles of the machine's clock on both.
 */
public final class ReplicatedKv {

    /** How writes reach the replicas. */
    public enum Protocol {
        /** One sequencer numbers every write; replicas apply in that total order (one-phase, no refusal). */
        SEQUENCER("sequencer"),
        /** Each put is a two-phase commit to every replica, serialised per key by the replicas' locks. */
        TWO_PHASE("two-phase");

        private final String label;

        Protocol(String label) {
            this.label = label;
        }

        /** The name on the command line: {@code sequencer} or {@code two-phase}. */
        public String label() {
            return label;
        }

        /**
         * The protocol called {@code label}.
         *
         * @throws IllegalArgumentException naming the protocols there are
         */
        public static Protocol of(String label) {
            for (Protocol p : values()) {
                if (p.label.equals(label)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown replicated-kv protocol '" + label
                    + "' (known: sequencer, two-phase)");
        }
    }

    /**
     * What a run ended with. {@code replicas} and {@code histories} are per core; {@code traceHash} is null on a
     * platform without one (pinned). A history is the hash of the writes a replica applied: in global order under
     * the sequencer, per key (folded in key order) under two-phase commit, which orders only writes of one key.
     * {@code aborts} counts two-phase commits refused because their key was locked (each was retried); 0 under the
     * sequencer.
     */
    public record Result(String platform, String machine, Protocol protocol, int cores, List<Integer> writers,
            int writesPerWriter, int committed, int aborts, List<SortedMap<String, String>> replicas,
            List<Long> histories, List<Long> appliedPerReplica, long meanCommitCycles, List<String> errors,
            String traceHash) {

        /** Writes that should have committed. */
        public int expected() {
            return writers.size() * writesPerWriter;
        }

        /** Every replica holds the same map, reached through the same sequence of writes. */
        public boolean allEqual() {
            return replicas.stream().distinct().count() == 1 && histories.stream().distinct().count() == 1;
        }

        /** Every replica applied every write exactly once. */
        public boolean appliedEverywhere() {
            return appliedPerReplica.stream().allMatch(n -> n == expected());
        }

        public boolean ok() {
            return errors.isEmpty() && committed == expected() && allEqual() && appliedEverywhere();
        }
    }

    private ReplicatedKv() {}

    /** As {@link #run(Machine, Platform, Protocol, int, List, int, PrintStream)} with two-phase commit. */
    public static Result run(Machine machine, Platform platform, int cores, List<Integer> writers,
            int writesPerWriter, PrintStream out) {
        return run(machine, platform, Protocol.TWO_PHASE, cores, writers, writesPerWriter, out);
    }

    /**
     * Boots cores {@code 0..cores-1} of {@code machine} on {@code platform}, a replica on each, lets every core in
     * {@code writers} put {@code writesPerWriter} times by {@code protocol}, and runs until all committed.
     */
    public static Result run(Machine machine, Platform platform, Protocol protocol, int cores, List<Integer> writers,
            int writesPerWriter, PrintStream out) {
        for (int w : writers) {
            if (w < 0 || w >= cores) {
                throw new IllegalArgumentException("writer core " + w + " is not booted (cores 0.." + (cores - 1) + ")");
            }
        }
        if (writers.stream().distinct().count() != writers.size()) {
            throw new IllegalArgumentException("writer cores repeat: " + writers);
        }
        Result result = protocol == Protocol.TWO_PHASE
                ? twoPhase(machine, platform, cores, writers, writesPerWriter)
                : sequenced(machine, platform, cores, writers, writesPerWriter);
        print(result, out);
        return result;
    }

    private static Result twoPhase(Machine machine, Platform platform, int cores, List<Integer> writers,
            int writesPerWriter) {
        AgreementMonitors monitors = new AgreementMonitors(cores, Fanout.MULTICAST);
        LockingStore[] stores = new LockingStore[cores];
        for (int c = 0; c < cores; c++) {
            stores[c] = new LockingStore(c);
            monitors.service(c).register(LockingStore.PUT, stores[c]);
        }
        var left = new AtomicInteger(writers.size());
        var writing = new ArrayList<TwoPhaseWriter>();
        var errors = new ArrayList<String>();
        var builder = Multikernel.builder(machine, platform)
                .cores(cores)
                .dispatchers(monitors::monitor)
                .onFailure(f -> errors.add("core " + f.core() + " " + f.dispatcher() + ": " + f.cause()))
                .out(null);
        for (int w : writers) {
            var writer = new TwoPhaseWriter(monitors, stores[w], writesPerWriter, left);
            writing.add(writer);
            builder.dispatcher(w, writer);
        }
        try (Multikernel mk = builder.boot()) {
            mk.run(Duration.ofSeconds(60));
            errors.addAll(monitors.errors());
            int committed = 0;
            int aborts = 0;
            long cycles = 0;
            for (TwoPhaseWriter w : writing) {
                errors.addAll(w.errors);
                committed += w.committed;
                aborts += w.aborts;
                cycles += w.commitCycles;
            }
            var maps = new ArrayList<SortedMap<String, String>>();
            var histories = new ArrayList<Long>();
            var applied = new ArrayList<Long>();
            for (LockingStore s : stores) {
                errors.addAll(s.errors);
                if (s.locked() != 0) {
                    errors.add("a replica still holds " + s.locked() + " key locks after the run");
                }
                maps.add(s.snapshot());
                histories.add(s.history());
                applied.add(s.applied());
            }
            String hash = mk.traceHash().isPresent() ? Long.toHexString(mk.traceHash().getAsLong()) : null;
            return new Result(platform.name(), machine.name(), Protocol.TWO_PHASE, cores, List.copyOf(writers),
                    writesPerWriter, committed, aborts, List.copyOf(maps), List.copyOf(histories),
                    List.copyOf(applied), committed == 0 ? 0 : cycles / committed, List.copyOf(errors), hash);
        }
    }

    private static Result sequenced(Machine machine, Platform platform, int cores, List<Integer> writers,
            int writesPerWriter) {
        Replica[] replicas = new Replica[cores];
        for (int c = 0; c < cores; c++) {
            replicas[c] = new Replica(writers.contains(c) ? writesPerWriter : 0);
        }
        var sequencer = new Sequencer(cores, writers.size());
        var errors = new ArrayList<String>();
        try (Multikernel mk = Multikernel.builder(machine, platform)
                .cores(cores)
                .dispatcher(0, sequencer)
                .dispatchers(c -> c < cores ? replicas[c] : null)
                .onFailure(f -> errors.add("core " + f.core() + " " + f.dispatcher() + ": " + f.cause()))
                .out(null)
                .boot()) {
            mk.run(Duration.ofSeconds(60));
            errors.addAll(sequencer.errors);
            int committed = 0;
            long cycles = 0;
            var maps = new ArrayList<SortedMap<String, String>>();
            var histories = new ArrayList<Long>();
            var applied = new ArrayList<Long>();
            for (Replica r : replicas) {
                errors.addAll(r.errors);
                committed += r.committed;
                cycles += r.commitCycles;
                maps.add(r.snapshot());
                histories.add(r.history());
                applied.add(r.applied());
            }
            String hash = mk.traceHash().isPresent() ? Long.toHexString(mk.traceHash().getAsLong()) : null;
            return new Result(platform.name(), machine.name(), Protocol.SEQUENCER, cores, List.copyOf(writers),
                    writesPerWriter, committed, 0, List.copyOf(maps), List.copyOf(histories), List.copyOf(applied),
                    committed == 0 ? 0 : cycles / committed, List.copyOf(errors), hash);
        }
    }

    private static void print(Result r, PrintStream out) {
        out.printf("replicated-kv on %s (%s): %d replicas, %s, writers on cores %s%n",
                r.platform(), r.machine(), r.cores(), r.protocol() == Protocol.SEQUENCER ? "sequencer on core 0"
                        : "two-phase commit with per-key locks", r.writers());
        out.printf("  %d of %d writes committed; mean commit latency %d cycles%n", r.committed(), r.expected(),
                r.meanCommitCycles());
        if (r.protocol() == Protocol.TWO_PHASE) {
            out.printf("  %d puts aborted on a locked key and retried%n", r.aborts());
        }
        out.printf("  replicas identical: %s (%d keys each)%n", r.allEqual(),
                r.replicas().isEmpty() ? 0 : r.replicas().get(0).size());
        if (!r.errors().isEmpty()) {
            out.printf("  errors: %s%n", r.errors());
        }
        if (r.traceHash() != null) {
            out.println("trace-hash: " + r.traceHash());
        }
    }
}
