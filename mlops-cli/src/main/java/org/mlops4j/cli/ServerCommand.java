package org.mlops4j.cli;

import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.tracking.TrackingStores;
import org.mlops4j.tracking.server.MlflowServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code mlops server}: an MLflow-compatible tracking server until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Serve a store over MLflow's REST API 2.0 (/api/2.0/mlflow/...) and its artifact proxy, so MLflow clients"
                + " log into mlops4j. Stops on Ctrl-C or SIGTERM, writing everything received."})
final class ServerCommand extends StoreCommand {
    @Option(names = {"-H", "--host"}, defaultValue = "127.0.0.1", description = "Interface to bind (default ${DEFAULT-VALUE}: this machine only).")
    String host;
    @Option(names = {"-p", "--port"}, defaultValue = "5000", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;
    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MLOPS_SERVER_TOKEN}",
            description = "Require 'Authorization: Bearer TOKEN' on every route but /health (default: $MLOPS_SERVER_TOKEN).")
    String token;
    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from a file (keeps it out of the process list).")
    Path tokenFile;

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
        }
        PrintWriter out = out();
        Tracker tracker = store.openOrCreate();
        MlflowServer server;
        ModelRegistry registry = null;
        try {
            registry = ModelRegistry.of(TrackingStores.openRegistry(store.store)).withRuns(tracker); // the same URI's registry
            server = MlflowServer.builder(tracker).registry(registry).host(host).port(port)
                    .token(secret == null || secret.isEmpty() ? null : secret).start();
        } catch (RuntimeException e) {
            if (registry != null) {
                registry.close();
            }
            tracker.close();
            throw e;
        }
        ModelRegistry models = registry;
        Thread hook = new Thread(() -> {
            server.close();
            models.close();
            tracker.close();
            stop.countDown();
        }, "mlops-server-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("mlops server on " + server.uri() + " (store " + store.store.replaceAll("(//[^:/@]+:)[^@/]*@", "$1***@")
                + (secret == null || secret.isEmpty() ? ", no token" : ", bearer token required") + ")");
        out.println("MLflow clients: MLFLOW_TRACKING_URI=" + server.uri());
        out.flush();
        stop.await();
        return 0;
    }
}
