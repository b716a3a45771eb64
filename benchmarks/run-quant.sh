#!/usr/bin/env bash
# Runs the mlops-quant JMH suite (org.mlops4j.benchmarks.quant) with the settings reported in BENCHMARKS.md,
# then prints a Markdown summary with the derived figures (GB/s, GFLOP/s, ratios).
#
#   benchmarks/run-quant.sh              build, run the issue-15 set (about 23 minutes on 2 cores), summarise
#   benchmarks/run-quant.sh --no-build   reuse benchmarks/target/benchmarks.jar
#   benchmarks/run-quant.sh --summary DIR  only summarise the JSON files in DIR
#
# Environment:
#   JAVA_HOME     a JDK >= 21 (default Temurin 25 when present)
#   FORKS, ITER, WARMUP   JMH forks, measured and warm-up iterations per benchmark (default 3, 5, 2)
#   BENCH_LOCK    created while measuring, holding the purpose (default /tmp/mlops-bench.lock; empty = none)
#   BUILD_LOCK    waited for before measuring, polled every 30 s for up to 40 minutes, after which the run
#                 goes ahead and env.txt says the machine was loaded (default /tmp/mlops-build.lock)
#   OLD_CLASSES   optional directory of an older mlops-quant build to measure beside this one (same run)
#   PARTS         "all" (default), or "dot" to measure only the dot products and the width comparison
#                 again (in a later quiet window), keeping the other results; its record goes to env-dot.txt;
#                 or "small" for the small-MLP engine only (DenseBenchmark model=small, all four formats),
#                 with OLD_CLASSES measured beside it in the same run (old-small.json); record in env-small.txt
# Output: benchmarks/target/quant-results/{env.txt,*.json,quant.log,summary.md}.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT=benchmarks/target/quant-results
FORKS="${FORKS:-3}"
ITER="${ITER:-5}"
WARMUP="${WARMUP:-2}"
BENCH_LOCK="${BENCH_LOCK-/tmp/mlops-bench.lock}"
BUILD_LOCK="${BUILD_LOCK-/tmp/mlops-build.lock}"
JAR=benchmarks/target/benchmarks.jar
PARTS="${PARTS:-all}"
ENV_FILE="$OUT/env.txt"
[[ "$PARTS" == "dot" ]] && ENV_FILE="$OUT/env-dot.txt"
[[ "$PARTS" == "small" ]] && ENV_FILE="$OUT/env-small.txt"

summarise() {
  python3 - "$1" <<'PY'
import json, os, sys, glob
d = sys.argv[1]
def load(name):
    p = os.path.join(d, name)
    return json.load(open(p)) if os.path.exists(p) else []
def key(r):
    p = r.get("params") or {}
    return (r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1], tuple(sorted(p.items())))
def index(runs):
    res = {}
    for r in runs:
        alloc = next((m["score"] for name, m in r.get("secondaryMetrics", {}).items()
                      if name.endswith("gc.alloc.rate.norm")), None)
        res[key(r)] = (float(r["primaryMetric"]["score"]), float(r["primaryMetric"]["scoreError"]), alloc)
    return res
sets = {n: index(load(n + ".json")) for n in ("limits-start", "limits-end", "width-256", "old-256", "old-small")}
sets["quant"] = index([r for p in sorted(glob.glob(os.path.join(d, "quant-*.json"))) for r in json.load(open(p))])
def get(name, which="quant", **params):
    k = (name, tuple(sorted((a, str(b)) for a, b in params.items())))
    return sets[which].get(k, (float("nan"), float("nan"), None))
def fmt(x, d=1):
    x = float(x)  # JMH writes "NaN" as a string for a single iteration's error
    return "n/a" if x != x else f"{x:.{d}f}"
def pm(name, which="quant", d=1, **params):
    s, e, _ = get(name, which, **params)
    return f"{fmt(s, d)} ± {fmt(e, d)}"
def limit(name):
    # a limit is the best the machine showed: a disturbance during one of the two probes can only lower it
    vals = [sets[t][k][0] for t in ("limits-start", "limits-end") for k in sets[t] if k[0] == "MachineLimitsBenchmark." + name]
    return max(vals) if vals else float("nan")
bw1, bw2 = limit("readBandwidth1Thread"), limit("readBandwidth2Threads")
peak = max(limit("fmaPeak1Core"), limit("fmaPeak1Core512"))
print("### Machine limits (before and after the kernels; ratios use the larger)\n")
print("| measure | before | after | used |\n|---|---|---|---|")
for name, label, unit in (("readBandwidth1Thread", "read bandwidth, 1 thread", "GB/s"),
                          ("readBandwidth2Threads", "read bandwidth, 2 threads", "GB/s"),
                          ("fmaPeak1Core", "FMA peak, 1 core, 256-bit vectors", "GFLOP/s"),
                          ("fmaPeak1Core512", "FMA peak, 1 core, 512-bit vectors", "GFLOP/s")):
    b, a = (next((v[0] for k, v in sets[t].items() if k[0] == "MachineLimitsBenchmark." + name), float("nan"))
            for t in ("limits-start", "limits-end"))
    print(f"| {label} | {fmt(b)} {unit} | {fmt(a)} {unit} | {fmt(limit(name))} {unit} |")
print(f"\nFMA peak used below: {fmt(peak)} GFLOP/s.\n")

print("### Dot products (ns per call, mean ± 99.9 % CI; ratio = Lucene time / our time)\n")
print("| dim | int8 ours | int8 Lucene | int8 ours vs Lucene | int8 scalar | ours vs scalar | fp32 ours | fp32 Lucene | fp32 ours vs Lucene |")
print("|---|---|---|---|---|---|---|---|---|")
for dim in ["256", "512", "1024", "4096"]:
    i8, i8l, i8s = (get("DotBenchmark." + m, dim=dim)[0] for m in ("int8Simd", "int8Lucene", "int8Scalar"))
    f32, f32l = (get("DotBenchmark." + m, dim=dim)[0] for m in ("fp32Simd", "fp32Lucene"))
    print(f"| {dim} | {pm('DotBenchmark.int8Simd', dim=dim)} | {pm('DotBenchmark.int8Lucene', dim=dim)} | {fmt(i8l/i8, 2)}× | "
          f"{pm('DotBenchmark.int8Scalar', dim=dim, d=0)} | {fmt(i8s/i8, 2)}× | "
          f"{pm('DotBenchmark.fp32Simd', dim=dim)} | {pm('DotBenchmark.fp32Lucene', dim=dim)} | {fmt(f32l/f32, 2)}× |")

print("\n### Widths in the same run (ns per call): this build at 512 and forced to 256, the issue-4 kernels (256)\n")
print("| kernel | dim | ours, 512 | ours forced to 256 | issue-4 kernels, 256 | 512 vs forced 256 | forced 256 vs issue-4 |")
print("|---|---|---|---|---|---|---|")
for m in ("int8Simd", "fp32Simd"):
    for dim in ["256", "1024"]:
        a, b, c = (get("DotBenchmark." + m, w, dim=dim)[0] for w in ("quant", "width-256", "old-256"))
        if b == b or c == c:
            print(f"| {m} | {dim} | {fmt(a)} | {pm('DotBenchmark.' + m, 'width-256', dim=dim)} | {pm('DotBenchmark.' + m, 'old-256', dim=dim)} | {fmt(b/a, 2)}× | {fmt(c/b, 2)}× |")

print("\n### Matrix–vector in cache, one thread (µs; GFLOP/s = 2n²/time; % of the FMA peak)\n")
print("| n | fp32 weights | variant | µs | GFLOP/s | % of peak |\n|---|---|---|---|---|---|")
for n in ["384", "1024"]:
    for m in ["fp32Simd", "fp16Simd", "int8Simd", "int8xInt8Simd", "fp32Nd4j"]:
        t = get("MatvecInCacheBenchmark." + m, n=n)[0]
        if t != t:
            continue
        g = 2 * int(n) ** 2 / t
        where = "576 KiB (L2)" if n == "384" else "4 MiB (L3)"
        print(f"| {n} | {where} | {m} | {fmt(t/1000, 2)} ± {fmt(get('MatvecInCacheBenchmark.' + m, n=n)[1]/1000, 2)} | {fmt(g)} | {fmt(100*g/peak)} % |")

n = 8192
print(f"\n### Matrix–vector {n}×{n} beyond the cache, rows split across 2 threads\n")
print("| variant | weight bytes | ms | GB/s of weights | % of 2-thread bandwidth | speed vs SIMD fp32 |\n|---|---|---|---|---|---|")
base = get("MatvecStreamingBenchmark.matvec", variant="fp32Simd")[0]
for v, b in [("fp32Simd", 4), ("fp16Simd", 2), ("int8Simd", 1), ("int8xInt8Simd", 1)]:
    t, e, _ = get("MatvecStreamingBenchmark.matvec", variant=v)
    gbs = b * n * n / (t * 1000)
    print(f"| {v} | {b*n*n>>20} MiB | {fmt(t/1000, 2)} ± {fmt(e/1000, 2)} | {fmt(gbs)} | {fmt(100*gbs/bw2, 0)} % | {fmt(base/t, 2)}× |")

print("\n### Dense engine, batch-1 latency (µs); speed-up vs our fp32\n")
print("| model | FP32 | FP16 | INT8 (fp32 act.) | INT8 + dynamic int8 act. | fp16 vs fp32 | int8 vs fp32 | int8-dyn vs fp32 |\n|---|---|---|---|---|---|---|---|")
for model in ["wide", "small"]:
    t = {f: get("DenseBenchmark.predict", model=model, format=f)[0] for f in ["FP32", "FP16", "INT8", "INT8_DYNAMIC"]}
    c = {f: pm("DenseBenchmark.predict", model=model, format=f, d=(1 if model == "wide" else 2)) for f in t}
    print(f"| {model} | {c['FP32']} | {c['FP16']} | {c['INT8']} | {c['INT8_DYNAMIC']} | "
          f"{fmt(t['FP32']/t['FP16'], 2)}× | {fmt(t['FP32']/t['INT8'], 2)}× | {fmt(t['FP32']/t['INT8_DYNAMIC'], 2)}× |")
    if model == "small" and sets["old-small"]:
        o = {f: get("DenseBenchmark.predict", "old-small", model=model, format=f)[0] for f in t}
        oc = {f: pm("DenseBenchmark.predict", "old-small", model=model, format=f, d=2) for f in t}
        print(f"| small, OLD_CLASSES | {oc['FP32']} | {oc['FP16']} | {oc['INT8']} | {oc['INT8_DYNAMIC']} | "
              f"{fmt(o['FP32']/o['FP16'], 2)}× | {fmt(o['FP32']/o['INT8'], 2)}× | {fmt(o['FP32']/o['INT8_DYNAMIC'], 2)}× |")
        print("\nsmall, this build vs OLD_CLASSES (time ratio old/new): " + ", ".join(
            f"{f} {fmt(o[f]/t[f], 2)}×" for f in t))

print("\n### Allocation per call (-prof gc, gc.alloc.rate.norm)\n")
allocs = sorted(((v[2] if v[2] is not None else float("nan")), k) for k, v in sets["quant"].items())
zero = [k for a, k in allocs if a == a and a < 1.0]
print(f"{len(zero)} of {len(allocs)} benchmarks allocate < 1 byte per call. The others:\n")
print("| benchmark | params | bytes/call |\n|---|---|---|")
for a, k in allocs:
    if not (a == a and a < 1.0):
        print(f"| {k[0]} | {', '.join(f'{x}={y}' for x, y in k[1])} | {fmt(a)} |")
PY
}

if [[ "${1:-}" == "--summary" ]]; then
  summarise "$2"
  exit 0
fi

if [[ "${1:-}" != "--no-build" ]]; then
  ./mvnw -q -B -pl benchmarks -am -DskipTests package
fi
mkdir -p "$OUT"
if [[ "$PARTS" == "all" ]]; then
  rm -f "$OUT"/*.json "$OUT/quant.log"
elif [[ "$PARTS" == "small" ]]; then
  rm -f "$OUT"/quant-small.json "$OUT"/old-small.json
else
  rm -f "$OUT"/quant-dot.json "$OUT"/quant-scalar.json "$OUT"/width-256.json "$OUT"/old-256.json
fi
rm -f "$OUT/build-lock-seen.txt"

LOADED=""
if [[ -n "$BENCH_LOCK" ]]; then
  echo "mlops-quant JMH measurement (benchmarks/run-quant.sh, pid $$), started $(date -u +%H:%M:%SZ)" > "$BENCH_LOCK"
  trap 'rm -f "$BENCH_LOCK"' EXIT
fi
if [[ -n "$BUILD_LOCK" ]]; then
  waited=0
  while [[ -e "$BUILD_LOCK" && $waited -lt 2400 ]]; do
    echo "waiting for $BUILD_LOCK to go ($(cat "$BUILD_LOCK" 2>/dev/null | head -1)) ..." >&2
    sleep 30
    waited=$((waited + 30))
  done
  [[ -e "$BUILD_LOCK" ]] && LOADED="yes: $BUILD_LOCK still present after 40 minutes"
  # note every time the build lock is seen during the measurement, for the record in env.txt
  ( while sleep 15; do [[ -e "$BUILD_LOCK" ]] && date -u +%H:%M:%SZ >> "$OUT/build-lock-seen.txt"; done ) &
  WATCHER=$!
fi

# The forks' JVM flags. A -jvmArgsAppend on JMH's command line replaces the one in @Fork, so it must repeat
# --add-modules (without it the forks would run our scalar fallback and Lucene's scalar code).
# JDK 23+ warns when JMH touches sun.misc.Unsafe; JDK 21 and 22 refuse the flag that silences it.
FORK_ARGS="--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
UNSAFE_FLAG=()
if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  UNSAFE_FLAG=(--sun-misc-unsafe-memory-access=allow)
  FORK_ARGS="$FORK_ARGS --sun-misc-unsafe-memory-access=allow"
fi
jmh() {
  local name=$1 cp=$2 extra=$3 forks=$4
  shift 4
  "$JAVA" "${UNSAFE_FLAG[@]}" -cp "$cp" org.openjdk.jmh.Main "$@" -f "$forks" -i "$ITER" -wi "$WARMUP" \
    -jvmArgsAppend "$FORK_ARGS $extra" \
    -rf json -rff "$OUT/$name.json" 2>&1 | tee -a "$OUT/quant.log"
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD) ($(git rev-parse --abbrev-ref HEAD))"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(lscpu | grep -E '^(L1d|L2|L3) cache' | sed 's/  */ /g' | paste -sd';')"
  echo "vector flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(sse4_2|avx|avx2|fma|f16c|avx512.*|avx_vnni|amx.*)$' | paste -sd' ')"
  echo "jmh: $FORKS forks x $ITER iterations (warm-up $WARMUP) per benchmark; fork flags: $FORK_ARGS"
  echo "build lock: ${LOADED:-absent when the measurement started}"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  "$JAVA" --add-modules=jdk.incubator.vector -cp "$JAR" org.mlops4j.benchmarks.quant.QuantEnvironment 2>&1 \
    | grep -v "^WARNING: Using incubator" | sed 's/^/env: /'
} | tee "$ENV_FILE"

# The machine limits get one fork each time: they are measured before and after, and only set the scale.
[[ "$PARTS" == "all" ]] && jmh limits-start "$JAR" "" 1 'MachineLimitsBenchmark'
if [[ "$PARTS" == "small" ]]; then
  # new and old alternate, so drift of the machine hits both
  jmh quant-small "$JAR" "" "$FORKS" -prof gc 'DenseBenchmark' -p model=small
  if [[ -n "${OLD_CLASSES:-}" ]]; then
    jmh old-small "$OLD_CLASSES:$JAR" "" "$FORKS" -prof gc 'DenseBenchmark' -p model=small
  fi
else
jmh quant-dot "$JAR" "" "$FORKS" -prof gc 'DotBenchmark.(int8Simd|int8Lucene|fp32Simd|fp32Lucene)$' -p dim=256,512,1024,4096
jmh quant-scalar "$JAR" "" "$FORKS" -prof gc 'DotBenchmark.int8Scalar' -p dim=1024
if [[ "$PARTS" == "all" ]]; then
jmh quant-matvec "$JAR" "" "$FORKS" -prof gc 'MatvecInCacheBenchmark.(fp32Simd|fp16Simd|int8Simd|int8xInt8Simd)' -p n=384
jmh quant-matvec-l3 "$JAR" "" "$FORKS" -prof gc 'MatvecInCacheBenchmark.fp32Simd' -p n=1024
jmh quant-stream "$JAR" "" "$FORKS" -prof gc 'MatvecStreamingBenchmark' -p variant=fp32Simd,fp16Simd,int8Simd,int8xInt8Simd
jmh quant-dense "$JAR" "" "$FORKS" -prof gc 'DenseBenchmark' -p model=wide,small
fi
jmh width-256 "$JAR" "-Dmlops.quant.kernels=panama-256" "$FORKS" 'DotBenchmark.(int8Simd|fp32Simd)$' -p dim=256,1024
if [[ -n "${OLD_CLASSES:-}" ]]; then
  jmh old-256 "$OLD_CLASSES:$JAR" "" "$FORKS" 'DotBenchmark.(int8Simd|fp32Simd)$' -p dim=256,1024
fi
fi
[[ "$PARTS" == "all" ]] && jmh limits-end "$JAR" "" 1 'MachineLimitsBenchmark'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$ENV_FILE"
if [[ -n "${WATCHER:-}" ]]; then
  kill "$WATCHER" 2>/dev/null || true
  if [[ -s "$OUT/build-lock-seen.txt" ]]; then
    echo "build lock seen during the run at: $(paste -sd' ' "$OUT/build-lock-seen.txt") (machine loaded then)" | tee -a "$ENV_FILE"
  else
    echo "build lock never seen during the run" | tee -a "$ENV_FILE"
  fi
fi
if [[ -n "$BENCH_LOCK" ]]; then
  rm -f "$BENCH_LOCK"
  trap - EXIT
fi
grep -h -E "preferredBitSize|Quantization kernels" "$OUT/quant.log" | sed 's/.*\] //' | sort | uniq -c | tee -a "$ENV_FILE"
summarise "$OUT" | tee "$OUT/summary.md"
