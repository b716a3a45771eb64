package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tune.StudyReports;
import org.mlops4j.core.tune.StudyResult;
import org.mlops4j.core.tune.StudyStorage;
import org.mlops4j.core.tune.Trial;
import org.mlops4j.core.tune.TrialState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code mlops study list} and {@code mlops study show NAME}: the studies a store holds. */
@Command(name = "study", description = "Hyperparameter studies kept in a store (Study.storage(...)).", mixinStandardHelpOptions = true,
        subcommands = {StudyCommand.ListCommand.class, StudyCommand.ShowCommand.class})
final class StudyCommand {

    @Command(name = "list", description = "List the studies: trials by state and the best value so far.", mixinStandardHelpOptions = true)
    static final class ListCommand extends StoreCommand {

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                List<String> names = StudyStorage.names(tracker);
                ArrayNode json = Output.JSON.createArrayNode();
                List<List<String>> rows = new ArrayList<>();
                for (String name : names) {
                    StudyResult r = StudyStorage.of(tracker, name).read();
                    Trial best = r.count(TrialState.COMPLETE) == 0 ? null : r.best();
                    if (store.json) {
                        ObjectNode o = json.addObject().put("name", name).put("metric", r.metric()).put("direction", r.direction().name())
                                .put("trials", r.trials().size());
                        for (TrialState s : TrialState.values()) {
                            o.put(s.name().toLowerCase(java.util.Locale.ROOT), r.count(s));
                        }
                        Output.putNumber(o, "best_value", best == null ? null : best.value());
                        o.put("best_trial", best == null ? null : best.number());
                    } else {
                        rows.add(List.of(name, Integer.toString(r.trials().size()), Long.toString(r.count(TrialState.COMPLETE)),
                                Long.toString(r.count(TrialState.PRUNED)), Long.toString(r.count(TrialState.FAILED)),
                                Long.toString(r.count(TrialState.RUNNING)), r.metric() + " " + (r.direction().name().startsWith("MIN") ? "min" : "max"),
                                best == null ? "-" : Output.number(best.value()), best == null ? "-" : Integer.toString(best.number())));
                    }
                }
                if (store.json) {
                    Output.json(out, json);
                } else if (names.isEmpty()) {
                    out.println("no studies in " + store.store + " (a study is kept in a store with Study.storage(StudyStorage.of(tracker, name)))");
                } else {
                    Output.table(out, List.of("NAME", "TRIALS", "COMPLETE", "PRUNED", "FAILED", "RUNNING", "OBJECTIVE", "BEST", "BEST_TRIAL"), rows);
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show a study: its space, its best trials, every trial with --all; --html writes its report.",
            mixinStandardHelpOptions = true)
    static final class ShowCommand extends StoreCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The study's name.")
        String name;

        @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "How many of the best trials to list (default ${DEFAULT-VALUE}).")
        int top;

        @Option(names = "--all", description = "List every trial in number order, pruned, failed and running ones included.")
        boolean all;

        @Option(names = "--html", paramLabel = "FILE", description = "Write the study's HTML report (charts of the objective and of each parameter) to FILE.")
        Path html;

        @Override
        public Integer call() {
            if (top < 1) {
                throw new IllegalArgumentException("--top must be at least 1 but was " + top);
            }
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                StudyStorage storage = StudyStorage.of(tracker, name);
                StudyResult r = storage.read();
                Map<String, String> space = storage.space();
                if (html != null) {
                    write(html, StudyReports.html(r, name, space));
                }
                if (store.json) {
                    try {
                        JsonNode doc = Output.JSON.readTree(StudyReports.json(r));
                        ((ObjectNode) doc).put("name", name).set("space", Output.JSON.valueToTree(space));
                        Output.json(out, doc);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return 0;
                }
                out.println("study " + name + ": " + org.mlops4j.core.internal.Names.count(r.trials().size(), "trial") + " (" + r.count(TrialState.COMPLETE) + " complete, "
                        + r.count(TrialState.PRUNED) + " pruned, " + r.count(TrialState.FAILED) + " failed, " + r.count(TrialState.RUNNING)
                        + " running); objective " + r.metric() + ", " + (r.direction().name().startsWith("MIN") ? "lower" : "higher") + " is better");
                space.forEach((k, v) -> out.println("  " + k + "  " + v));
                if (r.count(TrialState.COMPLETE) > 0) {
                    Trial b = r.best();
                    out.println("best: trial " + b.number() + "  " + r.metric() + "=" + Output.number(b.value()) + "  " + b.params());
                }
                out.println();
                List<Trial> shown = all ? r.trials() : r.trials().stream().filter(t -> t.state() == TrialState.COMPLETE)
                        .sorted(Comparator.comparingDouble((Trial t) -> t.value() * (r.direction().name().startsWith("MIN") ? 1 : -1)))
                        .limit(top).toList();
                List<List<String>> rows = new ArrayList<>();
                for (Trial t : shown) {
                    rows.add(List.of(Integer.toString(t.number()), t.state().name(), t.value() == null ? "-" : Output.number(t.value()),
                            Integer.toString(t.intermediate().size()), Output.clip(t.params().toString(), 100),
                            t.error() == null ? "" : Output.clip(t.error(), 80)));
                }
                Output.table(out, List.of("TRIAL", "STATE", r.metric().toUpperCase(java.util.Locale.ROOT), "STEPS", "PARAMETERS", "ERROR"), rows);
                if (html != null) {
                    out.println("report written to " + html.toAbsolutePath());
                }
            }
            return 0;
        }

        private static void write(Path file, String content) {
            if (Files.isDirectory(file)) {
                throw new IllegalArgumentException("--html " + file + " is a directory; give the report's file name, e.g. "
                        + file.resolve("report.html"));
            }
            Path tmp = null;
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                tmp = Files.createTempFile(parent, ".report", ".html");
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (tmp != null) {
                    try {
                        Files.deleteIfExists(tmp);
                    } catch (IOException suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                // one line for the person at the terminal, as for every other refusal (an UncheckedIOException printed a trace)
                throw new IllegalStateException("cannot write the report to " + file + ": " + e.getClass().getSimpleName() + " "
                        + e.getMessage(), e);
            }
        }
    }
}
