package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.Promotion;
import org.mlops4j.core.registry.PromotionDecision;
import org.mlops4j.core.report.ModelCard;
import org.mlops4j.core.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * The subcommands of {@code mlops models}: {@code promote|rollback|history|card} — promotion by proof, rollback, the
 * decision history and model cards, over the registry that the {@code --store} URI opens (the durable registry of
 * the same store as the runs; tests may point {@link #registries} elsewhere).
 */
final class ModelCommands {
    /** The registry kept in the store the URI names (SQLite, PostgreSQL, an MLflow server; memory: in tests). */
    private static volatile BiFunction<String, Tracker, ModelRegistry> registries =
            (uri, tracker) -> ModelRegistry.of(org.mlops4j.tracking.TrackingStores.openRegistry(uri)).withRuns(tracker);

    private ModelCommands() {
    }

    /**
     * Sets how a store URI opens its registry (the durable registry's URI factory, or a test's in-memory one).
     *
     * @param opener store URI and its tracker to the registry kept there
     */
    static void registries(BiFunction<String, Tracker, ModelRegistry> opener) {
        registries = Objects.requireNonNull(opener, "opener");
    }

    static ModelRegistry openRegistry(String uri, Tracker tracker) {
        return registries.apply(uri, tracker);
    }

    private static String who(String by, String command) {
        return by != null ? by : "mlops models " + command + " (user " + System.getProperty("user.name", "?") + ")";
    }

    @Command(name = "promote", description = "Give a version an alias only if it beats the holder on the same rows (the"
            + " challenger's holdout, each through its own transforms); the decision is recorded either way. Exit 0: promoted;"
            + " 3: refused.", mixinStandardHelpOptions = true)
    static final class PromoteCommand extends StoreCommand {
        @Parameters(paramLabel = "NAME/N", description = "The challenger: name/N or models:/name/N.")
        String challenger;
        @Option(names = "--to", required = true, paramLabel = "ALIAS", description = "The alias, e.g. champion.")
        String alias;
        @Option(names = "--if-beats", paramLabel = "METRIC", description = "Metric to beat the holder on (rmse, accuracy…).")
        String metric;
        @Option(names = "--within", paramLabel = "T", description = "Also promote when at most T worse (absolute).", defaultValue = "0")
        double within;
        @Option(names = "--minimum", paramLabel = "METRIC=V", description = "Floor on the challenger's score; repeatable.")
        java.util.Map<String, Double> minimums = new java.util.LinkedHashMap<>();
        @Option(names = "--maximum", paramLabel = "METRIC=V", description = "Ceiling on the challenger's score; repeatable.")
        java.util.Map<String, Double> maximums = new java.util.LinkedHashMap<>();
        @Option(names = "--by", paramLabel = "WHO", description = "Who asks (recorded). Default: the CLI and the user.")
        String by;

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                ModelRegistry registry = openRegistry(store.store, tracker);
                ModelVersion v = registry.version(challenger.startsWith("models:/") ? challenger.substring(8) : challenger);
                if (v.lineage().runId() == null) {
                    throw new IllegalArgumentException(v.name() + "/" + v.version() + " records no run, so it has no holdout to be"
                            + " evaluated on");
                }
                Dataset rows = Pipeline.holdoutOf(tracker, v.lineage().runId());
                Promotion rule = Promotion.to(alias);
                if (metric != null) {
                    rule = rule.ifBeats(metric);
                    if (within != 0) {
                        rule = rule.within(within); // refuses a negative or non-finite tolerance
                    }
                } else if (within != 0) {
                    throw new IllegalArgumentException("--within qualifies --if-beats METRIC");
                }
                for (var e : minimums.entrySet()) {
                    rule = rule.minimum(e.getKey(), e.getValue());
                }
                for (var e : maximums.entrySet()) {
                    rule = rule.maximum(e.getKey(), e.getValue());
                }
                PromotionDecision d = rule.by(who(by, "promote")).decide(registry, v.name() + "/" + v.version(), rows, tracker);
                print(out, store.json, List.of(d));
                return d.moved() ? 0 : 3;
            }
        }
    }

    @Command(name = "rollback", description = "Undo the newest promotion of an alias: move it back to the version that held it"
            + " before (recorded like a promotion).", mixinStandardHelpOptions = true)
    static final class RollbackCommand extends StoreCommand {
        @Parameters(paramLabel = "NAME", description = "The model.")
        String name;
        @Option(names = "--alias", required = true, paramLabel = "ALIAS", description = "The alias, e.g. champion.")
        String alias;
        @Option(names = "--by", paramLabel = "WHO", description = "Who asks (recorded).")
        String by;

        @Override
        public Integer call() {
            try (Tracker tracker = store.open()) {
                ModelRegistry registry = openRegistry(store.store, tracker);
                print(out(), store.json, List.of(Promotion.rollback(registry, name, alias, tracker, who(by, "rollback"))));
            }
            return 0;
        }
    }

    @Command(name = "history", description = "Every recorded promotion, refusal and rollback of a model's aliases, oldest first.",
            mixinStandardHelpOptions = true)
    static final class HistoryCommand extends StoreCommand {
        @Parameters(paramLabel = "NAME", description = "The model.")
        String name;

        @Override
        public Integer call() {
            try (Tracker tracker = store.open()) {
                ModelRegistry registry = openRegistry(store.store, tracker);
                if (registry.versions(name).isEmpty()) {
                    throw new IllegalArgumentException("no model named '" + name + "'; models are " + registry.models());
                }
                print(out(), store.json, Promotion.history(registry, name));
            }
            return 0;
        }
    }

    @Command(name = "card", description = "Write a version's model card as Markdown or self-contained HTML with charts.",
            mixinStandardHelpOptions = true)
    static final class CardCommand extends StoreCommand {
        @Parameters(paramLabel = "NAME/N|NAME@ALIAS", description = "The version.")
        String ref;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Where to write (.md or .html); default: Markdown to stdout.")
        Path output;
        @Option(names = "--html", description = "Write HTML (also chosen by an .html output file).")
        boolean html;
        @Option(names = "--intended-use", paramLabel = "TEXT", description = "What the model is for.")
        String intendedUse;
        @Option(names = "--limitations", paramLabel = "TEXT", description = "Where it must not be used.")
        String limitations;

        @Override
        public Integer call() {
            try (Tracker tracker = store.open()) {
                ModelRegistry registry = openRegistry(store.store, tracker);
                String r = ref.startsWith("models:/") ? ref.substring(8) : ref;
                ModelVersion v = registry.version(r);
                ModelCard.Builder b = ModelCard.builder(registry.load(v.ref())).version(v).history(Promotion.history(registry, v.name()));
                String runId = v.lineage().runId();
                if (runId != null && tracker.run(runId).isPresent()) {
                    b.run(tracker, runId);
                    try {
                        b.holdout(Pipeline.holdoutOf(tracker, runId));
                    } catch (org.mlops4j.core.ReproductionException e) {
                        // the data changed and no snapshot was kept: the card is still worth having, without its holdout
                        b.caveat("the holdout rows cannot be read again, so the holdout charts are missing: " + e.getMessage());
                    }
                }
                if (intendedUse != null) {
                    b.intendedUse(intendedUse);
                }
                if (limitations != null) {
                    b.limitations(limitations);
                }
                ModelCard card = b.build();
                boolean asHtml = html || (output != null && output.getFileName().toString().endsWith(".html"));
                String text = asHtml ? card.html() : card.markdown();
                if (output == null) {
                    out().print(text);
                    out().flush();
                } else {
                    Path tmp = output.resolveSibling(output.getFileName() + ".tmp");
                    try {
                        Files.writeString(tmp, text, StandardCharsets.UTF_8);
                        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        try {
                            Files.deleteIfExists(tmp);
                        } catch (IOException suppressed) {
                            e.addSuppressed(suppressed);
                        }
                        Path parent = output.toAbsolutePath().getParent();
                        throw new IllegalStateException("cannot write the card to " + output + ": "
                                + (parent != null && !Files.isDirectory(parent) ? "the directory " + parent + " does not exist"
                                : e.getClass().getSimpleName() + " " + e.getMessage()), e);
                    }
                    out().println("wrote " + output + " (" + (asHtml ? "HTML" : "Markdown") + ", " + text.length() + " characters)");
                }
            }
            return 0;
        }
    }

    static void print(PrintWriter out, boolean json, List<PromotionDecision> decisions) {
        if (json) {
            ArrayNode a = Output.JSON.createArrayNode();
            for (PromotionDecision d : decisions) {
                try {
                    a.add(Output.JSON.readTree(d.toJson()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            Output.json(out, a);
            return;
        }
        if (decisions.isEmpty()) {
            out.println("no promotion decisions recorded");
        }
        for (PromotionDecision d : decisions) {
            out.println(d);
        }
    }
}
