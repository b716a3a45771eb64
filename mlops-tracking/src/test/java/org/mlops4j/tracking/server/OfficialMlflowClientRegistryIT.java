package org.mlops4j.tracking.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official MLflow Java client 2.17.2 reads the registry of {@code mlops server}: models, versions, latest
 * versions, download URIs (whose files the artifact proxy serves) and version search.
 */
class OfficialMlflowClientRegistryIT {
    private static final String TOKEN = "registry-client-token";
    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static ModelRegistry registry;
    private static MlflowServer server;
    private static MlflowClient mlflow;
    private static ModelBundle bundle;

    @BeforeAll
    static void start() {
        Dataset d = Dataset.builder("t").numeric("x", 1, 2, 3, 4, 5, 6, 7, 8).numeric("y", 2, 4, 6, 8, 10, 12, 14, 16).build();
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("mlops.db"))).build();
        registry = ModelRegistry.of(SqliteTrackingStore.builder(dir.resolve("mlops.db")).openRegistry()).withRuns(tracker);
        bundle = Pipeline.from(DataSource.of(d)).label("y").train(DecisionTree.regression().maxDepth(2)).track(tracker, "official-registry")
                .register(registry, "house-prices", "champion").run().bundle();
        registry.register("house-prices", bundle, List.of("challenger"), Map.of("stage", "candidate"));
        registry.register("churn", bundle);
        server = MlflowServer.builder(tracker).registry(registry).port(0).token(TOKEN).start();
        mlflow = new MlflowClient(new BasicMlflowHostCreds(server.uri().toString(), TOKEN));
    }

    @AfterAll
    static void stop() {
        mlflow.close();
        server.close();
        registry.close();
        tracker.close();
    }

    @Test
    void theOfficialClientReadsARegisteredModel() {
        RegisteredModel m = mlflow.getRegisteredModel("house-prices");
        assertThat(m.getName()).isEqualTo("house-prices");
        assertThat(m.getLatestVersionsList()).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThatThrownBy(() -> mlflow.getRegisteredModel("no-such-model")).isInstanceOf(MlflowHttpException.class)
                .satisfies(e -> assertThat(((MlflowHttpException) e).getStatusCode()).isEqualTo(404));
    }

    @Test
    void theOfficialClientReadsVersionsAndLatestVersions() {
        ModelVersion v1 = mlflow.getModelVersion("house-prices", "1");
        assertThat(v1.getVersion()).isEqualTo("1");
        assertThat(v1.getRunId()).isEqualTo(registry.version("house-prices/1").lineage().runId()).isNotEmpty();
        assertThat(v1.getCurrentStage()).isEqualTo("None");
        assertThat(v1.getStatus().name()).isEqualTo("READY");
        ModelVersion v2 = mlflow.getModelVersion("house-prices", "2");
        assertThat(v2.getTagsList()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("stage");
            assertThat(t.getValue()).isEqualTo("candidate");
        });
        assertThat(mlflow.getLatestVersions("house-prices")).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(mlflow.getLatestVersions("house-prices", List.of("Production"))).isEmpty();
        assertThatThrownBy(() -> mlflow.getModelVersion("house-prices", "9")).isInstanceOf(MlflowHttpException.class);
    }

    @Test
    void downloadUrisResolveToFilesTheArtifactProxyServes() throws Exception {
        String uri = mlflow.getModelVersionDownloadUri("house-prices", "1");
        assertThat(uri).startsWith("mlflow-artifacts:/");
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/2.0/mlflow-artifacts/artifacts/"
                        + uri.substring("mlflow-artifacts:/".length()) + "/manifest.json")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(bundle.file("manifest.json").orElseThrow());
    }

    @Test
    void theOfficialClientSearchesVersions() {
        ModelVersionsPage page = mlflow.searchModelVersions("name = 'house-prices'");
        assertThat(page.getItems()).extracting(ModelVersion::getVersion).containsExactlyInAnyOrder("1", "2");
        assertThat(mlflow.searchModelVersions("name = 'churn'").getItems()).extracting(ModelVersion::getName).containsExactly("churn");
        ModelVersionsPage first = mlflow.searchModelVersions("", 2, List.of("name ASC"));
        assertThat(first.getItems()).hasSize(2);
        assertThat(first.getNextPageToken()).isNotEmpty();
        assertThat(first.getNextPage().getItems()).hasSize(1);
    }
}
