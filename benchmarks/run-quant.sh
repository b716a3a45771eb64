#!/usr/bin/env bash
# Runs the whole mlops-quant JMH suite (org.mlops4j.benchmarks.quant) with the settings reported in
# BENCHMARKS.md, then prints a Markdown summary with the derived figures (GB/s, GFLOP/s, ratios).
#
#   benchmarks/run-quant.sh              build, run everything (about 15 minutes on 2 cores), summarise
#   benchmarks/run-quant.sh --no-build   reuse benchmarks/target/benchmarks.jar
#   benchmarks/run-quant.sh --summary F [S E]  only summarise JMH JSON F (and limit files S, E)
#
# Environment: JAVA_HOME (a JDK >= 21; default Temurin 25 when present), BENCH_LOCK (a file that marks a
# running measurement on a shared machine; default /work/.bench-lock when /work exists, empty = none).
# Output: benchmarks/target/quant-results/{env.txt,limits-start.json,quant.json,limits-end.json,quant.log,
# summary.md}.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${JAVA_HOME:-}" && -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT=benchmarks/target/quant-results
LOCK="${BENCH_LOCK-$([[ -d /work ]] && echo /work/.bench-lock || true)}"

summarise() {
  python3 - "$@" <<'PY'
import json, os, sys
runs = json.load(open(sys.argv[1]))
limits = {}
for tag, path in (("start", sys.argv[2] if len(sys.argv) > 2 else ""), ("end", sys.argv[3] if len(sys.argv) > 3 else "")):
    if path and os.path.exists(path):
        limits[tag] = {r["benchmark"].rsplit(".", 1)[-1]: r["primaryMetric"]["score"] for r in json.load(open(path))}
def key(r):
    p = r.get("params") or {}
    return (r["benchmark"].rsplit(".", 2)[-2] + "." + r["benchmark"].rsplit(".", 1)[-1],
            tuple(sorted(p.items())))
res = {}
for r in runs:
    alloc = next((m["score"] for name, m in r.get("secondaryMetrics", {}).items()
                  if name.endswith("gc.alloc.rate.norm")), None)
    res[key(r)] = (r["primaryMetric"]["score"], r["primaryMetric"]["scoreError"], r["primaryMetric"]["scoreUnit"], alloc)
def get(name, **params):
    k = (name, tuple(sorted((a, str(b)) for a, b in params.items())))
    return res[k][0] if k in res else float("nan")
def fmt(x, d=2):
    return "n/a" if x != x else f"{x:.{d}f}"
def limit(name):
    values = [l[name] for l in limits.values() if name in l] or [get("MachineLimitsBenchmark." + name)]
    return sum(values) / len(values)
bw1, bw2, peak = limit("readBandwidth1Thread"), limit("readBandwidth2Threads"), limit("fmaPeak1Core")
print("### Machine limits (measured before and after the kernels; ratios use the mean)\n")
print("| measure | before | after | mean |\n|---|---|---|---|")
for name, label, unit in (("readBandwidth1Thread", "read bandwidth, 1 thread", "GB/s"),
                          ("readBandwidth2Threads", "read bandwidth, 2 threads", "GB/s"),
                          ("fmaPeak1Core", "FMA peak, 1 core", "GFLOP/s")):
    b, a = (limits.get(t, {}).get(name, float("nan")) for t in ("start", "end"))
    print(f"| {label} | {fmt(b, 1)} {unit} | {fmt(a, 1)} {unit} | {fmt(limit(name), 1)} {unit} |")
print()

print("### Dot products (ns per call; speed-up = time ratio)\n")
print("| dim | int8 scalar | int8 ours | int8 Lucene | ours vs Lucene | ours vs scalar | fp32 scalar | fp32 ours | fp32 Lucene | ours vs Lucene |")
print("|---|---|---|---|---|---|---|---|---|---|")
for d in ["64", "128", "256", "512", "1024", "4096", "1048576"]:
    i8s, i8, i8l = (get("DotBenchmark." + m, dim=d) for m in ("int8Scalar", "int8Simd", "int8Lucene"))
    f32s, f32, f32l = (get("DotBenchmark." + m, dim=d) for m in ("fp32Scalar", "fp32Simd", "fp32Lucene"))
    print(f"| {d} | {fmt(i8s,1)} | {fmt(i8,1)} | {fmt(i8l,1)} | {fmt(i8l/i8)}× | {fmt(i8s/i8)}× | {fmt(f32s,1)} | {fmt(f32,1)} | {fmt(f32l,1)} | {fmt(f32l/f32)}× |")

print("\n### Element-wise kernels and mixed dot products, 4096 values (ns per call; elements/ns)\n")
print("| kernel | scalar ns | ours ns | scalar el/ns | ours el/ns | speed-up |\n|---|---|---|---|---|---|")
for m in ["toFp16", "toFp32", "quantize", "dequantize", "maxAbs", "argmax", "relu", "dotFp16", "dotFp16Fp32", "dotInt8Fp32"]:
    s, v = get("ElementwiseBenchmark." + m, impl="scalar"), get("ElementwiseBenchmark." + m, impl="simd")
    print(f"| {m} | {fmt(s,0)} | {fmt(v,0)} | {fmt(4096/s)} | {fmt(4096/v)} | {fmt(s/v)}× |")

n = 1024
print(f"\n### Matrix–vector {n}×{n}, one thread (fp32 weights 4 MiB: L3)\n")
print("| variant | µs | GFLOP/s | % of FMA peak | vs ND4J |\n|---|---|---|---|---|")
nd = get("MatvecInCacheBenchmark.fp32Nd4j")
for m in ["fp32Scalar", "fp32Simd", "fp32Nd4j", "fp16Simd", "int8Simd", "int8xInt8Simd"]:
    t = get("MatvecInCacheBenchmark." + m)
    g = 2 * n * n / t
    print(f"| {m} | {fmt(t/1000,1)} | {fmt(g,1)} | {fmt(100*g/peak,1)} % | {fmt(nd/t)}× |")

n = 8192
print(f"\n### Matrix–vector {n}×{n} beyond the cache, rows split across 2 threads\n")
print("| variant | weight bytes | ms | GB/s of weights | % of 2-thread bandwidth | speed vs SIMD fp32 |\n|---|---|---|---|---|---|")
base = get("MatvecStreamingBenchmark.matvec", variant="fp32Simd")
for v, b in [("fp32Scalar", 4), ("fp32Simd", 4), ("fp32Nd4j", 4), ("fp16Simd", 2), ("int8Simd", 1), ("int8xInt8Simd", 1)]:
    t = get("MatvecStreamingBenchmark.matvec", variant=v)
    gbs = b * n * n / (t * 1000)
    print(f"| {v} | {b*n*n>>20} MiB | {fmt(t/1000,2)} | {fmt(gbs,1)} | {fmt(100*gbs/bw2,0)} % | {fmt(base/t)}× |")

print("\n### Matrix–matrix C = A·Bᵀ, one thread (GOP/s = 2n³/time; % of the fp32 FMA peak)\n")
print("| n | fp32 scalar | fp32 ours | fp32 ND4J | int8 scalar | int8 ours | int8 ours vs fp32 ours |\n|---|---|---|---|---|---|---|")
for sz in ["256", "512", "1024"]:
    k = int(sz)
    cells = []
    for m in ["fp32Scalar", "fp32Simd", "fp32Nd4j", "int8Scalar", "int8Simd"]:
        t = get("MatmulBenchmark." + m, n=sz)
        g = 2 * k ** 3 / (t * 1000)
        cells.append(f"{fmt(g,1)} ({fmt(100*g/peak,0)} %)")
    ratio = get("MatmulBenchmark.fp32Simd", n=sz) / get("MatmulBenchmark.int8Simd", n=sz)
    print(f"| {sz} | " + " | ".join(cells) + f" | {fmt(ratio)}× |")

print("\n### Dense engine, batch-1 latency (µs); speed-up vs our fp32\n")
print("| model | FP32 | FP16 | INT8 (fp32 act.) | INT8 + dynamic int8 act. | fp16 vs fp32 | int8 vs fp32 | int8-dyn vs fp32 |\n|---|---|---|---|---|---|---|---|")
for model in ["wide", "wide2t", "small"]:
    t = {f: get("DenseBenchmark.predict", model=model, format=f) for f in ["FP32", "FP16", "INT8", "INT8_DYNAMIC"]}
    print(f"| {model} | {fmt(t['FP32'],1)} | {fmt(t['FP16'],1)} | {fmt(t['INT8'],1)} | {fmt(t['INT8_DYNAMIC'],1)} | "
          f"{fmt(t['FP32']/t['FP16'])}× | {fmt(t['FP32']/t['INT8'])}× | {fmt(t['FP32']/t['INT8_DYNAMIC'])}× |")

print("\n### Allocation per call (-prof gc, gc.alloc.rate.norm)\n")
allocs = sorted(((a if a is not None else float('nan')), k) for k, (_, _, _, a) in res.items())
zero = [k for a, k in allocs if a == a and a < 1.0]
print(f"{len(zero)} of {len(allocs)} benchmarks allocate < 1 byte per call. The others:\n")
print("| benchmark | params | bytes/call |\n|---|---|---|")
for a, k in allocs:
    if not (a == a and a < 1.0):
        print(f"| {k[0]} | {', '.join(f'{x}={y}' for x, y in k[1])} | {fmt(a,1)} |")
PY
}

if [[ "${1:-}" == "--summary" ]]; then
  shift
  summarise "$@"
  exit 0
fi

wait_for_lock() {
  [[ -z "$LOCK" ]] && return 0
  while [[ -e "$LOCK" ]] && [[ "$(cat "$LOCK" 2>/dev/null)" != "quant" ]]; do
    echo "waiting for $LOCK ($(cat "$LOCK" 2>/dev/null)) ..." >&2
    sleep 30
  done
}

if [[ "${1:-}" != "--no-build" ]]; then
  wait_for_lock
  ./mvnw -q -B -pl benchmarks -am -DskipTests package
fi

mkdir -p "$OUT"
wait_for_lock
if [[ -n "$LOCK" ]]; then
  echo quant > "$LOCK"
  trap 'rm -f "$LOCK"' EXIT
fi
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/env.txt"
# One fork per benchmark; warm-up and measurement times are set per class with annotations. The machine's
# limits are measured before and after the kernels, so a disturbance during the run shows up.
# JDK 23+ warns when protobuf/JMH touch sun.misc.Unsafe; JDK 21 and 22 refuse the flag that silences it.
UNSAFE_FLAG=()
if "$JAVA" --sun-misc-unsafe-memory-access=allow -version >/dev/null 2>&1; then
  UNSAFE_FLAG=(--sun-misc-unsafe-memory-access=allow)
fi
jmh() { "$JAVA" "${UNSAFE_FLAG[@]}" -jar benchmarks/target/benchmarks.jar "$@" ${UNSAFE_FLAG[@]:+-jvmArgsAppend "${UNSAFE_FLAG[*]}"}; }
jmh 'org\.mlops4j\.benchmarks\.quant\.MachineLimits.*' -rf json -rff "$OUT/limits-start.json" 2>&1 | tee "$OUT/quant.log"
jmh 'org\.mlops4j\.benchmarks\.quant\.(?!MachineLimits).*' -prof gc -rf json -rff "$OUT/quant.json" 2>&1 | tee -a "$OUT/quant.log"
jmh 'org\.mlops4j\.benchmarks\.quant\.MachineLimits.*' -rf json -rff "$OUT/limits-end.json" 2>&1 | tee -a "$OUT/quant.log"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/env.txt"
if [[ -n "$LOCK" ]]; then
  rm -f "$LOCK"
  trap - EXIT
fi
summarise "$OUT/quant.json" "$OUT/limits-start.json" "$OUT/limits-end.json" | tee "$OUT/summary.md"
