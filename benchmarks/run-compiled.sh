#!/usr/bin/env bash
# Issue 11's figures in one session: compiled-forest latency, batch throughput on 1 and 2 threads, payload
# write/read, and the pipeline overhead against bare Tribuo. Latency in 3 forks (a usable confidence interval), the
# others in 1; about 10 minutes in all; results in $OUT (JSON + text).
# Usage (from the repository root, after ./mvnw -pl benchmarks -am -DskipTests package):
#   benchmarks/run-compiled.sh          (on an otherwise idle machine: a build beside it moves every figure)
set -euo pipefail
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=${JAR:-benchmarks/target/benchmarks.jar}
OUT=${OUT:-/tmp/mlops-compiled-bench}
if [[ ! -f "$JAR" ]]; then
  echo "run-compiled.sh: $JAR is missing; build it first: ./mvnw -pl benchmarks -am -DskipTests package" >&2
  exit 2
fi
mkdir -p "$OUT"
echo "results go to $OUT (about 10 minutes)"
{ date -u; lscpu | grep -E 'Model name|^CPU\(s\)|Flags'; "$JAVA" -version 2>&1 | head -2; uptime; git rev-parse --short HEAD; } > "$OUT/machine.txt"
"$JAVA" -jar "$JAR" 'CompiledLatencyBenchmark' -f 3 -wi 3 -i 5 -rf json -rff "$OUT/latency.json" > "$OUT/latency.txt" 2>&1
"$JAVA" -jar "$JAR" 'CompiledBatchBenchmark' -f 1 -wi 2 -i 4 -t 1 -rf json -rff "$OUT/batch-t1.json" > "$OUT/batch-t1.txt" 2>&1
"$JAVA" -jar "$JAR" 'CompiledBatchBenchmark' -f 1 -wi 2 -i 4 -t 2 -rf json -rff "$OUT/batch-t2.json" > "$OUT/batch-t2.txt" 2>&1
"$JAVA" -jar "$JAR" 'PayloadBenchmark' -f 1 -wi 3 -i 4 -rf json -rff "$OUT/payload.json" > "$OUT/payload.txt" 2>&1
"$JAVA" -jar "$JAR" 'PipelineOverheadBenchmark.(mlops4jPipeline|tribuoTrainEvaluate|tribuoTrainEvaluateSave)$' -f 1 -wi 2 -i 4 \
    -rf json -rff "$OUT/pipeline.json" > "$OUT/pipeline.txt" 2>&1
uptime >> "$OUT/machine.txt"; date -u >> "$OUT/machine.txt"
