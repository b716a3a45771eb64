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
            description = "Require 'Authorization: Bearer TOKEN' on every route but /health (default: $MLOPS_SERVER_TOKEN)."
                    + " Without any token (or with --no-auth) the server is open.")
    String token;
    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from a file (keeps it out of the process list).")
    Path tokenFile;
    @Option(names = "--request-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Time budget of one API request (default ${DEFAULT-VALUE}); past it: 504, and its work is cancelled.")
    long requestTimeout;
    @Option(names = "--max-requests-per-client", paramLabel = "N", defaultValue = "8",
            description = "Requests in flight from one address (default ${DEFAULT-VALUE}); more get 503 with Retry-After.")
    int perClient;
    @Option(names = "--header-timeout", paramLabel = "SECONDS", defaultValue = "20",
            description = "Time a client may take to send a request's line and headers, in total (default ${DEFAULT-VALUE});"
                    + " past it: 408 and the connection is closed.")
    long headerTimeout;
    @Option(names = "--max-connections-per-client", paramLabel = "N", defaultValue = "100",
            description = "Open connections from one address (default ${DEFAULT-VALUE}); more get 503 and are closed.")
    int connectionsPerClient;
    @Option(names = "--no-auth", description = "Serve without a token: anyone who can reach the port can read and write the store.")
    boolean noAuth;

    private final CountDownLatch stop = new CountDownLatch(1);

    /**
     * The token from --token, --token-file or $MLOPS_SERVER_TOKEN, or null with --no-auth or none of them.
     * An empty or blank token from any source is refused: it must never mean "no authentication".
     */
    String secret() {
        boolean tokenGiven = spec.commandLine().getParseResult().hasMatchedOption("--token");
        String secret = token;
        String source = tokenGiven ? "--token" : "$MLOPS_SERVER_TOKEN";
        if (tokenFile != null) {
            if (tokenGiven) {
                throw new ParameterException(spec.commandLine(), "give --token or --token-file, not both");
            }
            try {
                secret = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "cannot read --token-file " + tokenFile + ": " + e.getMessage());
            }
            source = "--token-file " + tokenFile;
        }
        if (noAuth) {
            if (tokenGiven || tokenFile != null) {
                throw new ParameterException(spec.commandLine(), "--no-auth serves without a token; do not give " + source + " with it");
            }
            return null; // $MLOPS_SERVER_TOKEN is ignored: --no-auth says so explicitly
        }
        if (secret != null && secret.isBlank()) {
            throw new ParameterException(spec.commandLine(), "the token from " + source + " is empty; an empty token would leave"
                    + " the server open. Give a token (at least 8 characters), or --no-auth to serve without one on purpose");
        }
        return secret;
    }

    @Override
    public Integer call() throws Exception {
        String secret = secret();
        PrintWriter out = out();
        Tracker tracker = store.openOrCreate();
        MlflowServer server;
        ModelRegistry registry = null;
        try {
            registry = ModelRegistry.of(TrackingStores.openRegistry(store.store)).withRuns(tracker); // the same URI's registry
            server = MlflowServer.builder(tracker).registry(registry).host(host).port(port).token(secret)
                    .requestTimeout(java.time.Duration.ofSeconds(requestTimeout)).maxRequestsPerClient(perClient)
                    .headerTimeout(java.time.Duration.ofSeconds(headerTimeout)).maxConnectionsPerClient(connectionsPerClient).start();
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
        boolean open = secret == null;
        boolean exposed = open && !loopback(host);
        out.println("mlops server on " + server.uri() + " (store " + store.store.replaceAll("(//[^:/@]+:)[^@/]*@", "$1***@")
                + (!open ? ", bearer token required" : exposed ? ", NO AUTHENTICATION ON A NETWORK ADDRESS" : ", no token") + ")");
        if (exposed) {
            spec.commandLine().getErr().println("mlops: WARNING: the server on " + server.uri() + " is OPEN to every machine that can reach"
                    + " it: anyone can read and write the store. Give --token-file FILE, or bind 127.0.0.1.");
            spec.commandLine().getErr().flush();
        }
        out.println("MLflow clients: MLFLOW_TRACKING_URI=" + server.uri());
        out.flush();
        stop.await();
        return 0;
    }

    private static boolean loopback(String host) {
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
