package io.flotilla.examples.replicatedkv;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One replica's state: the map, and the numbered writes that built it, applied strictly in sequence order. Kept
 * apart from the dispatcher so that the ordering rule can be tested without a kernel.
 */
final class OrderedLog {

    /** Sorted, so a snapshot of it is the same on every run and comparable across cores. */
    private final TreeMap<String, String> map = new TreeMap<>();
    /**
     * Writes that arrived before the one they follow. One binding delivers in order, so this stays empty in the
     * example today; the replica does not rely on that, because a swapped transport or a replicated sequencer would
     * not keep it so.
     */
    private final Map<Long, String[]> early = new HashMap<>();
    /** Every write numbered up to this one is in {@link #map}, and no other. */
    private long applied;
    /** A hash of the writes applied, in order: equal on two replicas means the same history, not just the same map. */
    private long history = 17;

    /**
     * Takes write {@code seq} (numbered from 1) and applies it and every write it unblocks.
     *
     * @return how many writes were applied now (0 if {@code seq} must wait for an earlier one)
     * @throws IllegalStateException if {@code seq} was delivered before
     */
    int offer(long seq, String key, String value) {
        if (seq <= applied || early.containsKey(seq)) {
            throw new IllegalStateException("write " + seq + " delivered twice");
        }
        early.put(seq, new String[] {key, value});
        int now = 0;
        for (String[] next = early.remove(applied + 1); next != null; next = early.remove(applied + 1)) {
            map.put(next[0], next[1]);
            applied++;
            now++;
            history = history * 31 + (applied ^ next[0].hashCode() * 7919L ^ next[1].hashCode());
        }
        return now;
    }

    String get(String key) {
        return map.get(key);
    }

    long applied() {
        return applied;
    }

    long history() {
        return history;
    }

    /** Writes received but waiting for an earlier one. */
    int waiting() {
        return early.size();
    }

    SortedMap<String, String> snapshot() {
        return new TreeMap<>(map);
    }
}
