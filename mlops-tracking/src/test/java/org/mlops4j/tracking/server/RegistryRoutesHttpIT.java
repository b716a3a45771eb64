package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.Pipeline;
import org.mlops4j.core.data.DataSource;
import org.mlops4j.core.data.Dataset;
import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.DecisionTree;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MLflow's registry routes over raw HTTP, in the shapes of {@code model_registry.proto}: what MLflow's Python
 * client sends (PATCH updates, DELETE with a JSON body, POST and GET for get-latest-versions), snake_case
 * answers with {@code version} as a string, MLflow's error codes and statuses, the token on every route, and
 * the hardening: canonical names, sources inside the artifact root only, bounded sizes.
 */
class RegistryRoutesHttpIT {
    private static final String TOKEN = "registry-http-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static ModelRegistry registry;
    private static MlflowServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static String runId;
    private static String experimentId;
    private static ModelBundle bundle;

    record Answer(int status, JsonNode json, String body) {
    }

    @BeforeAll
    static void start() throws Exception {
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("mlops.db"))).build();
        registry = ModelRegistry.of(SqliteTrackingStore.builder(dir.resolve("mlops.db")).openRegistry()).withRuns(tracker);
        server = MlflowServer.builder(tracker).registry(registry).port(0).token(TOKEN).maxArtifactBytes(256 * 1024).start();
        Dataset d = Dataset.builder("t").numeric("x", 1, 2, 3, 4, 5, 6, 7, 8).numeric("y", 2, 4, 6, 8, 10, 12, 14, 16).build();
        bundle = Pipeline.from(DataSource.of(d)).label("y").train(DecisionTree.regression().maxDepth(2)).run().bundle();
        try (ActiveRun run = tracker.startRun("registry-http")) {
            runId = run.id();
            experimentId = run.info().experimentId();
        }
        // Upload the bundle the way MLflow's Python client does: through the artifact proxy, into the run's artifacts.
        for (String name : bundle.fileNames()) {
            HttpResponse<String> r = HTTP.send(request("/api/2.0/mlflow-artifacts/artifacts/" + experimentId + "/" + runId + "/artifacts/model/"
                    + name).PUT(HttpRequest.BodyPublishers.ofByteArray(bundle.file(name).orElseThrow())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        registry.close();
        tracker.close();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.uri() + path)).header("Authorization", "Bearer " + TOKEN);
    }

    static Answer call(String method, String route, String body) throws Exception {
        HttpRequest.Builder b = request("/api/2.0/mlflow/" + route).header("Content-Type", "application/json");
        b = method.equals("GET") ? b.GET() : b.method(method, HttpRequest.BodyPublishers.ofString(body == null ? "{}" : body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException notJson) {
            // asserted by the caller
        }
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.statusCode()).as(method + " " + route + " -> " + r.body()).isLessThan(500);
        return new Answer(r.statusCode(), json, r.body());
    }

    private static String source() {
        return "mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts/model";
    }

    private static JsonNode createVersion(String name) throws Exception {
        Answer a = call("POST", "model-versions/create", "{\"name\":\"" + name + "\",\"source\":\"" + source() + "\",\"run_id\":\"" + runId
                + "\",\"tags\":[{\"key\":\"team\",\"value\":\"pricing\"}],\"description\":\"first\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json().path("model_version");
    }

    @Test
    void aModelIsCreatedRenamedUpdatedTaggedAndDeletedWithMlflowsVerbs() throws Exception {
        Answer created = call("POST", "registered-models/create",
                "{\"name\":\"rm-life\",\"description\":\"d0\",\"tags\":[{\"key\":\"team\",\"value\":\"a\"}]}");
        assertThat(created.status()).isEqualTo(200);
        JsonNode m = created.json().path("registered_model");
        assertThat(m.path("name").asText()).isEqualTo("rm-life");
        assertThat(m.path("description").asText()).isEqualTo("d0");
        assertThat(m.path("creation_timestamp").isIntegralNumber()).isTrue();
        assertThat(m.path("tags").get(0).path("key").asText()).isEqualTo("team");

        Answer again = call("POST", "registered-models/create", "{\"name\":\"rm-life\"}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().path("error_code").asText()).isEqualTo("RESOURCE_ALREADY_EXISTS");

        assertThat(call("PATCH", "registered-models/update", "{\"name\":\"rm-life\",\"description\":\"d1\"}").json()
                .path("registered_model").path("description").asText()).isEqualTo("d1");
        assertThat(call("POST", "registered-models/update", "{\"name\":\"rm-life\"}").status()).isEqualTo(405);
        assertThat(call("POST", "registered-models/set-tag", "{\"name\":\"rm-life\",\"key\":\"owner\",\"value\":\"ada\"}").status()).isEqualTo(200);
        assertThat(call("DELETE", "registered-models/delete-tag", "{\"name\":\"rm-life\",\"key\":\"team\"}").status()).isEqualTo(200);
        assertThat(call("DELETE", "registered-models/delete-tag", "{\"name\":\"rm-life\",\"key\":\"team\"}").json().path("error_code").asText())
                .isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Answer renamed = call("POST", "registered-models/rename", "{\"name\":\"rm-life\",\"new_name\":\"rm-life-2\"}");
        assertThat(renamed.json().path("registered_model").path("name").asText()).isEqualTo("rm-life-2");
        JsonNode got = call("GET", "registered-models/get?name=rm-life-2", null).json().path("registered_model");
        assertThat(got.path("tags").toString()).contains("owner").doesNotContain("\"team\"");
        assertThat(call("GET", "registered-models/get?name=rm-life", null).status()).isEqualTo(404);

        assertThat(call("DELETE", "registered-models/delete", "{\"name\":\"rm-life-2\"}").status()).isEqualTo(200);
        Answer gone = call("GET", "registered-models/get?name=rm-life-2", null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void aVersionIsCreatedFromRunArtifactsAndReadInProtoShape() throws Exception {
        JsonNode v = createVersion("mv-shape");
        assertThat(v.path("version").isTextual()).isTrue();
        assertThat(v.path("version").asText()).isEqualTo("1");
        assertThat(v.path("source").asText()).isEqualTo(source());
        assertThat(v.path("run_id").asText()).isEqualTo(runId);
        assertThat(v.path("current_stage").asText()).isEqualTo("None");
        assertThat(v.path("status").asText()).isEqualTo("READY");
        assertThat(v.path("description").asText()).isEqualTo("first");
        assertThat(v.path("tags").toString()).contains("\"team\"").contains("mlops.manifest_sha256");
        assertThat(v.path("aliases").isArray()).isTrue();
        // Its files are the run's, verified: the registry loads and predicts from them.
        assertThat(registry.predictor("models:/mv-shape/1").predict(Map.of("x", 3.0)).value())
                .isEqualTo(bundle.predictor().predict(Map.of("x", 3.0)).value());

        assertThat(call("GET", "model-versions/get?name=mv-shape&version=1", null).json().path("model_version").path("version").asText())
                .isEqualTo("1");
        assertThat(call("PATCH", "model-versions/update", "{\"name\":\"mv-shape\",\"version\":\"1\",\"description\":\"better\"}").json()
                .path("model_version").path("description").asText()).isEqualTo("better");
        assertThat(call("GET", "model-versions/get-download-uri?name=mv-shape&version=1", null).json().path("artifact_uri").asText())
                .isEqualTo(source());
        Answer missing = call("GET", "model-versions/get?name=mv-shape&version=7", null);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("error_code").asText()).isEqualTo("RESOURCE_DOES_NOT_EXIST");
        Answer badVersion = call("GET", "model-versions/get?name=mv-shape&version=one", null);
        assertThat(badVersion.status()).isEqualTo(400);
        assertThat(badVersion.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
    }

    @Test
    void versionTagsStagesAndLatestVersionsFollowMlflow() throws Exception {
        createVersion("mv-stage");
        createVersion("mv-stage");
        assertThat(call("POST", "model-versions/set-tag", "{\"name\":\"mv-stage\",\"version\":\"1\",\"key\":\"k\",\"value\":\"v\"}").status())
                .isEqualTo(200);
        assertThat(call("DELETE", "model-versions/delete-tag", "{\"name\":\"mv-stage\",\"version\":\"1\",\"key\":\"k\"}").status()).isEqualTo(200);
        assertThat(call("DELETE", "model-versions/delete-tag", "{\"name\":\"mv-stage\",\"version\":\"1\",\"key\":\"k\"}").status()).isEqualTo(404);

        JsonNode staged = call("POST", "model-versions/transition-stage",
                "{\"name\":\"mv-stage\",\"version\":\"1\",\"stage\":\"production\",\"archive_existing_versions\":false}").json();
        assertThat(staged.path("model_version").path("current_stage").asText()).isEqualTo("Production");
        call("POST", "model-versions/transition-stage", "{\"name\":\"mv-stage\",\"version\":\"2\",\"stage\":\"Production\","
                + "\"archive_existing_versions\":true}");
        assertThat(call("GET", "model-versions/get?name=mv-stage&version=1", null).json().path("model_version").path("current_stage").asText())
                .isEqualTo("Archived");
        assertThat(call("POST", "model-versions/transition-stage", "{\"name\":\"mv-stage\",\"version\":\"2\",\"stage\":\"Live\"}").status())
                .isEqualTo(400);

        JsonNode latest = call("POST", "registered-models/get-latest-versions", "{\"name\":\"mv-stage\",\"stages\":[\"Production\"]}").json();
        assertThat(latest.path("model_versions")).hasSize(1);
        assertThat(latest.path("model_versions").get(0).path("version").asText()).isEqualTo("2");
        assertThat(call("GET", "registered-models/get-latest-versions?name=mv-stage", null).json().path("model_versions")).hasSize(2);
    }

    @Test
    void aliasesAreSetReadAndDeletedAndProtectTheirVersion() throws Exception {
        createVersion("mv-alias");
        createVersion("mv-alias");
        assertThat(call("POST", "registered-models/alias", "{\"name\":\"mv-alias\",\"alias\":\"champion\",\"version\":\"1\"}").status())
                .isEqualTo(200);
        JsonNode byAlias = call("GET", "registered-models/alias?name=mv-alias&alias=champion", null).json().path("model_version");
        assertThat(byAlias.path("version").asText()).isEqualTo("1");
        assertThat(byAlias.path("aliases").toString()).isEqualTo("[\"champion\"]");
        assertThat(call("GET", "registered-models/get?name=mv-alias", null).json().path("registered_model").path("aliases").toString())
                .isEqualTo("[{\"alias\":\"champion\",\"version\":\"1\"}]");

        Answer refused = call("DELETE", "model-versions/delete", "{\"name\":\"mv-alias\",\"version\":\"1\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("message").asText()).contains("'champion'");
        Answer modelRefused = call("DELETE", "registered-models/delete", "{\"name\":\"mv-alias\"}");
        assertThat(modelRefused.json().path("message").asText()).contains("'champion'");
        assertThat(call("DELETE", "model-versions/delete", "{\"name\":\"mv-alias\",\"version\":\"2\"}").status()).isEqualTo(200);
        assertThat(call("GET", "model-versions/get?name=mv-alias&version=2", null).status()).isEqualTo(404);

        assertThat(call("DELETE", "registered-models/alias", "{\"name\":\"mv-alias\",\"alias\":\"champion\"}").status()).isEqualTo(200);
        assertThat(call("GET", "registered-models/alias?name=mv-alias&alias=champion", null).status()).isEqualTo(404);
        assertThat(call("DELETE", "registered-models/alias", "{\"name\":\"mv-alias\",\"alias\":\"champion\"}").status()).isEqualTo(404);
        assertThat(call("POST", "registered-models/alias", "{\"name\":\"mv-alias\",\"alias\":\"12\",\"version\":\"1\"}").status()).isEqualTo(400);
        assertThat(call("DELETE", "model-versions/delete", "{\"name\":\"mv-alias\",\"version\":\"1\"}").status()).isEqualTo(200);
    }

    @Test
    void searchesFilterAndPage() throws Exception {
        createVersion("search-a");
        createVersion("search-b");
        createVersion("search-b");
        JsonNode models = call("GET", "registered-models/search?filter=name%20LIKE%20%27search-%25%27&max_results=1", null).json();
        assertThat(models.path("registered_models")).hasSize(1);
        String token = models.path("next_page_token").asText();
        assertThat(token).isNotEmpty();
        JsonNode next = call("GET", "registered-models/search?filter=name%20LIKE%20%27search-%25%27&max_results=1&page_token=" + token, null).json();
        assertThat(next.path("registered_models").get(0).path("name").asText()).isEqualTo("search-b");

        JsonNode versions = call("GET", "model-versions/search?filter=name%3D%27search-b%27&order_by=version_number%20ASC", null).json();
        List<String> numbers = new ArrayList<>();
        versions.path("model_versions").forEach(v -> numbers.add(v.path("version").asText()));
        assertThat(numbers).containsExactly("1", "2");
        Answer bad = call("GET", "model-versions/search?filter=name%3D%27a%27%20OR%20name%3D%27b%27", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        assertThat(call("GET", "registered-models/search?max_results=0", null).status()).isEqualTo(400);
    }

    @Test
    void everyRegistryRouteNeedsTheToken() throws Exception {
        for (String route : List.of("registered-models/search", "registered-models/get?name=x", "model-versions/search",
                "model-versions/get-download-uri?name=x&version=1", "registered-models/alias?name=x&alias=a")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/2.0/mlflow/" + route)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(route).isEqualTo(401);
        }
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(server.uri() + "/api/2.0/mlflow/registered-models/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sneaky\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(registry.model("sneaky")).isEmpty();
    }

    @Test
    void anAnswerSentBeforeTheBodyWasReadClosesTheConnectionAndSaysSo() throws Exception {
        // A keep-alive client must learn that the server will not read the rest of this request: without
        // "Connection: close" it sends its next request into a socket the server is closing.
        URI u = server.uri();
        try (java.net.Socket s = new java.net.Socket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            String body = "{\"name\":\"sneaky\"}";
            s.getOutputStream().write(("POST /api/2.0/mlflow/registered-models/create HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String head = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            StringBuilder rest = new StringBuilder(head);
            int c;
            while ((c = s.getInputStream().read()) >= 0 && !rest.toString().endsWith("\r\n\r\n")) {
                rest.append((char) c);
            }
            assertThat(head).isEqualTo("HTTP/1.1 401");
            assertThat(rest.toString().toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
        }
        assertThat(registry.model("sneaky")).isEmpty();
    }

    @Test
    void namesAreCanonicalSoAnEncodedNameCannotCollideWithAnother() throws Exception {
        createVersion("house");
        // %2541 decodes once to "%41", which is not a valid name: refused, never read as "houseA" or "house".
        Answer encoded = call("GET", "registered-models/get?name=house%2541", null);
        assertThat(encoded.status()).isEqualTo(400);
        assertThat(encoded.json().path("error_code").asText()).isEqualTo("INVALID_PARAMETER_VALUE");
        for (String name : List.of("house/..", "../house", "house\\u0000", " house", "house%2F1", "h".repeat(101))) {
            Answer a = call("POST", "registered-models/create", "{\"name\":\"" + name + "\"}");
            assertThat(a.status()).as(name).isEqualTo(400);
            assertThat(a.json().path("error_code").asText()).as(name).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        assertThat(registry.models()).noneMatch(n -> n.contains("%") || n.contains("/") || n.contains(" "));
    }

    @Test
    void sourcesOutsideTheArtifactRootAreRefused() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "do not read");
        for (String source : List.of("file://" + secret, secret.toString(), "s3://bucket/model", "http://169.254.169.254/latest",
                "mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts/../../../etc",
                "mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts/%2e%2e/x",
                "runs:/" + runId + "/../other", "runs:/no-such-run/model", "models:/other/1", "")) {
            Answer a = call("POST", "model-versions/create", "{\"name\":\"outside\",\"source\":\"" + source + "\"}");
            assertThat(a.status()).as(source).isEqualTo(400);
            assertThat(a.json().path("error_code").asText()).as(source).isEqualTo("INVALID_PARAMETER_VALUE");
        }
        assertThat(registry.versions("outside")).isEmpty();
        Answer empty = call("POST", "model-versions/create", "{\"name\":\"outside\",\"source\":\"runs:/" + runId + "/nothing-here\"}");
        assertThat(empty.json().path("message").asText()).contains("holds no files");
    }

    @Test
    void sizesAreBounded() throws Exception {
        Answer longDescription = call("POST", "registered-models/create", "{\"name\":\"big\",\"description\":\"" + "d".repeat(70_000) + "\"}");
        assertThat(longDescription.status()).isEqualTo(400);
        Answer longTag = call("POST", "registered-models/create",
                "{\"name\":\"big\",\"tags\":[{\"key\":\"k\",\"value\":\"" + "v".repeat(9000) + "\"}]}");
        assertThat(longTag.status()).isEqualTo(400);
        Answer longFilter = call("GET", "registered-models/search?filter=" + "name%3D%27" + "a".repeat(5000) + "%27", null);
        assertThat(longFilter.status()).isEqualTo(400);
        assertThat(call("GET", "model-versions/get?name=big&version=99999999999", null).status()).isEqualTo(400);
        assertThat(registry.model("big")).isEmpty();
    }

    @Test
    void registryFilesAreServedByTheArtifactProxyAndNothingElseIs() throws Exception {
        registry.register("local", bundle); // registered in-process: no run source
        String uri = call("GET", "model-versions/get-download-uri?name=local&version=1", null).json().path("artifact_uri").asText();
        assertThat(uri).isEqualTo("mlflow-artifacts:/model-registry/local/1");
        HttpResponse<byte[]> file = HTTP.send(request("/api/2.0/mlflow-artifacts/artifacts/model-registry/local/1/manifest.json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(bundle.file("manifest.json").orElseThrow());
        JsonNode listing = JSON.readTree(HTTP.send(request("/api/2.0/mlflow-artifacts/artifacts?path=model-registry/local/1").GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(listing.path("files").size()).isEqualTo(bundle.fileNames().size());
        for (String bad : List.of("model-registry/local/1/../../x", "model-registry/local/2/manifest.json", "model-registry/%2e%2e/1/x",
                "model-registry/local/1/nope")) {
            HttpResponse<String> r = HTTP.send(request("/api/2.0/mlflow-artifacts/artifacts/" + bad).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(bad).isBetween(400, 404);
        }
        HttpResponse<String> put = HTTP.send(request("/api/2.0/mlflow-artifacts/artifacts/model-registry/local/1/manifest.json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isBetween(400, 404);
        assertThat(registry.load("local/1").manifestSha256()).isEqualTo(bundle.manifestSha256());
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.endsWith("/x"));
        }
        assertThat(new String(bundle.file("manifest.json").orElseThrow(), StandardCharsets.UTF_8)).contains("\"flavor\"");
    }
}
