package io.flotilla.examples.replicatedkv;

import io.flotilla.agreement.Proposal;
import io.flotilla.agreement.Voter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One core's replica under two-phase commit, and its voter for puts. A put's proposal carries the key and value in
 * its payload ({@link #payload}); {@code a0} is the key's length. Phase one locks the key for that put on this
 * replica, or refuses ({@link #LOCKED}) while another put of the key is prepared here and undecided; commit applies
 * the value and unlocks, abort unlocks. Because a put commits only with every replica's lock, two puts of one key
 * can never both be prepared everywhere, so every replica applies the committed puts of a key in the same order
 * (two-phase locking), while puts of different keys proceed in parallel.
 *
 * <p>Runs in the agreement monitor's event loop on its core; reads ({@link #get}) come from dispatchers on the same
 * core, which the core runs one at a time, so nothing here is shared across cores.
 */
final class LockingStore implements Voter {

    /** The put's opcode ("KV" and 1). */
    static final int PUT = 0x4B56_0001;
    /** The refusal: the key is locked by another put that is prepared here and not yet decided. */
    static final int LOCKED = 1;
    /** The refusal: {@code a0} is not a key length inside the payload. */
    static final int MALFORMED = 2;

    private final int core;
    /** Sorted, so a snapshot is the same on every run and comparable across cores. */
    private final TreeMap<String, String> map = new TreeMap<>();
    /** Key to the id of the put holding its lock; looked up only, never iterated. */
    private final Map<String, Long> locks = new HashMap<>();
    /** Per key, a hash of the values committed to it, in order: equal on two replicas means the same history. */
    private final TreeMap<String, Long> keyHistory = new TreeMap<>();
    /** Every value applied; each put's value is unique, so a second application of one is a duplicate commit. */
    private final TreeSet<String> appliedValues = new TreeSet<>();
    private long applied;
    private long refusals;
    final List<String> errors = new ArrayList<>();

    LockingStore(int core) {
        this.core = core;
    }

    /** The payload of a put: key then value; the key's length travels as {@code a0}. */
    static String payload(String key, String value) {
        return key + value;
    }

    @Override
    public int prepare(Proposal p) {
        if (!wellFormed(p)) {
            return MALFORMED;
        }
        String key = key(p);
        Long holder = locks.get(key);
        if (holder != null && holder != p.id()) {
            refusals++;
            return LOCKED;
        }
        locks.put(key, p.id());
        return YES;
    }

    @Override
    public void commit(Proposal p) {
        if (!wellFormed(p)) { // only a one-phase put can get here unvoted
            errors.add("replica " + core + ": malformed put " + p + " not applied");
            return;
        }
        String key = key(p);
        String value = p.payload().substring((int) p.a0());
        if (!unlock(key, p)) {
            errors.add("replica " + core + ": commit of " + p + " without its lock on " + key);
        }
        if (!appliedValues.add(value)) {
            errors.add("replica " + core + ": put of " + value + " committed twice");
        }
        map.put(key, value);
        applied++;
        keyHistory.merge(key, (long) value.hashCode(), (h, v) -> h * 31 + v);
    }

    @Override
    public void abort(Proposal p) {
        if (!unlock(key(p), p)) {
            errors.add("replica " + core + ": abort of " + p + " without its lock");
        }
    }

    private boolean unlock(String key, Proposal p) {
        Long holder = locks.get(key);
        if (holder == null || holder != p.id()) {
            return false;
        }
        locks.remove(key);
        return true;
    }

    private static boolean wellFormed(Proposal p) {
        return p.a0() >= 1 && p.a0() <= p.payload().length();
    }

    private static String key(Proposal p) {
        return p.payload().substring(0, (int) p.a0());
    }

    /** A local read. */
    String get(String key) {
        return map.get(key);
    }

    boolean hasApplied(String value) {
        return appliedValues.contains(value);
    }

    /** Puts committed here. */
    long applied() {
        return applied;
    }

    /** Prepares refused here because the key was locked. */
    long refusals() {
        return refusals;
    }

    /** Keys locked now; 0 once every put has been decided everywhere. */
    int locked() {
        return locks.size();
    }

    /** Per-key histories folded in key order: equal on two replicas that applied each key's puts in one order. */
    long history() {
        long h = 17;
        for (Map.Entry<String, Long> e : keyHistory.entrySet()) {
            h = h * 1_000_003 + e.getKey().hashCode() * 7919L + e.getValue();
        }
        return h;
    }

    SortedMap<String, String> snapshot() {
        return new TreeMap<>(map);
    }
}
