package org.mlops4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.Csv;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.train.DecisionTree;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code models export} and {@code models import} run through picocli on two registries: one line out, one line on error. */
class ModelsTransferCommandTest {
    @TempDir
    Path dir;
    private static ModelBundle bundle;
    private final ModelRegistry source = ModelRegistry.inMemory();
    private final ModelRegistry target = ModelRegistry.inMemory();
    private Function<String, ModelRegistry> before;

    record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void train() {
        bundle = Pipeline.from(Csv.file(Path.of("../samples/data/boston_house_prices.csv")).skipLines(1)).label("MEDV").drop("B")
                .train(DecisionTree.regression().maxDepth(3)).run().bundle();
    }

    @BeforeEach
    void registries() {
        before = ModelsTransfer.opener;
        ModelsTransfer.opener = uri -> switch (uri) {
            case "test:source" -> source;
            case "test:target" -> target;
            default -> throw new IllegalArgumentException("unknown store " + uri);
        };
        source.register("house-prices", bundle);
        source.register("house-prices", bundle, List.of("champion"), Map.of("owner", "pricing"));
    }

    @AfterEach
    void restore() {
        ModelsTransfer.opener = before;
    }

    private static Result run(Object command, String... args) {
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Result(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void aVersionExportedFromOneStoreImportsIntoAnother() throws Exception {
        Path zip = dir.resolve("hp.zip");
        Result ex = run(new ModelsExportCommand(), "models:/house-prices@champion", "-o", zip.toString(), "--store", "test:source");
        assertThat(ex.code()).as(ex.err()).isZero();
        assertThat(ex.out()).startsWith("exported house-prices/2 to " + zip).contains("bytes, manifest sha256:");

        Result im = run(new ModelsImportCommand(), zip.toString(), "--store", "test:target", "--alias", "champion", "--json");
        assertThat(im.code()).as(im.err()).isZero();
        JsonNode json = Output.JSON.readTree(im.out());
        assertThat(json.get("name").asText()).isEqualTo("house-prices");
        assertThat(json.get("version").asInt()).isEqualTo(1);
        assertThat(json.get("imported_from").asText()).isEqualTo("house-prices/2");
        assertThat(json.get("aliases").get(0).asText()).isEqualTo("champion");
        assertThat(target.version("house-prices@champion").tags()).containsEntry("owner", "pricing");
        assertThat(target.version("house-prices/1").lineage()).isEqualTo(source.version("house-prices/2").lineage());

        Result latest = run(new ModelsExportCommand(), "models:/house-prices/latest", "-o", dir.resolve("latest.zip").toString(),
                "--store", "test:source", "--json");
        assertThat(Output.JSON.readTree(latest.out()).get("version").asInt()).isEqualTo(2);
    }

    @Test
    void signedExportsAreCheckedOnImportWithHmacAndEd25519Keys() throws Exception {
        Path secret = dir.resolve("secret");
        Files.write(secret, "a team secret of at least 32 bytes!".getBytes(StandardCharsets.UTF_8));
        Path zip = dir.resolve("signed.zip");
        assertThat(run(new ModelsExportCommand(), "house-prices/1", "-o", zip.toString(), "--store", "test:source",
                "--hmac-key-file", secret.toString(), "--key-id", "team").out()).contains("signed by team");
        assertThat(run(new ModelsImportCommand(), zip.toString(), "--store", "test:target", "--hmac-key-file", secret.toString(),
                "--key-id", "team").out()).contains("as house-prices/1").contains("signed by team");
        Path wrong = dir.resolve("wrong");
        Files.write(wrong, "another secret, also 32 bytes long".getBytes(StandardCharsets.UTF_8));
        Result refused = run(new ModelsImportCommand(), zip.toString(), "--store", "test:target", "--hmac-key-file", wrong.toString(),
                "--key-id", "team");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).startsWith("mlops: bundle ").contains("does not match").doesNotContain("Exception").hasLineCount(1);

        KeyPair pair = org.mlops4j.core.model.BundleKey.newEd25519KeyPair();
        Path priv = dir.resolve("key.pem");
        Path pub = dir.resolve("key.pub.pem");
        Files.writeString(priv, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.writeString(pub, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        Path ed = dir.resolve("ed.zip");
        assertThat(run(new ModelsExportCommand(), "house-prices/2", "-o", ed.toString(), "--store", "test:source", "--key-id", "release",
                "--ed25519-private-key", priv.toString(), "--ed25519-public-key", pub.toString()).code()).isZero();
        Result ok = run(new ModelsImportCommand(), ed.toString(), "--store", "test:target", "--key-id", "release",
                "--ed25519-public-key", pub.toString(), "--name", "prices");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(target.versions("prices")).hasSize(1);
    }

    @Test
    void aTamperedZipIsRefusedInOneLineAndRegistersNothing() throws Exception {
        Path zip = dir.resolve("hp.zip");
        run(new ModelsExportCommand(), "house-prices/2", "-o", zip.toString(), "--store", "test:source");
        byte[] b = Files.readAllBytes(zip);
        b[b.length / 2] ^= 0x24;
        Files.write(zip, b);

        Result r = run(new ModelsImportCommand(), zip.toString(), "--store", "test:target");

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("mlops: bundle " + zip).hasLineCount(1).doesNotContain("\tat ");
        assertThat(target.models()).isEmpty();
        Result missing = run(new ModelsExportCommand(), "house-prices/9", "-o", dir.resolve("x.zip").toString(), "--store", "test:source");
        assertThat(missing.err()).contains("model 'house-prices' has no version 9").hasLineCount(1);
        assertThat(dir.resolve("x.zip")).doesNotExist();
        Result exists = run(new ModelsExportCommand(), "house-prices/2", "-o", zip.toString(), "--store", "test:source");
        assertThat(exists.err()).contains("already exists");
    }
}
