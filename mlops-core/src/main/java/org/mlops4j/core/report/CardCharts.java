package org.mlops4j.core.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.LookupPaintScale;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;

/**
 * The model card's charts, drawn by JFreeChart as inline SVG. JFreeChart is an optional dependency of mlops-core
 * (already used for study reports): it draws publication-quality XY, category and block plots to SVG through
 * JFreeSVG in about 2 MB, with no browser or native code; only this class touches it.
 */
final class CardCharts {
    static final int W = 560;
    static final int H = 360;
    private static final Color BLUE = new Color(0x1f77b4);
    private static final Color ORANGE = new Color(0xff7f0e);

    private CardCharts() {
    }

    static String predictedVsActual(double[] actual, double[] predicted, String label) {
        XYSeries points = new XYSeries("holdout rows");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < actual.length; i++) {
            points.add(actual[i], predicted[i]);
            lo = Math.min(lo, Math.min(actual[i], predicted[i]));
            hi = Math.max(hi, Math.max(actual[i], predicted[i]));
        }
        XYSeries ideal = new XYSeries("predicted = actual");
        ideal.add(lo, lo);
        ideal.add(hi, hi);
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(points);
        c.addSeries(ideal);
        JFreeChart chart = ChartFactory.createScatterPlot("Predicted vs actual (holdout)", "actual " + label, "predicted " + label, c,
                PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(0, true);
        r.setSeriesPaint(0, BLUE);
        r.setSeriesLinesVisible(1, true);
        r.setSeriesShapesVisible(1, false);
        r.setSeriesPaint(1, ORANGE);
        r.setSeriesStroke(1, new BasicStroke(1.5f));
        ((XYPlot) chart.getPlot()).setRenderer(r);
        return svg(chart, "chart-predicted-vs-actual");
    }

    static String residuals(double[] residuals) {
        HistogramDataset d = new HistogramDataset();
        d.addSeries("actual - predicted", residuals, Math.max(5, Math.min(30, (int) Math.ceil(Math.sqrt(residuals.length)))));
        JFreeChart chart = ChartFactory.createHistogram("Residuals (holdout)", "actual - predicted", "rows", d,
                PlotOrientation.VERTICAL, false, false, false);
        ((XYPlot) chart.getPlot()).getRenderer().setSeriesPaint(0, BLUE);
        ((org.jfree.chart.renderer.xy.XYBarRenderer) ((XYPlot) chart.getPlot()).getRenderer())
                .setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
        return svg(chart, "chart-residuals");
    }

    static String confusion(List<String> classes, long[][] counts) {
        int n = classes.size();
        double[] xs = new double[n * n];
        double[] ys = new double[n * n];
        double[] zs = new double[n * n];
        long max = 1;
        for (long[] row : counts) {
            for (long v : row) {
                max = Math.max(max, v);
            }
        }
        int k = 0;
        for (int a = 0; a < n; a++) {
            for (int p = 0; p < n; p++) {
                xs[k] = p;
                ys[k] = a;
                zs[k] = counts[a][p];
                k++;
            }
        }
        DefaultXYZDataset d = new DefaultXYZDataset();
        d.addSeries("counts", new double[][] {xs, ys, zs});
        String[] names = classes.toArray(new String[0]);
        SymbolAxis x = new SymbolAxis("predicted", names);
        SymbolAxis y = new SymbolAxis("actual", names);
        y.setInverted(true);
        XYBlockRenderer r = new XYBlockRenderer();
        LookupPaintScale scale = new LookupPaintScale(0, max + 1, Color.WHITE);
        for (int i = 0; i <= 10; i++) {
            float f = i / 10f;
            scale.add(max * f, new Color(1f - 0.85f * f, 1f - 0.55f * f, 1f - 0.25f * f));
        }
        r.setPaintScale(scale);
        XYPlot plot = new XYPlot(d, x, y, r);
        for (int i = 0; i < xs.length; i++) {
            XYTextAnnotation t = new XYTextAnnotation(Long.toString((long) zs[i]), xs[i], ys[i]);
            t.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            plot.addAnnotation(t);
        }
        JFreeChart chart = new JFreeChart("Confusion matrix (holdout)", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        return svg(chart, "chart-confusion");
    }

    static String importance(Map<String, Double> values, String title, String axis, String id) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        values.forEach((k, v) -> d.addValue(v, axis, k));
        JFreeChart chart = ChartFactory.createBarChart(title, "feature", axis, d, PlotOrientation.HORIZONTAL, false, false, false);
        BarRenderer r = (BarRenderer) ((CategoryPlot) chart.getPlot()).getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setSeriesPaint(0, BLUE);
        r.setShadowVisible(false);
        return svg(chart, id, W, Math.max(H, 60 + 22 * values.size()));
    }

    static String folds(String metric, List<Double> values) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (int i = 0; i < values.size(); i++) {
            d.addValue(values.get(i), metric, "fold " + (i + 1));
        }
        JFreeChart chart = ChartFactory.createBarChart(metric + " per cross-validation fold", "fold", metric, d,
                PlotOrientation.VERTICAL, false, false, false);
        CategoryPlot plot = (CategoryPlot) chart.getPlot();
        BarRenderer r = (BarRenderer) plot.getRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setSeriesPaint(0, ORANGE);
        r.setShadowVisible(false);
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        chart.addSubtitle(new TextTitle(String.format(java.util.Locale.ROOT, "mean %.4g over %d folds", mean, values.size())));
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return svg(chart, "chart-cv-folds");
    }

    private static String svg(JFreeChart chart, String id) {
        return svg(chart, id, W, H);
    }

    private static String svg(JFreeChart chart, String id, int w, int h) {
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D g = new SVGGraphics2D(w, h);
        chart.draw(g, new Rectangle(0, 0, w, h));
        return "<figure class=\"chart\" id=\"" + id + "\">" + g.getSVGElement(id + "-svg") + "</figure>\n";
    }
}
