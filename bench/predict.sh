#!/usr/bin/env bash
# Issue 15: prediction throughput beside training throughput, the reference network on Fashion-MNIST, local[*]:
# train (STEPS steps, bin/heatwave train), then bin/heatwave predict on the 10,000 test images, read two ways —
# the IDX test file (--input-format idx) and the same images as PNG files (bin/heatwave data export) — each a
# separate JVM, end to end (JVM start to the Parquet written) and the job alone (as predict reports it).
#
#   bench/predict.sh [STEPS]     default 300
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-300}"
out="$root/bench/out/predict-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
# timed LOG CMD…: runs CMD with its output in LOG, prints its wall seconds
timed() { local log=$1; shift; local t0; t0=$(date +%s.%N); "$@" > "$log" 2>&1; echo "$(date +%s.%N) - $t0" | bc; }
"$root/bin/heatwave" train --config "$root/conf/reference-parabolic.conf" --out "$out/run" \
  --set train.max-steps="$steps" --set log.every-steps=50 --set train.checkpoint-minutes=0 > "$out/train.log" 2>&1
"$root/bin/heatwave" data export --out "$out/png" > "$out/export.log" 2>&1
idx_dir=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["data"])' "$out/run/summary.json")
idx_wall=$(timed "$out/predict-idx.log" "$root/bin/heatwave" predict --model "$out/run/model" --input "$idx_dir" \
  --input-format idx --output "$out/predictions-idx")
png_wall=$(timed "$out/predict-png.log" "$root/bin/heatwave" predict --model "$out/run/model" --input "$out/png/test" \
  --output "$out/predictions-png")
/usr/bin/python3 - "$out" "$idx_wall" "$png_wall" <<'PY'
import json, re, sys
out, idx_wall, png_wall = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
summary = json.load(open(f"{out}/run/summary.json"))
def job(name):
    m = re.search(r"(\d+) images classified in ([0-9.]+) s", open(f"{out}/predict-{name}.log").read())
    return int(m.group(1)), float(m.group(2))
rows = {}
for name, wall in (("idx", idx_wall), ("png", png_wall)):
    n, s = job(name)
    rows[name] = {"images": n, "job_seconds": s, "job_images_per_second": n / s, "wall_seconds": wall,
                  "end_to_end_images_per_second": n / wall}
print(json.dumps({"train_images_per_second": summary["train_images_per_second"], "train_seconds": summary["train_seconds"],
                  "test_accuracy": summary["test_accuracy"], "predict": rows}, indent=2))
PY
