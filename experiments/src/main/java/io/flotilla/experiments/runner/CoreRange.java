package io.flotilla.experiments.runner;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The core counts of a sweep, written {@code 2..32}, {@code 2..32 step 2}, a list, or one number. */
final class CoreRange {

    private static final Pattern RANGE =
            Pattern.compile("\\s*(\\d+)\\s*\\.\\.\\s*(\\d+|all)\\s*(?:step\\s+(\\d+)\\s*)?");

    private CoreRange() {}

    /**
     * The counts {@code text} names, ascending; the problem as an {@link IllegalArgumentException}. A range is
     * counted before it is expanded: no count above {@code maxCores}, no more than {@code maxCounts} counts.
     */
    static List<Integer> parse(String text, int maxCores, int maxCounts) {
        return parse(text, maxCores, maxCounts, -1);
    }

    /**
     * As above, where {@code A..all} runs to {@code machineCores}, the core count of the experiment's smallest
     * machine (a twin of whatever host wrote it: the same file sweeps every core of a 2-core laptop and a 64-core
     * server); -1 when there is none to go by.
     */
    static List<Integer> parse(String text, int maxCores, int maxCounts, int machineCores) {
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a core range: write A..B, A..all, A..B step S, a"
                    + " list such as [2, 4, 8], or one number");
        }
        int from = number(m.group(1));
        if ("all".equals(m.group(2)) && machineCores < 1) {
            throw new IllegalArgumentException("'" + text.trim() + "': A..all needs a machine to count the cores of");
        }
        int to = "all".equals(m.group(2)) ? machineCores : number(m.group(2));
        int step = m.group(3) == null ? 1 : number(m.group(3));
        if (from > to) {
            throw new IllegalArgumentException("range " + text.trim() + " runs backwards (" + from + " > " + to + ")");
        }
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1 in " + text.trim());
        }
        if (to > maxCores) {
            throw new IllegalArgumentException("range " + text.trim() + " goes to " + to + " cores; at most "
                    + maxCores);
        }
        long counts = ((long) to - from) / step + 1;
        if (counts > maxCounts) {
            throw new IllegalArgumentException("range " + text.trim() + " names " + counts + " core counts; at most "
                    + maxCounts + " in one sweep (use a step)");
        }
        List<Integer> out = new ArrayList<>((int) counts);
        for (long c = from; c <= to; c += step) {
            out.add((int) c);
        }
        return out;
    }

    private static int number(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(digits + " is too large a core count");
        }
    }
}
