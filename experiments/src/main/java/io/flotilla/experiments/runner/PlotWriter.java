package io.flotilla.experiments.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws an experiment's results as PNG and SVG with XChart. A sweep over core counts is a line per measured series
 * with the published points beside it as a series of their own (markers, no line). A table (every point at one
 * core count, as Tables 1 and 2 are) is a bar chart: one bar per series label, measured beside published.
 * Runs headless: no display is needed.
 */
final class PlotWriter {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;

    private PlotWriter() {}

    /** Writes {@code base.png} and {@code base.svg}. */
    static void write(Path base, ExperimentSpec spec, List<PointResult> all) throws IOException {
        List<PointResult> rows = all.stream().filter(r -> !r.isFailed()).toList();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        TreeSet<Integer> xs = new TreeSet<>();
        for (PointResult r : rows) {
            xs.add(r.cores());
        }
        Chart<?, ?> chart = xs.size() <= 1 ? table(spec, rows) : sweep(spec, rows);
        Path png = base.resolveSibling(base.getFileName() + ".png");
        Path svg = base.resolveSibling(base.getFileName() + ".svg");
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        try (OutputStream out = Files.newOutputStream(svg)) {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        }
    }

    private static XYChart sweep(ExperimentSpec spec, List<PointResult> rows) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        Map<String, List<PointResult>> bySeries = group(rows);
        for (Map.Entry<String, List<PointResult>> e : bySeries.entrySet()) {
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (PointResult r : e.getValue()) {
                x.add(r.cores());
                y.add(r.cycles());
                err.add(r.stddev());
            }
            XYSeries s = chart.addSeries(e.getKey(), x, y, err);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        for (Map.Entry<String, List<PublishedPoint>> e : spec.published().entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (PublishedPoint p : e.getValue()) {
                x.add(p.cores());
                y.add(p.cycles());
            }
            XYSeries s = chart.addSeries(e.getKey() + " (published)", x, y);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
        }
        return chart;
    }

    private static CategoryChart table(ExperimentSpec spec, List<PointResult> rows) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle("series").yAxisTitle(spec.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(45);
        List<String> labels = new ArrayList<>();
        List<Double> measured = new ArrayList<>();
        List<Double> published = new ArrayList<>();
        for (PointResult r : rows) {
            labels.add(r.label());
            measured.add(r.cycles());
            double p = 0;
            for (PublishedPoint pp : spec.published().getOrDefault(r.label(), List.of())) {
                if (pp.cores() == r.cores()) {
                    p = pp.cycles();
                }
            }
            // A bar of zero height stands for "not published"; the report says so in words.
            published.add(p);
        }
        if (labels.isEmpty()) {
            labels.add("(no points)");
            measured.add(0.0);
            published.add(0.0);
        }
        chart.addSeries("measured", labels, measured);
        chart.addSeries("published", labels, published);
        return chart;
    }

    private static Map<String, List<PointResult>> group(List<PointResult> rows) {
        Map<String, List<PointResult>> out = new LinkedHashMap<>();
        for (PointResult r : rows) {
            out.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
