package org.mlops4j.tracking.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.tracking.internal.MlflowJson;

import java.io.IOException;
import java.io.InputStream;

/**
 * MLflow's artifact proxy, {@code /api/2.0/mlflow-artifacts/artifacts/<experiment>/<run>/artifacts/<path>}:
 * {@code PUT} (or {@code POST}) uploads a file, streaming, up to the server's artifact limit; {@code GET}
 * downloads it ({@code HEAD}: the same answer without the bytes); {@code GET} on the bare route lists {@code ?path=<experiment>/<run>/artifacts[/<dir>]}.
 * Artifact paths are checked by the tracker, so none leaves its run.
 */
final class ArtifactProxy {
    /** The route. */
    static final String ROUTE = "/api/2.0/mlflow-artifacts/artifacts";

    private final Tracker tracker;
    private final RegistryRoutes registry;

    ArtifactProxy(Tracker tracker) {
        this(tracker, null);
    }

    /**
     * @param tracker  whose run artifacts are served
     * @param registry also serves {@code model-registry/<name>/<version>/<file>} (read-only), or null
     */
    ArtifactProxy(Tracker tracker, RegistryRoutes registry) {
        this.tracker = tracker;
        this.registry = registry;
    }

    /**
     * @param exchange the request
     * @param location the path after {@code .../artifacts/}, or "" for the bare route
     * @throws IOException when the client's connection fails, or the upload exceeds the limit
     */
    void serve(Exchange exchange, String location) throws IOException {
        boolean head = exchange.method().equals("HEAD");
        switch (exchange.method()) {
            case "PUT", "POST" -> {
                try (InputStream in = exchange.upload()) {
                    exchange.json(200, upload(location, in));
                } catch (RuntimeException e) {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        if (t instanceof LimitedInputStream.TooLarge tooLarge) {
                            throw tooLarge; // the store wrapped the failed read: still 413
                        }
                    }
                    throw e;
                }
            }
            case "GET", "HEAD" -> {
                String listed = exchange.query().path("path").asText("");
                if (registry != null && location.isEmpty() && listed.startsWith(RegistryRoutes.FILES_PREFIX)) {
                    exchange.json(200, registry.list(listed.substring(RegistryRoutes.FILES_PREFIX.length())));
                    return;
                }
                if (registry != null && location.startsWith(RegistryRoutes.FILES_PREFIX)) {
                    byte[] file = registry.file(location.substring(RegistryRoutes.FILES_PREFIX.length()));
                    try (InputStream in = new java.io.ByteArrayInputStream(head ? new byte[0] : file)) {
                        exchange.stream(in);
                    }
                    return;
                }
                if (location.isEmpty()) {
                    exchange.json(200, list(listed));
                    return;
                }
                try (InputStream in = download(location)) {
                    exchange.setHeader("Content-Disposition", attachment(location));
                    // HEAD: the answer of GET without its bytes (the file is opened, so a missing one is 404 as on GET)
                    exchange.stream(head ? InputStream.nullInputStream() : in);
                }
            }
            case "DELETE" -> throw new ApiError(501, "NOT_IMPLEMENTED", "mlops server does not delete artifacts");
            default -> throw ApiError.methodNotAllowed(ROUTE, exchange.method(), java.util.List.of("GET", "PUT", "POST"));
        }
    }

    /**
     * @param location the artifact's location
     * @return {@code attachment} with the file's name, ASCII-safe (and its UTF-8 name per RFC 6266)
     */
    static String attachment(String location) {
        String name = location.substring(location.lastIndexOf('/') + 1);
        StringBuilder ascii = new StringBuilder();
        for (char ch : name.toCharArray()) {
            ascii.append(ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' && ch != ';' ? ch : '_');
        }
        String encoded = java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + (ascii.isEmpty() ? "artifact" : ascii) + "\"; filename*=UTF-8''" + encoded;
    }

    /**
     * Parses {@code <experiment>/<run>/artifacts[/<path>]}.
     *
     * @return {run id, artifact path ("" for the root)}
     */
    private String[] artifactLocation(String rest) {
        String[] parts = rest.split("/", 4);
        if (parts.length < 3 || !parts[2].equals("artifacts") || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "artifact locations are <experiment_id>/<run_id>/artifacts/<path> but was '"
                    + rest + "'");
        }
        Run run = Requests.run(tracker, parts[1]);
        if (!run.info().experimentId().equals(parts[0])) {
            throw new TrackingNotFoundException("run " + parts[1] + " is not in experiment " + parts[0]);
        }
        return new String[] {parts[1], parts.length == 4 ? parts[3] : ""};
    }

    private ObjectNode upload(String rest, InputStream content) {
        String[] loc = artifactLocation(rest);
        if (loc[1].isEmpty()) {
            throw new IllegalArgumentException("an artifact upload needs a file path after 'artifacts/'");
        }
        tracker.more().logArtifact(loc[0], loc[1], content);
        return MlflowJson.object();
    }

    private InputStream download(String rest) {
        String[] loc = artifactLocation(rest);
        return tracker.openArtifact(loc[0], loc[1]);
    }

    private ObjectNode list(String path) {
        ObjectNode out = MlflowJson.object();
        ArrayNode files = out.putArray("files");
        if (path == null || path.isEmpty()) {
            return out;
        }
        String[] loc = artifactLocation(path);
        ListArtifacts.directory(Requests.run(tracker, loc[0]), loc[1], false).forEach(files::add);
        return out;
    }
}
