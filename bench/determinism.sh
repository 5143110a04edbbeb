#!/usr/bin/env bash
# Same seed, same model, different parallelism: a fixed number of steps of the reference network on
# Fashion-MNIST with 1 partition on local[1] and with 4 partitions on local[2]. Prints both final
# training losses (mean over the steps run) and their relative difference.
#
#   bench/determinism.sh [STEPS]     default 30
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-30}"
out="$root/bench/out/determinism-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
for setup in "1 1" "2 4"; do
  set -- $setup
  "$root/bin/heatwave" train --config "$root/conf/reference-parabolic.conf" --out "$out/local$1-p$2" \
    --set spark.master="local[$1]" --set data.partitions="$2" --set train.max-steps="$steps" \
    --set data.test-limit=1000 --set log.every-steps=10 > "$out/local$1-p$2.log"
done
/usr/bin/python3 - "$out" "$steps" <<'PY'
import json, sys
out, steps = sys.argv[1], sys.argv[2]
a = json.load(open(f"{out}/local1-p1/summary.json"))["train_loss"]
b = json.load(open(f"{out}/local2-p4/summary.json"))["train_loss"]
rel = abs(a - b) / abs(a)
print(json.dumps({"steps": int(steps), "local1_p1_train_loss": a, "local2_p4_train_loss": b, "relative_difference": rel}))
PY
