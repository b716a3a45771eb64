package org.mlops4j.tracking;

import org.mlops4j.core.registry.ModelRegistry;
import org.mlops4j.core.registry.memory.InMemoryRegistryStore;
import org.mlops4j.core.registry.spi.RegistryStore;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.memory.InMemoryTrackingStore;
import org.mlops4j.core.tracking.spi.TrackingStore;
import org.mlops4j.tracking.jdbc.PostgresTrackingStore;
import org.mlops4j.tracking.jdbc.SqliteTrackingStore;
import org.mlops4j.tracking.mlflow.MlflowTrackingStore;
import org.mlops4j.tracking.spi.TrackingStoreProvider;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Opens a tracking store from a URI: a convenience over the explicit factories
 * ({@link SqliteTrackingStore}, {@link PostgresTrackingStore}, {@link MlflowTrackingStore}). Nothing happens
 * until a method is called (no static initialization, no network call).
 * <table>
 *   <caption>Tracking URIs</caption>
 *   <tr><th>URI</th><th>store</th></tr>
 *   <tr><td>{@code sqlite:./mlruns/mlops.db} (the default), {@code sqlite:/abs/path.db}, {@code sqlite:///abs/path.db}</td>
 *       <td>embedded SQLite; options {@code ?artifacts=DIR&busy_timeout_ms=N&synchronous=FULL|NORMAL}</td></tr>
 *   <tr><td>{@code postgresql://user:password@host:5432/db} (also {@code postgres://}, {@code jdbc:postgresql://})</td>
 *       <td>PostgreSQL, needs {@code org.postgresql:postgresql}; options {@code ?schema=mlops&artifacts=DIR}</td></tr>
 *   <tr><td>{@code http://mlflow:5000}, {@code https://...}</td>
 *       <td>an MLflow tracking server (or {@code mlops server}); credentials from {@code MLFLOW_TRACKING_TOKEN} or
 *       {@code MLFLOW_TRACKING_USERNAME}/{@code MLFLOW_TRACKING_PASSWORD}, as MLflow's clients do</td></tr>
 *   <tr><td>{@code memory:}</td><td>in memory, lost at exit</td></tr>
 * </table>
 * Another scheme is opened by a {@link TrackingStoreProvider} on the class path, or fails naming what to add.
 * The same URI opens the model registry ({@link #registry(String)}): its tables sit beside the tracking
 * tables, its bundle files beside the tracking artifacts.
 * {@snippet :
 * try (Tracker tracker = TrackingStores.tracker("sqlite:./mlruns/mlops.db")) {
 *     // ...
 * }
 * TrackingStore team = TrackingStores.open("postgresql://mlops@db.internal:5432/mlops?artifacts=/mnt/mlops");
 * }
 */
public final class TrackingStores {
    /** The default tracking URI. */
    public static final String DEFAULT_URI = "sqlite:./mlruns/mlops.db";

    private TrackingStores() {
    }

    /**
     * @param uri a tracking URI (see the class comment)
     * @return a tracker over the store it names; closing the tracker closes the store
     */
    public static Tracker tracker(String uri) {
        return Tracker.builder().store(open(uri)).build();
    }

    /**
     * @param uri a tracking URI (see the class comment)
     * @return the opened store
     * @throws IllegalArgumentException for a malformed URI or an unknown scheme, naming what to add
     */
    public static TrackingStore open(String uri) {
        return (TrackingStore) open(uri, false);
    }

    /**
     * Opens the model registry of a tracking URI: the same SQLite file or PostgreSQL schema (the registry's own
     * tables, bundle files content-addressed beside the tracking artifacts), the MLflow server's model registry,
     * or memory. The registry also loads {@code runs:/<run-id>/model} from the tracking store of the same URI;
     * closing it closes both.
     * {@snippet :
     * try (ModelRegistry registry = TrackingStores.registry("sqlite:./mlruns/mlops.db")) {
     *     Predictor champion = registry.predictor("models:/house-prices@champion");
     * }
     * }
     *
     * @param uri a tracking URI (see the class comment)
     * @return the registry
     * @throws IllegalArgumentException for a malformed URI or an unknown scheme
     */
    public static ModelRegistry registry(String uri) {
        RegistryStore store = openRegistry(uri);
        if (store instanceof InMemoryRegistryStore) {
            return ModelRegistry.of(store);
        }
        Tracker runs;
        try {
            runs = tracker(uri);
        } catch (RuntimeException e) {
            if (store instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return ModelRegistry.of(store).withRuns(runs).closing(runs);
    }

    /**
     * @param uri a tracking URI (see the class comment)
     * @return the registry store it names ({@link org.mlops4j.tracking.jdbc.JdbcRegistryStore},
     *         {@link org.mlops4j.tracking.mlflow.MlflowRegistryStore} or {@link InMemoryRegistryStore}); close it when done
     */
    public static RegistryStore openRegistry(String uri) {
        return (RegistryStore) open(uri, true);
    }

    private static Object open(String uri, boolean registry) {
        Objects.requireNonNull(uri, "uri");
        String trimmed = uri.strip();
        int colon = trimmed.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("a tracking URI starts with a scheme (sqlite:, postgresql://, http://, memory:) but was '"
                    + redact(trimmed) + "'");
        }
        String scheme = trimmed.substring(0, colon).toLowerCase(Locale.ROOT);
        String rest = trimmed.substring(colon + 1);
        return switch (scheme) {
            case "sqlite" -> registry ? sqlite(rest).openRegistry() : sqlite(rest).open();
            case "postgresql", "postgres" -> registry ? postgres(trimmed).openRegistry() : postgres(trimmed).open();
            case "jdbc" -> {
                if (!rest.startsWith("postgresql:")) {
                    throw new IllegalArgumentException("only jdbc:postgresql: JDBC URLs are tracking URIs, not '" + redact(trimmed) + "'");
                }
                yield registry ? postgres(rest).openRegistry() : postgres(rest).open();
            }
            case "http", "https" -> registry ? mlflow(trimmed).openRegistry() : mlflow(trimmed).open();
            case "memory" -> registry ? new InMemoryRegistryStore() : new InMemoryTrackingStore();
            default -> {
                if (registry) {
                    throw new IllegalArgumentException("no model registry for URI scheme '" + scheme + ":' in '" + redact(trimmed)
                            + "'; registries open sqlite:, postgresql://, http(s):// (MLflow) and memory:");
                }
                yield provided(scheme, trimmed);
            }
        };
    }

    private static SqliteTrackingStore.Builder sqlite(String rest) {
        String pathPart = rest;
        Map<String, String> options = Map.of();
        int q = rest.indexOf('?');
        if (q >= 0) {
            pathPart = rest.substring(0, q);
            options = query(rest.substring(q + 1));
        }
        if (pathPart.startsWith("//")) {
            pathPart = pathPart.substring(2); // sqlite:///abs/path -> /abs/path
        }
        if (pathPart.isEmpty()) {
            throw new IllegalArgumentException("a sqlite: URI names a database file, e.g. " + DEFAULT_URI);
        }
        SqliteTrackingStore.Builder b = SqliteTrackingStore.builder(Path.of(pathPart));
        for (Map.Entry<String, String> o : options.entrySet()) {
            switch (o.getKey()) {
                case "artifacts" -> b.artifactRoot(Path.of(o.getValue()));
                case "busy_timeout_ms" -> b.busyTimeout(Duration.ofMillis(parseLong(o)));
                case "synchronous" -> b.synchronous(synchronous(o.getValue()));
                default -> throw new IllegalArgumentException("unknown sqlite: option '" + o.getKey()
                        + "'; options are artifacts, busy_timeout_ms, synchronous");
            }
        }
        return b;
    }

    private static PostgresTrackingStore.Builder postgres(String uri) {
        URI u = parse(uri.replaceFirst("^(?i)postgres(ql)?:", "postgresql:"));
        if (u.getHost() == null) {
            throw new IllegalArgumentException("a postgresql:// URI names a host, e.g. postgresql://user@db:5432/mlops, but was '" + redact(uri) + "'");
        }
        Map<String, String> options = new LinkedHashMap<>(query(u.getRawQuery()));
        String schema = options.remove("schema");
        String artifacts = options.remove("artifacts");
        String user = null;
        String password = null;
        if (u.getRawUserInfo() != null) {
            String[] ui = u.getRawUserInfo().split(":", 2);
            user = URLDecoder.decode(ui[0], StandardCharsets.UTF_8);
            password = ui.length > 1 ? URLDecoder.decode(ui[1], StandardCharsets.UTF_8) : null;
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(u.getHost());
        if (u.getPort() > 0) {
            jdbc.append(':').append(u.getPort());
        }
        jdbc.append(u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath());
        if (!options.isEmpty()) {
            StringBuilder params = new StringBuilder();
            options.forEach((k, v) -> params.append(params.isEmpty() ? "?" : "&").append(k).append('=').append(v));
            jdbc.append(params);
        }
        PostgresTrackingStore.Builder b = PostgresTrackingStore.builder(jdbc.toString()).user(user).password(password);
        if (schema != null) {
            b.schema(schema);
        }
        if (artifacts != null) {
            b.artifactRoot(Path.of(artifacts));
        }
        return b;
    }

    private static MlflowTrackingStore.Builder mlflow(String uri) {
        URI u = parse(uri);
        MlflowTrackingStore.Builder b;
        if (u.getRawUserInfo() != null) {
            String[] ui = u.getRawUserInfo().split(":", 2);
            URI bare = parse(u.getScheme() + "://" + u.getRawAuthority().substring(u.getRawAuthority().indexOf('@') + 1)
                    + (u.getRawPath() == null ? "" : u.getRawPath()));
            b = MlflowTrackingStore.builder(bare).basicAuth(URLDecoder.decode(ui[0], StandardCharsets.UTF_8),
                    ui.length > 1 ? URLDecoder.decode(ui[1], StandardCharsets.UTF_8) : "");
        } else {
            b = MlflowTrackingStore.builder(u);
            String token = System.getenv("MLFLOW_TRACKING_TOKEN");
            String user = System.getenv("MLFLOW_TRACKING_USERNAME");
            if (token != null && !token.isBlank()) {
                b.token(token);
            } else if (user != null && !user.isBlank()) {
                String password = System.getenv("MLFLOW_TRACKING_PASSWORD");
                b.basicAuth(user, password == null ? "" : password);
            }
        }
        return b;
    }

    private static TrackingStore provided(String scheme, String uri) {
        for (TrackingStoreProvider p : ServiceLoader.load(TrackingStoreProvider.class, TrackingStores.class.getClassLoader())) {
            if (p.supports(scheme)) {
                return p.open(parse(uri));
            }
        }
        String hint = switch (scheme) {
            case "file" -> "a local store is sqlite:./mlruns/mlops.db (MLflow's file store format is not supported)";
            case "databricks" -> "Databricks-hosted MLflow is reached over https:// with MLFLOW_TRACKING_TOKEN";
            case "mysql", "mariadb", "mssql" -> "mlops4j stores run on SQLite and PostgreSQL";
            default -> "no artifact on the class path provides it";
        };
        throw new IllegalArgumentException("unknown tracking URI scheme '" + scheme + ":' in '" + redact(uri) + "' (" + hint
                + "). mlops-tracking opens sqlite:, postgresql:// (add org.postgresql:postgresql), http(s):// (MLflow) and memory:;"
                + " another scheme needs the artifact that implements org.mlops4j.tracking.spi.TrackingStoreProvider for it");
    }

    private static URI parse(String uri) {
        try {
            return new URI(uri);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed tracking URI '" + redact(uri) + "': " + e.getReason(), e);
        }
    }

    private static Map<String, String> query(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static SqliteTrackingStore.Synchronous synchronous(String value) {
        for (SqliteTrackingStore.Synchronous s : SqliteTrackingStore.Synchronous.values()) {
            if (s.name().equalsIgnoreCase(value.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("option synchronous must be one of " + java.util.Arrays.toString(SqliteTrackingStore.Synchronous.values())
                + " but was '" + value + "'");
    }

    private static long parseLong(Map.Entry<String, String> o) {
        try {
            return Long.parseLong(o.getValue());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + o.getKey() + " must be a whole number but was '" + o.getValue() + "'", e);
        }
    }

    /** @return the URI with its password masked, for messages */
    static String redact(String uri) {
        return uri.replaceAll("(//[^:/@]+:)[^@/]*@", "$1***@").replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
