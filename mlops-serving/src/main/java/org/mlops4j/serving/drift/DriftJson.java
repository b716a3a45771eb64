package org.mlops4j.serving.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;

/**
 * Drift reports as JSON ({@code GET /v2/models/{name}/drift}) and as an HTML page with the reference and live
 * histogram of every feature ({@code GET /v2/models/{name}/drift.html}). Statistics that are not finite are
 * written as null.
 * {@snippet :
 * ObjectNode json = DriftJson.toJson(monitor.current());
 * String html = DriftJson.toHtml(monitor.current(), monitor.lastCompleted().orElse(null));
 * }
 */
public final class DriftJson {
    private DriftJson() {
    }

    /**

     * @param r a report

     * @return it as JSON

     */
    public static ObjectNode toJson(DriftReport r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("model", r.model());
        o.put("version", r.version());
        o.put("window", r.window());
        o.put("window_rows", r.windowRows());
        o.put("start", r.start().toString());
        o.put("end", r.end().toString());
        o.put("state", r.state().lower());
        ArrayNode fs = o.putArray("features");
        for (FeatureDrift f : r.features()) {
            fs.add(feature(f));
        }
        o.set("prediction", feature(r.prediction()));
        return o;
    }

    private static ObjectNode feature(FeatureDrift f) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("feature", f.feature());
        o.put("state", f.state().lower());
        o.put("window_rows", f.windowRows());
        o.put("reason", f.reason());
        ArrayNode st = o.putArray("statistics");
        for (DriftStatistic s : f.statistics()) {
            ObjectNode x = st.addObject();
            x.put("name", s.name());
            num(x, "value", s.value());
            num(x, "warning_threshold", s.warning());
            num(x, "drift_threshold", s.drift());
            x.put("deciding", s.deciding());
            x.put("state", s.state().lower());
        }
        ArrayNode bins = o.putArray("bins");
        for (int i = 0; i < f.bins().size(); i++) {
            ObjectNode b = bins.addObject();
            b.put("bin", f.bins().get(i));
            num(b, "reference", f.reference().get(i));
            num(b, "live", f.live().get(i));
        }
        return o;
    }

    private static void num(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    /**
     * @param current   the window filling now
     * @param completed the last full window, or null
     * @return a self-contained HTML page (inline SVG, no script, no external resource)
     */
    public static String toHtml(DriftReport current, DriftReport completed) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Drift: ").append(esc(current.model())).append(" version ")
                .append(current.version()).append("</title><style>body{font-family:sans-serif;margin:2em;color:#222}"
                        + ".f{display:inline-block;margin:0 1.5em 1.5em 0;vertical-align:top}.ok{color:#2a7d2a}.warning{color:#b7791f}.drift{color:#c53030}"
                        + "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}"
                        + "</style></head><body>");
        h.append("<h1>Drift of ").append(esc(current.model())).append(" version ").append(current.version()).append("</h1>");
        h.append("<p class=\"legend\">Training reference<span style=\"background:#7f9cc0\"></span> live window<span style=\"background:#e08a3c\"></span></p>");
        for (DriftReport r : completed == null ? List.of(current) : List.of(current, completed)) {
            h.append("<section id=\"").append(r.window()).append("\"><h2>").append(r.window().equals("current") ? "Current window" : "Last completed window")
                    .append(": <span class=\"").append(r.state().lower()).append("\">").append(r.state().lower()).append("</span></h2><p>")
                    .append(r.windowRows()).append(" rows, ").append(esc(r.start().toString())).append(" to ").append(esc(r.end().toString())).append("</p>");
            for (FeatureDrift f : r.features()) {
                chart(h, f);
            }
            chart(h, r.prediction());
            h.append("</section>");
        }
        return h.append("</body></html>").toString();
    }

    private static void chart(StringBuilder h, FeatureDrift f) {
        h.append("<div class=\"f\" data-feature=\"").append(esc(f.feature())).append("\" data-state=\"").append(f.state().lower()).append("\"><h3>")
                .append(esc(f.feature())).append(" <span class=\"").append(f.state().lower()).append("\">").append(f.state().lower()).append("</span></h3>");
        int n = f.bins().size();
        if (n > 0) {
            int w = 34 * n + 20;
            double max = 1e-9;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, Math.max(f.reference().get(i), f.live().get(i)));
            }
            h.append("<svg width=\"").append(w).append("\" height=\"170\" role=\"img\" aria-label=\"").append(esc(f.feature()))
                    .append(" reference and live histograms\">");
            for (int i = 0; i < n; i++) {
                int x = 10 + i * 34;
                bar(h, x, f.reference().get(i) / max, "#7f9cc0", "reference " + f.bins().get(i), f.reference().get(i));
                bar(h, x + 14, f.live().get(i) / max, "#e08a3c", "live " + f.bins().get(i), f.live().get(i));
            }
            h.append("<line x1=\"5\" y1=\"150\" x2=\"").append(w - 5).append("\" y2=\"150\" stroke=\"#444\"/></svg>");
        }
        h.append("<table>");
        for (DriftStatistic s : f.statistics()) {
            h.append("<tr><th>").append(s.name()).append("</th><td>").append(fmt(s.value())).append("</td><td>warning ").append(fmt(s.warning()))
                    .append(", drift ").append(fmt(s.drift())).append(s.deciding() ? "" : " (informative)").append("</td></tr>");
        }
        h.append("</table><p>").append(esc(f.reason())).append("</p></div>");
    }

    private static void bar(StringBuilder h, int x, double frac, String color, String title, double share) {
        int height = (int) Math.round(140 * frac);
        h.append("<rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(150 - height).append("\" width=\"13\" height=\"").append(height)
                .append("\" fill=\"").append(color).append("\"><title>").append(esc(title)).append(": ").append(fmt(share)).append("</title></rect>");
    }

    private static String fmt(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "–";
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
