package io.flotilla.experiments.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A few generated sentences about the shape of an experiment's curves, per machine: which measured series is
 * cheapest at the smallest and at the largest core count (and whether the published values agree), and between
 * which core counts two measured curves cross. Written so that a reader sees at once where the reproduction's
 * shape departs from the paper's.
 */
final class ShapeSummary {

    private ShapeSummary() {}

    static List<String> describe(ExperimentSpec spec, List<PointResult> rows) {
        List<String> out = new ArrayList<>();
        for (String machine : spec.machines()) {
            for (Map.Entry<String, List<String>> group : spec.shapeGroups().entrySet()) {
                String prefix = (spec.machines().size() > 1 ? machine + " " : "")
                        + (spec.groups().isEmpty() ? "" : group.getKey() + " ");
                describe(spec, rows, machine, group.getValue(), prefix.isEmpty() ? "" : prefix.strip() + ": ", out);
            }
        }
        return out;
    }

    private static void describe(ExperimentSpec spec, List<PointResult> rows, String machine, List<String> series,
            String prefix, List<String> out) {
        Map<String, List<PointResult>> bySeries = new LinkedHashMap<>();
        for (String s : series) {
            String label = spec.label(machine, s);
            List<PointResult> rs = rows.stream().filter(r -> r.label().equals(label)).toList();
            if (!rs.isEmpty()) {
                bySeries.put(label, rs);
            }
        }
        if (bySeries.size() < 2) {
            return;
        }
        TreeSet<Integer> xs = new TreeSet<>();
        bySeries.values().forEach(l -> l.forEach(r -> xs.add(r.cores())));
        int lo = xs.first();
        int hi = xs.last();
        out.add(prefix + cheapest(spec, bySeries, lo) + (hi != lo ? "; " + cheapest(spec, bySeries, hi) : ""));
        List<String> labels = new ArrayList<>(bySeries.keySet());
        for (int i = 0; i < labels.size(); i++) {
            for (int j = i + 1; j < labels.size(); j++) {
                crossings(prefix, bySeries.get(labels.get(i)), bySeries.get(labels.get(j)), out);
            }
        }
    }

    private static String cheapest(ExperimentSpec spec, Map<String, List<PointResult>> bySeries, int cores) {
        String best = null;
        double bestValue = Double.MAX_VALUE;
        String bestPublished = null;
        double bestPublishedValue = Double.MAX_VALUE;
        int publishedCount = 0;
        for (Map.Entry<String, List<PointResult>> e : bySeries.entrySet()) {
            for (PointResult r : e.getValue()) {
                if (r.cores() == cores && r.cycles() < bestValue) {
                    bestValue = r.cycles();
                    best = e.getKey();
                }
            }
            PublishedPoint p = ReportWriter.published(spec, e.getKey(), cores);
            if (p != null) {
                publishedCount++;
                if (p.cycles() < bestPublishedValue) {
                    bestPublishedValue = p.cycles();
                    bestPublished = e.getKey();
                }
            }
        }
        String s = "at " + cores + " cores the cheapest measured series is " + best + " ("
                + ReportWriter.fmt(bestValue) + ")";
        if (publishedCount >= 2) {
            s += bestPublished.equals(best) ? ", as published" : ", but the published cheapest is " + bestPublished
                    + " (" + ReportWriter.fmt(bestPublishedValue) + ")";
        }
        return s;
    }

    private static void crossings(String prefix, List<PointResult> a, List<PointResult> b, List<String> out) {
        int lastSign = 0;
        int lastCores = -1;
        for (PointResult ra : a) {
            PointResult rb = b.stream().filter(r -> r.cores() == ra.cores()).findFirst().orElse(null);
            if (rb == null) {
                continue;
            }
            int sign = Double.compare(ra.cycles(), rb.cycles());
            if (sign != 0 && lastSign != 0 && sign != lastSign) {
                out.add(prefix + a.get(0).label() + " and " + b.get(0).label() + " cross between " + lastCores
                        + " and " + ra.cores() + " cores");
            }
            if (sign != 0) {
                lastSign = sign;
                lastCores = ra.cores();
            }
        }
    }
}
