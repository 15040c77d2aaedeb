package io.flotilla.examples.replicatedkv;

import io.flotilla.examples.replicatedkv.generated.ReplicatedKv;
import io.flotilla.examples.replicatedkv.generated.ReplicatedKvHandler;
import io.flotilla.examples.replicatedkv.generated.ReplicatedKvStub;
import io.flotilla.kernel.Dispatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders every write of the run: one dispatcher (on core 0) gives each put the next sequence number, broadcasts it
 * as {@code apply} to every replica over one binding per replica, and answers the writer once every replica has
 * acknowledged it. A single sequencer is what makes the order total; it is a one-phase commit (no vote, no abort),
 * the alternative to the two-phase commit of the default protocol ({@code TwoPhaseWriter}).
 */
final class Sequencer extends Dispatcher {

    /** The name the sequencer exports; writers bind to it. */
    static final String NAME = "kv.sequencer";

    private final int replicas;
    private final int writers;
    private final ReplicatedKvStub[] toReplica;
    private int bound;
    /** Highest sequence number each replica has acknowledged (acks are cumulative). */
    private final long[] acked;
    /** Puts that arrived before every replica was bound; ordering them then keeps every replica's log gap-free. */
    private final List<Runnable> waiting = new ArrayList<>();
    /** Writes not yet acknowledged by every replica, by sequence number (looked up only, so order-free is fine). */
    private final Map<Long, Pending> pending = new HashMap<>();
    private long lastSeq;
    private int writersDone;
    final List<String> errors = new ArrayList<>();

    Sequencer(int replicas, int writers) {
        this.replicas = replicas;
        this.writers = writers;
        this.toReplica = new ReplicatedKvStub[replicas];
        this.acked = new long[replicas];
    }

    /** A write in flight: whom to answer, and how many replicas have yet to apply it. */
    private static final class Pending {
        final ReplicatedKv.PutResponder responder;
        int missing;

        Pending(ReplicatedKv.PutResponder responder, int missing) {
            this.responder = responder;
            this.missing = missing;
        }
    }

    @Override
    protected void onStart() {
        export(NAME, binding -> {
            binding.setErrorHandler(e -> errors.add("sequencer: " + e.getMessage()));
            ReplicatedKv.bind(binding, new WriterSession());
            return true;
        });
        for (int r = 0; r < replicas; r++) {
            int replica = r;
            bind(Replica.name(r), (binding, error) -> {
                if (error != null) {
                    errors.add("sequencer: bind to replica " + replica + ": " + error.getMessage());
                    stopKernel();
                    return;
                }
                binding.setErrorHandler(e -> errors.add("sequencer: replica " + replica + ": " + e.getMessage()));
                toReplica[replica] = ReplicatedKv.bind(binding, new AckHandler(replica));
                if (++bound == replicas) {
                    waiting.forEach(Runnable::run);
                    waiting.clear();
                }
            });
        }
    }

    /** Numbers a write and sends it to every replica, in the same order on every binding. */
    private void order(String key, String value, ReplicatedKv.PutResponder responder) {
        long seq = ++lastSeq;
        pending.put(seq, new Pending(responder, replicas));
        for (ReplicatedKvStub replica : toReplica) {
            replica.apply(seq, key, value);
        }
    }

    /** One writer's binding: puts and its final {@code done}. */
    private final class WriterSession implements ReplicatedKvHandler {
        @Override
        public void put(String key, String value, ReplicatedKv.PutResponder responder) {
            if (bound < replicas) {
                waiting.add(() -> order(key, value, responder));
            } else {
                order(key, value, responder);
            }
        }

        @Override
        public void done(int core, int committed) {
            // Every put of every writer has been answered, so every replica has applied every write: stop.
            if (++writersDone == writers) {
                stopKernel();
            }
        }
    }

    /** One replica's binding: cumulative acks; a write commits when the last replica's ack covers it. */
    private final class AckHandler implements ReplicatedKvHandler {
        private final int replica;

        AckHandler(int replica) {
            this.replica = replica;
        }

        @Override
        public void ack(long seq) {
            for (long q = acked[replica] + 1; q <= seq; q++) {
                Pending p = pending.get(q);
                if (p == null) {
                    errors.add("sequencer: replica " + replica + " acked unknown write " + q);
                    continue;
                }
                if (--p.missing == 0) {
                    pending.remove(q);
                    p.responder.send(q, 0L);
                }
            }
            acked[replica] = Math.max(acked[replica], seq);
        }
    }
}
