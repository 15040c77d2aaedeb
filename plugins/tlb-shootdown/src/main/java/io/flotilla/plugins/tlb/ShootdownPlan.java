package io.flotilla.plugins.tlb;

import io.flotilla.skb.Send;
import java.util.Arrays;
import java.util.List;

/**
 * Who sends a shootdown to whom: a tree over the participating cores {@code 0..cores-1}, rooted at the initiator,
 * with every core's children in send order. Acknowledgements flow back up the same edges, so a core acknowledges
 * once for itself and its whole subtree. Immutable once built; shared by every agent of one run.
 */
public final class ShootdownPlan {

    private final int cores;
    private final int root;
    private final int[][] children;
    private final int[] parent;
    private final int[] subtree;

    private ShootdownPlan(int cores, int root, int[][] children, int[] parent) {
        this.cores = cores;
        this.root = root;
        this.children = children;
        this.parent = parent;
        this.subtree = new int[cores];
        count(root);
    }

    /**
     * The plan of {@code sends}, given in send order: every send must leave a core that already has the message
     * (the root, or an earlier send's destination) and every participant other than the root must be reached
     * exactly once.
     *
     * @throws IllegalArgumentException if the sends are not such a tree over {@code 0..cores-1}
     */
    public static ShootdownPlan of(int cores, int root, List<Send> sends) {
        if (cores < 1 || root < 0 || root >= cores) {
            throw new IllegalArgumentException("root " + root + " is not one of " + cores + " cores");
        }
        int[] parent = new int[cores];
        Arrays.fill(parent, -1);
        int[] fanOut = new int[cores];
        boolean[] has = new boolean[cores];
        has[root] = true;
        for (Send s : sends) {
            if (s.from() < 0 || s.from() >= cores || s.to() < 0 || s.to() >= cores) {
                throw new IllegalArgumentException(s + " names a core outside 0.." + (cores - 1));
            }
            if (!has[s.from()]) {
                throw new IllegalArgumentException(s + " sends from a core that has not been reached yet");
            }
            if (has[s.to()]) {
                throw new IllegalArgumentException(s + " reaches core " + s.to() + " a second time");
            }
            has[s.to()] = true;
            parent[s.to()] = s.from();
            fanOut[s.from()]++;
        }
        for (int c = 0; c < cores; c++) {
            if (!has[c]) {
                throw new IllegalArgumentException("core " + c + " is never reached");
            }
        }
        int[][] children = new int[cores][];
        int[] filled = new int[cores];
        for (int c = 0; c < cores; c++) {
            children[c] = new int[fanOut[c]];
        }
        for (Send s : sends) {
            children[s.from()][filled[s.from()]++] = s.to();
        }
        return new ShootdownPlan(cores, root, children, parent);
    }

    /** A plan with no edges at all: the variant reaches the cores by other means (interrupts). */
    public static ShootdownPlan none(int cores, int root) {
        if (cores < 1 || root < 0 || root >= cores) {
            throw new IllegalArgumentException("root " + root + " is not one of " + cores + " cores");
        }
        int[][] children = new int[cores][0];
        int[] parent = new int[cores];
        Arrays.fill(parent, -1);
        return new ShootdownPlan(cores, root, children, parent);
    }

    private int count(int core) {
        int n = 1;
        for (int child : children[core]) {
            n += count(child);
        }
        subtree[core] = n;
        return n;
    }

    public int cores() {
        return cores;
    }

    public int root() {
        return root;
    }

    /** {@code core}'s children in send order; do not modify. */
    int[] childrenOf(int core) {
        return children[core];
    }

    /** {@code core}'s children in send order, as a copy. */
    public int[] children(int core) {
        return children[core].clone();
    }

    /** The core {@code core} hears the shootdown from; -1 for the root (and for every core of an edgeless plan). */
    public int parent(int core) {
        return parent[core];
    }

    /** Cores in the subtree under and including {@code core}; 0 for a core an edgeless plan does not reach. */
    public int subtree(int core) {
        return subtree[core];
    }

    /** Whether the plan has edges (agents bind along them). */
    public boolean hasEdges() {
        return children[root].length > 0;
    }

    /** Longest chain of sends from the root to a leaf. */
    public int depth() {
        return depth(root);
    }

    private int depth(int core) {
        int d = 0;
        for (int child : children[core]) {
            d = Math.max(d, 1 + depth(child));
        }
        return d;
    }
}
