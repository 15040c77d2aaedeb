package io.flotilla.experiments.runner;

import java.awt.BasicStroke;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws an experiment's results as PNG and SVG with XChart. A sweep over core counts is a line per measured series
 * with the published points beside it as a series of their own (markers, no line). Each measured series gets its own
 * marker and dash pattern as well as its colour, so that series lying on top of each other stay visible. An axis is
 * logarithmic where its values span two decades or more (2 to 1024 cores), or as the file's {@code x-axis} and
 * {@code y-axis} say; tick labels are plain numbers (700,000, not 7E5). A table (every point at one core count, as
 * Tables 1 and 2 are) is a bar chart: one bar per series label, measured beside published. Runs headless.
 */
final class PlotWriter {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    /** The ratio of largest to smallest value from which {@code auto} draws an axis logarithmically. */
    static final double LOG_RATIO = 100;
    /** Tick labels: grouped thousands, at most three decimals, never an exponent. */
    private static final String PLAIN = "#,##0.###";

    /**
     * Series that coincide must stay visible: after the first (a filled circle), markers are open strokes (a cross,
     * a plus) or other shapes, and each later line is thinner and dashed differently, so an earlier line shows on
     * both sides of a later one drawn over it.
     */
    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.CROSS, SeriesMarkers.PLUS,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.OVAL};
    private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT,
        SeriesLines.DASH_DOT};

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
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        rows.forEach(r -> {
            xs.add((double) r.cores());
            ys.add(r.cycles());
        });
        spec.published().values().forEach(ps -> ps.forEach(p -> {
            xs.add((double) p.cores());
            ys.add(p.cycles());
        }));
        boolean logX = logarithmic(spec.xAxis(), xs);
        boolean logY = logarithmic(spec.yAxis(), ys);
        chart.getStyler().setXAxisLogarithmic(logX);
        chart.getStyler().setYAxisLogarithmic(logY);
        // A pattern, not a formatting function: XChart computes linear ticks for an axis with a function.
        chart.getStyler().setXAxisDecimalPattern(PLAIN);
        chart.getStyler().setYAxisDecimalPattern(PLAIN);
        Map<String, List<PointResult>> bySeries = group(rows);
        int i = 0;
        for (Map.Entry<String, List<PointResult>> e : bySeries.entrySet()) {
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (PointResult r : e.getValue()) {
                x.add(r.cores());
                y.add(r.cycles());
                err.add(r.stddev());
            }
            // A logarithmic axis cannot draw an error bar reaching zero; the CSV keeps the spread.
            XYSeries s = logY ? chart.addSeries(e.getKey(), x, y) : chart.addSeries(e.getKey(), x, y, err);
            s.setMarker(MARKERS[i % MARKERS.length]);
            s.setLineStyle(line(i));
            i++;
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

    /** The {@code i}-th series' line: its dash pattern, 3 pixels wide for the first, narrowing to 1. */
    private static BasicStroke line(int i) {
        float width = Math.max(1f, 3f - 0.6f * i);
        float[] dash = LINES[i % LINES.length].getDashArray();
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    /**
     * Whether to draw an axis of these values logarithmically: as {@code scale} says, and for {@code auto} when
     * they span {@link #LOG_RATIO} or more. Never when a value is zero or below, which a log axis cannot show.
     */
    static boolean logarithmic(String scale, List<Double> values) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double v : values) {
            if (!(v > 0)) {
                return false;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (values.isEmpty() || "linear".equals(scale)) {
            return false;
        }
        return "log".equals(scale) || max / min >= LOG_RATIO;
    }

    /** A tick label as a plain number: grouped thousands, at most three decimals, never an exponent. */
    static String plain(double v) {
        DecimalFormat f = new DecimalFormat(PLAIN, DecimalFormatSymbols.getInstance(Locale.ROOT));
        return f.format(v);
    }

    private static CategoryChart table(ExperimentSpec spec, List<PointResult> rows) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(spec.title())
                .xAxisTitle("series").yAxisTitle(spec.yLabel()).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(45);
        chart.getStyler().setYAxisDecimalPattern(PLAIN);
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
