package io.flotilla.examples.replicatedkv;

import io.flotilla.examples.replicatedkv.generated.ReplicatedKv;
import io.flotilla.examples.replicatedkv.generated.ReplicatedKvHandler;
import io.flotilla.examples.replicatedkv.generated.ReplicatedKvStub;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One core's copy of the map. Reads ({@link #get}) are local: no message leaves the core. Writes arrive from the
 * sequencer as numbered {@code apply} messages and are applied strictly in sequence order; one that arrives ahead
 * of its turn waits in {@link #early}. On a writer core the replica also issues puts to the sequencer, a few at a
 * time, and records how long each took to commit.
 */
final class Replica extends Dispatcher {

    /** At most this many puts of one writer in flight, so writers on different cores interleave at the sequencer. */
    static final int WINDOW = 4;
    /** Few keys, so that concurrent writers overwrite each other's keys and the order matters. */
    static final int KEYS = 16;

    static String name(int core) {
        return "kv.replica." + core;
    }

    /** Sorted, so a snapshot of it is the same on every run and comparable across cores. */
    private final TreeMap<String, String> map = new TreeMap<>();
    /**
     * Writes that arrived before the one they follow. One binding delivers in order, so this stays empty today;
     * the replica does not rely on it, because a swapped transport or a replicated sequencer would not keep it so.
     */
    private final Map<Long, String[]> early = new HashMap<>();
    /** Every write numbered up to this one is in {@link #map}, and no other. */
    private long applied;
    /** A hash of the sequence of writes applied, in order: equal on two replicas means the same history. */
    private long history = 17;
    private ReplicatedKvStub toSequencerAsReplica;

    private final int writes;
    private ReplicatedKvStub toSequencer;
    private int issued;
    int committed;
    long commitCycles;
    final List<String> errors = new ArrayList<>();

    /** A replica that also writes {@code writes} times (0: a replica only). */
    Replica(int writes) {
        this.writes = writes;
    }

    /** A local read: this replica's value for {@code key}, or null. */
    String get(String key) {
        return map.get(key);
    }

    SortedMap<String, String> snapshot() {
        return new TreeMap<>(map);
    }

    long applied() {
        return applied;
    }

    long history() {
        return history;
    }

    @Override
    protected void onStart() {
        export(name(core()), binding -> {
            binding.setErrorHandler(e -> errors.add("replica " + core() + ": " + e.getMessage()));
            toSequencerAsReplica = ReplicatedKv.bind(binding, new Applier());
            return true;
        });
        if (writes == 0) {
            return;
        }
        bind(Sequencer.NAME, (binding, error) -> {
            if (error != null) {
                errors.add("writer " + core() + ": " + error.getMessage());
                stopKernel();
                return;
            }
            binding.setErrorHandler(e -> errors.add("writer " + core() + ": " + e.getMessage()));
            toSequencer = ReplicatedKv.bind(binding, new ReplicatedKvHandler() {});
            fillWindow();
        });
    }

    private void fillWindow() {
        while (issued < writes && issued - committed < WINDOW) {
            String key = "k" + random().nextInt(KEYS);
            String value = "core-" + core() + "#" + issued++;
            long start = now();
            toSequencer.put(key, value, (seq, err) -> committed(seq, err, start));
        }
    }

    private void committed(long seq, long err, long start) {
        if (err != 0) {
            errors.add("writer " + core() + ": put " + seq + " failed with " + err);
        }
        committed++;
        commitCycles += now() - start;
        // The sequencer answers only after every replica, this one included, acked seq; so a local read already
        // sees this write or a later one (read-your-writes without leaving the core).
        if (applied < seq) {
            errors.add("writer " + core() + ": write " + seq + " committed but only " + applied + " applied here");
        }
        if (committed == writes) {
            toSequencer.done(core(), committed);
        } else {
            fillWindow();
        }
    }

    /** The sequencer's binding to this replica. */
    private final class Applier implements ReplicatedKvHandler {
        @Override
        public void apply(long seq, String key, String value) {
            if (seq <= applied || early.containsKey(seq)) {
                errors.add("replica " + core() + ": write " + seq + " delivered twice");
                return;
            }
            early.put(seq, new String[] {key, value});
            long before = applied;
            for (String[] next = early.remove(applied + 1); next != null; next = early.remove(applied + 1)) {
                map.put(next[0], next[1]);
                applied++;
                history = history * 31 + (applied ^ next[0].hashCode() * 7919L ^ next[1].hashCode());
            }
            if (applied > before) {
                toSequencerAsReplica.ack(applied); // cumulative: everything up to applied is here
            }
        }
    }
}
