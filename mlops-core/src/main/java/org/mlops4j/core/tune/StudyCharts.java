package org.mlops4j.core.tune;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

import java.awt.Color;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;

/** The study report's charts as inline SVG, drawn by JFreeChart; loaded only when it is on the class path. */
final class StudyCharts {
    private StudyCharts() {
    }

    static String svgs(StudyResult result, List<String> names, Map<String, List<Object>> allChoices) {
        StringBuilder out = new StringBuilder();
        XYSeries values = new XYSeries("objective");
        XYSeries best = new XYSeries("best so far");
        Double bestSoFar = null;
        for (Trial t : result.trials()) {
            if (t.state() != TrialState.COMPLETE) {
                continue;
            }
            values.add(t.number(), t.value());
            if (bestSoFar == null || result.direction().better(t.value(), bestSoFar)) {
                bestSoFar = t.value();
            }
            best.add(t.number(), bestSoFar);
        }
        XYSeriesCollection c = new XYSeriesCollection();
        c.addSeries(values);
        c.addSeries(best);
        JFreeChart history = ChartFactory.createXYLineChart("Objective per trial", "trial", result.metric(), c,
                PlotOrientation.VERTICAL, true, false, false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(1, false);
        ((XYPlot) history.getPlot()).setRenderer(r);
        out.append(svg(history, "chart-history"));
        for (String name : names) {
            XYSeries s = new XYSeries(name);
            List<Object> choices = allChoices.get(name);
            for (Trial t : result.trials()) {
                Object v = t.params().get(name);
                if (t.state() != TrialState.COMPLETE || v == null) {
                    continue;
                }
                double x = choices != null ? choices.indexOf(v) : ((Number) v).doubleValue();
                s.add(x, t.value());
            }
            JFreeChart effect = ChartFactory.createScatterPlot(name + " (" + (choices != null ? "choice index" : "value") + ")",
                    name, result.metric(), new XYSeriesCollection(s), PlotOrientation.VERTICAL, false, false, false);
            out.append(svg(effect, "chart-" + name.replaceAll("[^A-Za-z0-9_-]", "_")));
        }
        return out.toString();
    }

    private static String svg(JFreeChart chart, String id) {
        chart.setBackgroundPaint(Color.WHITE);
        SVGGraphics2D g = new SVGGraphics2D(480, 320);
        chart.draw(g, new Rectangle(0, 0, 480, 320));
        return "<div class=\"chart\" id=\"" + id + "\">" + g.getSVGElement() + "</div>\n";
    }
}
