package org.mlops4j.core.report;

import org.mlops4j.core.internal.OptionalLibraries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.mlops4j.core.Task;
import org.mlops4j.core.data.CategoricalColumn;
import org.mlops4j.core.data.Column;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.data.NumericColumn;
import org.mlops4j.core.data.Target;
import org.mlops4j.core.data.profile.CategoricalProfile;
import org.mlops4j.core.data.profile.ColumnProfile;
import org.mlops4j.core.data.profile.NumericProfile;
import org.mlops4j.core.data.validate.Expectations;
import org.mlops4j.core.data.validate.ValidationReport;
import org.mlops4j.core.data.validate.Violation;
import org.mlops4j.core.evaluate.Evaluation;
import org.mlops4j.core.evaluate.Metrics;
import org.mlops4j.core.model.BundleManifest;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.pipeline.PipelineSpec;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.PromotionDecision;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;

/**
 * A model card a person reads: generated from a bundle, its run and its promotion decisions, as Markdown and as a
 * self-contained HTML page with charts (predicted vs actual and a residual histogram for regression, a confusion
 * matrix for classification, feature importance by permutation for any model and the model's own for trees,
 * the metric per cross-validation fold). Sections: model, intended use and limitations (given by the user), data
 * (version, sources, profile), training (recipe, hyperparameters, duration), evaluation (holdout and CV),
 * lineage, promotion history and caveats (features of the holdout outside the training range, a small holdout, a
 * refit model…).
 *
 * <p>The HTML page embeds its charts as inline SVG and its style, so it opens offline and can be mailed or
 * attached to a bundle ({@link ModelCards#step}). Charts need JFreeChart on the class path (an optional
 * dependency of mlops-core); without it the HTML says so and keeps the tables. Built once, immutable.
 * {@snippet :
 * ModelCard card = ModelCard.builder(registry.load("house-prices@champion"))
 *         .version(registry.version("house-prices@champion"))
 *         .run(tracker, runId)
 *         .holdout(Pipeline.holdoutOf(tracker, runId))
 *         .intendedUse("Estimate Boston house prices for teaching; not for valuations.")
 *         .limitations("Trained on 1970s census tracts; prices in $1000s.")
 *         .history(Promotion.history(registry, "house-prices"))
 *         .build();
 * Files.writeString(Path.of("card.md"), card.markdown());
 * Files.writeString(Path.of("card.html"), card.html());
 * }
 */
public final class ModelCard {
    private static final Logger LOG = LoggerFactory.getLogger(ModelCard.class);

    /** The fewest holdout rows before the card warns that its metrics are noisy. */
    public static final int SMALL_HOLDOUT = 50;

    private final Builder b;
    private final List<Prediction> predictions;
    private final Target truth;
    private final Evaluation holdoutEval;
    private final Map<String, Double> permutation;
    private final String permutationMetric;
    private final Map<String, Double> ownImportance;
    private final List<String> caveats;
    private final PipelineSpec recipe;
    private final String recipeProblem;

    private ModelCard(Builder b) {
        this.b = b;
        BundleManifest m = b.bundle.manifest();
        List<String> cav = new ArrayList<>();
        PipelineSpec spec = null;
        String problem = null;
        byte[] json = b.bundle.file("pipeline.json").orElse(null);
        if (json != null) {
            try {
                spec = PipelineSpec.read(json);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        } else {
            problem = "the bundle carries no pipeline.json";
        }
        this.recipe = spec;
        this.recipeProblem = problem;
        Dataset rows = b.holdout;
        if (rows != null && rows.rowCount() > 0 && rows.schema().contains(m.label())) {
            Predictor p = b.bundle.predictor().lenient().onViolation(Predictor.OnViolation.IGNORE);
            this.predictions = p.predict(rows);
            this.truth = m.task() == Task.CLASSIFICATION ? Target.classesAsGiven(rows, m.label()) : Target.of(rows, m.label(), m.task());
            this.holdoutEval = Metrics.forTask(m.task()).evaluate(truth, predictions);
            this.permutationMetric = m.task() == Task.REGRESSION ? "rmse" : "accuracy";
            this.permutation = permutationImportance(p, rows, m, b.seed);
            ValidationReport range = Expectations.infer(b.bundle.trainingProfile(), 0.0, 1.0).validate(rows, java.util.Set.of(m.label()));
            Map<String, Long> outside = new TreeMap<>();
            for (Violation v : range.violations()) {
                if (v.rule() == Violation.Rule.OUT_OF_RANGE || v.rule() == Violation.Rule.UNKNOWN_CATEGORY) {
                    outside.merge(v.column(), 1L, Long::sum);
                }
            }
            outside.forEach((col, n) -> cav.add(n + " of " + rows.rowCount() + " holdout rows have " + col
                    + " outside the range (or the categories) seen in training: the model extrapolates there"));
            if (rows.rowCount() < SMALL_HOLDOUT) {
                cav.add("the holdout has only " + org.mlops4j.core.internal.Names.count(rows.rowCount(), "row") + ": its metrics are noisy");
            }
        } else {
            this.predictions = List.of();
            this.truth = null;
            this.holdoutEval = null;
            this.permutation = Map.of();
            this.permutationMetric = null;
            cav.add(rows == null ? "no holdout rows were given to the card: no predicted-vs-actual, residual or permutation charts"
                    : rows.rowCount() == 0 ? "the holdout is empty: nothing was evaluated on unseen rows"
                    : "the holdout rows have no label column '" + m.label() + "'");
        }
        Map<String, Double> own = new LinkedHashMap<>();
        b.bundle.model().featureImportance().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(20).forEach(e -> own.put(e.getKey(), e.getValue()));
        this.ownImportance = own;
        if (m.training() != null && m.training().refit()) {
            cav.add("the registered model was refit on " + m.training().trainedOn() + "; its metrics measured " + m.training().metricsFrom());
        }
        if (recipeProblem != null) {
            cav.add("the recipe cannot be rebuilt from the bundle: " + recipeProblem);
        }
        if (b.run == null) {
            cav.add("no run was given: training duration, fold metrics and parameters come from the bundle alone");
        }
        if (b.intendedUse == null) {
            cav.add("no intended use was stated (ModelCard.Builder.intendedUse)");
        }
        cav.addAll(b.extraCaveats);
        this.caveats = List.copyOf(cav);
    }

    private static Map<String, Double> permutationImportance(Predictor p, Dataset rows, BundleManifest m, long seed) {
        Target t = m.task() == Task.CLASSIFICATION ? Target.classesAsGiven(rows, m.label()) : Target.of(rows, m.label(), m.task());
        String metric = m.task() == Task.REGRESSION ? "rmse" : "accuracy";
        double base = Metrics.forTask(m.task()).evaluate(t, p.predict(rows)).get(metric);
        Map<String, Double> out = new LinkedHashMap<>();
        Random rnd = new Random(seed);
        for (String col : m.inputSchema().names()) {
            if (!rows.schema().contains(col)) {
                continue;
            }
            int[] order = new int[rows.rowCount()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int x = order[i];
                order[i] = order[j];
                order[j] = x;
            }
            Column shuffled = rows.column(col).rows(order);
            Dataset d = rows.withColumns(List.of(shuffled));
            double v = Metrics.forTask(m.task()).evaluate(t, p.predict(d)).get(metric);
            out.put(col, m.task() == Task.REGRESSION ? v - base : base - v);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        out.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * @param bundle the model's bundle
     * @return a builder; add the version, run, holdout rows and the user's fields
     */
    public static Builder builder(ModelBundle bundle) {
        return new Builder(Objects.requireNonNull(bundle, "bundle"));
    }

    /** @return the caveats the card lists */
    public List<String> caveats() {
        return caveats;
    }

    /** @return permutation importance on the holdout (metric worsening when a column is shuffled), largest first */
    public Map<String, Double> permutationImportance() {
        return permutation;
    }

    private String title() {
        BundleManifest m = b.bundle.manifest();
        return b.title != null ? b.title : b.version != null ? b.version.name() + " version " + b.version.version()
                : m.algorithm() + " model of " + m.label();
    }

    // ---- Markdown ----

    /** @return the card as Markdown */
    public String markdown() {
        BundleManifest m = b.bundle.manifest();
        StringBuilder s = new StringBuilder();
        s.append("# Model card: ").append(md(title())).append("\n\n");
        s.append("## Model\n\n");
        row(s, "Task", m.task().name().toLowerCase(Locale.ROOT) + " of `" + m.label() + "`");
        row(s, "Algorithm", m.algorithm() + " (flavor " + m.flavor() + ")");
        if (b.version != null) {
            row(s, "Registered", b.version.name() + "/" + b.version.version() + (b.version.aliases().isEmpty() ? "" : " — aliases "
                    + String.join(", ", b.version.aliases())) + ", " + b.version.createdAt());
        }
        row(s, "Created", String.valueOf(m.createdAt()));
        row(s, "Inputs", m.inputSchema().size() + " columns: " + String.join(", ", m.inputSchema().names()));
        if (!m.ignoredInputs().isEmpty()) {
            row(s, "Not read", String.join(", ", m.ignoredInputs()) + " (dropped before training; accepted and ignored in a prediction row)");
        }
        if (!m.classes().isEmpty()) {
            row(s, "Classes", String.join(", ", m.classes()));
        }
        row(s, "Bundle", "manifest sha256 `" + b.bundle.manifestSha256() + "`");
        s.append('\n');
        s.append("## Intended use\n\n").append(b.intendedUse == null ? "_Not stated._" : b.intendedUse).append("\n\n");
        s.append("## Limitations\n\n").append(b.limitations == null ? "_Not stated._" : b.limitations).append("\n\n");

        s.append("## Data\n\n");
        if (m.lineage() != null) {
            row(s, "Data version", m.lineage().datasetVersion() == null ? "unknown" : "`" + m.lineage().datasetVersion() + "`");
            row(s, "Source", String.valueOf(m.lineage().datasetSource()));
        }
        if (m.training() != null) {
            row(s, "Trained on", m.training().trainedOn());
        }
        s.append("\n| column | type | present | missing | summary |\n|---|---|---|---|---|\n");
        for (ColumnProfile c : b.bundle.trainingProfile().columns()) {
            s.append("| ").append(md(c.name())).append(" | ").append(c instanceof NumericProfile ? "numeric" : "categorical").append(" | ")
                    .append(c.count()).append(" | ").append(c.missing()).append(" | ").append(md(profileSummary(c))).append(" |\n");
        }
        s.append('\n');

        s.append("## Training\n\n");
        row(s, "Hyperparameters", m.hyperparameters().isEmpty() ? "none" : m.hyperparameters().toString());
        for (Map.Entry<String, String> e : recipeLines().entrySet()) {
            row(s, e.getKey(), e.getValue());
        }
        trainingDuration().ifPresent(d -> row(s, "Training time", d));
        s.append('\n');

        s.append("## Evaluation\n\n");
        if (m.training() != null) {
            s.append(md(m.training().metricsFrom())).append(".\n\n");
        }
        s.append("| metric | value |\n|---|---|\n");
        m.metrics().forEach((k, v) -> {
            if (!k.endsWith("_seconds") && !k.endsWith("_rows")) {
                s.append("| ").append(md(k)).append(" | ").append(num(v)).append(" |\n");
            }
        });
        s.append('\n');
        Map<String, List<Double>> folds = foldMetrics();
        if (!folds.isEmpty()) {
            s.append("Per cross-validation fold:\n\n| metric | ");
            int k = folds.values().iterator().next().size();
            for (int i = 1; i <= k; i++) {
                s.append("fold ").append(i).append(" | ");
            }
            s.append("\n|---|").append("---|".repeat(k)).append('\n');
            folds.forEach((metric, vals) -> {
                s.append("| ").append(md(metric)).append(" | ");
                vals.forEach(v -> s.append(num(v)).append(" | "));
                s.append('\n');
            });
            s.append('\n');
        }
        if (holdoutEval != null) {
            s.append("Recomputed on the ").append(predictions.size()).append(" holdout rows given to the card: ")
                    .append(metricsLine(holdoutEval.values())).append(".\n\n");
        }
        if (!permutation.isEmpty()) {
            s.append("Permutation importance (").append(permutationMetric).append(m.task() == Task.REGRESSION ? " increase" : " decrease")
                    .append(" when the column is shuffled, holdout rows, seed ").append(b.seed).append("):\n\n| feature | importance |\n|---|---|\n");
            permutation.forEach((k, v) -> s.append("| ").append(md(k)).append(" | ").append(num(v)).append(" |\n"));
            s.append('\n');
        }
        if (!ownImportance.isEmpty()) {
            s.append("The model's own feature importance (").append(m.algorithm()).append("):\n\n| feature | importance |\n|---|---|\n");
            ownImportance.forEach((k, v) -> s.append("| ").append(md(k)).append(" | ").append(num(v)).append(" |\n"));
            s.append('\n');
        }

        s.append("## Lineage\n\n");
        lineage().forEach((k, v) -> row(s, k, v));
        s.append('\n');

        s.append("## Promotion history\n\n");
        if (b.history.isEmpty()) {
            s.append("_No promotion decisions recorded._\n\n");
        } else {
            for (PromotionDecision d : b.history) {
                s.append("- ").append(md(d.toString())).append('\n');
            }
            s.append('\n');
        }

        s.append("## Caveats\n\n");
        if (caveats.isEmpty()) {
            s.append("_None found._\n");
        } else {
            caveats.forEach(c -> s.append("- ").append(md(c)).append('\n'));
        }
        return s.toString();
    }

    /**
     * Data-derived text (column and category names, sources, metric names, decisions, caveats) as Markdown that shows it
     * as written: no raw HTML (a column named {@code <script>} stays text in any renderer) and no table-breaking
     * {@code |} or line breaks. Intended use and limitations are the user's own Markdown and are kept as given.
     */
    static String md(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '|' -> b.append("\\|");
                case '\n', '\r' -> b.append(' ');
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static void row(StringBuilder s, String k, String v) {
        s.append("- **").append(k).append(":** ").append(md(v)).append('\n');
    }

    private static String profileSummary(ColumnProfile c) {
        if (c instanceof NumericProfile n) {
            return n.count() == 0 ? "no values" : String.format(Locale.ROOT, "min %.4g, median %.4g, max %.4g, mean %.4g, std %.4g",
                    n.min(), n.quantiles().p50(), n.max(), n.mean(), n.std());
        }
        CategoricalProfile p = (CategoricalProfile) c;
        return p.distinct() + " categories" + (p.frequencies().isEmpty() ? "" : ", top " + p.frequencies().subList(0,
                Math.min(5, p.frequencies().size())).stream().map(x -> x.value() + " (" + x.count() + ")").toList());
    }

    private Map<String, String> recipeLines() {
        Map<String, String> out = new LinkedHashMap<>();
        if (recipe == null) {
            out.put("Recipe", "not readable: " + recipeProblem);
            return out;
        }
        List<String> chain = recipe.transforms().stream().map(t -> t.describe()).toList();
        out.put("Transforms", chain.isEmpty() ? "none" : String.join(" → ", chain));
        out.put("Trainer", recipe.trainer() == null ? "none" : recipe.trainer().spec().name() + " " + recipe.trainer().spec().hyperparameters());
        out.put("Split", recipe.split().toString());
        if (recipe.crossValidation() != null) {
            out.put("Cross-validation", recipe.crossValidation().toString());
        }
        out.put("Refit on all rows", Boolean.toString(recipe.refit()));
        return out;
    }

    private java.util.Optional<String> trainingDuration() {
        Double t = b.bundle.manifest().metrics().get("train_seconds");
        String run = b.run == null ? null : b.run.info().duration().map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0))
                .orElse(null);
        if (t == null && run == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of((t == null ? "" : String.format(Locale.ROOT, "%.2f s fitting", t)) + (run == null ? ""
                : (t == null ? "" : ", ") + run + " for the whole run"));
    }

    private Map<String, List<Double>> foldMetrics() {
        return b.folds;
    }

    private Map<String, String> lineage() {
        BundleManifest m = b.bundle.manifest();
        Map<String, String> out = new LinkedHashMap<>();
        if (m.lineage() != null) {
            out.put("Run", m.lineage().runId() == null ? "none (untracked run)" : m.lineage().runId());
            if (m.lineage().experimentId() != null) {
                out.put("Experiment", m.lineage().experimentId());
            }
            if (m.lineage().parent() != null) {
                out.put("Derived from", m.lineage().parent());
            }
        }
        m.environment().forEach((k, v) -> out.put(k, v));
        if (b.run != null) {
            String lock = b.run.tags().get("mlops.environment.lock");
            if (lock != null) {
                out.put("Environment lock", "sha256 `" + lock + "` (run artifact environment/lock.json)");
            }
            String fp = b.run.tags().get("mlops.model.fingerprint");
            if (fp != null) {
                out.put("Payload fingerprint", "`" + fp + "`");
            }
            String snap = b.run.tags().get("mlops.dataset.snapshot_run");
            if (snap != null) {
                out.put("Data snapshot", "run " + snap);
            }
        }
        return out;
    }

    private static String metricsLine(Map<String, Double> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + " " + num(v)));
        return String.join(", ", parts);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.4g", v);
    }

    // ---- HTML ----

    /** @return the card as one self-contained HTML page (inline style and SVG charts, no external resource) */
    public String html() {
        BundleManifest m = b.bundle.manifest();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Model card: ").append(esc(title()))
                .append("</title>\n<style>\nbody{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1180px;margin:24px auto;"
                        + "padding:0 16px;color:#222;line-height:1.45}h1{border-bottom:3px solid #1f77b4;padding-bottom:6px}"
                        + "h2{margin-top:28px;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:8px 0}"
                        + "td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:14px}th{background:#f1f5f9}"
                        + "dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px}dt{font-weight:600}dd{margin:0}"
                        + ".charts{display:flex;flex-wrap:wrap;gap:12px}figure.chart{margin:0;border:1px solid #e5e7eb;background:#fff}"
                        + ".caveat{background:#fff7e6;border-left:4px solid #ff7f0e;padding:4px 10px;margin:4px 0}"
                        + "code{font-size:12px;word-break:break-all}.muted{color:#666}\n</style></head><body>\n");
        h.append("<h1>Model card: ").append(esc(title())).append("</h1>\n");
        h.append("<section id=\"model\"><h2>Model</h2><dl>");
        dl(h, "Task", m.task().name().toLowerCase(Locale.ROOT) + " of " + m.label());
        dl(h, "Algorithm", m.algorithm() + " (flavor " + m.flavor() + ")");
        if (b.version != null) {
            dl(h, "Registered", b.version.name() + "/" + b.version.version() + (b.version.aliases().isEmpty() ? ""
                    : " — aliases " + String.join(", ", b.version.aliases())) + ", " + b.version.createdAt());
        }
        dl(h, "Created", String.valueOf(m.createdAt()));
        dl(h, "Inputs", m.inputSchema().size() + " columns: " + String.join(", ", m.inputSchema().names()));
        if (!m.ignoredInputs().isEmpty()) {
            dl(h, "Not read", String.join(", ", m.ignoredInputs()) + " (dropped before training; accepted and ignored in a prediction row)");
        }
        dl(h, "Bundle", "manifest sha256 " + b.bundle.manifestSha256());
        h.append("</dl></section>\n");
        h.append("<section id=\"intended-use\"><h2>Intended use</h2><p>").append(b.intendedUse == null ? "<em class=\"muted\">Not stated.</em>"
                : esc(b.intendedUse)).append("</p></section>\n");
        h.append("<section id=\"limitations\"><h2>Limitations</h2><p>").append(b.limitations == null ? "<em class=\"muted\">Not stated.</em>"
                : esc(b.limitations)).append("</p></section>\n");

        h.append("<section id=\"data\"><h2>Data</h2><dl>");
        if (m.lineage() != null) {
            dl(h, "Data version", String.valueOf(m.lineage().datasetVersion()));
            dl(h, "Source", String.valueOf(m.lineage().datasetSource()));
        }
        if (m.training() != null) {
            dl(h, "Trained on", m.training().trainedOn());
        }
        h.append("</dl><table><tr><th>column</th><th>type</th><th>present</th><th>missing</th><th>summary</th></tr>");
        for (ColumnProfile c : b.bundle.trainingProfile().columns()) {
            h.append("<tr><td>").append(esc(c.name())).append("</td><td>").append(c instanceof NumericProfile ? "numeric" : "categorical")
                    .append("</td><td>").append(c.count()).append("</td><td>").append(c.missing()).append("</td><td>")
                    .append(esc(profileSummary(c))).append("</td></tr>");
        }
        h.append("</table></section>\n");

        h.append("<section id=\"training\"><h2>Training</h2><dl>");
        dl(h, "Hyperparameters", m.hyperparameters().isEmpty() ? "none" : m.hyperparameters().toString());
        recipeLines().forEach((k, v) -> dl(h, k, v));
        trainingDuration().ifPresent(d -> dl(h, "Training time", d));
        h.append("</dl></section>\n");

        h.append("<section id=\"evaluation\"><h2>Evaluation</h2>");
        if (m.training() != null) {
            h.append("<p>").append(esc(m.training().metricsFrom())).append(".</p>");
        }
        h.append("<table><tr><th>metric</th><th>value</th></tr>");
        m.metrics().forEach((k, v) -> {
            if (!k.endsWith("_seconds") && !k.endsWith("_rows")) {
                h.append("<tr><td>").append(esc(k)).append("</td><td>").append(num(v)).append("</td></tr>");
            }
        });
        h.append("</table>");
        boolean charts = OptionalLibraries.jfreeChart();
        h.append("<div class=\"charts\">");
        if (!charts) {
            h.append("<p class=\"muted\">Charts need JFreeChart (org.jfree:jfreechart and org.jfree:org.jfree.svg) on the class path.</p>");
        } else {
            StringBuilder c = new StringBuilder();
            try {
                if (holdoutEval != null && m.task() == Task.REGRESSION) {
                    double[] actual = truth.values();
                    double[] pred = predictions.stream().mapToDouble(Prediction::value).toArray();
                    double[] res = new double[actual.length];
                    for (int i = 0; i < res.length; i++) {
                        res[i] = actual[i] - pred[i];
                    }
                    c.append(CardCharts.predictedVsActual(actual, pred, m.label()));
                    c.append(CardCharts.residuals(res));
                } else if (holdoutEval != null) {
                    List<String> classes = new ArrayList<>(m.classes().isEmpty() ? truth.classes() : m.classes());
                    for (Prediction p : predictions) {
                        if (p.label() != null && !classes.contains(p.label())) {
                            classes.add(p.label());
                        }
                    }
                    long[][] counts = new long[classes.size()][classes.size()];
                    for (int i = 0; i < predictions.size(); i++) {
                        int a = classes.indexOf(truth.label(i));
                        int p = classes.indexOf(predictions.get(i).label());
                        if (a >= 0 && p >= 0) {
                            counts[a][p]++;
                        }
                    }
                    c.append(CardCharts.confusion(classes, counts));
                }
                if (!permutation.isEmpty()) {
                    c.append(CardCharts.importance(permutation, "Permutation importance (holdout)", permutationMetric
                            + (m.task() == Task.REGRESSION ? " increase" : " decrease"), "chart-permutation-importance"));
                }
                if (!ownImportance.isEmpty()) {
                    c.append(CardCharts.importance(ownImportance, "Feature importance (" + m.algorithm() + ")", "importance",
                            "chart-model-importance"));
                }
                String foldMetric = m.task() == Task.REGRESSION ? "rmse" : "accuracy";
                List<Double> fv = b.folds.get(foldMetric);
                if (fv == null && !b.folds.isEmpty()) {
                    foldMetric = b.folds.keySet().iterator().next();
                    fv = b.folds.get(foldMetric);
                }
                if (fv != null && !fv.isEmpty()) {
                    c.append(CardCharts.folds(foldMetric, fv));
                }
                h.append(c);
            } catch (RuntimeException | LinkageError | InternalError e) { // e.g. a JDK without fonts or fontconfig
                LOG.warn("model card: the charts could not be drawn ({}); the card has its tables only", e.toString());
                h.append("<p class=\"muted\">The charts could not be drawn here: ").append(esc(e.toString())).append("</p>");
            }
        }
        h.append("</div>");
        if (!b.folds.isEmpty()) {
            int k = b.folds.values().iterator().next().size();
            h.append("<table><tr><th>metric</th>");
            for (int i = 1; i <= k; i++) {
                h.append("<th>fold ").append(i).append("</th>");
            }
            h.append("</tr>");
            b.folds.forEach((metric, vals) -> {
                h.append("<tr><td>").append(esc(metric)).append("</td>");
                vals.forEach(v -> h.append("<td>").append(num(v)).append("</td>"));
                h.append("</tr>");
            });
            h.append("</table>");
        }
        h.append("</section>\n");

        h.append("<section id=\"lineage\"><h2>Lineage</h2><dl>");
        lineage().forEach((k, v) -> dl(h, k, v.replace("`", "")));
        h.append("</dl></section>\n");
        h.append("<section id=\"promotion-history\"><h2>Promotion history</h2>");
        if (b.history.isEmpty()) {
            h.append("<p class=\"muted\">No promotion decisions recorded.</p>");
        } else {
            h.append("<table><tr><th>when</th><th>alias</th><th>outcome</th><th>version</th><th>over / from</th><th>metric</th>"
                    + "<th>challenger</th><th>holder</th><th>rows</th><th>reason</th><th>by</th></tr>");
            for (PromotionDecision d : b.history) {
                h.append("<tr><td>").append(d.decidedAt()).append("</td><td>").append(esc(d.alias())).append("</td><td>").append(d.outcome())
                        .append("</td><td>").append(d.challenger()).append("</td><td>").append(d.current() == 0 ? "–" : d.current())
                        .append("</td><td>").append(d.metric() == null ? "–" : esc(d.metric())).append("</td><td>").append(num(d.challengerScore()))
                        .append("</td><td>").append(num(d.currentScore())).append("</td><td>").append(d.rows()).append("</td><td>")
                        .append(esc(d.reason())).append("</td><td>").append(esc(String.valueOf(d.decidedBy()))).append("</td></tr>");
            }
            h.append("</table>");
        }
        h.append("</section>\n");
        h.append("<section id=\"caveats\"><h2>Caveats</h2>");
        if (caveats.isEmpty()) {
            h.append("<p class=\"muted\">None found.</p>");
        }
        caveats.forEach(c -> h.append("<div class=\"caveat\">").append(esc(c)).append("</div>"));
        h.append("</section>\n<p class=\"muted\">Generated by mlops4j.</p>\n</body></html>\n");
        return h.toString();
    }

    private static void dl(StringBuilder h, String k, String v) {
        h.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
    }

    private static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** @return {@link #markdown()} as UTF-8 */
    public byte[] markdownBytes() {
        return markdown().getBytes(StandardCharsets.UTF_8);
    }

    /** @return {@link #html()} as UTF-8 */
    public byte[] htmlBytes() {
        return html().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Collects what the card shows. Mutable, single-use.
     * {@snippet :
     * ModelCard card = ModelCard.builder(bundle).intendedUse("Teaching.").build();
     * }
     */
    public static final class Builder {
        private final ModelBundle bundle;
        private ModelVersion version;
        private Run run;
        private Dataset holdout;
        private String intendedUse;
        private String limitations;
        private String title;
        private List<PromotionDecision> history = List.of();
        private Map<String, List<Double>> folds = new LinkedHashMap<>();
        private final List<String> extraCaveats = new ArrayList<>();
        private long seed = 42;

        private Builder(ModelBundle bundle) {
            this.bundle = bundle;
        }

        /**
         * @param v the registered version the bundle is
         * @return this builder
         */
        public Builder version(ModelVersion v) {
            this.version = Objects.requireNonNull(v, "version");
            return this;
        }

        /**
         * @param r     the run that trained the model
         * @param folds metric name to its value per cross-validation fold, in fold order
         * @return this builder
         */
        public Builder run(Run r, Map<String, List<Double>> folds) {
            this.run = Objects.requireNonNull(r, "run");
            this.folds = new LinkedHashMap<>(folds);
            return this;
        }

        /**
         * @param perFold metric name to its value per cross-validation fold, in fold order (without a run)
         * @return this builder
         */
        public Builder folds(Map<String, List<Double>> perFold) {
            this.folds = new LinkedHashMap<>(perFold);
            return this;
        }

        /**
         * Reads the run and its per-fold metrics ({@code cv_fold_*}) from a tracker.
         *
         * @param tracker where the run is recorded
         * @param runId   the run
         * @return this builder
         */
        public Builder run(Tracker tracker, String runId) {
            Run r = tracker.run(runId).orElseThrow(() -> new IllegalArgumentException("no run with id " + runId));
            Map<String, List<Double>> f = new TreeMap<>();
            for (String key : r.metrics().keySet()) {
                if (key.startsWith("cv_fold_")) {
                    List<Metric> h = new ArrayList<>(tracker.metricHistory(runId, key));
                    h.sort(Comparator.comparingLong(Metric::step));
                    f.put(key.substring("cv_fold_".length()), h.stream().map(Metric::value).toList());
                }
            }
            return run(r, f);
        }

        /**
         * @param rows the holdout rows with the label (charts and permutation importance are computed on them)
         * @return this builder
         */
        public Builder holdout(Dataset rows) {
            this.holdout = Objects.requireNonNull(rows, "rows");
            return this;
        }

        /**
         * @param text what the model is for and who should use it
         * @return this builder
         */
        public Builder intendedUse(String text) {
            this.intendedUse = nonBlank(text, "intendedUse");
            return this;
        }

        /**
         * @param text where it must not be used, known weaknesses
         * @return this builder
         */
        public Builder limitations(String text) {
            this.limitations = nonBlank(text, "limitations");
            return this;
        }

        /**
         * @param text the card's title (default: model name and version, or algorithm and label)
         * @return this builder
         */
        public Builder title(String text) {
            this.title = nonBlank(text, "title");
            return this;
        }

        /**
         * @param decisions the model's promotion decisions ({@code Promotion.history})
         * @return this builder
         */
        public Builder history(List<PromotionDecision> decisions) {
            this.history = List.copyOf(decisions);
            return this;
        }

        /**
         * @param text a caveat to list besides the ones the card finds
         * @return this builder
         */
        public Builder caveat(String text) {
            extraCaveats.add(nonBlank(text, "caveat"));
            return this;
        }

        /**
         * @param s seed of the permutation importance shuffles (default 42)
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        private static String nonBlank(String s, String what) {
            if (s == null || s.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
            return s.strip();
        }

        /** @return the card (predictions and importances computed now) */
        public ModelCard build() {
            return new ModelCard(this);
        }
    }
}
