package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.StoreException;
import org.mlops4j.core.tracking.ArtifactInfo;
import org.mlops4j.core.tracking.Experiment;
import org.mlops4j.core.tracking.Metric;
import org.mlops4j.core.tracking.Run;
import org.mlops4j.core.tracking.RunInfo;
import org.mlops4j.core.tracking.RunPage;
import org.mlops4j.core.tracking.RunQuery;
import org.mlops4j.core.tracking.RunStatus;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingConflictException;
import org.mlops4j.core.tracking.TrackingException;
import org.mlops4j.core.tracking.TrackingNotFoundException;
import org.mlops4j.core.tracking.spi.RunWrite;
import org.mlops4j.core.tracking.spi.TrackingStore;

import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The durable {@link TrackingStore}: one implementation over SQLite ({@link SqliteTrackingStore}) and
 * PostgreSQL ({@link PostgresTrackingStore}) with the same tables, on the {@link JdbcStore} base, plus a
 * content-addressed artifact store on the file system. Open it through those classes or
 * {@link org.mlops4j.tracking.TrackingStores#open(String)}; close it (or the
 * {@link org.mlops4j.core.tracking.Tracker} using it) when done.
 *
 * <p>Every {@link #write(List)} call is one transaction; a write id committed before is skipped (a receipt
 * table), so retries never duplicate. Thread-safe and safe for several processes on one database.
 * {@snippet :
 * try (Tracker tracker = Tracker.builder().store(SqliteTrackingStore.open(Path.of("mlruns/mlops.db"))).build()) {
 *     // ...
 * }
 * }
 */
public final class JdbcTrackingStore extends JdbcStore implements TrackingStore {
    /** The tracking tables: migrations in {@code org/mlops4j/tracking/db/<dialect>}, failures {@link TrackingException}. */
    static final StoreKind KIND = new StoreKind("tracking", "org/mlops4j/tracking/db", "mlops_schema_history", TrackingException::new);

    private final ContentAddressedStore blobs;
    private final RunSearchSql search;
    private final Map<String, Long> runIds = new ConcurrentHashMap<>();
    private final Map<String, Long> keyIds = new ConcurrentHashMap<>();

    private JdbcTrackingStore(Database database, ContentAddressedStore blobs) {
        super(database, KIND);
        this.blobs = blobs;
        this.search = new RunSearchSql(database.dialect());
    }

    /**
     * For {@link SqliteTrackingStore} and {@link PostgresTrackingStore}.
     *
     * @param database     opened and migrated for {@link #KIND}; closed here when the artifact store cannot be opened
     * @param artifactRoot directory of the artifact blobs, created when missing
     * @return the store
     */
    static JdbcTrackingStore open(Database database, Path artifactRoot) {
        ContentAddressedStore blobs;
        try {
            blobs = new ContentAddressedStore(artifactRoot);
        } catch (RuntimeException e) {
            try {
                database.pools().close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new JdbcTrackingStore(database, blobs);
    }

    /** @return the directory of the content-addressed artifact blobs */
    public Path artifactRoot() {
        return blobs.root();
    }

    // ---- experiments ----

    @Override
    public Experiment createExperiment(String name, Map<String, String> tags, Instant createdAt) {
        try {
            return inWrite("creating experiment '" + name + "'", c -> {
                long id;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO experiments (name, created_at) VALUES (?, ?) RETURNING id")) {
                    ps.setString(1, name);
                    ps.setLong(2, createdAt.toEpochMilli());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                    }
                } catch (SQLException e) {
                    if (uniqueViolation(e)) {
                        throw new TrackingConflictException("experiment '" + name + "' already exists", e);
                    }
                    throw e;
                }
                upsertTags(c, "experiment_tags", "experiment_id", id, tags);
                return new Experiment(Long.toString(id), name, createdAt, tags);
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException s && uniqueViolation(s)) {
                throw new TrackingConflictException("experiment '" + name + "' already exists", s);
            }
            throw e;
        }
    }

    @Override
    public Optional<Experiment> experimentByName(String name) {
        return inRead("reading experiment '" + name + "'", c -> experimentsWhere(c, "name = ?", name)).stream().findFirst();
    }

    @Override
    public Optional<Experiment> experimentById(String id) {
        Long numeric = parseId(id);
        if (numeric == null) {
            return Optional.empty();
        }
        return inRead("reading experiment " + id, c -> experimentsWhere(c, "id = ?", numeric)).stream().findFirst();
    }

    @Override
    public List<Experiment> experiments() {
        return inRead("listing experiments", c -> experimentsWhere(c, null, null));
    }

    private static List<Experiment> experimentsWhere(Connection c, String where, Object value) throws SQLException {
        Map<Long, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, created_at FROM experiments"
                + (where == null ? "" : " WHERE " + where) + " ORDER BY created_at, id")) {
            if (value != null) {
                ps.setObject(1, value);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Object[] {rs.getString(2), rs.getLong(3)});
                }
            }
        }
        Map<Long, Map<String, String>> tags = new HashMap<>();
        forChunks(c, "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN ", new ArrayList<>(rows.keySet()),
                rs -> tags.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3)));
        List<Experiment> out = new ArrayList<>();
        rows.forEach((id, r) -> out.add(new Experiment(Long.toString(id), (String) r[0], Instant.ofEpochMilli((Long) r[1]),
                tags.getOrDefault(id, Map.of()))));
        return out;
    }

    @Override
    public void setExperimentTag(String experimentId, String key, String value) {
        Long id = parseId(experimentId);
        inWrite("tagging experiment " + experimentId, c -> {
            if (id == null || !exists(c, "SELECT 1 FROM experiments WHERE id = ?", id)) {
                throw new TrackingNotFoundException("no experiment with id " + experimentId);
            }
            upsertTags(c, "experiment_tags", "experiment_id", id, Map.of(key, value));
            return null;
        });
    }

    // ---- runs ----

    @Override
    public RunInfo createRun(String experimentId, String name, String parentRunId, Instant startTime, Map<String, String> tags) {
        Long experiment = parseId(experimentId);
        String uuid = UUID.randomUUID().toString().replace("-", "");
        long id = inWrite("creating a run in experiment " + experimentId, c -> {
            if (experiment == null || !exists(c, "SELECT 1 FROM experiments WHERE id = ?", experiment)) {
                throw new TrackingNotFoundException("no experiment with id " + experimentId);
            }
            Long parent = parentRunId == null ? null : runId(c, parentRunId, "parent run");
            long runId;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (uuid, experiment_id, name, parent_id, status, start_time)"
                    + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, uuid);
                ps.setLong(2, experiment);
                ps.setString(3, name);
                if (parent == null) {
                    ps.setNull(4, Types.BIGINT);
                } else {
                    ps.setLong(4, parent);
                }
                ps.setString(5, RunStatus.RUNNING.name());
                ps.setLong(6, startTime.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    runId = rs.getLong(1);
                }
            }
            upsertTags(c, "tags", "run_id", runId, tags);
            return runId;
        });
        runIds.put(uuid, id);
        return new RunInfo(uuid, experimentId, name, parentRunId, RunStatus.RUNNING, startTime, null);
    }

    /** Internal id of a run; ids never change, so they are cached once read from committed data. */
    private long runId(Connection c, String uuid, String what) throws SQLException {
        Long id = runIds.get(uuid);
        if (id != null) {
            return id;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE uuid = ?")) {
            ps.setString(1, uuid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new TrackingNotFoundException("no " + what + " with id " + uuid);
                }
                id = rs.getLong(1);
            }
        }
        runIds.put(uuid, id);
        return id;
    }

    @Override
    public void write(List<RunWrite> batch) {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Long> newKeys = new HashMap<>();
        int points = batch.stream().mapToInt(RunWrite::points).sum();
        inWrite("writing " + batch.size() + " batches (" + points + " metric points)", c -> {
            newKeys.clear(); // a retried transaction starts over
            MetricRows rows = new MetricRows(points);
            TreeMap<String, Object[]> latest = new TreeMap<>();
            try (PreparedStatement receipt = c.prepareStatement("INSERT INTO writes (write_id, run_id, written_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (write_id) DO NOTHING")) {
                long now = System.currentTimeMillis();
                for (RunWrite w : batch) {
                    long run = runId(c, w.runId(), "run");
                    receipt.setString(1, w.writeId());
                    receipt.setLong(2, run);
                    receipt.setLong(3, now);
                    if (receipt.executeUpdate() == 0) {
                        continue; // committed before: this is a retry
                    }
                    insertParams(c, run, w);
                    upsertTags(c, "tags", "run_id", run, w.batch().tags());
                    for (Metric m : w.batch().metrics()) {
                        long key = keyId(c, m.key(), newKeys);
                        rows.add(run, key, m);
                        // Rows arrive in logging order: a later row with the same (step, time) wins.
                        String slot = run + "/" + key;
                        Object[] cur = latest.get(slot);
                        Metric best = cur == null ? null : (Metric) cur[2];
                        if (best == null || m.step() > best.step() || (m.step() == best.step() && !m.timestamp().isBefore(best.timestamp()))) {
                            latest.put(slot, new Object[] {run, key, m});
                        }
                    }
                }
            }
            rows.insert(c);
            upsertLatest(c, latest.values());
            return null;
        });
        keyIds.putAll(newKeys); // only ids of committed keys are cached
    }

    private void insertParams(Connection c, long run, RunWrite w) throws SQLException {
        if (w.batch().params().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)"
                + " ON CONFLICT (run_id, key) DO NOTHING");
             PreparedStatement read = c.prepareStatement("SELECT value FROM params WHERE run_id = ? AND key = ?")) {
            for (Map.Entry<String, String> p : new TreeMap<>(w.batch().params()).entrySet()) {
                insert.setLong(1, run);
                insert.setString(2, p.getKey());
                insert.setString(3, p.getValue());
                if (insert.executeUpdate() == 1) {
                    continue;
                }
                read.setLong(1, run);
                read.setString(2, p.getKey());
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                    String old = rs.getString(1);
                    if (!old.equals(p.getValue())) {
                        throw new TrackingConflictException("param '" + p.getKey() + "' of run " + w.runId() + " is already '" + old
                                + "'; params cannot change (tried '" + p.getValue() + "')");
                    }
                }
            }
        }
    }

    private long keyId(Connection c, String key, Map<String, Long> newKeys) throws SQLException {
        Long id = keyIds.get(key);
        if (id == null) {
            id = newKeys.get(key);
        }
        if (id != null) {
            return id;
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO metric_keys (key) VALUES (?) ON CONFLICT (key) DO NOTHING")) {
            ins.setString(1, key);
            ins.executeUpdate();
        }
        try (PreparedStatement sel = c.prepareStatement("SELECT id FROM metric_keys WHERE key = ?")) {
            sel.setString(1, key);
            try (ResultSet rs = sel.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        newKeys.put(key, id);
        return id;
    }

    private static void bindValue(PreparedStatement ps, int index, double value) throws SQLException {
        if (Double.isNaN(value)) {
            ps.setNull(index, Types.DOUBLE); // SQLite cannot store NaN; both dialects store it as NULL
        } else {
            ps.setDouble(index, value);
        }
    }

    /**
     * Metric rows of one transaction in primitive arrays, inserted with multi-row INSERT statements of
     * {@value #ROWS_PER_INSERT} rows: about twice as fast in SQLite as one-row JDBC batches (fewer
     * statement steps), and what PostgreSQL's driver does for batches anyway.
     */
    private static final class MetricRows {
        static final int ROWS_PER_INSERT = 100;
        private static final String ONE = "(?, ?, ?, ?, ?)";
        private static final String INSERT = "INSERT INTO metrics (run_id, key_id, step, ts, value) VALUES ";
        private static final String INSERT_MANY = INSERT + (ONE + ", ").repeat(ROWS_PER_INSERT - 1) + ONE;
        final long[] run;
        final long[] key;
        final long[] step;
        final long[] ts;
        final double[] value;
        int size;

        MetricRows(int capacity) {
            run = new long[capacity];
            key = new long[capacity];
            step = new long[capacity];
            ts = new long[capacity];
            value = new double[capacity];
        }

        void add(long r, long k, Metric m) {
            run[size] = r;
            key[size] = k;
            step[size] = m.step();
            ts[size] = m.timestamp().toEpochMilli();
            value[size] = m.value();
            size++;
        }

        private int bind(PreparedStatement ps, int first, int i) throws SQLException {
            ps.setLong(first, run[i]);
            ps.setLong(first + 1, key[i]);
            ps.setLong(first + 2, step[i]);
            ps.setLong(first + 3, ts[i]);
            bindValue(ps, first + 4, value[i]);
            return first + 5;
        }

        void insert(Connection c) throws SQLException {
            int i = 0;
            if (size >= ROWS_PER_INSERT) {
                try (PreparedStatement many = c.prepareStatement(INSERT_MANY)) {
                    for (; i + ROWS_PER_INSERT <= size; i += ROWS_PER_INSERT) {
                        int p = 1;
                        for (int r = i; r < i + ROWS_PER_INSERT; r++) {
                            p = bind(many, p, r);
                        }
                        many.executeUpdate();
                    }
                }
            }
            if (i < size) {
                try (PreparedStatement one = c.prepareStatement(INSERT + ONE)) {
                    for (; i < size; i++) {
                        bind(one, 1, i);
                        one.addBatch();
                    }
                    one.executeBatch();
                }
            }
        }
    }

    private static void upsertLatest(Connection c, Iterable<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO latest_metrics (run_id, key_id, step, ts, value) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (run_id, key_id) DO UPDATE SET step = excluded.step, ts = excluded.ts, value = excluded.value"
                + " WHERE excluded.step > latest_metrics.step"
                + " OR (excluded.step = latest_metrics.step AND excluded.ts >= latest_metrics.ts)")) {
            boolean any = false;
            for (Object[] row : rows) {
                Metric m = (Metric) row[2];
                ps.setLong(1, (Long) row[0]);
                ps.setLong(2, (Long) row[1]);
                ps.setLong(3, m.step());
                ps.setLong(4, m.timestamp().toEpochMilli());
                bindValue(ps, 5, m.value());
                ps.addBatch();
                any = true;
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    @Override
    public void endRun(String runId, RunStatus status, Instant endTime) {
        inWrite("ending run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET status = ?, end_time = ? WHERE uuid = ?")) {
                ps.setString(1, status.name());
                ps.setLong(2, endTime.toEpochMilli());
                ps.setString(3, runId);
                if (ps.executeUpdate() == 0) {
                    throw new TrackingNotFoundException("no run with id " + runId);
                }
            }
            return null;
        });
    }

    @Override
    public Optional<Run> run(String runId) {
        return inRead("reading run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RunSearchSql.RUN_COLUMNS + RunSearchSql.RUN_FROM + " WHERE r.uuid = ?")) {
                ps.setString(1, runId);
                List<RunRow> rows = runRows(ps);
                return rows.isEmpty() ? Optional.<Run>empty() : Optional.of(details(c, rows).get(0));
            }
        });
    }

    private record RunRow(long id, RunInfo info) {
    }

    private static List<RunRow> runRows(PreparedStatement ps) throws SQLException {
        List<RunRow> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long end = rs.getLong(8);
                Instant endTime = rs.wasNull() ? null : Instant.ofEpochMilli(end);
                rows.add(new RunRow(rs.getLong(1), new RunInfo(rs.getString(2), Long.toString(rs.getLong(3)), rs.getString(4),
                        rs.getString(5), RunStatus.valueOf(rs.getString(6)), Instant.ofEpochMilli(rs.getLong(7)), endTime)));
            }
        }
        return rows;
    }

    /** Loads params, tags, latest metrics and artifacts of many runs with a few IN queries. */
    private static List<Run> details(Connection c, List<RunRow> rows) throws SQLException {
        List<Long> ids = rows.stream().map(RunRow::id).toList();
        Map<Long, Map<String, String>> params = new HashMap<>();
        Map<Long, Map<String, String>> tags = new HashMap<>();
        Map<Long, Map<String, Metric>> metrics = new HashMap<>();
        Map<Long, List<ArtifactInfo>> artifacts = new HashMap<>();
        forChunks(c, "SELECT run_id, key, value FROM params WHERE run_id IN ", ids,
                rs -> params.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3)));
        forChunks(c, "SELECT run_id, key, value FROM tags WHERE run_id IN ", ids,
                rs -> tags.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3)));
        forChunks(c, "SELECT lm.run_id, k.key, lm.step, lm.ts, lm.value FROM latest_metrics lm JOIN metric_keys k ON k.id = lm.key_id"
                + " WHERE lm.run_id IN ", ids, rs -> {
                    String key = rs.getString(2);
                    metrics.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(key, metric(rs, key, 3));
                });
        forChunks(c, "SELECT run_id, path, size, sha256 FROM artifacts WHERE run_id IN ", ids,
                rs -> artifacts.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                        .add(new ArtifactInfo(rs.getString(2), rs.getLong(3), rs.getString(4))));
        List<Run> out = new ArrayList<>(rows.size());
        for (RunRow r : rows) {
            List<ArtifactInfo> files = new ArrayList<>(artifacts.getOrDefault(r.id(), List.of()));
            files.sort(java.util.Comparator.comparing(ArtifactInfo::path));
            out.add(new Run(r.info(), params.getOrDefault(r.id(), Map.of()), metrics.getOrDefault(r.id(), Map.of()),
                    tags.getOrDefault(r.id(), Map.of()), files));
        }
        return out;
    }

    /** Reads step, timestamp and value from three consecutive columns; NULL is NaN. */
    private static Metric metric(ResultSet rs, String key, int firstColumn) throws SQLException {
        long step = rs.getLong(firstColumn);
        long ts = rs.getLong(firstColumn + 1);
        double v = rs.getDouble(firstColumn + 2);
        if (rs.wasNull()) {
            v = Double.NaN;
        }
        return new Metric(key, v, step, Instant.ofEpochMilli(ts));
    }

    @Override
    public RunPage searchRuns(RunQuery query) {
        List<Long> experiments = query.experimentIds().stream().map(JdbcStore::parseId).filter(java.util.Objects::nonNull).toList();
        if (experiments.isEmpty()) {
            return new RunPage(List.of(), null);
        }
        long offset = query.offset();
        RunSearchSql.Fragment sql = search.search(experiments, query.parsedFilter(), query.parsedOrder(), query.maxResults() + 1, offset);
        return inRead("searching runs", c -> {
            List<RunRow> rows;
            try (PreparedStatement ps = c.prepareStatement(sql.sql())) {
                for (int i = 0; i < sql.values().size(); i++) {
                    ps.setObject(i + 1, sql.values().get(i));
                }
                rows = runRows(ps);
            }
            boolean more = rows.size() > query.maxResults();
            if (more) {
                rows = rows.subList(0, query.maxResults());
            }
            return new RunPage(details(c, rows), more ? RunQuery.tokenForOffset(offset + query.maxResults()) : null);
        });
    }

    @Override
    public List<Metric> metricHistory(String runId, String key) {
        return inRead("reading the history of metric '" + key + "' of run " + runId, c -> {
            long run = runId(c, runId, "run");
            Long keyId = keyIds.get(key);
            if (keyId == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM metric_keys WHERE key = ?")) {
                    ps.setString(1, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return List.<Metric>of();
                        }
                        keyId = rs.getLong(1);
                    }
                }
            }
            List<Metric> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT step, ts, value FROM metrics WHERE run_id = ? AND key_id = ? ORDER BY id")) {
                ps.setFetchSize(10_000);
                ps.setLong(1, run);
                ps.setLong(2, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(metric(rs, key, 1));
                    }
                }
            }
            return out;
        });
    }

    // ---- artifacts ----

    @Override
    public ArtifactInfo putArtifact(String runId, String path, InputStream content) {
        inRead("reading run " + runId, c -> runId(c, runId, "run"));
        ContentAddressedStore.Blob blob = blobs.put(content);
        inWrite("recording artifact '" + path + "' of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (run_id, path, sha256, size, created_at) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (run_id, path) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, created_at = excluded.created_at")) {
                ps.setLong(1, runId(c, runId, "run"));
                ps.setString(2, path);
                ps.setString(3, blob.sha256());
                ps.setLong(4, blob.size());
                ps.setLong(5, System.currentTimeMillis());
                ps.executeUpdate();
            }
            return null;
        });
        return new ArtifactInfo(path, blob.size(), blob.sha256());
    }

    @Override
    public InputStream openArtifact(String runId, String path) {
        String sha = inRead("reading artifact '" + path + "' of run " + runId, c -> {
            long run = runId(c, runId, "run");
            try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM artifacts WHERE run_id = ? AND path = ?")) {
                ps.setLong(1, run);
                ps.setString(2, path);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new TrackingNotFoundException("run " + runId + " has no artifact '" + path + "'");
                    }
                    return rs.getString(1);
                }
            }
        });
        return blobs.open(sha);
    }
}
