package org.mlops4j.tracking.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded store: one SQLite file ({@code ./mlruns/mlops.db} by default) with the artifacts beside it
 * ({@code ./mlruns/artifacts}). Zero set-up; safe for many threads and for several processes on one file.
 *
 * <p><b>What "acknowledged" means.</b> The database runs in WAL mode with {@code synchronous=FULL} (the
 * default {@link Synchronous#FULL}): a transaction is on disk when its commit returns, so every point a
 * completed {@link org.mlops4j.core.tracking.Tracker#flush()} acknowledged survives a crash of the process
 * ({@code kill -9}) and of the machine (power loss). {@link Synchronous#NORMAL} is faster and still
 * survives a killed process, but a power loss may take the last commits. Writers take the write lock at
 * the start of their transaction ({@code BEGIN IMMEDIATE}) and wait up to the busy timeout (default 30 s)
 * for another process's transaction, so "database is locked" is not seen under normal contention; a
 * timeout surfaces as {@link StoreUnavailableException} and the tracker retries.
 * Opening a fresh file from several processes at once is safe: the schema migration runs under an
 * exclusive file lock ({@code mlops.db.lock}).
 * {@snippet :
 * Tracker tracker = Tracker.builder().store(SqliteTrackingStore.openDefault()).build(); // ./mlruns/mlops.db
 * Tracker custom = Tracker.builder()
 *         .store(SqliteTrackingStore.builder(Path.of("/data/mlruns/mlops.db")).busyTimeout(Duration.ofMinutes(1)).open())
 *         .build();
 * }
 */
public final class SqliteTrackingStore {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteTrackingStore.class);
    /** The default database, relative to the working directory. */
    public static final Path DEFAULT_PATH = Path.of("mlruns", "mlops.db");
    /** One lock object per database file, so threads of one JVM migrate one at a time too. */
    private static final Map<Path, Object> MIGRATION_LOCKS = new ConcurrentHashMap<>();

    private SqliteTrackingStore() {
    }

    /** SQLite's {@code synchronous} setting: what a committed transaction survives. */
    public enum Synchronous {
        /** Commits are on disk when acknowledged: survives process crashes and power loss. The default. */
        FULL,
        /** Faster; survives process crashes, but a power loss may lose the last commits. */
        NORMAL
    }

    /** @return the store at {@code ./mlruns/mlops.db}, created when missing */
    public static JdbcTrackingStore openDefault() {
        return open(DEFAULT_PATH);
    }

    /**
     * @param database the database file, created (with its directory) when missing
     * @return the store, artifacts in {@code artifacts/} beside the file
     */
    public static JdbcTrackingStore open(Path database) {
        return builder(database).open();
    }

    /**
     * @param database the database file
     * @return a builder for the other options
     */
    public static Builder builder(Path database) {
        return new Builder(database);
    }

    /** Options of a SQLite store. Single-use. */
    public static final class Builder {
        private final Path database;
        private Path artifactRoot;
        private Duration busyTimeout = Duration.ofSeconds(30);
        private Synchronous synchronous = Synchronous.FULL;
        private int readConnections = 4;

        private Builder(Path database) {
            this.database = Objects.requireNonNull(database, "database");
        }

        /**
         * @param dir where artifact blobs go (default: {@code artifacts/} beside the database)
         * @return this builder
         */
        public Builder artifactRoot(Path dir) {
            this.artifactRoot = Objects.requireNonNull(dir, "artifactRoot");
            return this;
        }

        /**
         * @param timeout how long a writer waits for another process's transaction (default 30 s)
         * @return this builder
         */
        public Builder busyTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms but was " + timeout);
            }
            this.busyTimeout = timeout;
            return this;
        }

        /**
         * @param mode durability of commits (default {@link Synchronous#FULL})
         * @return this builder
         */
        public Builder synchronous(Synchronous mode) {
            this.synchronous = Objects.requireNonNull(mode, "synchronous");
            return this;
        }

        /**
         * @param n connections for concurrent reads (default 4); writes use one connection per process
         * @return this builder
         */
        public Builder readConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("readConnections must be >= 1 but was " + n);
            }
            this.readConnections = n;
            return this;
        }

        /**
         * Opens the database, creating and migrating it when needed.
         *
         * @return the store
         * @throws TrackingException when the file cannot be opened or migrated, naming it
         */
        public JdbcTrackingStore open() {
            Path db = database.toAbsolutePath().normalize();
            Path root = artifactRoot != null ? artifactRoot : db.resolveSibling("artifacts");
            try {
                Files.createDirectories(db.getParent());
            } catch (IOException e) {
                throw new TrackingException("cannot create the directory of " + db + ": " + e.getMessage(), e);
            }
            String url = "jdbc:sqlite:" + db;
            migrate(db, dataSource(url));
            HikariDataSource writes = pool("mlops-sqlite-write", url, 1);
            HikariDataSource reads;
            try {
                reads = pool("mlops-sqlite-read", url, readConnections);
            } catch (RuntimeException e) {
                writes.close();
                throw e;
            }
            LOG.info("tracking store sqlite:{} (WAL, synchronous={}, busy timeout {} ms)", db, synchronous, busyTimeout.toMillis());
            return new JdbcTrackingStore(SqlDialect.SQLITE, writes, reads, () -> {
                reads.close();
                writes.close();
            }, new ContentAddressedStore(root), "sqlite:" + db);
        }

        private SQLiteDataSource dataSource(String url) {
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(synchronous == Synchronous.FULL ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout((int) busyTimeout.toMillis());
            config.setCacheSize(-16_384); // 16 MiB of page cache per connection (default 2 MiB): large histories
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl(url);
            return ds;
        }

        private HikariDataSource pool(String name, String url, int size) {
            HikariConfig hc = new HikariConfig();
            hc.setPoolName(name);
            hc.setDataSource(dataSource(url));
            hc.setMaximumPoolSize(size);
            hc.setMinimumIdle(1);
            hc.setAutoCommit(true); // transactions are begun explicitly (BEGIN IMMEDIATE for writes)
            hc.setConnectionTimeout(Math.max(30_000, busyTimeout.toMillis() * 2));
            try {
                return new HikariDataSource(hc);
            } catch (RuntimeException e) {
                throw new StoreUnavailableException("cannot open " + url.substring(5) + ": " + e.getMessage(), e);
            }
        }

        private static void migrate(Path db, SQLiteDataSource ds) {
            Path lockFile = db.resolveSibling(db.getFileName() + ".lock");
            synchronized (MIGRATION_LOCKS.computeIfAbsent(db, k -> new Object())) {
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    Flyway.configure(SqliteTrackingStore.class.getClassLoader())
                            .dataSource(ds)
                            .locations(SqlDialect.SQLITE.migrationLocation())
                            .table("mlops_schema_history")
                            .failOnMissingLocations(true)
                            .load()
                            .migrate();
                } catch (IOException e) {
                    throw new TrackingException("cannot lock " + lockFile + " to migrate " + db + ": " + e.getMessage(), e);
                } catch (RuntimeException e) {
                    throw new TrackingException("cannot open or migrate the tracking database " + db + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
