package org.mlops4j.tracking.reliability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.train.TrainContext;
import org.mlops4j.core.train.Validator;
import org.mlops4j.core.tune.StudyResult;
import org.mlops4j.core.tune.StudyStorage;
import org.mlops4j.core.tune.Trial;
import org.mlops4j.core.tune.TrialState;
import org.mlops4j.core.tune.Tune;
import org.mlops4j.tracking.jdbc.JdbcTrackingStore;
import org.mlops4j.tracking.tck.PostgresFixture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Studies that outlive a JVM and studies shared by JVMs, on the stores users have: a study whose JVM is
 * killed (kill -9) mid-trial resumes in another JVM and runs exactly the trials it still owes; two JVMs on
 * one study (SQLite file; PostgreSQL, as two machines would) split its trials without running one twice.
 */
class SharedStudyIT {
    private static final Path HOUSES = Path.of(System.getProperty("mlops.samples.data", "../samples/data"), "boston_house_prices.csv");

    @TempDir
    Path dir;

    @Test
    void aStudyKilledMidTrialResumesAndRunsExactlyTheTrialsItOwes() throws Exception {
        String where = "sqlite:" + dir.resolve("mlops.db");
        try (JdbcTrackingStore migrate = StudyChild.open(where, dir.resolve("artifacts"))) {
            // the parent creates the schema, so the child starts on a ready file
        }
        Map<Integer, Double> before = new HashMap<>();
        try (ChildJvm child = new ChildJvm(StudyChild.class, dir.resolve("killed.err"), where, "resume", "10", dir.resolve("artifacts").toString())) {
            assertThat(child.readLine()).as("child stderr: %s", child.stderr()).isEqualTo("READY");
            while (before.size() < 3) {
                String line = child.readLine();
                assertThat(line).as("child stderr: %s", child.stderr()).startsWith("TRIAL ");
                String[] p = line.split(" ");
                assertThat(p[2]).isEqualTo("COMPLETE");
                before.put(Integer.parseInt(p[1]), Double.parseDouble(p[3]));
            }
            child.kill(); // in trial 4, most likely: its run stays RUNNING with a heartbeat that stops
        }

        try (Tracker tracker = Tracker.builder().store(StudyChild.open(where, dir.resolve("artifacts"))).build()) {
            StudyStorage storage = StudyStorage.of(tracker, "resume").heartbeat(Duration.ofMillis(200)).staleAfter(Duration.ofSeconds(2));
            StudyResult r = Tune.tpe(StudyChild.space()).trials(10).parallelism(1).seed(17).storage(storage)
                    .run(StudyChild.houses(HOUSES), TrainContext.defaults().withValidator(Validator.onReadyRows()));

            assertThat(r.count(TrialState.COMPLETE)).as("the budget: 10 trials that ran to the end").isEqualTo(10);
            List<Trial> abandoned = r.trials().stream().filter(t -> t.state() == TrialState.FAILED).toList();
            assertThat(abandoned).hasSizeLessThanOrEqualTo(1).allSatisfy(t -> assertThat(t.error()).startsWith("abandoned"));
            for (Map.Entry<Integer, Double> e : before.entrySet()) {
                Trial t = r.trials().stream().filter(x -> x.number() == e.getKey()).findFirst().orElseThrow();
                assertThat(t.value()).as("trial %d was read back, not run again", e.getKey()).isEqualTo(e.getValue());
            }
            Map<String, List<Run>> byNumber = trialRuns(tracker, storage);
            assertThat(byNumber).hasSize(r.trials().size()).allSatisfy((n, runs) -> assertThat(runs).as("runs of trial %s", n).hasSize(1));
            for (Trial t : abandoned) {
                assertThat(byNumber.get(Integer.toString(t.number())).get(0).info().status()).isEqualTo(RunStatus.KILLED);
            }
        }
    }

    @Test
    void twoJvmsShareAStudyOnOneSqliteFileWithoutRunningATrialTwice() throws Exception {
        String where = "sqlite:" + dir.resolve("shared.db");
        try (JdbcTrackingStore migrate = StudyChild.open(where, dir.resolve("artifacts"))) {
            // ready before the children race to it
        }
        shareBetweenTwoJvms(where);
    }

    @Test
    void twoJvmsShareAStudyOnPostgresqlAsTwoMachinesWould() throws Exception {
        String url = PostgresFixture.url();
        String schema = "study_" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
        String where = "pg:" + schema + ":" + url;
        try (JdbcTrackingStore migrate = StudyChild.open(where, dir.resolve("artifacts"))) {
            // ready before the children race to it
        }
        shareBetweenTwoJvms(where);
    }

    private void shareBetweenTwoJvms(String where) throws Exception {
        int budget = 16;
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (String name : List.of("a", "b")) {
                children.add(new ChildJvm(StudyChild.class, dir.resolve(name + ".err"), where, "shared", Integer.toString(budget),
                        dir.resolve("artifacts").toString(), "go"));
            }
            for (ChildJvm c : children) {
                assertThat(c.readLine()).as("child stderr: %s", c.stderr()).isEqualTo("READY");
            }
            for (ChildJvm c : children) {
                c.send("GO");
            }
            List<List<Integer>> ran = new ArrayList<>();
            for (ChildJvm c : children) {
                List<Integer> mine = new ArrayList<>();
                String line;
                while ((line = c.readLine()) != null && line.startsWith("TRIAL ")) {
                    mine.add(Integer.parseInt(line.split(" ")[1]));
                }
                assertThat(line).as("child stderr: %s", c.stderr()).isEqualTo("END " + budget);
                assertThat(c.waitFor()).isZero();
                ran.add(mine);
            }
            List<Integer> all = new ArrayList<>(ran.get(0));
            all.addAll(ran.get(1));
            assertThat(all).as("every trial number ran once, in one JVM or the other").doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, budget).boxed().toList());
            assertThat(ran).as("both JVMs worked on the study").allSatisfy(m -> assertThat(m).isNotEmpty());
        } finally {
            for (ChildJvm c : children) {
                c.close();
            }
        }
        try (Tracker tracker = Tracker.builder().store(StudyChild.open(where, dir.resolve("artifacts"))).build()) {
            StudyStorage storage = StudyStorage.of(tracker, "shared");
            Map<String, List<Run>> byNumber = trialRuns(tracker, storage);
            assertThat(byNumber).hasSize(budget).allSatisfy((n, runs) -> {
                assertThat(runs).hasSize(1);
                assertThat(runs.get(0).tags()).containsEntry("mlops.trial.state", "COMPLETE");
            });
            assertThat(byNumber.values().stream().map(runs -> runs.get(0).tags().get("mlops.trial.worker")).distinct()).hasSize(2);
        }
    }

    private static Map<String, List<Run>> trialRuns(Tracker tracker, StudyStorage storage) {
        return tracker.runs(storage.experimentName()).stream().filter(r -> r.tags().containsKey("mlops.trial.number"))
                .collect(Collectors.groupingBy(r -> r.tags().get("mlops.trial.number"), Collectors.mapping(Function.identity(),
                        Collectors.toList())));
    }
}
