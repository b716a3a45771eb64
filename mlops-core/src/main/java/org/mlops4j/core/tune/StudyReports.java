package org.mlops4j.core.tune;

import org.mlops4j.core.internal.OptionalLibraries;
import org.mlops4j.core.internal.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A study's records for people and programs: {@code trials.json} (every trial) and a self-contained HTML
 * report (the best trials, the objective trial by trial with the best so far, and each parameter's effect).
 * Charts are drawn as inline SVG with JFreeChart when {@code org.jfree:jfreechart} and
 * {@code org.jfree:org.jfree.svg} are on the class path; without them the report has its tables only and
 * says what to add.
 * {@snippet :
 * byte[] json = StudyReports.json(studyResult);
 * String html = StudyReports.html(studyResult, study);
 * }
 */
public final class StudyReports {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Study.class);
    private StudyReports() {
    }

    /**
     * @param result a study's result
     * @return every trial as JSON: number, state, value, parameters, intermediate values, error
     */
    public static byte[] json(StudyResult result) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("metric", result.metric());
        doc.put("direction", result.direction().name());
        doc.put("best", result.count(TrialState.COMPLETE) == 0 ? null : result.best().number());
        List<Map<String, Object>> trials = new ArrayList<>();
        for (Trial t : result.trials()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("number", t.number());
            m.put("state", t.state().name());
            m.put("value", t.value());
            m.put("params", t.params());
            m.put("intermediate", t.intermediate());
            m.put("error", t.error());
            trials.add(m);
        }
        doc.put("trials", trials);
        return Json.write(doc);
    }

    /**
     * @param result a study's result
     * @param study  the study (its space and settings)
     * @return a self-contained HTML page
     */
    public static String html(StudyResult result, Study<?> study) {
        Map<String, List<Object>> choices = new LinkedHashMap<>();
        for (Space.Param<?> p : study.space().params()) {
            if (p instanceof Space.ChoiceParam<?> c) {
                choices.put(p.name(), List.copyOf(c.values()));
            }
        }
        return html(result, study.sampler().name() + " over " + study.space().base().spec().name(), study.space().describe(),
                study.space().names(), choices);
    }

    /**
     * A report from what a store holds (no {@link Study} object at hand, as for {@code mlops study show}):
     * parameters are taken from the trials, and text values are charted as categories.
     *
     * @param result a study's result, as {@link StudyStorage#read()} gives it
     * @param title  what the study is, e.g. its name
     * @param space  each parameter's range as text (may be empty)
     * @return a self-contained HTML page
     */
    public static String html(StudyResult result, String title, Map<String, String> space) {
        List<String> names = new ArrayList<>();
        Map<String, List<Object>> choices = new LinkedHashMap<>();
        for (Trial t : result.trials()) {
            t.params().forEach((k, v) -> {
                if (!names.contains(k)) {
                    names.add(k);
                }
                if (!(v instanceof Number)) {
                    List<Object> seen = choices.computeIfAbsent(k, x -> new ArrayList<>());
                    if (!seen.contains(v)) {
                        seen.add(v);
                    }
                }
            });
        }
        return html(result, title, space, names, choices);
    }

    private static String html(StudyResult result, String title, Map<String, String> space, List<String> names,
                               Map<String, List<Object>> choices) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Study report</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}th{background:#f3f3f3}")
                .append(".chart{display:inline-block;margin:.5em}</style></head><body>\n");
        h.append("<h1>Study: ").append(esc(title))
                .append("</h1>\n<p>").append(result.trials().size()).append(" trials: ").append(result.count(TrialState.COMPLETE))
                .append(" complete, ").append(result.count(TrialState.PRUNED)).append(" pruned, ")
                .append(result.count(TrialState.FAILED)).append(" failed. Objective: <b>").append(esc(result.metric())).append("</b>, ")
                .append(result.direction() == Direction.MINIMIZE ? "lower" : "higher").append(" is better.</p>\n");
        if (result.count(TrialState.COMPLETE) > 0) {
            Trial best = result.best();
            h.append(String.format(Locale.ROOT, "<p id=\"best\">Best: trial %d, %s = %.6g, %s</p>%n", best.number(), esc(result.metric()),
                    best.value(), esc(best.params().toString())));
        }
        if (!space.isEmpty()) {
            h.append("<h2>Space</h2>\n<table><tr><th>parameter</th><th>range</th></tr>\n");
            space.forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>\n"));
            h.append("</table>\n");
        }
        h.append("<h2>Best trials</h2>\n<table id=\"top\"><tr><th>trial</th><th>").append(esc(result.metric())).append("</th>");
        names.forEach(n -> h.append("<th>").append(esc(n)).append("</th>"));
        h.append("</tr>\n");
        result.trials().stream().filter(t -> t.state() == TrialState.COMPLETE)
                .sorted((a, b) -> result.direction() == Direction.MINIMIZE ? Double.compare(a.value(), b.value())
                        : Double.compare(b.value(), a.value()))
                .limit(10).forEach(t -> {
                    h.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%.6g</td>", t.number(), t.value()));
                    names.forEach(n -> h.append("<td>").append(esc(String.valueOf(t.params().getOrDefault(n, "")))).append("</td>"));
                    h.append("</tr>\n");
                });
        h.append("</table>\n<h2>Charts</h2>\n");
        if (result.count(TrialState.COMPLETE) == 0) {
            h.append("<p>No trial completed: nothing to chart.</p>\n");
        } else if (OptionalLibraries.jfreeChart()) {
            try {
                h.append(StudyCharts.svgs(result, names, choices));
            } catch (RuntimeException | LinkageError | InternalError e) { // e.g. a JDK without fonts or fontconfig
                LOG.warn("study report: the charts could not be drawn ({}); the report has its tables only", e.toString());
                h.append("<p>The charts could not be drawn here: ").append(esc(e.toString())).append("</p>\n");
            }
        } else {
            h.append("<p>Charts need <code>org.jfree:jfreechart</code> and <code>org.jfree:org.jfree.svg</code> on the class path.</p>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
