#!/usr/bin/env bash
# Runs the deep-model latency benchmark (org.mlops4j.benchmarks.deep.DeepModelsBenchmark) from the class path:
# the PyTorch natives (ai.djl.pytorch:pytorch-native-cpu, 450 MB) stay out of the shaded benchmarks.jar.
#
#   benchmarks/run-deep.sh [JMH options...]     e.g. -f 1 -wi 3 -i 5 -p batch=1
#   DEEP_BENCH='DeepModelsBenchmark\.classes.*' benchmarks/run-deep.sh ...   (a subset: the regex replaces the class name)
#   DEEP_OUT=deep-quant benchmarks/run-deep.sh ...   (results to benchmarks/target/deep-quant/ instead)
#
# Builds the benchmarks module and its class path first when benchmarks/target/deep-classpath.txt is missing.
# Output: benchmarks/target/deep-results/{env.txt,deep.json,deep.log}.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT=benchmarks/target/${DEEP_OUT:-deep-results}
mkdir -p "$OUT"
if [[ ! -f benchmarks/target/deep-classpath.txt ]]; then
  ./mvnw -q -o -pl benchmarks -am -DskipTests -Dmaven.javadoc.skip=true package dependency:build-classpath \
    -Dmdep.outputFile=target/deep-classpath.txt -Dmdep.includeScope=runtime
fi
CP="benchmarks/target/classes:$(cat benchmarks/target/deep-classpath.txt)"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "jdk: $("$JAVA" -version 2>&1 | head -1)"
  lscpu | grep -E 'Model name|^CPU\(s\)|Flags' | sed 's/^/cpu: /'
  echo "command: $JAVA -cp ... org.openjdk.jmh.Main ${DEEP_BENCH:-DeepModelsBenchmark} $*"
} > "$OUT/env.txt"
"$JAVA" --add-modules jdk.incubator.vector -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -cp "$CP" org.openjdk.jmh.Main \
  "${DEEP_BENCH:-org.mlops4j.benchmarks.deep.DeepModelsBenchmark}" -rf json -rff "$OUT/deep.json" "$@" | tee "$OUT/deep.log"
