package org.mlops4j.core.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestPathsTest {
    @Test
    void canonicalPathsPass() {
        for (String p : List.of("/", "/metrics", "/v2/models/house-prices/versions/1/ready", "/v2/", "/api/2.0/mlflow/runs/get",
                "/v2/models/a.b/ready", "/v2/models/...", "/x/.hidden", "/x/a..b", "/x/%20y", "/x/%C3%A9", "/x/%41")) {
            assertThat(RequestPaths.problem(p)).as(p).isNull();
        }
        assertThat(RequestPaths.problem(null)).isNull();
        assertThat(RequestPaths.problem("")).isNull();
    }

    @Test
    void everySecondSpellingIsNamed() {
        assertThat(RequestPaths.problem("/v2/models/../../metrics")).contains("'..' segment");
        assertThat(RequestPaths.problem("/v2/health/live/..")).contains("'..' segment");
        assertThat(RequestPaths.problem("/./metrics")).contains("'.' segment");
        assertThat(RequestPaths.problem("/v2/models/%2e%2e/metrics")).contains("'..' segment");
        assertThat(RequestPaths.problem("/v2/models/.%2E/metrics")).contains("'..' segment");
        assertThat(RequestPaths.problem("/v2/%2e/metrics")).contains("'.' segment");
        assertThat(RequestPaths.problem("/metrics;x=1")).contains("';'");
        assertThat(RequestPaths.problem("/v2/models/house-prices;v=1/ready")).contains("';'");
        assertThat(RequestPaths.problem("/v2/..;/metrics")).contains("';'");
        assertThat(RequestPaths.problem("//metrics")).contains("empty segment");
        assertThat(RequestPaths.problem("/v2//models")).contains("empty segment");
        assertThat(RequestPaths.problem("/v2/models/a%2Fb")).contains("%2F");
        assertThat(RequestPaths.problem("/v2/models/a%5cb")).contains("%5C");
        assertThat(RequestPaths.problem("/v2\\models")).contains("backslash");
        assertThat(RequestPaths.problem("/v2/models/a%00b")).contains("%00");
        assertThat(RequestPaths.problem("/v2/models/a%0d%0ab")).contains("%0d");
        assertThat(RequestPaths.problem("/v2/models/a%7Fb")).contains("%7F");
        assertThat(RequestPaths.problem("metrics")).contains("start with '/'");
    }
}
