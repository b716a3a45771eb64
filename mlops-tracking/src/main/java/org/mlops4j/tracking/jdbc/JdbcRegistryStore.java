package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.internal.Sha256;
import org.mlops4j.core.model.BundleIntegrityException;
import org.mlops4j.core.model.Lineage;
import org.mlops4j.core.registry.ModelNotFoundException;
import org.mlops4j.core.registry.ModelVersion;
import org.mlops4j.core.registry.RegisteredModel;
import org.mlops4j.core.registry.RegistryConflictException;
import org.mlops4j.core.registry.RegistryStoreException;
import org.mlops4j.core.registry.spi.RegistryStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The durable {@link RegistryStore}: registered models, versions, aliases and tags in the same SQLite file
 * or PostgreSQL schema as the tracking tables (its own tables and Flyway history), on the {@link JdbcStore}
 * base; bundle files content-addressed in the same artifact directory as the tracking artifacts
 * ({@code sha256/ab/cdef...}), so a file stored twice (a run's {@code model/} and its registered version,
 * or two identical versions) is kept once. Open it like the tracking store, from the same URI:
 * {@code TrackingStores.registry("sqlite:./mlruns/mlops.db")}, {@link SqliteTrackingStore.Builder#openRegistry()},
 * {@link PostgresTrackingStore.Builder#openRegistry()}.
 *
 * <p>Numbering: a registration is one write transaction that bumps the model's {@code last_version}
 * counter (a row lock on PostgreSQL, the database's write lock on SQLite), so versions are 1, 2, 3… with
 * no gap or duplicate across threads and processes; a failed registration rolls the counter back. An alias
 * is one row updated in place: a reader sees the old or the new version, never none. Thread-safe and safe
 * for several processes on one database; close it when done.
 * {@snippet :
 * try (JdbcRegistryStore store = SqliteTrackingStore.builder(Path.of("mlruns/mlops.db")).openRegistry()) {
 *     ModelRegistry registry = ModelRegistry.of(store);
 *     registry.register("house-prices", bundle, List.of("champion"), Map.of());
 * }
 * }
 */
public final class JdbcRegistryStore extends JdbcStore implements RegistryStore {
    /** The registry tables: migrations in {@code org/mlops4j/tracking/registrydb/<dialect>}. */
    static final StoreKind KIND = new StoreKind("registry", "org/mlops4j/tracking/registrydb", "mlops_registry_schema_history",
            RegistryStoreException::new);

    private final ContentAddressedStore blobs;
    private final Clock clock;

    private JdbcRegistryStore(Database database, ContentAddressedStore blobs, Clock clock) {
        super(database, KIND);
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * @param database     opened and migrated for {@link #KIND}; closed here when the artifact store cannot be opened
     * @param artifactRoot directory of the content-addressed blobs (the tracking store's), created when missing
     * @return the store
     */
    static JdbcRegistryStore open(Database database, Path artifactRoot) {
        ContentAddressedStore blobs;
        try {
            blobs = new ContentAddressedStore(artifactRoot);
        } catch (RuntimeException e) {
            try {
                database.pools().close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new RegistryStoreException(e.getMessage(), e);
        }
        return new JdbcRegistryStore(database, blobs, Clock.systemUTC());
    }

    /** @return the directory of the content-addressed bundle files (shared with the tracking artifacts) */
    public Path artifactRoot() {
        return blobs.root();
    }

    // ---- versions ----

    @Override
    public ModelVersion addVersion(NewVersion v) {
        // Files first, outside the transaction: content-addressed, so a failed registration leaves at most an
        // unreferenced blob, never a version without its files.
        Map<String, ContentAddressedStore.Blob> stored = new TreeMap<>();
        for (Map.Entry<String, byte[]> f : v.files().entrySet()) {
            stored.put(f.getKey(), blobs.put(new ByteArrayInputStream(f.getValue())));
        }
        return inWrite("registering a version of '" + v.name() + "'", c -> {
            long modelId = ensureModel(c, v.name(), v.createdAt());
            int number;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE registered_models SET last_version = last_version + 1, updated_at = ? WHERE id = ? RETURNING last_version")) {
                ps.setLong(1, v.createdAt().toEpochMilli());
                ps.setLong(2, modelId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    number = rs.getInt(1);
                }
            }
            long versionId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_versions (model_id, version, created_at, run_id,"
                    + " experiment_id, dataset_version, dataset_source, parent, manifest_sha256, description, source)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                Lineage l = v.lineage();
                ps.setLong(1, modelId);
                ps.setInt(2, number);
                ps.setLong(3, v.createdAt().toEpochMilli());
                ps.setString(4, l.runId());
                ps.setString(5, l.experimentId());
                ps.setString(6, l.datasetVersion());
                ps.setString(7, l.datasetSource());
                ps.setString(8, l.parent());
                ps.setString(9, v.manifestSha256());
                ps.setString(10, v.description());
                ps.setString(11, v.source());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    versionId = rs.getLong(1);
                }
            }
            if (!v.metrics().isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_version_metrics (version_id, key, value) VALUES (?, ?, ?)")) {
                    for (Map.Entry<String, Double> m : new TreeMap<>(v.metrics()).entrySet()) {
                        ps.setLong(1, versionId);
                        ps.setString(2, m.getKey());
                        if (m.getValue() == null || m.getValue().isNaN()) {
                            ps.setNull(3, Types.DOUBLE);
                        } else {
                            ps.setDouble(3, m.getValue());
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            upsertTags(c, "model_version_tags", "version_id", versionId, v.tags());
            if (!stored.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_version_files (version_id, path, sha256, size) VALUES (?, ?, ?, ?)")) {
                    for (Map.Entry<String, ContentAddressedStore.Blob> f : stored.entrySet()) {
                        ps.setLong(1, versionId);
                        ps.setString(2, f.getKey());
                        ps.setString(3, f.getValue().sha256());
                        ps.setLong(4, f.getValue().size());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            for (String alias : v.aliases()) {
                putAlias(c, modelId, alias, number);
            }
            return readVersion(c, v.name(), number).orElseThrow();
        });
    }

    /** @return the model's id, creating the model when it does not exist (racing creators both get the one row) */
    private static long ensureModel(Connection c, String name, Instant at) throws SQLException {
        Long id = modelId(c, name);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_models (name, description, created_at, updated_at)"
                + " VALUES (?, '', ?, ?) ON CONFLICT (name) DO NOTHING")) {
            ps.setString(1, name);
            ps.setLong(2, at.toEpochMilli());
            ps.setLong(3, at.toEpochMilli());
            ps.executeUpdate();
        }
        return modelId(c, name);
    }

    private static Long modelId(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM registered_models WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    private static long requireModelId(Connection c, String name) throws SQLException {
        Long id = modelId(c, name);
        if (id == null) {
            throw new ModelNotFoundException("no model named '" + name + "'");
        }
        return id;
    }

    private static long requireVersionId(Connection c, String name, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT v.id FROM model_versions v JOIN registered_models m ON m.id = v.model_id"
                + " WHERE m.name = ? AND v.version = ?")) {
            ps.setString(1, name);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ModelNotFoundException("model '" + name + "' has no version " + version);
                }
                return rs.getLong(1);
            }
        }
    }

    private static void putAlias(Connection c, long modelId, String alias, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO model_aliases (model_id, alias, version) VALUES (?, ?, ?)"
                + " ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version")) {
            ps.setLong(1, modelId);
            ps.setString(2, alias);
            ps.setInt(3, version);
            ps.executeUpdate();
        }
    }

    private void touch(Connection c, long modelId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE registered_models SET updated_at = ? WHERE id = ? AND updated_at < ?")) {
            long now = clock.millis();
            ps.setLong(1, now);
            ps.setLong(2, modelId);
            ps.setLong(3, now);
            ps.executeUpdate();
        }
    }

    private static final String VERSION_COLUMNS = "m.name, v.id, v.version, v.created_at, v.run_id, v.experiment_id, v.dataset_version,"
            + " v.dataset_source, v.parent, v.manifest_sha256, v.description, v.source, m.id";

    private Optional<ModelVersion> readVersion(Connection c, String name, int version) throws SQLException {
        List<ModelVersion> one = readVersions(c, "m.name = ? AND v.version = ?", name, version);
        return one.stream().findFirst();
    }

    private List<ModelVersion> readVersions(Connection c, String where, Object... values) throws SQLException {
        record Row(String name, long id, int version, Instant createdAt, Lineage lineage, String sha, String description,
                   String source, long modelId) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM model_versions v JOIN registered_models m ON m.id = v.model_id WHERE " + where + " ORDER BY v.version")) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getInt(3), Instant.ofEpochMilli(rs.getLong(4)),
                            new Lineage(rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)),
                            rs.getString(10), rs.getString(11), rs.getString(12), rs.getLong(13)));
                }
            }
        }
        if (rows.isEmpty()) {
            return List.of();
        }
        List<Long> ids = rows.stream().map(Row::id).toList();
        Map<Long, Map<String, Double>> metrics = new HashMap<>();
        forChunks(c, "SELECT version_id, key, value FROM model_version_metrics WHERE version_id IN ", ids, rs -> {
            double value = rs.getDouble(3);
            metrics.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>()).put(rs.getString(2), rs.wasNull() ? Double.NaN : value);
        });
        Map<Long, Map<String, String>> tags = new HashMap<>();
        forChunks(c, "SELECT version_id, key, value FROM model_version_tags WHERE version_id IN ", ids,
                rs -> tags.computeIfAbsent(rs.getLong(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3)));
        Map<Long, Map<Integer, List<String>>> aliases = new HashMap<>();
        forChunks(c, "SELECT model_id, version, alias FROM model_aliases WHERE model_id IN ",
                rows.stream().map(Row::modelId).distinct().toList(),
                rs -> aliases.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).computeIfAbsent(rs.getInt(2), k -> new ArrayList<>())
                        .add(rs.getString(3)));
        List<ModelVersion> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            out.add(new ModelVersion(r.name(), r.version(), r.createdAt(), r.lineage(), metrics.getOrDefault(r.id(), Map.of()),
                    tags.getOrDefault(r.id(), Map.of()), aliases.getOrDefault(r.modelId(), Map.of()).getOrDefault(r.version(), List.of()),
                    r.sha(), r.description(), r.source()));
        }
        return out;
    }

    @Override
    public Optional<ModelVersion> version(String name, int version) {
        return inRead("reading " + name + "/" + version, c -> readVersion(c, name, version));
    }

    @Override
    public List<ModelVersion> versions(String name) {
        return inRead("reading the versions of '" + name + "'", c -> readVersions(c, "m.name = ?", name));
    }

    @Override
    public List<String> models() {
        return inRead("listing models", c -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM registered_models");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            names.sort(null);
            return names;
        });
    }

    @Override
    public void setAlias(String name, String alias, int version) {
        inWrite("setting alias '" + alias + "' of '" + name + "'", c -> {
            requireVersionId(c, name, version);
            long modelId = requireModelId(c, name);
            putAlias(c, modelId, alias, version);
            touch(c, modelId);
            return null;
        });
    }

    @Override
    public boolean deleteAlias(String name, String alias) {
        return inWrite("deleting alias '" + alias + "' of '" + name + "'", c -> {
            Long modelId = modelId(c, name);
            if (modelId == null) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_aliases WHERE model_id = ? AND alias = ?")) {
                ps.setLong(1, modelId);
                ps.setString(2, alias);
                boolean deleted = ps.executeUpdate() > 0;
                if (deleted) {
                    touch(c, modelId);
                }
                return deleted;
            }
        });
    }

    @Override
    public Optional<Integer> alias(String name, String alias) {
        return inRead("resolving " + name + "@" + alias, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.version FROM model_aliases a JOIN registered_models m"
                    + " ON m.id = a.model_id WHERE m.name = ? AND a.alias = ?")) {
                ps.setString(1, name);
                ps.setString(2, alias);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getInt(1)) : Optional.<Integer>empty();
                }
            }
        });
    }

    @Override
    public void setTag(String name, int version, String key, String value) {
        inWrite("tagging " + name + "/" + version, c -> {
            upsertTags(c, "model_version_tags", "version_id", requireVersionId(c, name, version), Map.of(key, value));
            return null;
        });
    }

    @Override
    public boolean deleteTag(String name, int version, String key) {
        return inWrite("deleting tag '" + key + "' of " + name + "/" + version, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_version_tags WHERE version_id = ? AND key = ?")) {
                ps.setLong(1, requireVersionId(c, name, version));
                ps.setString(2, key);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void setVersionDescription(String name, int version, String description) {
        inWrite("describing " + name + "/" + version, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE model_versions SET description = ? WHERE id = ?")) {
                ps.setString(1, description == null ? "" : description);
                ps.setLong(2, requireVersionId(c, name, version));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Map<String, byte[]> files(String name, int version) {
        Map<String, String[]> listed = inRead("listing the files of " + name + "/" + version, c -> {
            long id = requireVersionId(c, name, version);
            Map<String, String[]> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT path, sha256, size FROM model_version_files WHERE version_id = ? ORDER BY path")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), new String[] {rs.getString(2), Long.toString(rs.getLong(3))});
                    }
                }
            }
            return out;
        });
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> f : listed.entrySet()) {
            byte[] bytes;
            try (InputStream in = blobs.open(f.getValue()[0])) {
                bytes = in.readAllBytes();
            } catch (IOException | RuntimeException e) {
                throw new RegistryStoreException("file '" + f.getKey() + "' of " + name + "/" + version + " (blob " + f.getValue()[0]
                        + " under " + blobs.root() + ") cannot be read: " + e.getMessage(), e);
            }
            if (bytes.length != Long.parseLong(f.getValue()[1]) || !Sha256.hex(bytes).equals(f.getValue()[0])) {
                throw new BundleIntegrityException("file '" + f.getKey() + "' of " + name + "/" + version + " was changed on disk: blob "
                        + f.getValue()[0] + " under " + blobs.root() + " no longer has that SHA-256; refusing to load it");
            }
            files.put(f.getKey(), bytes);
        }
        return files;
    }

    // ---- models ----

    @Override
    public Optional<RegisteredModel> model(String name) {
        return inRead("reading model '" + name + "'", c -> {
            long id;
            String description;
            Instant created;
            Instant updated;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, description, created_at, updated_at FROM registered_models WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<RegisteredModel>empty();
                    }
                    id = rs.getLong(1);
                    description = rs.getString(2);
                    created = Instant.ofEpochMilli(rs.getLong(3));
                    updated = Instant.ofEpochMilli(rs.getLong(4));
                }
            }
            Map<String, String> tags = new TreeMap<>();
            forChunks(c, "SELECT model_id, key, value FROM registered_model_tags WHERE model_id IN ", List.of(id),
                    rs -> tags.put(rs.getString(2), rs.getString(3)));
            Map<String, Integer> aliases = new TreeMap<>();
            forChunks(c, "SELECT model_id, alias, version FROM model_aliases WHERE model_id IN ", List.of(id),
                    rs -> aliases.put(rs.getString(2), rs.getInt(3)));
            int latest;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(version) FROM model_versions WHERE model_id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    latest = rs.getInt(1);
                }
            }
            return Optional.of(new RegisteredModel(name, description, tags, created, updated, latest, aliases));
        });
    }

    @Override
    public RegisteredModel createModel(String name, String description, Map<String, String> tags, Instant createdAt) {
        inWrite("creating model '" + name + "'", c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO registered_models (name, description, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, description == null ? "" : description);
                ps.setLong(3, createdAt.toEpochMilli());
                ps.setLong(4, createdAt.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new RegistryConflictException("registered model '" + name + "' already exists");
                    }
                    id = rs.getLong(1);
                }
            }
            upsertTags(c, "registered_model_tags", "model_id", id, tags);
            return null;
        });
        return model(name).orElseThrow();
    }

    @Override
    public void setModelDescription(String name, String description) {
        inWrite("describing model '" + name + "'", c -> {
            long id = requireModelId(c, name);
            try (PreparedStatement ps = c.prepareStatement("UPDATE registered_models SET description = ? WHERE id = ?")) {
                ps.setString(1, description == null ? "" : description);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            touch(c, id);
            return null;
        });
    }

    @Override
    public void setModelTag(String name, String key, String value) {
        inWrite("tagging model '" + name + "'", c -> {
            long id = requireModelId(c, name);
            upsertTags(c, "registered_model_tags", "model_id", id, Map.of(key, value));
            touch(c, id);
            return null;
        });
    }

    @Override
    public boolean deleteModelTag(String name, String key) {
        return inWrite("deleting tag '" + key + "' of model '" + name + "'", c -> {
            long id = requireModelId(c, name);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM registered_model_tags WHERE model_id = ? AND key = ?")) {
                ps.setLong(1, id);
                ps.setString(2, key);
                boolean deleted = ps.executeUpdate() > 0;
                touch(c, id);
                return deleted;
            }
        });
    }

    @Override
    public void renameModel(String name, String newName) {
        inWrite("renaming model '" + name + "'", c -> {
            long id = requireModelId(c, name);
            if (modelId(c, newName) != null) {
                throw new RegistryConflictException("registered model '" + newName + "' already exists");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE registered_models SET name = ? WHERE id = ?")) {
                ps.setString(1, newName);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            touch(c, id);
            return null;
        });
    }

    @Override
    public void deleteVersion(String name, int version) {
        inWrite("deleting " + name + "/" + version, c -> {
            long versionId = requireVersionId(c, name, version);
            long modelId = requireModelId(c, name);
            for (String table : List.of("model_version_metrics", "model_version_tags", "model_version_files")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE version_id = ?")) {
                    ps.setLong(1, versionId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_aliases WHERE model_id = ? AND version = ?")) {
                ps.setLong(1, modelId);
                ps.setInt(2, version);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM model_versions WHERE id = ?")) {
                ps.setLong(1, versionId);
                ps.executeUpdate();
            }
            touch(c, modelId);
            return null;
        });
    }

    @Override
    public void deleteModel(String name) {
        inWrite("deleting model '" + name + "'", c -> {
            long modelId = requireModelId(c, name);
            for (String table : List.of("model_version_metrics", "model_version_tags", "model_version_files")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                        + " WHERE version_id IN (SELECT id FROM model_versions WHERE model_id = ?)")) {
                    ps.setLong(1, modelId);
                    ps.executeUpdate();
                }
            }
            for (String table : List.of("model_aliases", "model_versions", "registered_model_tags")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE model_id = ?")) {
                    ps.setLong(1, modelId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM registered_models WHERE id = ?")) {
                ps.setLong(1, modelId);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
