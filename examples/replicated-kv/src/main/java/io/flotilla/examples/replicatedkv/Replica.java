package io.flotilla.examples.replicatedkv;

import io.flotilla.examples.replicatedkv.generated.ReplicatedKv;
import io.flotilla.examples.replicatedkv.generated.ReplicatedKvHandler;
import io.flotilla.examples.replicatedkv.generated.ReplicatedKvStub;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;

/**
 * One core's copy of the map. Reads ({@link #get}) are local: no message leaves the core. Writes arrive from the
 * sequencer as numbered {@code apply} messages and are applied strictly in sequence order by an
 * {@link OrderedLog}; one that arrives ahead of its turn waits there. On a writer core the replica also issues puts
 * to the sequencer, a few at a time, and records how long each took to commit.
 */
final class Replica extends Dispatcher {

    /** At most this many puts of one writer in flight, so writers on different cores interleave at the sequencer. */
    static final int WINDOW = 4;
    /** Few keys, so that concurrent writers overwrite each other's keys and the order matters. */
    static final int KEYS = 16;

    static String name(int core) {
        return "kv.replica." + core;
    }

    private final OrderedLog log = new OrderedLog();
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
        return log.get(key);
    }

    SortedMap<String, String> snapshot() {
        return log.snapshot();
    }

    long history() {
        return log.history();
    }

    /** Writes applied here. */
    long applied() {
        return log.applied();
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
        if (log.applied() < seq) {
            errors.add("writer " + core() + ": write " + seq + " committed but only " + log.applied() + " applied here");
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
            int appliedNow;
            try {
                appliedNow = log.offer(seq, key, value);
            } catch (IllegalStateException e) {
                errors.add("replica " + core() + ": " + e.getMessage());
                return;
            }
            if (appliedNow > 0) {
                toSequencerAsReplica.ack(log.applied()); // cumulative: everything up to applied() is here
            }
        }
    }
}
