package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.Reproduction;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.EnvironmentLock;
import org.mlops4j.core.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/**
 * {@code mlops runs reproduce <run-id|models:/name/N>}: rebuilds the run from its records and compares the outcome bit
 * for bit. Exit 0 when exact, 4 when it reproduced with differences (each printed), 1 when it cannot be reproduced
 * (changed data without a snapshot: both data versions are named).
 */
@Command(name = "reproduce", description = "Retrain a run (or the run of models:/name/N) from its recorded recipe and data and"
        + " compare holdout predictions, metrics and the model payload bit for bit. Exit 0: exact; 4: differences.",
        mixinStandardHelpOptions = true)
final class ReproduceCommand extends StoreCommand {
    /** The exit code of a reproduction that ran but differs. */
    static final int DIFFERS = 4;

    @Parameters(paramLabel = "RUN_ID|models:/NAME/N", description = "A run id, or a registered version: models:/name/N,"
            + " models:/name@alias, name/N or name@alias.")
    String target;

    @Override
    public Integer call() {
        PrintWriter out = out();
        Reproduction r;
        try (Tracker tracker = store.open()) {
            // a run id is hex digits; name/N and name@alias are registered versions, as after models:/
            if (target.startsWith("models:/") || target.contains("/") || target.contains("@")) {
                ModelRegistry registry = ModelCommands.openRegistry(store.store, tracker);
                r = Pipeline.reproduce(tracker, registry, target);
            } else {
                r = Pipeline.reproduce(tracker, target);
            }
        }
        if (store.json) {
            ObjectNode o = Output.JSON.createObjectNode();
            o.put("run_id", r.runId());
            o.put("model", r.model());
            o.put("exact", r.exact());
            o.put("dataset_version", r.datasetVersion());
            o.put("from_snapshot", r.fromSnapshot());
            ArrayNode c = o.putArray("compared");
            r.compared().forEach(c::add);
            ArrayNode d = o.putArray("differences");
            for (Reproduction.Difference x : r.differences()) {
                d.addObject().put("what", x.what()).put("recorded", x.recorded()).put("now", x.now());
            }
            ArrayNode e = o.putArray("environment");
            for (EnvironmentLock.Difference x : r.environment()) {
                e.addObject().put("entry", x.entry()).put("recorded", x.recorded()).put("now", x.now());
            }
            ArrayNode n = o.putArray("notes");
            r.notes().forEach(n::add);
            Output.json(out, o);
        } else {
            out.println(r);
        }
        return r.exact() ? 0 : DIFFERS;
    }
}
