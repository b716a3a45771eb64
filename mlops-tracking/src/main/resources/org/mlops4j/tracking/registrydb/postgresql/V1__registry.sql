-- mlops4j model registry schema. Times are epoch milliseconds. Bundle files live in the content-addressed
-- artifact store beside the tracking artifacts (sha256/ab/cdef...); a row names each file's digest.
-- last_version only grows, so a deleted version's number is never given again.
CREATE TABLE registered_models (
    id           BIGSERIAL PRIMARY KEY,
    name         TEXT    NOT NULL UNIQUE,
    description  TEXT    NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    last_version INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE registered_model_tags (
    model_id BIGINT NOT NULL REFERENCES registered_models (id),
    key      TEXT   NOT NULL,
    value    TEXT   NOT NULL,
    PRIMARY KEY (model_id, key)
);
CREATE TABLE model_versions (
    id              BIGSERIAL PRIMARY KEY,
    model_id        BIGINT NOT NULL REFERENCES registered_models (id),
    version         INTEGER NOT NULL,
    created_at      BIGINT NOT NULL,
    run_id          TEXT,
    experiment_id   TEXT,
    dataset_version TEXT,
    dataset_source  TEXT,
    parent          TEXT,
    manifest_sha256 TEXT,
    description     TEXT    NOT NULL DEFAULT '',
    source          TEXT,
    UNIQUE (model_id, version)
);
CREATE INDEX model_versions_by_run ON model_versions (run_id);
CREATE TABLE model_version_metrics (
    version_id BIGINT NOT NULL REFERENCES model_versions (id),
    key        TEXT   NOT NULL,
    value      DOUBLE PRECISION,
    PRIMARY KEY (version_id, key)
);
CREATE TABLE model_version_tags (
    version_id BIGINT NOT NULL REFERENCES model_versions (id),
    key        TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    PRIMARY KEY (version_id, key)
);
CREATE TABLE model_version_files (
    version_id BIGINT NOT NULL REFERENCES model_versions (id),
    path       TEXT   NOT NULL,
    sha256     TEXT   NOT NULL,
    size       BIGINT NOT NULL,
    PRIMARY KEY (version_id, path)
);
CREATE TABLE model_aliases (
    model_id BIGINT NOT NULL REFERENCES registered_models (id),
    alias    TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    PRIMARY KEY (model_id, alias)
);
