package org.mlops4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Tables for terminals and JSON for scripts. */
final class Output {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Output() {
    }

    static void json(PrintWriter out, Object node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String time(Instant t) {
        return t == null ? "-" : TIME.format(t);
    }

    static String duration(Run r) {
        Duration d = r.info().duration().orElse(null);
        if (d == null) {
            return "-";
        }
        long ms = d.toMillis();
        return ms < 60_000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0)
                : String.format(Locale.ROOT, "%dm%02ds", ms / 60_000, (ms / 1000) % 60);
    }

    static String number(Double v) {
        if (v == null) {
            return "-";
        }
        if (v.isNaN() || v.isInfinite()) {
            return v.toString();
        }
        double a = Math.abs(v);
        if (v == Math.rint(v) && a < 1e15) {
            return Long.toString(v.longValue());
        }
        return a != 0 && (a < 1e-3 || a >= 1e7) ? String.format(Locale.ROOT, "%.4e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    static String clip(String s, int max) {
        if (s == null) {
            return "-";
        }
        String one = s.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return one.length() <= max ? one : one.substring(0, max - 1) + "…";
    }

    /** Prints rows as left-aligned columns separated by two spaces. */
    static void table(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> row : all) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : all) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                sb.append(row.get(i));
                if (i < row.size() - 1) {
                    sb.append(" ".repeat(width[i] - row.get(i).length() + 2));
                }
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    static ObjectNode experimentJson(Experiment e) {
        ObjectNode o = JSON.createObjectNode().put("id", e.id()).put("name", e.name()).put("created_at", e.createdAt().toString());
        ObjectNode tags = o.putObject("tags");
        e.tags().forEach(tags::put);
        return o;
    }

    static ObjectNode runJson(Run r) {
        ObjectNode o = JSON.createObjectNode()
                .put("run_id", r.id())
                .put("name", r.info().name())
                .put("experiment_id", r.info().experimentId())
                .put("status", r.info().status().name())
                .put("start_time", r.info().startTime().toString());
        o.put("end_time", r.info().endTime() == null ? null : r.info().endTime().toString());
        o.put("parent_run_id", r.info().parentRunId());
        ObjectNode params = o.putObject("params");
        r.params().forEach(params::put);
        ObjectNode metrics = o.putObject("metrics");
        r.metrics().forEach((k, m) -> metrics.set(k, metricJson(m)));
        ObjectNode tags = o.putObject("tags");
        r.tags().forEach(tags::put);
        ArrayNode artifacts = o.putArray("artifacts");
        for (ArtifactInfo a : r.artifacts()) {
            artifacts.addObject().put("path", a.path()).put("size", a.size()).put("sha256", a.sha256());
        }
        return o;
    }

    static ObjectNode metricJson(Metric m) {
        ObjectNode o = JSON.createObjectNode();
        putNumber(o, "value", m.value());
        return o.put("step", m.step()).put("timestamp", m.timestamp().toString());
    }

    static void putNumber(ObjectNode o, String field, Double v) {
        if (v == null) {
            o.putNull(field);
        } else if (v.isNaN() || v.isInfinite()) {
            o.put(field, v.toString());
        } else {
            o.put(field, v);
        }
    }
}
