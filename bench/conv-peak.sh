#!/usr/bin/env bash
# Issue 3's speed criterion: the 3x3 convolution (batch 64, single thread) as a fraction of the machine's
# single-core float32 matrix-multiply peak, both measured interleaved in one JVM — each round one
# OpenBLAS sgemm (n=1024, through netlib's JNI binding to the system libblas.so.3) then forward,
# transpose and θ-gradient by the FFT path and by the direct method (ConvPeak's Javadoc).
# Prints one JSON line per shape and a Markdown table; raw lines in bench/out/conv-peak-<time>/.
#
#   bench/conv-peak.sh [sizes=7,14,28,56,64] [widths=8,16,32,64,128] [seconds per shape=8]   (~10 minutes)
#
# Needs OpenBLAS as the system BLAS (Debian: apt-get install -y libopenblas0-pthread). OpenBLAS 0.3.21
# does not recognise every new Intel core and then falls back to its generic kernels; the script names
# the core type from the CPU flags so that the peak is the real one.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/bench/out/conv-peak-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
source "$root/bench/jar-and-blas.sh"
blas="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown)"
case "$blas" in
  *openblas*) ;;
  *) echo "warning: libblas.so.3 is $blas, not OpenBLAS: the 'peak' will be far below the machine's" >&2 ;;
esac
echo "# libblas.so.3 -> $blas; cores: $(nproc); $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-)" | tee "$out/lines.jsonl"
OPENBLAS_CORETYPE="$core" OPENBLAS_NUM_THREADS=1 java --add-modules=jdk.incubator.vector -Xmx6g \
  -cp "$jar" org.heatwave.benchmarks.ConvPeak "$@" 2>/dev/null | tee -a "$out/lines.jsonl"
/usr/bin/python3 - "$out/lines.jsonl" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
ops = ("forward", "transpose", "gradient")
def cell(r, m, op):
    return f"{r[f'{m}_{op}_gflops']:.1f} ({100 * r[f'{m}_{op}_peak']:.0f} %)"
print("\nGFLOP/s of direct-convolution work (% of the sgemm peak of the same rounds, best against best);"
      " chosen: the method Convolution picks, % of the peak paired per round (median)\n")
print("| size | width | sgemm peak | FFT forward | FFT transpose | FFT gradient | spectrum ms | direct forward"
      " | direct transpose | direct gradient | chosen | chosen fwd / tr / grad, paired | chosen/direct time |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    m = "fft" if r["chosen"] == "FFT" else "direct"
    paired = " / ".join(f"{100 * r[f'{m}_{op}_peak_paired']:.0f} %" for op in ops)
    print(f"| {r['size']} | {r['width']} | {r['peak_gflops']:.0f} | " + " | ".join(cell(r, "fft", op) for op in ops)
          + f" | {r['fft_spectrum_ms']:.2f} | " + " | ".join(cell(r, "direct", op) for op in ops)
          + f" | {r['chosen'].lower()} | {paired} | {r['chosen_over_direct']:.2f} |")
PY
