package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.MlopsException;
import org.mlops4j.core.model.BundleKey;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.VersionTransfer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code mlops models import FILE.zip}: verifies an exported zip whole, then registers it as a new version. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Register an exported zip as a new version, after verifying every file, its limits and (with a key) its signature.")
final class ModelsImportCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "FILE", description = "A zip written by mlops models export.")
    Path input;
    @Option(names = {"-n", "--name"}, paramLabel = "NAME", description = "Register under this name (default: the exported name).")
    String name;
    @Option(names = {"-a", "--alias"}, paramLabel = "ALIAS", description = "Point this alias at the new version; repeatable.")
    List<String> aliases = new ArrayList<>();
    @ArgGroup(exclusive = false, heading = "Signature check (optional): refuse the zip unless this key signed it%n")
    ModelsTransfer.KeyOptions key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ModelRegistry registry = ModelsTransfer.open(store.store);
            BundleKey required = key == null ? null : key.key();
            VersionTransfer.ImportOptions options = VersionTransfer.ImportOptions.defaults().name(name).aliases(aliases).requireKey(required);
            ModelVersion v = registry.importVersion(input, options);
            String from = v.tags().get(VersionTransfer.IMPORTED_FROM);
            if (store.json) {
                ObjectNode n = Output.JSON.createObjectNode();
                n.put("name", v.name()).put("version", v.version()).put("imported_from", from).put("manifest_sha256", v.manifestSha256())
                        .put("signature_checked", required != null);
                n.putArray("aliases").addAll(v.aliases().stream().map(a -> (com.fasterxml.jackson.databind.JsonNode)
                        Output.JSON.getNodeFactory().textNode(a)).toList());
                Output.json(out, n);
            } else {
                out.println("imported " + input + " as " + v.name() + "/" + v.version() + " (exported as " + from + ")"
                        + (v.aliases().isEmpty() ? "" : " " + v.aliases()) + (required == null ? "" : ", signed by " + required.id()));
            }
            return 0;
        } catch (MlopsException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            spec.commandLine().getErr().println("mlops: " + e.getMessage());
            return 1;
        }
    }
}
