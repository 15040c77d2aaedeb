package io.flotilla.agreement;

import io.flotilla.machine.CpuPackage;
import io.flotilla.machine.Machine;
import io.flotilla.skb.Send;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The first hop of a coordinator's messages to a participant set: which cores it sends to, in what order, and which
 * cores of its package each of them forwards to (a bit mask over that package's cores). Computed once per
 * participant set and cached by the coordinator's monitor.
 */
final class Plan {

    final int[] targets;
    final long[] members;
    /** Participants other than the coordinator: the votes and acknowledgements a round must gather. */
    final int expected;

    private Plan(int[] targets, long[] members, int expected) {
        this.targets = targets;
        this.members = members;
        this.expected = expected;
    }

    static Plan unicast(int root, CoreSet participants) {
        int[] t = participants.without(root).toArray();
        return new Plan(t, new long[t.length], t.length);
    }

    /**
     * The SKB tree from {@code root}, cut down to {@code participants}: in each other package the participant the
     * tree reaches first stands in for the leader and forwards to the package's other participants; participants
     * in the root's own package are sent to directly. Sends keep the tree's order (farthest package first).
     *
     * @param skbTree {@code Skb.multicastTree(root)}
     */
    static Plan multicast(Machine machine, int root, CoreSet participants, List<Send> skbTree) {
        int n = machine.coreCount();
        int[] rank = new int[n];
        Arrays.fill(rank, Integer.MAX_VALUE);
        for (int i = 0; i < skbTree.size(); i++) {
            rank[skbTree.get(i).to()] = i;
        }
        int rootPackage = machine.core(root).packageId();
        List<int[]> sends = new ArrayList<>(); // {sortKey, target, package or -1}
        List<Long> masks = new ArrayList<>();
        int expected = 0;
        for (CpuPackage pkg : machine.packages()) {
            List<Integer> cores = pkg.cores();
            List<Integer> inside = new ArrayList<>();
            for (int c : cores) {
                if (c != root && participants.contains(c)) {
                    inside.add(c);
                }
            }
            expected += inside.size();
            if (inside.isEmpty()) {
                continue;
            }
            if (pkg.id() == rootPackage || cores.size() > 64) {
                for (int c : inside) {
                    sends.add(new int[] {rank[c], c});
                    masks.add(0L);
                }
                continue;
            }
            int delegate = inside.get(0);
            int packageRank = Integer.MAX_VALUE;
            for (int c : cores) {
                packageRank = Math.min(packageRank, rank[c]);
            }
            for (int c : inside) {
                if (rank[c] < rank[delegate]) {
                    delegate = c;
                }
            }
            long mask = 0;
            for (int c : inside) {
                if (c != delegate) {
                    mask |= 1L << cores.indexOf(c);
                }
            }
            sends.add(new int[] {packageRank, delegate});
            masks.add(mask);
        }
        Integer[] order = new Integer[sends.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> sends.get(a)[0] != sends.get(b)[0]
                ? Integer.compare(sends.get(a)[0], sends.get(b)[0])
                : Integer.compare(sends.get(a)[1], sends.get(b)[1]));
        int[] t = new int[order.length];
        long[] m = new long[order.length];
        for (int i = 0; i < order.length; i++) {
            t[i] = sends.get(order[i])[1];
            m[i] = masks.get(order[i]);
        }
        return new Plan(t, m, expected);
    }

    /** The cores a forwarding core sends to, from the mask it received over its own package's cores. */
    static int[] forwards(Machine machine, int core, long mask) {
        if (mask == 0) {
            return NONE;
        }
        List<Integer> cores = machine.packageOf(core).cores();
        int[] out = new int[Long.bitCount(mask)];
        int k = 0;
        for (int i = 0; i < cores.size() && i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                out[k++] = cores.get(i);
            }
        }
        return out;
    }

    static final int[] NONE = new int[0];
}
