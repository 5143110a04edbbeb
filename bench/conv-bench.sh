#!/usr/bin/env bash
# Convolution speed (issue 3): JMH benchmarks of one multichannel 3x3 periodic convolution on a batch of
# 64 images, single thread — forward, transpose, θ-gradient and the per-update kernel spectrum by the FFT
# path, forward, transpose and θ-gradient by the direct per-pixel products, the float64 reference sum on
# the small cases, and which of the two Convolution chooses for each shape — reported as GFLOP/s of
# direct-convolution work (2·9·c²·h·w·64 per operation) and as a fraction of the single-core float32
# matrix-multiply peak measured in the same run (PyTorch's torch.mm on OpenBLAS, before and after).
# Times are the best of five one-second JMH iterations, as the peak is the best of its repeats.
#
#   bench/conv-bench.sh            (builds the benchmarks jar if needed; ~22 minutes)
#
# Needs Debian's python3-torch and libopenblas0-pthread (apt-get install -y python3-torch
# libopenblas0-pthread). OpenBLAS 0.3.21 does not recognise every new Intel core and then falls back to
# its generic kernels; the script names the core type from the CPU flags so that the peak is the real one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/conv-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$root/bench/jar-and-blas.sh"
peak() {
  OPENBLAS_CORETYPE="$core" OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$root/bench/gemm_peak.py" --threads 1 --n 2048
}
peak | tee "$out/peak.json"
java -jar "$jar" "ConvolutionBench.(fft|pixel)" -wi 2 -i 5 -w 1 -r 1 -rf json -rff "$out/fft.json" > "$out/fft.log"
java -cp "$jar" org.heatwave.benchmarks.MethodChoice > "$out/choice.jsonl"
java -jar "$jar" "ConvolutionBench.directForward" -p size=7,14 -p width=8,16,32 -wi 1 -i 2 -w 1 -r 2 \
  -rf json -rff "$out/direct.json" > "$out/direct.log"
peak | tee "$out/peak-after.json"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
# the higher of the peaks measured before and after the benchmarks (the machine's speed drifts)
peak = max(json.load(open(f"{out}/{f}"))["gflops"] for f in ("peak.json", "peak-after.json"))
rows = {}
for f in ("fft.json", "direct.json"):
    for r in json.load(open(f"{out}/{f}")):
        name = r["benchmark"].rsplit(".", 1)[1]
        s, w = int(r["params"]["size"]), int(r["params"]["width"])
        # best one-second iteration, as the peak is the best of its repeats: on a shared machine the
        # minimum is the stable statistic (JMH's mean is in the JSON files too)
        rows.setdefault((s, w), {})[name] = min(min(it) for it in r["primaryMetric"]["rawData"])  # ms/op
choice = {}
for line in open(f"{out}/choice.jsonl"):
    c = json.loads(line)
    choice[(c["size"], c["width"])] = c["method"]
print(f"single-core float32 sgemm peak (OpenBLAS via torch.mm, n=2048, best of before/after): {peak} GFLOP/s\n")
print("| size | width | FFT forward ms | GFLOP/s | % peak | FFT transpose ms | GFLOP/s | FFT gradient ms | GFLOP/s | % peak | spectrum ms | direct forward ms | GFLOP/s | % peak | direct transpose GFLOP/s | direct gradient GFLOP/s | % peak | reference forward GFLOP/s | chosen | chosen forward % peak | chosen gradient % peak | chosen/direct time (fwd+tr+grad) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
summary = []
for (s, w), m in sorted(rows.items()):
    work = 2 * 9 * w * w * s * s * 64 / 1e9
    g = lambda k: work / (m[k] / 1e3) if k in m else None
    cell = lambda v, fmt: (fmt % v) if v is not None else "–"
    ch = choice[(s, w)]
    pre = "fft" if ch == "FFT" else "pixel"
    total = lambda p: sum(m[p + op] for op in ("Forward", "Transpose", "Gradient"))
    print(f"| {s} | {w} | {cell(m.get('fftForward'), '%.2f')} | {cell(g('fftForward'), '%.1f')} | "
          f"{cell(g('fftForward') and 100 * g('fftForward') / peak, '%.0f %%')} | {cell(m.get('fftTranspose'), '%.2f')} | "
          f"{cell(g('fftTranspose'), '%.1f')} | {cell(m.get('fftGradient'), '%.2f')} | {cell(g('fftGradient'), '%.1f')} | "
          f"{cell(g('fftGradient') and 100 * g('fftGradient') / peak, '%.0f %%')} | {cell(m.get('fftPrepare'), '%.3f')} | "
          f"{cell(m.get('pixelForward'), '%.2f')} | {cell(g('pixelForward'), '%.1f')} | "
          f"{cell(g('pixelForward') and 100 * g('pixelForward') / peak, '%.0f %%')} | {cell(g('pixelTranspose'), '%.1f')} | "
          f"{cell(g('pixelGradient'), '%.1f')} | {cell(g('pixelGradient') and 100 * g('pixelGradient') / peak, '%.0f %%')} | "
          f"{cell(g('directForward'), '%.2f')} | {ch.lower()} | {100 * g(pre + 'Forward') / peak:.0f} % | "
          f"{100 * g(pre + 'Gradient') / peak:.0f} % | {total(pre) / total('pixel'):.2f} |")
    summary.append({"size": s, "width": w, "peak_gflops": peak, "chosen": ch, **{k: v for k, v in m.items()}})
json.dump(summary, open(f"{out}/summary.json", "w"), indent=1)
PY
