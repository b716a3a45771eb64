-- mlops4j tracking schema, SQLite dialect. Times are epoch milliseconds; NaN metric values are NULL.
-- Internal integer ids keep metric rows small; runs are known outside by their 32-hex-digit uuid.
CREATE TABLE experiments (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    lifecycle   TEXT    NOT NULL DEFAULT 'active'
);
CREATE TABLE experiment_tags (
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    key           TEXT    NOT NULL,
    value         TEXT    NOT NULL,
    PRIMARY KEY (experiment_id, key)
);
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT    NOT NULL UNIQUE,
    experiment_id INTEGER NOT NULL REFERENCES experiments (id),
    name          TEXT    NOT NULL,
    parent_id     INTEGER REFERENCES runs (id),
    status        TEXT    NOT NULL,
    start_time    INTEGER NOT NULL,
    end_time      INTEGER
);
CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);
CREATE TABLE params (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    key    TEXT    NOT NULL,
    value  TEXT    NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE TABLE tags (
    run_id INTEGER NOT NULL REFERENCES runs (id),
    key    TEXT    NOT NULL,
    value  TEXT    NOT NULL,
    PRIMARY KEY (run_id, key)
);
CREATE TABLE metric_keys (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE
);
-- Every observation, in logging order (id). No foreign keys here: the writer checks the run once per batch.
CREATE TABLE metrics (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    step   INTEGER NOT NULL,
    ts     INTEGER NOT NULL,
    value  REAL
);
CREATE INDEX metrics_by_run_key ON metrics (run_id, key_id, id);
-- The latest observation per run and key (highest step, then latest time, ties: last written), for search.
CREATE TABLE latest_metrics (
    run_id INTEGER NOT NULL,
    key_id INTEGER NOT NULL,
    step   INTEGER NOT NULL,
    ts     INTEGER NOT NULL,
    value  REAL,
    PRIMARY KEY (run_id, key_id)
);
-- Receipts of committed writes: a write retried after a lost acknowledgement is skipped.
CREATE TABLE writes (
    write_id   TEXT    PRIMARY KEY,
    run_id     INTEGER NOT NULL,
    written_at INTEGER NOT NULL
);
-- Run-relative artifact paths pointing into the content-addressed blob store.
CREATE TABLE artifacts (
    run_id     INTEGER NOT NULL REFERENCES runs (id),
    path       TEXT    NOT NULL,
    sha256     TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, path)
);
-- MLflow clients log into experiment 0 when they name none.
INSERT INTO experiments (id, name, created_at) VALUES (0, 'Default', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
