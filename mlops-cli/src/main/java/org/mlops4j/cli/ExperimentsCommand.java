package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Tracker;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code mlops experiments list}. */
@Command(name = "experiments", description = "Experiments of a store.", mixinStandardHelpOptions = true,
        subcommands = ExperimentsCommand.ListCommand.class)
final class ExperimentsCommand {

    @Command(name = "list", description = "List the experiments, oldest first.", mixinStandardHelpOptions = true)
    static final class ListCommand extends StoreCommand {

        @Override
        public Integer call() {
            PrintWriter out = out();
            try (Tracker tracker = store.open()) {
                List<Experiment> experiments = tracker.experiments();
                if (store.json) {
                    ArrayNode a = Output.JSON.createArrayNode();
                    experiments.forEach(e -> a.add(Output.experimentJson(e)));
                    Output.json(out, a);
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    for (Experiment e : experiments) {
                        rows.add(List.of(e.id(), e.name(), Output.time(e.createdAt()), Integer.toString(tracker.runs(e.name()).size())));
                    }
                    Output.table(out, List.of("ID", "NAME", "CREATED", "RUNS"), rows);
                }
            }
            return 0;
        }
    }
}
