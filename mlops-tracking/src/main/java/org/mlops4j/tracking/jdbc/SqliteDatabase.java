package org.mlops4j.tracking.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.mlops4j.core.StoreUnavailableException;
import org.mlops4j.tracking.internal.Deadline;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens a SQLite file for a {@link JdbcStore}: WAL, the chosen {@code synchronous} mode and busy timeout,
 * one pooled connection for writes (SQLite has one writer) and a few for reads, after migrating the file
 * for the store's kind under an exclusive lock ({@code <file>.lock}) so several processes can open a
 * fresh file at once.
 */
final class SqliteDatabase {
    /** One lock object per database file, so threads of one JVM migrate one at a time too. */
    private static final Map<Path, Object> MIGRATION_LOCKS = new ConcurrentHashMap<>();

    private SqliteDatabase() {
    }

    /**
     * @param file            the database file, absolute and normalized; created (with its directory) when missing
     * @param busyTimeout     how long a writer waits for another process's transaction
     * @param fullSync        {@code synchronous=FULL} (else NORMAL)
     * @param readConnections size of the read pool
     * @param kind            the store's kind: its migrations and failures
     * @return the opened, migrated database
     */
    static Database open(Path file, Duration busyTimeout, boolean fullSync, int readConnections, StoreKind kind) {
        refuseNonDatabase(file, kind);
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw kind.fail("cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        String url = "jdbc:sqlite:" + file;
        migrate(file, dataSource(url, busyTimeout, fullSync), kind);
        HikariDataSource writes = pool("mlops-sqlite-write", url, 1, busyTimeout, fullSync);
        HikariDataSource reads;
        try {
            reads = pool("mlops-sqlite-read", url, readConnections, busyTimeout, fullSync);
        } catch (RuntimeException e) {
            writes.close();
            throw e;
        }
        return new Database(SqlDialect.SQLITE, "sqlite:" + file, writes, reads, () -> {
            reads.close();
            writes.close();
        });
    }

    /** The first 16 bytes of every SQLite database file. */
    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * An existing file that is not a SQLite database (a CSV, a model, a typo'd path) is refused rather than
     * silently turned into one; an empty file is taken as a new database.
     */
    private static void refuseNonDatabase(Path file, StoreKind kind) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory, not a SQLite " + kind.noun() + " database; name a file in it,"
                    + " e.g. " + file.resolve("mlops.db"));
        }
        if (!Files.isRegularFile(file)) {
            return;
        }
        byte[] head = new byte[SQLITE_HEADER.length];
        int n = 0;
        try (var in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw kind.fail("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (n > 0 && !java.util.Arrays.equals(head, SQLITE_HEADER)) {
            throw new IllegalArgumentException(file + " exists and is not a SQLite database (it does not start with 'SQLite format 3');"
                    + " refusing to turn it into one. Pass the path of a " + kind.noun() + " database, or a new file name");
        }
    }

    private static SQLiteDataSource dataSource(String url, Duration busyTimeout, boolean fullSync) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fullSync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.setCacheSize(-16_384); // 16 MiB of page cache per connection (default 2 MiB): large histories
        SQLiteDataSource ds = new SQLiteDataSource(config) {
            @Override
            public SQLiteConnection getConnection(String user, String password) throws SQLException {
                SQLiteConnection c = super.getConnection(user, password);
                // Every 10,000 virtual-machine steps, a statement whose caller's budget is spent (a server request
                // past its time, or an interrupted thread) is aborted with SQLITE_INTERRUPT.
                ProgressHandler.setHandler(c, 10_000, new ProgressHandler() {
                    @Override
                    protected int progress() {
                        return Deadline.cancelled() ? 1 : 0;
                    }
                });
                return c;
            }
        };
        ds.setUrl(url);
        return ds;
    }

    private static HikariDataSource pool(String name, String url, int size, Duration busyTimeout, boolean fullSync) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDataSource(dataSource(url, busyTimeout, fullSync));
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

    private static void migrate(Path db, SQLiteDataSource ds, StoreKind kind) {
        Path lockFile = db.resolveSibling(db.getFileName() + ".lock");
        synchronized (MIGRATION_LOCKS.computeIfAbsent(db, k -> new Object())) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                Flyway.configure(SqliteDatabase.class.getClassLoader())
                        .loggers("slf4j") // the application's logging decides, never java.util.logging
                        .dataSource(ds)
                        .locations(SqlDialect.SQLITE.migrationLocation(kind.migrations()))
                        .table(kind.historyTable())
                        .failOnMissingLocations(true)
                        // Another kind's tables may be there already (tracking and registry share a database):
                        // start this kind's history at 0 so its V1 still runs.
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .load()
                        .migrate();
            } catch (IOException e) {
                throw kind.fail("cannot lock " + lockFile + " to migrate " + db + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw kind.fail("cannot open or migrate the " + kind.noun() + " database " + db + ": " + e.getMessage(), e);
            }
        }
    }
}
