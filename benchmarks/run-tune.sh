#!/usr/bin/env bash
# Runs the tuning benchmarks (org.mlops4j.benchmarks.tune.TuningBench) reported in BENCHMARKS.md, section "Tuning".
#
#   benchmarks/run-tune.sh [--no-build] PART...
#
# Parts (each prints a Markdown table; the output goes to benchmarks/target/tune-results/PART.txt as well):
#   table            the full grid on the house prices (384 configurations, real 3-fold CV, 2 workers): writes
#                    grid-table.csv, every configuration's per-fold RMSE and fitting time (CPU work, minutes)
#   samplers         grid, random, TPE, multivariate TPE replayed on that table, seeds 0-99 (a minute)
#   pruning-replay   median pruning and successive halving against none, replayed on the table, seeds 0-99
#   pruning          the same with real fits and wall time, TPE, 40 trials, seeds 0-1 (timing: quiet machine)
#   parallel         one 40-trial study on 1 worker and on 2, five alternating rounds (timing: quiet machine)
#   share            one study on PostgreSQL: one JVM, then two JVMs sharing it (timing: quiet machine);
#                    needs MLOPS_BENCH_POSTGRES_URL, e.g. jdbc:postgresql://127.0.0.1:5432/mlops?user=postgres
#
# Environment: JAVA_HOME a JDK >= 21 (default Temurin 25 when present); TABLE another grid table (the one
# measured for BENCHMARKS.md is benchmarks/results/tune-grid-table.csv); SEEDS overrides the seeds of
# samplers and pruning-replay.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT=benchmarks/target/tune-results
JAR=benchmarks/target/benchmarks.jar
TABLE="${TABLE:-$OUT/grid-table.csv}"
SEEDS="${SEEDS:-100}"

if [[ "${1:-}" == "--no-build" ]]; then
  shift
else
  ./mvnw -q -B -pl benchmarks -am -DskipTests package
fi
[[ $# -gt 0 ]] || { sed -n '2,18p' "$0"; exit 2; }
mkdir -p "$OUT"

run() {
  local part=$1
  shift
  {
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "java: $("$JAVA" -version 2>&1 | head -1)"
    echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx|avx2|fma|f16c|avx512f|avx512_vnni)$' | paste -sd' ')"
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "command: $JAVA -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp $JAR org.mlops4j.benchmarks.tune.TuningBench $*"
    "$JAVA" -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$JAR" org.mlops4j.benchmarks.tune.TuningBench "$@"
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } 2>&1 | tee "$OUT/$part.txt"
}

for part in "$@"; do
  case "$part" in
    table) run table table "$TABLE" 2 ;;
    samplers) run samplers samplers "$TABLE" "$SEEDS" ;;
    pruning-replay) run pruning-replay pruning-replay "$TABLE" "$SEEDS" 40 ;;
    pruning) run pruning pruning 2 40 "$TABLE" ;;
    parallel) run parallel parallel 40 5 ;;
    share)
      : "${MLOPS_BENCH_POSTGRES_URL:?set MLOPS_BENCH_POSTGRES_URL to a PostgreSQL JDBC URL}"
      run share share "$MLOPS_BENCH_POSTGRES_URL" 40 3 ;;
    *) echo "unknown part: $part" >&2; exit 2 ;;
  esac
done
