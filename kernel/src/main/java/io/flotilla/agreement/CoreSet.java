package io.flotilla.agreement;

import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable set of core ids, iterated in ascending order (deterministic, unlike a hash set). The participants of
 * an operation.
 */
public final class CoreSet {

    private static final CoreSet EMPTY = new CoreSet(new long[0]);

    private final long[] words;
    private final int size;

    private CoreSet(long[] words) {
        int n = words.length;
        while (n > 0 && words[n - 1] == 0) {
            n--;
        }
        this.words = n == words.length ? words : Arrays.copyOf(words, n);
        int s = 0;
        for (long w : this.words) {
            s += Long.bitCount(w);
        }
        this.size = s;
    }

    public static CoreSet empty() {
        return EMPTY;
    }

    public static CoreSet of(int... cores) {
        long[] w = new long[0];
        for (int c : cores) {
            w = set(w, c);
        }
        return new CoreSet(w);
    }

    public static CoreSet of(Collection<Integer> cores) {
        long[] w = new long[0];
        for (int c : cores) {
            w = set(w, c);
        }
        return new CoreSet(w);
    }

    /** Cores {@code from} (inclusive) to {@code to} (exclusive). */
    public static CoreSet range(int from, int to) {
        long[] w = new long[0];
        for (int c = from; c < to; c++) {
            w = set(w, c);
        }
        return new CoreSet(w);
    }

    private static long[] set(long[] w, int core) {
        if (core < 0) {
            throw new IllegalArgumentException("negative core id: " + core);
        }
        int i = core >>> 6;
        long[] out = i < w.length ? w : Arrays.copyOf(w, i + 1);
        out[i] |= 1L << core;
        return out;
    }

    public boolean contains(int core) {
        int i = core >>> 6;
        return core >= 0 && i < words.length && (words[i] & (1L << core)) != 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The smallest core in the set at or above {@code from}, or -1. */
    public int next(int from) {
        if (from < 0) {
            from = 0;
        }
        int i = from >>> 6;
        if (i >= words.length) {
            return -1;
        }
        long w = words[i] & (-1L << from);
        while (true) {
            if (w != 0) {
                return (i << 6) + Long.numberOfTrailingZeros(w);
            }
            if (++i == words.length) {
                return -1;
            }
            w = words[i];
        }
    }

    /** The largest core in the set, or -1 when empty. */
    public int max() {
        return words.length == 0 ? -1 : (words.length << 6) - 1 - Long.numberOfLeadingZeros(words[words.length - 1]);
    }

    public CoreSet with(int core) {
        return contains(core) ? this : new CoreSet(set(words.clone(), core));
    }

    public CoreSet without(int core) {
        if (!contains(core)) {
            return this;
        }
        long[] w = words.clone();
        w[core >>> 6] &= ~(1L << core);
        return new CoreSet(w);
    }

    /** The cores in ascending order. */
    public int[] toArray() {
        int[] out = new int[size];
        int k = 0;
        for (int c = next(0); c >= 0; c = next(c + 1)) {
            out[k++] = c;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoreSet other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return Arrays.toString(toArray());
    }
}
