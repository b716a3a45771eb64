package org.mlops4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.mlops4j.core.model.Prediction;
import org.mlops4j.core.model.Predictor;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;
import org.mlops4j.serving.protocol.Limits;
import org.mlops4j.serving.routing.ServedModel;
import org.mlops4j.serving.routing.VersionLoader;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Versions without downtime: alias moves under load, a corrupt version while serving, canary, shadow, overload and timeouts. */
class VersionsIT {
    static final ObjectMapper JSON = new ObjectMapper();

    static String body(List<Map<String, Object>> rows) throws Exception {
        return "{\"rows\":" + JSON.writeValueAsString(rows) + "}";
    }

    @Test
    void theAliasMovedAHundredTimesUnderLoadFailsNoRequest() throws Exception {
        ModelRegistry registry = HousePrices.registry();
        Predictor v1 = registry.predictor("house-prices/1");
        Predictor v2 = registry.predictor("house-prices/2");
        List<Map<String, Object>> rows = HousePrices.rows().subList(0, 3);
        double[] p1 = v1.predict(rows).stream().mapToDouble(Prediction::value).toArray();
        double[] p2 = v2.predict(rows).stream().mapToDouble(Prediction::value).toArray();
        ServingCore core = ServingCore.builder(registry).model("house-prices@champion").follow(null).warmRows(10).build();
        try (ModelServer server = ModelServer.start(core, "127.0.0.1", 0)) {
            Http http = new Http(server.uri(), null);
            String req = body(rows);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            Map<String, String> failures = new ConcurrentHashMap<>();
            AtomicInteger wrong = new AtomicInteger();
            CountDownLatch started = new CountDownLatch(4);
            Thread[] clients = new Thread[4];
            for (int t = 0; t < clients.length; t++) {
                clients[t] = new Thread(() -> {
                    started.countDown();
                    while (!stop.get()) {
                        try {
                            Http.Res r = http.post("/predict/house-prices", req);
                            if (r.status() != 200) {
                                failed.incrementAndGet();
                                failures.put(r.status() + "", r.body());
                                continue;
                            }
                            JsonNode out = JSON.readTree(r.body());
                            double[] got = new double[3];
                            for (int i = 0; i < 3; i++) {
                                got[i] = out.get("predictions").get(i).doubleValue();
                            }
                            int v = out.get("version").asInt();
                            // each answer is wholly one version's
                            if (!java.util.Arrays.equals(got, v == 1 ? p1 : p2)) {
                                wrong.incrementAndGet();
                            }
                            ok.incrementAndGet();
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            failures.put(e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                        }
                    }
                });
                clients[t].start();
            }
            started.await();
            for (int move = 0; move < 100; move++) {
                registry.setAlias("house-prices", "champion", move % 2 == 0 ? 2 : 1);
                core.router().refresh();
                assertThat(core.router().route("house-prices").primary().version().version()).isEqualTo(move % 2 == 0 ? 2 : 1);
                // under load: let a few requests through on this version before the next move
                long seen = ok.get() + failed.get();
                long until = System.nanoTime() + 10_000_000_000L;
                while (ok.get() + failed.get() < seen + 3 && System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            stop.set(true);
            for (Thread t : clients) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(failed.get()).isZero();
            assertThat(wrong.get()).isZero();
            assertThat(ok.get()).isGreaterThanOrEqualTo(300);
        }
    }

    @Test
    void aCorruptNewVersionIsRefusedAndTheOldKeepsServing() throws Exception {
        HousePrices.CorruptingStore store = new HousePrices.CorruptingStore(new InMemoryRegistryStore());
        ModelRegistry registry = HousePrices.registry(ModelRegistry.of(store));
        ServingCore core = ServingCore.builder(registry).model("house-prices@champion").follow(null).warmRows(10).build();
        try (ModelServer server = ModelServer.start(core, "127.0.0.1", 0)) {
            Http http = new Http(server.uri(), null);
            String req = body(HousePrices.rows().subList(0, 2));
            assertThat(JSON.readTree(http.post("/predict/house-prices", req).body()).get("version").asInt()).isEqualTo(1);
            var v3 = registry.register("house-prices", HousePrices.forest20().bundle());
            store.corrupt(v3.version());
            registry.setAlias("house-prices", "champion", v3.version());
            assertThat(core.router().refresh()).isZero();
            assertThat(core.router().route("house-prices").lastError()).contains("version 3 refused");
            Http.Res r = http.post("/predict/house-prices", req);
            assertThat(r.status()).isEqualTo(200);
            assertThat(JSON.readTree(r.body()).get("version").asInt()).isEqualTo(1);
            assertThat(JSON.readTree(http.get("/v2/health/ready").body()).get("ready").asBoolean()).isTrue();
            // a good version after it is taken
            registry.setAlias("house-prices", "champion", 2);
            assertThat(core.router().refresh()).isEqualTo(1);
            assertThat(JSON.readTree(http.post("/predict/house-prices", req).body()).get("version").asInt()).isEqualTo(2);
        }
    }

    @Test
    void theFollowerPicksUpAMovedAliasInTheBackground() throws Exception {
        ModelRegistry registry = HousePrices.registry();
        ServingCore core = ServingCore.builder(registry).model("house-prices@champion").follow(Duration.ofMillis(50)).warmRows(10).build();
        try (core) {
            CountDownLatch swapped = new CountDownLatch(1);
            core.router().onSwap(s -> swapped.countDown());
            registry.setAlias("house-prices", "champion", 2);
            assertThat(swapped.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(core.router().route("house-prices").primary().version().version()).isEqualTo(2);
        }
    }

    @Test
    void aCanaryTakesItsShareAndAShadowOnlyCompares() throws Exception {
        ModelRegistry registry = HousePrices.registry();
        ServingCore core = ServingCore.builder(registry).follow(null).warmRows(10)
                .model(ServedModel.of("house-prices@champion").withCanary("house-prices@challenger", 10)).build();
        try (ModelServer server = ModelServer.start(core, "127.0.0.1", 0)) {
            Http http = new Http(server.uri(), null);
            String req = body(HousePrices.rows().subList(0, 1));
            int canary = 0;
            for (int i = 0; i < 200; i++) {
                canary += JSON.readTree(http.post("/predict/house-prices", req).body()).get("version").asInt() == 2 ? 1 : 0;
            }
            assertThat(canary).isEqualTo(20);
        }
        ServingCore shadowed = ServingCore.builder(registry).follow(null).warmRows(10)
                .model(ServedModel.of("house-prices@champion").withShadow("house-prices@challenger")).build();
        try (ModelServer server = ModelServer.start(shadowed, "127.0.0.1", 0)) {
            Http http = new Http(server.uri(), null);
            String req = body(HousePrices.rows().subList(0, 4));
            for (int i = 0; i < 20; i++) {
                assertThat(JSON.readTree(http.post("/predict/house-prices", req).body()).get("version").asInt()).isEqualTo(1);
            }
            long until = System.nanoTime() + 10_000_000_000L;
            String metrics = "";
            // one scrape reads the difference summary before the rows counter (alphabetical order) while the shadow
            // thread may still be recording: wait until both show the 80 rows
            while (System.nanoTime() < until && !(metrics.contains("mlops_serving_shadow_rows_total{model=\"house-prices\",shadow_version=\"2\"} 80.0")
                    && metrics.contains("mlops_serving_shadow_difference_count{model=\"house-prices\",shadow_version=\"2\",version=\"1\"} 80"))) {
                metrics = shadowed.metrics().scrape();
                Thread.onSpinWait();
            }
            assertThat(metrics).contains("mlops_serving_shadow_rows_total{model=\"house-prices\",shadow_version=\"2\"} 80.0")
                    .contains("mlops_serving_shadow_difference_count{model=\"house-prices\",shadow_version=\"2\",version=\"1\"} 80");
        }
    }

    @Test
    void overloadIsA503WithRetryAfterAndASlowPredictionA504() throws Exception {
        ModelRegistry registry = HousePrices.registry();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        VersionLoader base = VersionLoader.fromRegistry(registry, null, Clock.systemUTC(), 0, v -> { });
        VersionLoader slow = v -> {
            var loaded = base.load(v);
            return loaded.withScorer(b -> {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return loaded.scorer().score(b);
            });
        };
        ServingCore core = ServingCore.builder(registry).model("house-prices@champion").follow(null).loader(slow).maxConcurrent(1)
                .limits(Limits.defaults().withMaxQueued(0).withTimeout(Duration.ofMillis(300))).build();
        try (ModelServer server = ModelServer.start(core, "127.0.0.1", 0)) {
            Http http = new Http(server.uri(), null);
            String req = body(HousePrices.rows().subList(0, 1));
            Thread first = new Thread(() -> http.post("/predict/house-prices", req));
            first.start();
            entered.await();
            Http.Res busy = http.post("/predict/house-prices", req);
            assertThat(busy.status()).isEqualTo(503);
            assertThat(busy.header("Retry-After")).isEqualTo("1");
            assertThat(JSON.readTree(busy.body()).get("error").asText()).contains("overloaded");
            Http.Res mlflowBusy = http.post("/invocations", "{\"dataframe_records\":" + JSON.writeValueAsString(HousePrices.rows().subList(0, 1)) + "}");
            assertThat(mlflowBusy.status()).isEqualTo(503);
            assertThat(JSON.readTree(mlflowBusy.body()).get("error_code").asText()).isEqualTo("TEMPORARILY_UNAVAILABLE");
            assertThat(http.get("/v2/health/live").status()).isEqualTo(200); // health answers while predictions are stuck
            Thread.sleep(400); // the first request is now past its 300 ms timeout
            release.countDown();
            first.join();
        }
        // the stuck request itself answered 504
        CountDownLatch never = new CountDownLatch(1);
        VersionLoader stuck = v -> {
            var loaded = base.load(v);
            return loaded.withScorer(b -> {
                try {
                    never.await(500, java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return loaded.scorer().score(b);
            });
        };
        ServingCore timing = ServingCore.builder(registry).model("house-prices@champion").follow(null).loader(stuck)
                .limits(Limits.defaults().withTimeout(Duration.ofMillis(100))).build();
        try (ModelServer server = ModelServer.start(timing, "127.0.0.1", 0)) {
            Http.Res r = new Http(server.uri(), null).post("/predict/house-prices", body(HousePrices.rows().subList(0, 1)));
            assertThat(r.status()).isEqualTo(504);
            assertThat(JSON.readTree(r.body()).get("error").asText()).contains("timeout of 100 ms");
        }
    }
}
