package org.mlops4j.tracking.jdbc;

import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.core.tracking.Tracker;
import org.mlops4j.core.tracking.TrackingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

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

    private SqliteTrackingStore() {
    }

    /**
     * SQLite's {@code synchronous} setting: what a committed transaction survives.
     * {@snippet :
     * JdbcTrackingStore fast = SqliteTrackingStore.builder(Path.of("scratch/mlops.db"))
     *         .synchronous(SqliteTrackingStore.Synchronous.NORMAL)
     *         .open();
     * }
     */
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

    /**
     * Options of a SQLite store, each checked when set. Single-use; not thread-safe.
     * {@snippet :
     * JdbcTrackingStore store = SqliteTrackingStore.builder(Path.of("/data/mlruns/mlops.db"))
     *         .artifactRoot(Path.of("/data/mlruns/artifacts")).busyTimeout(Duration.ofMinutes(1)).readConnections(8)
     *         .open();
     * }
     */
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
            Database opened = SqliteDatabase.open(db, busyTimeout, synchronous == Synchronous.FULL, readConnections,
                    JdbcTrackingStore.KIND);
            LOG.info("tracking store sqlite:{} (WAL, synchronous={}, busy timeout {} ms)", db, synchronous, busyTimeout.toMillis());
            return JdbcTrackingStore.open(opened, root);
        }

        /**
         * Opens the model registry kept in the same file (its own tables), its bundle files content-addressed in
         * the same artifact directory as the tracking artifacts.
         *
         * @return the registry store
         * @throws org.mlops4j.core.registry.RegistryStoreException when the file cannot be opened or migrated, naming it
         */
        public JdbcRegistryStore openRegistry() {
            Path db = database.toAbsolutePath().normalize();
            Path root = artifactRoot != null ? artifactRoot : db.resolveSibling("artifacts");
            Database opened = SqliteDatabase.open(db, busyTimeout, synchronous == Synchronous.FULL, readConnections,
                    JdbcRegistryStore.KIND);
            LOG.debug("registry store sqlite:{}", db);
            return JdbcRegistryStore.open(opened, root);
        }
    }
}
