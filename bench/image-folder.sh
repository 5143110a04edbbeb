#!/usr/bin/env bash
# Issue 15: Fashion-MNIST exported to PNG class folders (bin/heatwave data export) and trained with
# data.format = image-folder gives the same parameters, bit for bit, as training from the IDX files: the
# reference network (conf/reference-parabolic.conf), STEPS steps, the whole test set, local[*].
#
# Prints the export's wall time, each run's wall time (JVM start to saved model: for the PNG run this includes
# decoding 70,000 PNGs through Spark's image source) and the SHA-256 of each run's saved parameters.
#
#   bench/image-folder.sh [STEPS]     default 200
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-200}"
out="$root/bench/out/image-folder-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
seconds() { local t0=$1; echo "$(date +%s.%N) - $t0" | bc; }
t0=$(date +%s.%N)
"$root/bin/heatwave" data export --data fashion-mnist --out "$out/fashion-mnist-png" > "$out/export.log" 2>&1
export_s=$(seconds "$t0")
run() {
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  "$root/bin/heatwave" train --config "$root/conf/reference-parabolic.conf" --out "$out/run-$name" \
    --set train.max-steps="$steps" --set log.every-steps=50 --set train.checkpoint-minutes=0 "$@" > "$out/run-$name.log" 2>&1
  seconds "$t0" > "$out/run-$name.wall"
}
run idx
run png --set data.format=image-folder --set data.path="\"$out/fashion-mnist-png\""
/usr/bin/python3 - "$out" "$export_s" "$steps" <<'PY'
import json, sys
out, export_s, steps = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rows = {}
for name in ("idx", "png"):
    sha = json.load(open(f"{out}/run-{name}/model/model.json"))["params_sha256"]
    summary = json.load(open(f"{out}/run-{name}/summary.json"))
    rows[name] = {"sha256": sha, "wall_seconds": float(open(f"{out}/run-{name}.wall").read()),
                  "test_accuracy": summary["test_accuracy"], "data": summary["data"]}
print(json.dumps({"steps": steps, "export_seconds": export_s, "bit_identical": rows["idx"]["sha256"] == rows["png"]["sha256"],
                  "runs": rows}, indent=2))
PY
