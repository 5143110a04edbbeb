#!/usr/bin/env bash
# Training throughput of the reference network (conf/reference-parabolic.conf): heatwave on Spark
# local[N] next to the same network in PyTorch CPU with N threads, measured in the same run on the
# same machine and the same Fashion-MNIST data. Prints one JSON line per framework and a Markdown row.
#
#   bench/throughput.sh [STEPS] [CORES]        defaults: 200 heatwave steps, all cores
#
# heatwave's figure is the end-to-end trainer (Spark job per step: broadcast, executors, fixed-order
# combine, SGD on the driver), from metrics.jsonl, skipping the first 60 steps (JIT warm-up).
# PyTorch needs Debian's python3-torch: apt-get install -y python3-torch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-200}"
cores="${2:-$(nproc)}"
out="$root/bench/out/throughput-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"

torch_json=$(/usr/bin/python3 "$root/bench/torch_reference.py" --steps 100 --warmup 10 --threads "$cores" 2>"$out/torch.log")
echo "$torch_json" | tee "$out/torch.json"

"$root/bin/heatwave" train --config "$root/conf/reference-parabolic.conf" --out "$out/heatwave-run" \
  --set spark.master="local[$cores]" --set data.partitions="$cores" --set train.max-steps="$steps" \
  --set log.every-steps=20 > "$out/heatwave.log"

/usr/bin/python3 - "$out" "$cores" <<'PY'
import json, sys, statistics
out, cores = sys.argv[1], int(sys.argv[2])
torch = json.load(open(f"{out}/torch.json"))
rows = [json.loads(l) for l in open(f"{out}/heatwave-run/metrics.jsonl")]
windows = [r["images_per_second"] for r in rows if r.get("kind") == "train" and r["step"] > 60]
hw = statistics.median(windows)
res = {"framework": "heatwave", "cores": cores, "images_per_second": round(hw, 1),
       "windows": len(windows), "pytorch_images_per_second": torch["images_per_second"],
       "ratio_vs_pytorch": round(hw / torch["images_per_second"], 3)}
print(json.dumps(res))
json.dump(res, open(f"{out}/heatwave.json", "w"))
print(f"| reference network, batch 64 | {cores} | {hw:.0f} | {torch['images_per_second']:.0f} | {hw / torch['images_per_second']:.2f}x |")
PY
