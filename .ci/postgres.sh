#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tracking tests (mlops-tracking, mlops-cli).
#
#   eval "$(.ci/postgres.sh start)"   # starts it; prints the export of MLOPS_TEST_POSTGRES_URL (and MLOPS_PG_DIR)
#   .ci/postgres.sh stop              # stops it and deletes its data directory
#
# Installs postgresql-15 with apt-get when its binaries are missing (needs root, as CI runs). As root the
# server runs as the postgres user (runuser); otherwise as the calling user. Listens on 127.0.0.1 only,
# port 55432 or the next free one (MLOPS_PG_PORT overrides), data in /tmp/mlops-pg (MLOPS_PG_DIR overrides).
# Everything but the export lines goes to stderr, so eval sees only those.
set -euo pipefail

DIR=${MLOPS_PG_DIR:-/tmp/mlops-pg}
PORT=${MLOPS_PG_PORT:-55432}
BIN=${MLOPS_PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  if [ ! -x "$BIN/initdb" ]; then
    echo "postgres.sh: $BIN/initdb missing, installing postgresql-15" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >&2
  fi
  if [ -f "$DIR/postmaster.pid" ]; then
    stop
  fi
  while ! port_free "$PORT"; do
    PORT=$((PORT + 1))
  done
  rm -rf "$DIR"
  mkdir -p "$DIR"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$DIR"
  fi
  chmod 700 "$DIR"
  as_owner "$BIN/initdb" -D "$DIR" -U postgres -A trust -E UTF8 --no-sync >"$DIR.initdb.log" 2>&1 \
    || { cat "$DIR.initdb.log" >&2; exit 1; }
  as_owner "$BIN/pg_ctl" -D "$DIR" -w -t 60 -l "$DIR/server.log" \
    -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200" start >&2 \
    || { cat "$DIR/server.log" >&2; exit 1; }
  as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres mlops_test >&2
  echo "$PORT" >"$DIR.port"
  echo "postgres.sh: PostgreSQL 15 on 127.0.0.1:$PORT, data $DIR" >&2
  echo "export MLOPS_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$PORT/mlops_test?user=postgres'"
  echo "export MLOPS_PG_DIR='$DIR'"
}

stop() {
  if [ -f "$DIR/postmaster.pid" ]; then
    as_owner "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >&2 || true
  fi
  rm -rf "$DIR" "$DIR.port" "$DIR.initdb.log"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
