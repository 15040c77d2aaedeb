package io.flotilla.experiments.runner;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which share of an experiment's points one run measures: shard {@code index} of {@code count}. Points are dealt
 * round-robin in the sweep's order (machine, series, core count), so every shard gets small and large core counts
 * alike and the shards take about the same time; the deal depends on the experiment file alone, so any machine
 * computes the same shares, and {@link ShardMerge} restores the sweep's order by interleaving them.
 */
public record Shard(int index, int count) {

    /** The whole experiment. */
    public static final Shard ALL = new Shard(1, 1);

    private static final Pattern FORM = Pattern.compile("(\\d{1,6})/(\\d{1,6})");

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " does not exist: write K/N with"
                    + " 1 <= K <= N");
        }
    }

    /** {@code K/N}; the problem as an {@link IllegalArgumentException}. */
    public static Shard parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a shard: write K/N, e.g. 2/8 for the second"
                    + " of eight");
        }
        return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** Whether the point at {@code position} (0-based, in sweep order) is this shard's. */
    boolean owns(int position) {
        return position % count == index - 1;
    }

    boolean isAll() {
        return count == 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
