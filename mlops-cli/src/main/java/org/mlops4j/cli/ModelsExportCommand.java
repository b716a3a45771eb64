package org.mlops4j.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.MlopsException;
import org.mlops4j.core.model.BundleKey;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.ModelVersion;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code mlops models export MODEL -o FILE.zip}: a registered version, verified, into one zip with its lineage. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a registered version to one zip: its verified bundle and the registry's record of it (lineage, metrics, tags).")
final class ModelsExportCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;
    @Spec
    CommandSpec spec;
    @Parameters(index = "0", paramLabel = "MODEL", description = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/latest or NAME/VERSION.")
    String model;
    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The zip to write; it must not exist.")
    Path output;
    @ArgGroup(exclusive = false, heading = "Signing (optional): the importer can check the zip came from here%n")
    ModelsTransfer.KeyOptions key;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ModelRegistry registry = ModelsTransfer.open(store.store);
            BundleKey signer = key == null ? null : key.key();
            ModelVersion v = signer == null ? registry.exportVersion(ModelsTransfer.ref(model), output)
                    : registry.exportVersion(ModelsTransfer.ref(model), output, signer);
            long bytes = Files.size(output);
            if (store.json) {
                ObjectNode n = Output.JSON.createObjectNode();
                n.put("name", v.name()).put("version", v.version()).put("file", output.toString()).put("bytes", bytes)
                        .put("manifest_sha256", v.manifestSha256()).put("signed_by", signer == null ? null : signer.id());
                Output.json(out, n);
            } else {
                out.println("exported " + v.name() + "/" + v.version() + " to " + output + " (" + bytes + " bytes, manifest sha256:"
                        + v.manifestSha256().substring(0, 12) + (signer == null ? "" : ", signed by " + signer.id()) + ")");
            }
            return 0;
        } catch (MlopsException | IllegalArgumentException | IllegalStateException | UncheckedIOException | java.io.IOException e) {
            spec.commandLine().getErr().println("mlops: " + e.getMessage());
            return 1;
        }
    }
}
