#!/usr/bin/env bash
# Serving benchmarks of BENCHMARKS.md ("Serving"): wrk on loopback against `mlops serve` (the 100-tree house-price
# forest, metrics and drift on, a bearer token) and, in the same run, the Flask baseline on Flask's own server and
# under gunicorn -w 2; then JMH single-row latency through the core. Run it on an otherwise idle machine:
#
#   benchmarks/run-serving.sh            (builds nothing: package first; needs wrk, curl, and for the baseline
#                                         Flask, scikit-learn and gunicorn: it names what is missing)
#   SOAK=1 ... benchmarks/run-serving.sh      only the soak: >= 1,000,000 requests, heap after GC, fds, threads
#   PROBE=1 ...                               only the probe: HTTP alone, infer without drift, fewer workers
#   JFR=1 ...                                 only a JFR recording of the server under load (serve.jfr, serve-samples.json)
#
# The served bundle must be the compiled flavor the pipeline registers (model.compiled.bin); the script stops otherwise.
#
# Environment: JAVA_HOME (JDK >= 21), DUR (seconds per wrk run, default 15), CONNS (16), PORT (18080),
# SKIP_BASELINE=1, SKIP_JMH=1. Output: benchmarks/target/serving-results/{env.txt,results.txt}.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT=benchmarks/target/serving-results
DUR="${DUR:-15}"
CONNS="${CONNS:-16}"
PORT="${PORT:-18080}"
TOKEN=bench-token-0123456789abcdef
export TOKEN CONNS
# What the run needs, checked before anything starts, with the command that provides it.
missing=()
command -v wrk >/dev/null 2>&1 || missing+=("wrk (apt-get install -y wrk)")
command -v curl >/dev/null 2>&1 || missing+=("curl (apt-get install -y curl)")
if [[ "${SKIP_BASELINE:-0}" != "1" ]]; then
  /usr/bin/python3 -c "import flask, sklearn" >/dev/null 2>&1 \
    || missing+=("Flask and scikit-learn for the baseline (apt-get install -y python3-flask python3-sklearn; or SKIP_BASELINE=1)")
  command -v gunicorn >/dev/null 2>&1 || missing+=("gunicorn for the baseline (apt-get install -y gunicorn; or SKIP_BASELINE=1)")
fi
for jar in benchmarks/target/benchmarks.jar mlops-cli/target/mlops.jar; do
  [[ -f "$jar" ]] || missing+=("$jar (./mvnw -pl benchmarks,mlops-cli -am -DskipTests package)")
done
if (( ${#missing[@]} )); then
  echo "run-serving.sh cannot start; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

mkdir -p "$OUT"
RES="$OUT/results.txt"
: > "$RES"
{
  echo "date: $(date -u +%FT%TZ)"
  lscpu | grep -E "Model name|^CPU\(s\)|Flags" | sed 's/^Flags:\s*/flags: /'
  "$JAVA" -version 2>&1 | head -1
  echo "wrk: $(wrk --version 2>&1 | head -1)"
  /usr/bin/python3 -c "import flask, sklearn; print('flask', flask.__version__, 'scikit-learn', sklearn.__version__)" 2>/dev/null \
    || echo "baseline: not installed (SKIP_BASELINE=1)"
  gunicorn --version 2>&1 | head -1 || true
} > "$OUT/env.txt"
cat "$OUT/env.txt"

STORE="$OUT/store"
rm -rf "$STORE"
"$JAVA" -cp benchmarks/target/benchmarks.jar org.mlops4j.benchmarks.serving.ServingModel "$STORE" 2>/dev/null | tail -1
# the pipeline registers the compiled flavor (flat arrays, the Predictor's primitive path); refuse to measure anything else
if [[ ! -f "$STORE/house-prices/1/model.compiled.bin" ]]; then echo "the served bundle is not the compiled flavor: $(ls "$STORE/house-prices/1")"; exit 1; fi
echo "served bundle: $(ls "$STORE/house-prices/1" | tr '\n' ' ')" | tee -a "$OUT/env.txt"

SERVER_PID=
stop_server() { if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi; }
trap stop_server EXIT
wait_ready() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "not ready: $1"; return 1; }

start_mlops() {
  # shellcheck disable=SC2086
  "$JAVA" -Xms512m -Xmx512m -XX:+UseParallelGC ${JVM_OPTS:-} -jar mlops-cli/target/mlops.jar serve --store "dir:$STORE" \
    --model models:/house-prices@champion --port "$PORT" --token "$TOKEN" "$@" > "$OUT/serve.out" 2> "$OUT/serve.err" &
  SERVER_PID=$!
  wait_ready "http://127.0.0.1:$PORT/v2/health/ready"
}

run_wrk() { # label, url, extra env...
  local label=$1 url=$2; shift 2
  local line
  line=$(env "$@" wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -s benchmarks/serving/infer.lua "$url" | tee "$OUT/wrk-$label.txt" | grep -E "^requests=|Requests/sec" | tr '\n' ' ')
  echo "$label: $line" | tee -a "$RES"
  # a run of refusals is no measurement: say so next to the figure (the body no longer fitting the model did this once)
  local bad
  bad=$(grep -oE "status=[0-9]+" "$OUT/wrk-$label.txt" | cut -d= -f2 || true)
  if [[ -n "$bad" && "$bad" != "0" ]]; then echo "WARNING $label: $bad non-200 answers; not a valid measurement" | tee -a "$RES"; fi
  # a paced run that went faster than it aimed was not paced: say so too
  local aim reached
  aim=$(printf '%s\n' "$@" | sed -n 's/^RATE=//p')
  reached=$(grep -oE "Requests/sec:\s+[0-9.]+" "$OUT/wrk-$label.txt" | grep -oE "[0-9.]+$" || true)
  if [[ -n "$aim" && -n "$reached" ]] && python3 -c "import sys; sys.exit(0 if float('$reached') > 1.1 * float('$aim') else 1)"; then
    echo "WARNING $label: reached $reached requests/s, above the $aim aimed at; the run was not paced" | tee -a "$RES"
  fi
}

INFER=/v2/models/house-prices/infer
if [[ "${JFR:-0}" == "1" ]]; then
  # where the CPU goes per request: a JFR recording (method samples) of the server under 16 connections
  JVM_OPTS="${JVM_OPTS:-} -XX:StartFlightRecording=delay=10s,duration=${DUR}s,settings=profile,filename=$OUT/serve.jfr" start_mlops "$@"
  DUR=10 run_wrk jfr-warmup "http://127.0.0.1:$PORT$INFER"
  run_wrk jfr-recorded "http://127.0.0.1:$PORT$INFER"
  sleep 2
  stop_server
  "${JAVA_HOME:+$JAVA_HOME/bin/}jfr" print --json --events jdk.ExecutionSample "$OUT/serve.jfr" > "$OUT/serve-samples.json"
  exit 0
fi
if [[ "${PROBE:-0}" == "1" ]]; then
  # where the time goes: HTTP alone (GET /v2/health/live), infer without drift, infer with fewer workers
  start_mlops
  DUR=10 run_wrk probe-warmup "http://127.0.0.1:$PORT$INFER"
  line=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "http://127.0.0.1:$PORT/v2/health/live" | grep -E "Requests/sec" | tr '\n' ' ')
  echo "probe-http-only (GET /v2/health/live): $line" | tee -a "$RES"
  run_wrk probe-infer-drift-on "http://127.0.0.1:$PORT$INFER"
  stop_server
  start_mlops --no-drift
  DUR=5 run_wrk probe-warmup2 "http://127.0.0.1:$PORT$INFER"
  run_wrk probe-infer-drift-off "http://127.0.0.1:$PORT$INFER"
  stop_server
  start_mlops --workers 2
  DUR=5 run_wrk probe-warmup3 "http://127.0.0.1:$PORT$INFER"
  run_wrk probe-infer-workers-2 "http://127.0.0.1:$PORT$INFER"
  stop_server
  exit 0
fi
if [[ "${SOAK:-0}" == "1" ]]; then
  start_mlops
  sample() { # label
    "${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$SERVER_PID" GC.run >/dev/null 2>&1 || true
    sleep 1
    local heap fds threads
    heap=$("${JAVA_HOME:+$JAVA_HOME/bin/}jcmd" "$SERVER_PID" GC.heap_info 2>/dev/null | grep -oE "(PSYoungGen|ParOldGen|garbage-first heap|Metaspace) +total [0-9]+K, used [0-9]+K" | sed -E 's/ +total [0-9]+K, used / /' | tr '\n' ' ')
    fds=$(ls /proc/"$SERVER_PID"/fd | wc -l)
    threads=$(ls /proc/"$SERVER_PID"/task | wc -l)
    echo "soak $1: heap after GC $heap, fds $fds, threads $threads" | tee -a "$RES"
  }
  DUR=10 run_wrk soak-warm "http://127.0.0.1:$PORT$INFER"
  sample start
  total=0
  for i in 1 2 3 4 5 6 7 8 9 10; do
    DUR="${SOAK_DUR:-20}" run_wrk "soak-$i" "http://127.0.0.1:$PORT$INFER"
    n=$(grep -oE "^requests=[0-9]+" "$OUT/wrk-soak-$i.txt" | cut -d= -f2)
    total=$((total + n))
    sample "after $total requests"
    [[ $total -ge ${SOAK_REQUESTS:-1000000} ]] && break
  done
  echo "soak total: $total requests" | tee -a "$RES"
  exit 0
fi

start_mlops
DUR=10 run_wrk mlops-warmup "http://127.0.0.1:$PORT$INFER"
run_wrk mlops-max "http://127.0.0.1:$PORT$INFER"
max=$(grep -oE "Requests/sec:\s+[0-9.]+" "$OUT/wrk-mlops-max.txt" | grep -oE "[0-9.]+$")
half=$(python3 -c "print(int(float('$max') / 2))")
run_wrk "mlops-half-rate-$half" "http://127.0.0.1:$PORT$INFER" RATE="$half"
run_wrk mlops-batch64 "http://127.0.0.1:$PORT$INFER" ROWS=64
curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/metrics" > "$OUT/metrics.txt"
grep -E '^mlops_serving_requests_total' "$OUT/metrics.txt" | tee -a "$RES"
stop_server

if [[ "${SKIP_BASELINE:-0}" != "1" ]]; then
  BPORT=$((PORT + 1))
  /usr/bin/python3 benchmarks/baseline/flask_house_prices.py "$BPORT" > "$OUT/flask.out" 2>&1 &
  SERVER_PID=$!
  sleep 1; for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$BPORT/" && break; sleep 0.2; done
  DUR=5 run_wrk flask-warmup "http://127.0.0.1:$BPORT$INFER"
  run_wrk flask "http://127.0.0.1:$BPORT$INFER"
  stop_server
  gunicorn -w 2 -b "127.0.0.1:$BPORT" --chdir benchmarks/baseline flask_house_prices:app > "$OUT/gunicorn.out" 2>&1 &
  SERVER_PID=$!
  sleep 1; for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$BPORT/" && break; sleep 0.2; done
  DUR=5 run_wrk gunicorn-warmup "http://127.0.0.1:$BPORT$INFER"
  run_wrk gunicorn-w2 "http://127.0.0.1:$BPORT$INFER"
  stop_server
fi

if [[ "${SKIP_JMH:-0}" != "1" ]]; then
  "$JAVA" -jar benchmarks/target/benchmarks.jar 'serving.ServingLatencyBenchmark' -f 1 -wi 3 -w 2s -i 5 -r 2s \
    -rf json -rff "$OUT/jmh-serving.json" 2>/dev/null | grep -E "^Benchmark|ServingLatency" | tee -a "$RES"
fi
echo "--- results"; cat "$RES"
