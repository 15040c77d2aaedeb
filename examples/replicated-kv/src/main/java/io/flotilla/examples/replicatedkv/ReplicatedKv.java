package io.flotilla.examples.replicatedkv;

import io.flotilla.kernel.Multikernel;
import io.flotilla.kernel.Platform;
import io.flotilla.machine.Machine;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * A key-value map replicated on every booted core of a multikernel, as in the paper's argument that OS state
 * should be replicated and kept consistent by messages rather than shared. A {@link Replica} dispatcher on every
 * core holds a copy and serves reads locally; writer cores send puts to the {@link Sequencer} on core 0, which
 * orders them and makes every replica apply them in that order before the put completes.
 *
 * <p>The same dispatchers run on sim (virtual cycles; deterministic, the run ends with a trace hash) and on pinned
 * host cores. Commit latency is in cycles of the machine's clock on both.
 */
public final class ReplicatedKv {

    /**
     * What a run ended with. {@code replicas} and {@code histories} are per core; {@code traceHash} is null on a
     * platform without one (pinned).
     */
    public record Result(String platform, String machine, int cores, List<Integer> writers, int writesPerWriter,
            int committed, List<SortedMap<String, String>> replicas, List<Long> histories, long meanCommitCycles,
            List<String> errors, String traceHash) {

        /** Writes that should have committed. */
        public int expected() {
            return writers.size() * writesPerWriter;
        }

        /** Every replica holds the same map, reached through the same sequence of writes. */
        public boolean allEqual() {
            return replicas.stream().distinct().count() == 1 && histories.stream().distinct().count() == 1;
        }

        public boolean ok() {
            return errors.isEmpty() && committed == expected() && allEqual();
        }
    }

    private ReplicatedKv() {}

    /**
     * Boots cores {@code 0..cores-1} of {@code machine} on {@code platform}, a replica on each and the sequencer on
     * core 0, lets every core in {@code writers} put {@code writesPerWriter} times, and runs until all committed.
     */
    public static Result run(Machine machine, Platform platform, int cores, List<Integer> writers,
            int writesPerWriter, PrintStream out) {
        for (int w : writers) {
            if (w < 0 || w >= cores) {
                throw new IllegalArgumentException("writer core " + w + " is not booted (cores 0.." + (cores - 1) + ")");
            }
        }
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
            for (Replica r : replicas) {
                errors.addAll(r.errors);
                committed += r.committed;
                cycles += r.commitCycles;
                maps.add(r.snapshot());
                histories.add(r.history());
            }
            String hash = mk.traceHash().isPresent() ? Long.toHexString(mk.traceHash().getAsLong()) : null;
            Result result = new Result(platform.name(), machine.name(), cores, List.copyOf(writers),
                    writesPerWriter, committed, List.copyOf(maps), List.copyOf(histories),
                    committed == 0 ? 0 : cycles / committed, List.copyOf(errors), hash);
            print(result, out);
            return result;
        }
    }

    private static void print(Result r, PrintStream out) {
        out.printf("replicated-kv on %s (%s): %d replicas, sequencer on core 0, writers on cores %s%n",
                r.platform(), r.machine(), r.cores(), r.writers());
        out.printf("  %d of %d writes committed; mean commit latency %d cycles%n", r.committed(), r.expected(),
                r.meanCommitCycles());
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
