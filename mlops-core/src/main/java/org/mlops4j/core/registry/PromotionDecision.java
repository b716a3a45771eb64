package org.mlops4j.core.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.internal.Json;

import java.io.IOException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One decision about an alias: a promotion granted or refused, or a rollback. Kept as a version tag under
 * {@code mlops.promotion.*} (JSON) on the version it concerns and as the same tag on that version's run, so every
 * registry store that keeps tags keeps the history; {@link Promotion#history} reads it back.
 * {@snippet :
 * PromotionDecision d = Promotion.to("champion").ifBeats("rmse").within(0.01).decide(registry, "house-prices/4", holdoutRows);
 * d.outcome();          // PROMOTED or REFUSED
 * d.challengerScore();  // 2.91
 * d.currentScore();     // 3.05 (the holder's, on the same rows)
 * }
 *
 * @param model           the model name
 * @param alias           the alias
 * @param outcome         what happened
 * @param challenger      the version asking for the alias (for a rollback: the version it moved back to)
 * @param current         the version that held the alias, or 0 when none did
 * @param metric          the metric compared, or null when only floors were checked
 * @param challengerScore the challenger's value of it on the rows, or NaN
 * @param currentScore    the holder's value of it on the same rows, or NaN
 * @param datasetVersion  the data version the challenger was trained on (its run's, which its holdout rows are drawn from),
 *                        or null when its lineage records none, and for a rollback
 * @param rowsVersion     the content hash ({@link org.mlops4j.core.data.DatasetVersion#id()}) of exactly the rows both
 *                        were evaluated on, or null (rollback); for a holdout this is not {@code datasetVersion}
 * @param rows            how many rows both were evaluated on
 * @param rule            the rule, in words
 * @param reason          why the outcome, in words
 * @param decidedAt       when
 * @param decidedBy       what asked (a pipeline run, the CLI and its user, an API caller)
 * @param runId           the challenger's run, or null
 */
public record PromotionDecision(String model, String alias, Outcome outcome, int challenger, int current, String metric,
                                double challengerScore, double currentScore, String datasetVersion, String rowsVersion, long rows, String rule,
                                String reason, Instant decidedAt, String decidedBy, String runId) {
    /** Tag keys of decisions start with this. */
    public static final String TAG_PREFIX = "mlops.promotion.";

    /** What happened. */
    public enum Outcome {
        /** The rule held: the alias moved to the challenger. */
        PROMOTED,
        /** The rule did not hold (or could not be checked): the alias stayed. */
        REFUSED,
        /** The alias moved back to the version that held it before. */
        ROLLED_BACK
    }

    /** Validates. */
    public PromotionDecision {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(decidedAt, "decidedAt");
    }

    /** @return whether the alias moved */
    public boolean moved() {
        return outcome != Outcome.REFUSED;
    }

    /** @return the decision as the JSON kept in the tag */
    public String toJson() {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("model", model);
        n.put("alias", alias);
        n.put("outcome", outcome.name());
        n.put("challenger", challenger);
        n.put("current", current);
        n.put("metric", metric);
        if (Double.isFinite(challengerScore)) {
            n.put("challengerScore", challengerScore);
        }
        if (Double.isFinite(currentScore)) {
            n.put("currentScore", currentScore);
        }
        n.put("datasetVersion", datasetVersion);
        n.put("rowsVersion", rowsVersion);
        n.put("rows", rows);
        n.put("rule", rule);
        n.put("reason", reason.length() > 3000 ? reason.substring(0, 3000) + "…" : reason);
        n.put("decidedAt", decidedAt.toString());
        n.put("decidedBy", decidedBy);
        n.put("runId", runId);
        try {
            // compact: a tag value holds at most 8000 characters
            return Json.mapper().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(n);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param json what {@link #toJson()} wrote
     * @return the decision
     * @throws IllegalArgumentException when it is not one
     */
    public static PromotionDecision fromJson(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            // decisions written before rowsVersion existed kept the rows' hash under datasetVersion
            boolean old = !n.has("rowsVersion");
            return new PromotionDecision(n.path("model").asText(), n.path("alias").asText(),
                    Outcome.valueOf(n.path("outcome").asText()), n.path("challenger").asInt(), n.path("current").asInt(),
                    text(n, "metric"), n.has("challengerScore") ? n.get("challengerScore").asDouble() : Double.NaN,
                    n.has("currentScore") ? n.get("currentScore").asDouble() : Double.NaN, old ? null : text(n, "datasetVersion"),
                    old ? text(n, "datasetVersion") : text(n, "rowsVersion"),
                    n.path("rows").asLong(), text(n, "rule"), n.path("reason").asText(""), Instant.parse(n.path("decidedAt").asText()),
                    text(n, "decidedBy"), text(n, "runId"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a promotion decision: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    @Override
    public String toString() {
        String scores = metric == null ? "" : String.format(Locale.ROOT, ", %s %s vs %s", metric, fmt(challengerScore), fmt(currentScore));
        return decidedAt + " " + model + "@" + alias + " " + outcome + " " + (outcome == Outcome.ROLLED_BACK ? "to " : "")
                + "version " + challenger + (current > 0 ? (outcome == Outcome.ROLLED_BACK ? " from " : " over ") + current : "")
                + scores + (rows > 0 ? " on " + org.mlops4j.core.internal.Names.count(rows, "row") + (rowsVersion == null ? "" : " (sha256:" + shortId(rowsVersion) + ")")
                + (datasetVersion == null ? "" : " of data " + shortId(datasetVersion)) : "") + " (" + rule + "): " + reason
                + " [by " + decidedBy + "]";
    }

    private static String shortId(String id) {
        return id.substring(0, Math.min(12, id.length()));
    }

    private static String fmt(double d) {
        return Double.isNaN(d) ? "-" : String.format(Locale.ROOT, "%.6g", d);
    }
}
