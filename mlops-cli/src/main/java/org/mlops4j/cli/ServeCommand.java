package org.mlops4j.cli;

import org.mlops4j.core.model.ModelBundle;
import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.serving.ModelServer;
import org.mlops4j.serving.ServingCore;
import org.mlops4j.serving.drift.DriftConfig;
import org.mlops4j.serving.http.JettyTransport;
import org.mlops4j.serving.metrics.JsonlPredictionLog;
import org.mlops4j.serving.protocol.Limits;
import org.mlops4j.serving.routing.ServedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** {@code mlops serve}: registered models over the Open Inference Protocol V2, MLflow's scoring protocol and /predict. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve registered models: Open Inference Protocol V2 (/v2/...), MLflow scoring (/invocations), POST /predict/{model},"
                + " Prometheus metrics (/metrics) and drift (/v2/models/{model}/drift[.html]). Aliases are followed: when one moves, the new"
                + " version is loaded, verified and warmed, then swapped in without dropping a request. Stops on Ctrl-C or SIGTERM."})
final class ServeCommand extends StoreCommand {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "REF",
            description = "A model to serve: models:/name@alias, name@alias, name/N or name (newest). Repeat for more models.")
    List<String> models;
    @Option(names = "--canary", paramLabel = "REF=PERCENT", description = "Send PERCENT % of a model's requests to another version, e.g. house-prices@challenger=10.")
    List<String> canaries = new ArrayList<>();
    @Option(names = "--shadow", paramLabel = "REF", description = "Let another version predict on copies of a model's requests; results are only compared (metrics).")
    List<String> shadows = new ArrayList<>();
    @Option(names = {"-H", "--host"}, defaultValue = "127.0.0.1", description = "Interface to bind (default ${DEFAULT-VALUE}: this machine only).")
    String host;
    @Option(names = {"-p", "--port"}, defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;
    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MLOPS_SERVE_TOKEN}",
            description = "Require 'Authorization: Bearer TOKEN' on every route but the health routes (default: $MLOPS_SERVE_TOKEN).")
    String token;
    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from a file (keeps it out of the process list).")
    Path tokenFile;
    @Option(names = "--max-rows", defaultValue = "10000", description = "Most rows per request (default ${DEFAULT-VALUE}).")
    int maxRows;
    @Option(names = "--max-body-bytes", defaultValue = "4194304", description = "Largest request body (default ${DEFAULT-VALUE}).")
    long maxBody;
    @Option(names = "--timeout-ms", defaultValue = "5000", description = "Per-request timeout, waiting included (default ${DEFAULT-VALUE}).")
    long timeoutMs;
    @Option(names = "--queue", defaultValue = "64", description = "Requests that may wait for a worker before 503 (default ${DEFAULT-VALUE}).")
    int queue;
    @Option(names = "--workers", defaultValue = "0", description = "Predictions running at once (default 0: twice the processors).")
    int workers;
    @Option(names = "--drift-window", defaultValue = "2000", description = "Rows per drift window (default ${DEFAULT-VALUE}).")
    int driftWindow;
    @Option(names = "--no-drift", description = "Switch drift monitoring off.")
    boolean noDrift;
    @Option(names = "--prediction-log", paramLabel = "FILE", description = "Append sampled predictions to this JSON Lines file.")
    Path predictionLog;
    @Option(names = "--log-sample", defaultValue = "0.01", description = "Share of requests logged to --prediction-log (default ${DEFAULT-VALUE}).")
    double logSample;
    @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = "Longest the request line and headers of one request may take to arrive, in total; 408 beyond (default ${DEFAULT-VALUE}).")
    long headerTimeoutSeconds;
    @Option(names = "--max-connections-per-client", paramLabel = "N", defaultValue = "100",
            description = "Most open connections from one client address; 503 beyond (default ${DEFAULT-VALUE}; raise it behind a reverse proxy).")
    int maxConnectionsPerClient;
    @Option(names = "--follow-ms", defaultValue = "2000", description = "How often aliases are checked (default ${DEFAULT-VALUE}).")
    long followMs;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        String secret = token;
        if (tokenFile != null) {
            if (secret != null) {
                throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
            }
            try {
                secret = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
            if (secret.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--token-file " + tokenFile + " is empty");
            }
        }
        if (secret != null && secret.isBlank()) {
            throw new ParameterException(spec.commandLine(), "the token is empty (--token, --token-file or $MLOPS_SERVE_TOKEN); give one of at least 8 characters, or none");
        }
        ModelRegistry registry = openRegistry(store.store);
        ServingCore.Builder b = ServingCore.builder(registry)
                .limits(Limits.defaults().withMaxRows(maxRows).withMaxBodyBytes(maxBody).withTimeout(Duration.ofMillis(timeoutMs)).withMaxQueued(queue))
                .drift(noDrift ? null : DriftConfig.defaults().withWindowRows(driftWindow))
                .follow(Duration.ofMillis(followMs))
                .token(secret);
        if (workers > 0) {
            b.maxConcurrent(workers);
        }
        if (predictionLog != null) {
            b.predictionLog(JsonlPredictionLog.open(predictionLog, logSample, System.nanoTime()));
        }
        for (String m : models) {
            ServedModel served = ServedModel.of(m);
            for (String c : canaries) {
                int eq = c.lastIndexOf('=');
                if (eq < 0) {
                    throw new ParameterException(spec.commandLine(), "--canary " + c + " is not REF=PERCENT");
                }
                ServedModel canary = ServedModel.of(c.substring(0, eq));
                if (canary.name().equals(served.name())) {
                    try {
                        served = served.withCanary(c.substring(0, eq), Integer.parseInt(c.substring(eq + 1).strip()));
                    } catch (NumberFormatException e) {
                        throw new ParameterException(spec.commandLine(), "--canary " + c + ": the percent is not a whole number");
                    }
                }
            }
            for (String s : shadows) {
                if (ServedModel.of(s).name().equals(served.name())) {
                    served = served.withShadow(s);
                }
            }
            b.model(served);
        }
        if (headerTimeoutSeconds < 1) {
            throw new ParameterException(spec.commandLine(), "--header-timeout must be at least 1 second but was " + headerTimeoutSeconds);
        }
        if (maxConnectionsPerClient < 1) {
            throw new ParameterException(spec.commandLine(), "--max-connections-per-client must be at least 1 but was " + maxConnectionsPerClient);
        }
        JettyTransport transport = new JettyTransport().withHeaderTimeout(Duration.ofSeconds(headerTimeoutSeconds))
                .withMaxConnectionsPerClient(maxConnectionsPerClient);
        ModelServer server = ModelServer.start(b.build(), host, port, transport);
        Thread hook = new Thread(() -> {
            server.close();
            stop.countDown();
        }, "mlops-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = out();
        out.println("mlops serve on " + server.uri() + " (" + (secret == null ? "no token" : "bearer token required") + ")");
        for (String name : server.core().router().names()) {
            var v = server.core().router().route(name).primary();
            out.println("  " + name + " version " + v.version().version() + " (" + server.core().router().route(name).model().primary() + "): POST "
                    + server.uri() + "/v2/models/" + name + "/infer, " + server.uri() + "/predict/" + name);
        }
        out.println("  metrics " + server.uri() + "/metrics, drift " + server.uri() + "/v2/models/" + server.core().router().names().get(0) + "/drift.html");
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            // embedded use (tests): stop when interrupted
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /**
     * The one place a {@code --store} URI becomes a registry: the durable registry of a store URI ({@code sqlite:},
     * {@code postgresql://}, an MLflow-protocol {@code http(s)://} server), or, without any store, {@code dir:PATH} with
     * {@code PATH/<model>/<version>/} bundle folders (written by {@code ModelBundle.save}) and optional
     * {@code PATH/<model>/aliases.properties} ({@code champion=2}), registered in version order into a registry in memory.
     *
     * @param uri the --store value
     * @return the registry
     */
    static ModelRegistry openRegistry(String uri) {
        if (!uri.startsWith("dir:")) {
            // The durable registry of a store (sqlite:, postgresql://, http(s):// an MLflow-protocol server, memory:).
            StoreOptions.requireSqliteFile(uri);
            return org.mlops4j.tracking.TrackingStores.registry(uri);
        }
        String path = uri.substring(4);
        Path dir = Path.of(path.startsWith("//") ? path.substring(2) : path);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--store " + uri + ": not a directory of model bundles (dir:PATH with PATH/<model>/<version>/)");
        }
        ModelRegistry registry = ModelRegistry.inMemory();
        try (Stream<Path> names = Files.list(dir)) {
            for (Path m : names.filter(Files::isDirectory).sorted().toList()) {
                String name = m.getFileName().toString();
                TreeMap<Integer, Path> versions = new TreeMap<>();
                try (Stream<Path> vs = Files.list(m)) {
                    vs.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("[1-9][0-9]{0,8}"))
                            .forEach(p -> versions.put(Integer.parseInt(p.getFileName().toString()), p));
                }
                int expected = 1;
                for (Map.Entry<Integer, Path> v : versions.entrySet()) {
                    if (v.getKey() != expected) {
                        throw new IllegalArgumentException("--store " + uri + ": model '" + name + "' has version folders " + versions.keySet()
                                + "; they must be numbered 1, 2, 3… without gaps");
                    }
                    registry.register(name, ModelBundle.load(v.getValue()));
                    expected++;
                }
                Path aliases = m.resolve("aliases.properties");
                if (Files.exists(aliases)) {
                    Properties p = new Properties();
                    try (Reader r = Files.newBufferedReader(aliases, StandardCharsets.UTF_8)) {
                        p.load(r);
                    }
                    for (String alias : p.stringPropertyNames()) {
                        try {
                            registry.setAlias(name, alias, Integer.parseInt(p.getProperty(alias).strip()));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(aliases + ": alias '" + alias + "' = '" + p.getProperty(alias) + "' is not a version number");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("--store " + uri + ": cannot read " + dir + ": " + e.getMessage(), e);
        }
        return registry;
    }
}
