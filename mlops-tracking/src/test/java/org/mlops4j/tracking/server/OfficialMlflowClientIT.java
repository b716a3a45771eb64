package org.mlops4j.tracking.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlflow.api.proto.Service;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.MlflowHttpException;
import org.mlflow.tracking.creds.BasicMlflowHostCreds;
import org.mlops4j.core.tracking.ActiveRun;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official MLflow Java client ({@code org.mlflow:mlflow-client:2.17.2}) against {@code mlops server}
 * over real HTTP: what it logs reads back equal, through MLflow and through mlops4j, and MLflow's error
 * codes come back where MLflow gives them.
 */
class OfficialMlflowClientIT {
    private static final String TOKEN = "it-token-0123456789";
    @TempDir
    static Path dir;
    private static Tracker tracker;
    private static MlflowServer server;
    private static MlflowClient mlflow;

    @BeforeAll
    static void start() {
        tracker = Tracker.builder().store(SqliteTrackingStore.open(dir.resolve("mlops.db"))).build();
        server = MlflowServer.builder(tracker).port(0).token(TOKEN).start();
        mlflow = new MlflowClient(new BasicMlflowHostCreds(server.uri().toString(), TOKEN));
    }

    @AfterAll
    static void stop() {
        mlflow.close();
        server.close();
        tracker.close();
    }

    @Test
    void experimentsCreatedByTheOfficialClientAreFoundByIdAndName() {
        String id = mlflow.createExperiment("official-experiments");
        assertThat(mlflow.getExperiment(id).getName()).isEqualTo("official-experiments");
        assertThat(mlflow.getExperimentByName("official-experiments")).get().extracting(Service.Experiment::getExperimentId).isEqualTo(id);
        assertThat(mlflow.getExperimentByName("no-such-experiment")).isEmpty();
        assertThat(mlflow.searchExperiments("name = 'official-experiments'").getItems())
                .extracting(Service.Experiment::getExperimentId).containsExactly(id);
        mlflow.setExperimentTag(id, "team", "pricing");
        assertThat(mlflow.getExperiment(id).getTagsList()).anyMatch(t -> t.getKey().equals("team") && t.getValue().equals("pricing"));
        assertThat(tracker.experimentByName("official-experiments").orElseThrow().id()).isEqualTo(id);
        MlflowHttpException dup = catchHttp(() -> mlflow.createExperiment("official-experiments"));
        assertThat(dup.getStatusCode()).isEqualTo(400);
        assertThat(dup.getBodyMessage()).contains("RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void runsLoggedByTheOfficialClientReadBackEqual() {
        String exp = mlflow.createExperiment("official-runs");
        Service.RunInfo info = mlflow.createRun(Service.CreateRun.newBuilder().setExperimentId(exp).setRunName("rf-100")
                .setStartTime(1_700_000_000_000L).build());
        String run = info.getRunId();
        assertThat(info.getRunName()).isEqualTo("rf-100");
        assertThat(info.getStatus()).isEqualTo(Service.RunStatus.RUNNING);
        mlflow.logParam(run, "trees", "100");
        mlflow.setTag(run, "stage", "dev");
        for (int step = 0; step < 5; step++) {
            mlflow.logMetric(run, "rmse", 5.0 - step * 0.5, 1_700_000_001_000L + step, step);
        }
        mlflow.logBatch(run,
                List.of(Service.Metric.newBuilder().setKey("r2").setValue(0.87).setTimestamp(1_700_000_002_000L).setStep(4).build(),
                        Service.Metric.newBuilder().setKey("nan").setValue(Double.NaN).setTimestamp(1_700_000_002_000L).setStep(0).build()),
                List.of(Service.Param.newBuilder().setKey("seed").setValue("42").build()),
                List.of(Service.RunTag.newBuilder().setKey("model").setValue("forest").build()));
        mlflow.setTerminated(run, Service.RunStatus.FINISHED, 1_700_000_010_000L);

        List<Service.Metric> history = mlflow.getMetricHistory(run, "rmse");
        assertThat(history).extracting(Service.Metric::getValue).containsExactly(5.0, 4.5, 4.0, 3.5, 3.0);
        assertThat(history).extracting(Service.Metric::getStep).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(history).extracting(Service.Metric::getTimestamp)
                .containsExactly(1_700_000_001_000L, 1_700_000_001_001L, 1_700_000_001_002L, 1_700_000_001_003L, 1_700_000_001_004L);

        Service.Run got = mlflow.getRun(run);
        assertThat(got.getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
        assertThat(got.getInfo().getEndTime()).isEqualTo(1_700_000_010_000L);
        assertThat(got.getInfo().getStartTime()).isEqualTo(1_700_000_000_000L);
        assertThat(got.getInfo().getArtifactUri()).isEqualTo("mlflow-artifacts:/" + exp + "/" + run + "/artifacts");
        assertThat(got.getData().getParamsList().stream().collect(Collectors.toMap(Service.Param::getKey, Service.Param::getValue)))
                .isEqualTo(Map.of("trees", "100", "seed", "42"));
        Map<String, Double> latest = got.getData().getMetricsList().stream().collect(Collectors.toMap(Service.Metric::getKey, Service.Metric::getValue));
        assertThat(latest).containsEntry("rmse", 3.0).containsEntry("r2", 0.87);
        assertThat(latest.get("nan")).isNaN();
        assertThat(got.getData().getTagsList().stream().collect(Collectors.toMap(Service.RunTag::getKey, Service.RunTag::getValue)))
                .containsEntry("stage", "dev").containsEntry("model", "forest").containsEntry("mlflow.runName", "rf-100");

        // The same data through mlops4j's own API.
        Run mine = tracker.run(run).orElseThrow();
        assertThat(mine.info().status()).isEqualTo(RunStatus.FINISHED);
        assertThat(mine.params()).isEqualTo(Map.of("trees", "100", "seed", "42"));
        assertThat(mine.metric("rmse")).isEqualTo(3.0);
        assertThat(tracker.metricHistory(run, "rmse")).extracting(Metric::value).containsExactly(5.0, 4.5, 4.0, 3.5, 3.0);
    }

    @Test
    void searchRunsUsesMlflowsFilterSyntax() {
        String exp = mlflow.createExperiment("official-search");
        for (int i = 0; i < 4; i++) {
            String run = mlflow.createRun(exp).getRunId();
            mlflow.logParam(run, "trees", i % 2 == 0 ? "100" : "200");
            mlflow.logMetric(run, "rmse", 2.0 + i);
            mlflow.setTerminated(run);
        }
        List<Service.Run> hits = mlflow.searchRuns(List.of(exp), "metrics.rmse < 3.5 and params.trees = '100'",
                Service.ViewType.ACTIVE_ONLY, 10, List.of("metrics.rmse DESC")).getItems();
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).getData().getMetricsList().get(0).getValue()).isEqualTo(2.0);
        List<Service.Run> ordered = mlflow.searchRuns(List.of(exp), "", Service.ViewType.ACTIVE_ONLY, 10, List.of("metrics.rmse DESC")).getItems();
        assertThat(ordered).extracting(r -> r.getData().getMetricsList().get(0).getValue()).containsExactly(5.0, 4.0, 3.0, 2.0);
        var firstPage = mlflow.searchRuns(List.of(exp), "", Service.ViewType.ACTIVE_ONLY, 3, List.of("metrics.rmse ASC"));
        assertThat(firstPage.getItems()).hasSize(3);
        assertThat(firstPage.hasNextPage()).isTrue();
        assertThat(firstPage.getNextPage().getItems()).hasSize(1);
    }

    @Test
    void runsLoggedWithMlops4jAreReadByTheOfficialClient() {
        String runId;
        try (ActiveRun run = tracker.startRun("official-readback", "embedded")) {
            run.logParam("lr", "0.01");
            for (int i = 0; i < 100; i++) {
                run.logMetric("loss", 1.0 / (i + 1), i);
            }
            runId = run.id();
        }
        assertThat(mlflow.getMetricHistory(runId, "loss")).hasSize(100).first().extracting(Service.Metric::getValue).isEqualTo(1.0);
        assertThat(mlflow.getRun(runId).getInfo().getStatus()).isEqualTo(Service.RunStatus.FINISHED);
    }

    @Test
    void mlflowErrorCodesComeBackForBadRequests() {
        MlflowHttpException missing = catchHttp(() -> mlflow.getRun("0123456789abcdef0123456789abcdef"));
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(missing.getBodyMessage()).contains("RESOURCE_DOES_NOT_EXIST");
        String exp = mlflow.createExperiment("official-errors");
        String run = mlflow.createRun(exp).getRunId();
        mlflow.logParam(run, "trees", "100");
        MlflowHttpException changed = catchHttp(() -> mlflow.logParam(run, "trees", "200"));
        assertThat(changed.getStatusCode()).isEqualTo(400);
        assertThat(changed.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").contains("'100'").contains("'200'");
        MlflowHttpException badKey = catchHttp(() -> mlflow.logMetric(run, "bad\u0001key", 1));
        assertThat(badKey.getStatusCode()).isEqualTo(400);
        assertThat(badKey.getBodyMessage()).contains("INVALID_PARAMETER_VALUE").doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aClientWithoutTheTokenIsRefused() {
        try (MlflowClient anonymous = new MlflowClient(server.uri().toString())) {
            MlflowHttpException e = catchHttp(() -> anonymous.getExperiment("0"));
            assertThat(e.getStatusCode()).isEqualTo(401);
            assertThat(e.getBodyMessage()).contains("UNAUTHENTICATED");
        }
        try (MlflowClient wrong = new MlflowClient(new BasicMlflowHostCreds(server.uri().toString(), "not-the-token"))) {
            assertThat(catchHttp(() -> wrong.getExperiment("0")).getStatusCode()).isEqualTo(401);
        }
        assertThat(mlflow.getExperiment("0").getName()).isEqualTo("Default");
    }

    private static MlflowHttpException catchHttp(Runnable call) {
        try {
            call.run();
        } catch (MlflowHttpException e) {
            return e;
        }
        throw new AssertionError("expected an MlflowHttpException");
    }

    @Test
    void theOfficialClientReportsHttpFailuresAsExceptions() {
        assertThatThrownBy(() -> mlflow.getExperiment("987654321")).isInstanceOf(MlflowHttpException.class);
    }
}
