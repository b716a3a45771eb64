package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunComparison;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.core.tracking.spi.RunFilter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code mlops runs list|show|compare}. */
@Command(name = "runs", description = "Runs of a store: search, show one, compare several.", mixinStandardHelpOptions = true,
        subcommands = {RunsCommand.ListCommand.class, RunsCommand.ShowCommand.class, RunsCommand.CompareCommand.class})
final class RunsCommand {

    static Experiment experiment(Tracker tracker, String name) {
        return tracker.experimentByName(name).orElseThrow(() -> new TrackingNotFoundException("no experiment named '" + name
                + "'; mlops experiments list shows them"));
    }

    @Command(name = "list", description = "Search the runs of an experiment with MLflow's filter syntax, newest first by default.",
            mixinStandardHelpOptions = true)
    static final class ListCommand extends StoreCommand {
        @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME", description = "Experiment name.")
        String experiment;
        @Option(names = {"-f", "--filter"}, paramLabel = "FILTER", description = "E.g. \"metrics.rmse < 3.0 and params.trees = '100'\".")
        String filter = "";
        @Option(names = {"-o", "--order-by"}, paramLabel = "CLAUSE", description = "E.g. \"metrics.rmse ASC\"; repeatable.")
        List<String> orderBy = new ArrayList<>();
        @Option(names = {"-n", "--max"}, paramLabel = "N", description = "Page size (default ${DEFAULT-VALUE}).", defaultValue = "50")
        int max;
        @Option(names = "--page-token", paramLabel = "TOKEN", description = "Token printed with the previous page.")
        String pageToken;
        @Option(names = {"-m", "--metrics"}, split = ",", paramLabel = "KEY",
                description = "Metric columns (default: those the filter and order name, then the first others up to four).")
        List<String> metrics;
        @Option(names = "--top-level", hidden = true, description = "Only runs without a parent (the default now).")
        boolean topLevel;
        @Option(names = "--children", description = "Include child runs (per-fold cross-validation runs, trials), hidden by default.")
        boolean children;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                if (children && topLevel) {
                    throw new ParameterException(spec.commandLine(), "give --children or --top-level, not both");
                }
                RunQuery q = RunQuery.experiments(experiment(tracker, experiment).id()).filter(filter).orderBy(orderBy).maxResults(max)
                        .pageToken(pageToken);
                // Child runs are left out by default; pages are read until one holds a top-level run, so a page of
                // folds does not look like the end of the list.
                List<Run> runs = new ArrayList<>();
                RunPage page;
                do {
                    page = tracker.searchRuns(q);
                    page.runs().stream().filter(r -> children || r.info().parentRunId() == null).forEach(runs::add);
                    q = page.nextPageToken().map(q::pageToken).orElse(q);
                } while (runs.isEmpty() && page.nextPageToken().isPresent());
                if (store.json) {
                    ObjectNode o = Output.JSON.createObjectNode();
                    ArrayNode a = o.putArray("runs");
                    runs.forEach(r -> a.add(Output.runJson(r)));
                    o.put("next_page_token", page.nextPageToken().orElse(null));
                    Output.json(out, o);
                    return 0;
                }
                // Columns follow the question: the metrics, params and tags the filter and the order name come first.
                RunFilter parsed = q.parsedFilter();
                List<String> keys = new ArrayList<>();
                List<String> paramKeys = new ArrayList<>();
                List<String> tagKeys = new ArrayList<>();
                for (RunFilter.Condition c : parsed.conditions()) {
                    named(c.entity(), c.key(), keys, paramKeys, tagKeys);
                }
                for (RunFilter.Order o : q.parsedOrder()) {
                    named(o.entity(), o.key(), keys, paramKeys, tagKeys);
                }
                if (metrics != null) {
                    keys = new ArrayList<>(metrics);
                } else {
                    TreeSet<String> all = new TreeSet<>();
                    runs.forEach(r -> all.addAll(r.metrics().keySet()));
                    for (String k : all) {
                        if (keys.size() >= 4) {
                            break;
                        }
                        if (!keys.contains(k) && !k.startsWith("system/") && !k.startsWith("cv_fold_")) {
                            keys.add(k);
                        }
                    }
                }
                List<String> header = new ArrayList<>(List.of("RUN ID", "NAME", "STATUS", "STARTED", "DURATION"));
                paramKeys.forEach(k -> header.add("params." + k));
                tagKeys.forEach(k -> header.add("tags." + k));
                keys.forEach(header::add);
                List<List<String>> rows = new ArrayList<>();
                for (Run r : runs) {
                    List<String> row = new ArrayList<>(List.of(r.id(), Output.clip(r.info().name(), 30), r.info().status().name(),
                            Output.time(r.info().startTime()), Output.duration(r)));
                    paramKeys.forEach(k -> row.add(Output.clip(r.params().getOrDefault(k, "-"), 24)));
                    tagKeys.forEach(k -> row.add(Output.clip(r.tags().getOrDefault(k, "-"), 24)));
                    for (String k : keys) {
                        Metric m = r.metrics().get(k);
                        row.add(Output.number(m == null ? null : m.value()));
                    }
                    rows.add(row);
                }
                Output.table(out, header, rows);
                page.nextPageToken().ifPresent(t -> out.println("more: --page-token " + t));
            }
            return 0;
        }

        private static void named(RunFilter.Entity entity, String key, List<String> metricKeys, List<String> paramKeys,
                                  List<String> tagKeys) {
            List<String> into = switch (entity) {
                case METRIC -> metricKeys;
                case PARAM -> paramKeys;
                case TAG -> tagKeys;
                case ATTRIBUTE -> null;
            };
            if (into != null && !into.contains(key)) {
                into.add(key);
            }
        }
    }

    @Command(name = "show", description = "Everything about one run: info, params, metrics, tags, artifacts.", mixinStandardHelpOptions = true)
    static final class ShowCommand extends StoreCommand {
        @Parameters(paramLabel = "RUN_ID", description = "The run.")
        String runId;
        @Option(names = "--history", paramLabel = "KEY", description = "Print every observation of this metric instead.")
        String history;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                Run r = tracker.run(runId).orElseThrow(() -> new TrackingNotFoundException("no run with id " + runId));
                if (history != null) {
                    List<Metric> h = tracker.metricHistory(runId, history);
                    if (h.isEmpty()) {
                        throw new TrackingNotFoundException("run " + runId + " has no metric '" + history + "'; its metrics are "
                                + new TreeSet<>(r.metrics().keySet()));
                    }
                    if (store.json) {
                        ArrayNode a = Output.JSON.createArrayNode();
                        h.forEach(m -> a.add(Output.metricJson(m)));
                        Output.json(out, a);
                    } else {
                        List<List<String>> rows = new ArrayList<>();
                        h.forEach(m -> rows.add(List.of(Long.toString(m.step()), Output.number(m.value()), m.timestamp().toString())));
                        Output.table(out, List.of("STEP", history.toUpperCase(java.util.Locale.ROOT), "TIME"), rows);
                    }
                    return 0;
                }
                if (store.json) {
                    Output.json(out, Output.runJson(r));
                    return 0;
                }
                out.println("run        " + r.id());
                out.println("name       " + r.info().name());
                out.println("experiment " + r.info().experimentId() + tracker.experimentById(r.info().experimentId()).map(e -> " (" + e.name() + ")").orElse(""));
                out.println("status     " + r.info().status());
                out.println("started    " + Output.time(r.info().startTime()) + ", took " + Output.duration(r));
                if (r.info().parentRunId() != null) {
                    out.println("parent     " + r.info().parentRunId());
                }
                section(out, "params", r.params().entrySet().stream().map(e -> List.of(e.getKey(), Output.clip(e.getValue(), 80))).toList(),
                        List.of("KEY", "VALUE"));
                section(out, "metrics", r.metrics().values().stream().map(m -> List.of(m.key(), Output.number(m.value()),
                        Long.toString(m.step()))).toList(), List.of("KEY", "LATEST", "STEP"));
                section(out, "tags", r.tags().entrySet().stream().map(e -> List.of(e.getKey(), Output.clip(e.getValue(), 80))).toList(),
                        List.of("KEY", "VALUE"));
                section(out, "artifacts", r.artifacts().stream().map(a -> List.of(a.path(), Long.toString(a.size()),
                        a.sha256() == null ? "-" : a.sha256().substring(0, 12))).toList(), List.of("PATH", "BYTES", "SHA-256"));
            }
            return 0;
        }

        private static void section(PrintWriter out, String title, List<List<String>> rows, List<String> header) {
            out.println();
            out.println(title + " (" + rows.size() + ")");
            if (!rows.isEmpty()) {
                Output.table(out, header, rows);
            }
        }
    }

    @Command(name = "compare", description = "Runs side by side: params (* where they differ) and metrics with the change from the first run.",
            mixinStandardHelpOptions = true)
    static final class CompareCommand extends StoreCommand {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Selection selection;

        static final class Selection {
            @Parameters(paramLabel = "RUN_ID", arity = "2..*", description = "Two or more runs.")
            List<String> runIds;
            @ArgGroup(exclusive = false)
            Latest latest;
        }

        static final class Latest {
            @Option(names = {"-e", "--experiment"}, required = true, paramLabel = "NAME", description = "Compare the latest runs of this experiment.")
            String experiment;
            @Option(names = "--last", paramLabel = "N", defaultValue = "2", description = "How many of its latest top-level runs (default ${DEFAULT-VALUE}).")
            int last;
        }

        @Option(names = "--only-diff", description = "Show only params and metrics that differ.")
        boolean onlyDiff;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                List<String> ids = selection.runIds != null ? selection.runIds : latest(tracker);
                RunComparison c = tracker.compare(ids);
                if (store.json) {
                    Output.json(out, json(c));
                    return 0;
                }
                List<String> header = new ArrayList<>(List.of(""));
                for (int i = 0; i < c.runs().size(); i++) {
                    header.add(Output.clip(c.runs().get(i).info().name(), 24) + " " + c.runs().get(i).id().substring(0, 8));
                }
                List<List<String>> rows = new ArrayList<>();
                rows.add(row("status", c, r -> r.info().status().name()));
                rows.add(row("started", c, r -> Output.time(r.info().startTime())));
                rows.add(row("duration", c, Output::duration));
                List<String> diffParams = c.differingParams();
                for (String k : c.paramKeys()) {
                    if (!onlyDiff || diffParams.contains(k)) {
                        rows.add(row((diffParams.contains(k) ? "* " : "  ") + "params." + k, c, r -> Output.clip(r.params().get(k), 24)));
                    }
                }
                List<String> diffMetrics = c.differingMetrics();
                for (String k : c.metricKeys()) {
                    if (onlyDiff && !diffMetrics.contains(k)) {
                        continue;
                    }
                    List<String> row = new ArrayList<>();
                    row.add((diffMetrics.contains(k) ? "* " : "  ") + "metrics." + k);
                    for (int i = 0; i < c.runs().size(); i++) {
                        Double delta = i == 0 ? null : c.metricDelta(i, k);
                        row.add(Output.number(c.metric(i, k)) + (delta == null || delta == 0 ? "" : " (" + (delta > 0 ? "+" : "") + Output.number(delta) + ")"));
                    }
                    rows.add(row);
                }
                for (String k : tagKeys(c)) {
                    boolean differs = c.runs().stream().map(r -> r.tags().get(k)).distinct().count() > 1;
                    if (!onlyDiff || differs) {
                        rows.add(row((differs ? "* " : "  ") + "tags." + k, c, r -> Output.clip(r.tags().getOrDefault(k, "-"), 24)));
                    }
                }
                Output.table(out, header, rows);
            }
            return 0;
        }

        /** The tag keys of any of the runs, sorted; the long system tags (mlflow.*) are left to {@code runs show}. */
        private static List<String> tagKeys(RunComparison c) {
            TreeSet<String> keys = new TreeSet<>();
            c.runs().forEach(r -> keys.addAll(r.tags().keySet()));
            return keys.stream().filter(k -> !k.startsWith("mlflow.")).toList();
        }

        private List<String> latest(Tracker tracker) {
            if (selection.latest.last < 2) {
                throw new ParameterException(spec.commandLine(), "--last must be >= 2 but was " + selection.latest.last);
            }
            Experiment e = experiment(tracker, selection.latest.experiment);
            List<String> ids = new ArrayList<>();
            RunQuery q = RunQuery.experiments(e.id()).orderBy("attributes.start_time DESC").maxResults(1000);
            for (Run r : tracker.searchRuns(q).runs()) {
                if (r.info().parentRunId() == null && ids.size() < selection.latest.last) {
                    ids.add(r.id());
                }
            }
            if (ids.size() < 2) {
                throw new TrackingNotFoundException("experiment '" + e.name() + "' has " + ids.size() + " top-level run(s); compare needs two");
            }
            return ids.reversed(); // oldest first, so changes read as "from the earlier run to the later"
        }

        private static List<String> row(String label, RunComparison c, java.util.function.Function<Run, String> cell) {
            List<String> row = new ArrayList<>();
            row.add(label);
            c.runs().forEach(r -> row.add(cell.apply(r)));
            return row;
        }

        private static ObjectNode json(RunComparison c) {
            ObjectNode o = Output.JSON.createObjectNode();
            ArrayNode runs = o.putArray("runs");
            c.runs().forEach(r -> runs.addObject().put("run_id", r.id()).put("name", r.info().name()).put("status", r.info().status().name()));
            ObjectNode params = o.putObject("params");
            for (String k : c.paramKeys()) {
                ArrayNode a = params.putArray(k);
                for (int i = 0; i < c.runs().size(); i++) {
                    a.add(c.param(i, k));
                }
            }
            ObjectNode metrics = o.putObject("metrics");
            for (String k : c.metricKeys()) {
                ArrayNode a = metrics.putArray(k);
                for (int i = 0; i < c.runs().size(); i++) {
                    Double v = c.metric(i, k);
                    if (v == null) {
                        a.addNull();
                    } else if (v.isNaN() || v.isInfinite()) {
                        a.add(v.toString());
                    } else {
                        a.add(v);
                    }
                }
            }
            ObjectNode tags = o.putObject("tags");
            for (String k : tagKeys(c)) {
                ArrayNode a = tags.putArray(k);
                c.runs().forEach(r -> a.add(r.tags().get(k)));
            }
            o.set("differing_params", Output.JSON.valueToTree(c.differingParams()));
            o.set("differing_metrics", Output.JSON.valueToTree(c.differingMetrics()));
            return o;
        }
    }
}
