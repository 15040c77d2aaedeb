package io.flotilla.examples.replicatedkv;

import io.flotilla.agreement.Agreement;
import io.flotilla.agreement.CoreSet;
import io.flotilla.agreement.Outcome;
import io.flotilla.agreement.Proposal;
import io.flotilla.kernel.Dispatcher;
import io.flotilla.agreement.AgreementMonitors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A writer core under two-phase commit: each put is proposed through this core's agreement monitor to every replica
 * (this core's included), a few at a time. A put refused because its key was locked by another put is aborted
 * everywhere and proposed again after a random back-off, so writers that collided do not collide again in step.
 * Puts of one key by this writer go one after the other (a later one waits here for the earlier to complete): they
 * would only lock each other out. The last writer to finish stops the kernel, once none of its operations is still
 * in flight.
 */
final class TwoPhaseWriter extends Dispatcher implements Outcome {

    /**
     * The back-off after an abort is uniform in 1..R cycles, R the time the aborted attempt took from proposal to
     * decision (how long locks are held under the present load), doubled per earlier abort of the same put up to 16
     * times; never less than this floor, so an abort decided at once (the refusal was this core's own) still waits.
     */
    static final int MIN_BACKOFF_CYCLES = 1_000;

    private final AgreementMonitors monitors;
    private final LockingStore store;
    private final int writes;
    private final AtomicInteger writersLeft;
    private final String[] keys;
    private final String[] values;
    private final long[] started;
    private final long[] attemptStarted;
    private final int[] attempts;
    /** Keys with a put of this writer in flight, and the puts of the key waiting behind it; looked up only. */
    private final Map<String, ArrayDeque<Integer>> busy = new HashMap<>();
    private Agreement agreement;
    private CoreSet replicas;
    private int issued;
    private boolean finished;
    int committed;
    /** Puts refused for a reason other than a lock: reported, not retried. */
    int failed;
    int aborts;
    long commitCycles;
    final List<String> errors = new ArrayList<>();

    TwoPhaseWriter(AgreementMonitors monitors, LockingStore store, int writes, AtomicInteger writersLeft) {
        this.monitors = monitors;
        this.store = store;
        this.writes = writes;
        this.writersLeft = writersLeft;
        this.keys = new String[writes];
        this.values = new String[writes];
        this.started = new long[writes];
        this.attemptStarted = new long[writes];
        this.attempts = new int[writes];
    }

    @Override
    protected void onStart() {
        agreement = monitors.service(core()).agreement(Agreement.TWO_PHASE);
        replicas = CoreSet.range(0, monitors.cores());
        fillWindow();
    }

    private void fillWindow() {
        while (issued < writes && issued - committed - failed < Replica.WINDOW) {
            int i = issued++;
            keys[i] = "k" + random().nextInt(Replica.KEYS);
            values[i] = "core-" + core() + "#" + i;
            started[i] = now();
            ArrayDeque<Integer> behind = busy.get(keys[i]);
            if (behind != null) {
                behind.add(i);
            } else {
                busy.put(keys[i], new ArrayDeque<>());
                propose(i);
            }
        }
    }

    private void propose(int i) {
        attemptStarted[i] = now();
        agreement.propose(LockingStore.PUT, keys[i].length(), i, attempts[i], 0,
                LockingStore.payload(keys[i], values[i]), replicas, this);
    }

    @Override
    public void decided(Proposal p, boolean committed, int refusal, int refuser) {
        if (committed) {
            return;
        }
        int i = (int) p.a1();
        if (refusal != LockingStore.LOCKED) {
            errors.add("writer " + core() + ": put " + values[i] + " refused by core " + refuser + " with " + refusal);
            attempts[i] = -1; // given up: released when its abort completes
            return;
        }
        aborts++;
        long round = Math.max(MIN_BACKOFF_CYCLES, now() - attemptStarted[i]);
        long backoff = Math.min(round << Math.min(attempts[i], 4), Integer.MAX_VALUE);
        attempts[i]++;
        after(1 + random().nextInt((int) backoff), () -> propose(i));
    }

    @Override
    public void completed(Proposal p, boolean committed) {
        int i = (int) p.a1();
        if (!committed && attempts[i] < 0) {
            failed++;
            release(i);
        }
        if (committed) {
            this.committed++;
            commitCycles += now() - started[i];
            // Every replica, this one included, applied the put before it completed: a local read sees it or a later
            // put of the key.
            if (!store.hasApplied(values[i])) {
                errors.add("writer " + core() + ": put " + values[i] + " completed but is not applied here");
            }
            release(i);
        }
        if (this.committed + failed == writes && agreement.inFlight() == 0 && !finished) {
            finished = true;
            if (writersLeft.decrementAndGet() == 0) {
                stopKernel();
            }
        }
    }

    /** Put {@code i} is over: the next put of its key may go, and the window has room. */
    private void release(int i) {
        Integer next = busy.get(keys[i]).poll();
        if (next == null) {
            busy.remove(keys[i]);
        } else {
            propose(next);
        }
        fillWindow();
    }
}
