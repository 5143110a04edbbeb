#!/usr/bin/env bash
# Issue 17: scheduled retraining on Fashion-MNIST in K nightly slices (bin/heatwave data split). Each night one more
# slice is delivered (renamed into data.path), then two runs of the same command, each a fresh JVM, end to end:
#   nightly  bin/heatwave retrain into one registry: a warm start from the champion (retrain.warm-epochs over all
#            data so far; night 1 is a cold start, the registry being empty)
#   scratch  bin/heatwave retrain into a new, empty registry: training from scratch (train.epochs) on all data so far
# Both evaluate on the same held-out set (the test slices delivered so far).
#   bench/retraining.sh [K] [CONFIG]       default 5 and conf/retrain-fashion-mnist.conf
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
k="${1:-5}"
config="${2:-$root/conf/retrain-fashion-mnist.conf}"
out="$root/bench/out/retraining-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out/incoming"
"$root/bin/heatwave" --version > /dev/null   # builds the project if any source is newer than the jar
"$root/bin/heatwave" data split --parts "$k" --out "$out/slices" > "$out/split.log" 2>&1
# timed LOG CMD…: runs CMD with its output in LOG, prints its wall seconds
timed() { local log=$1; shift; local t0; t0=$(date +%s.%N); "$@" > "$log" 2>&1; echo "$(date +%s.%N) - $t0" | bc; }
for night in $(seq 1 "$k"); do
  slice=$(ls "$out/slices" | grep -v '^\.' | sort | head -n 1)   # the next slice not delivered yet
  mv "$out/slices/$slice" "$out/incoming/$slice"
  warm=$(timed "$out/nightly-$night.log" "$root/bin/heatwave" retrain --registry "$out/nightly" --config "$config" \
    --set "data.path=$out/incoming")
  cold=$(timed "$out/scratch-$night.log" "$root/bin/heatwave" retrain --registry "$out/scratch-$night" --config "$config" \
    --set "data.path=$out/incoming")
  echo "$night $warm $cold" >> "$out/walls.txt"
  echo "night $night: nightly ${warm} s, scratch ${cold} s"
done
/usr/bin/python3 - "$out" <<'PY'
import glob, json, os, sys
out = sys.argv[1]
def lineage(registry, version):
    return json.load(open(f"{registry}/versions/v{version:06d}/lineage.json"))
def decision(log):
    return json.loads(open(log).read().strip().splitlines()[-1])
rows = ["| night | training images | nightly: decision | start | accuracy | train s | end to end s | scratch: accuracy "
        "| train s | end to end s | accuracy gap (points) | time ratio (end to end) | time ratio (training) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for line in open(f"{out}/walls.txt"):
    night, warm, cold = line.split()
    night, warm, cold = int(night), float(warm), float(cold)
    d = decision(f"{out}/nightly-{night}.log")
    v = lineage(f"{out}/nightly", d["challenger"])
    s = lineage(f"{out}/scratch-{night}", decision(f"{out}/scratch-{night}.log")["challenger"])
    start = "cold" if v["parent"] is None else f"warm from v{v['parent']}"
    rows.append(f"| {night} | {sum(v['trainingData']['classCounts']):,} | {d['decision']} v{d['challenger']} | {start} "
                f"| {100 * v['accuracy']:.2f} % | {v['trainSeconds']:.0f} | {warm:.0f} | {100 * s['accuracy']:.2f} % "
                f"| {s['trainSeconds']:.0f} | {cold:.0f} | {100 * (v['accuracy'] - s['accuracy']):+.2f} "
                f"| {warm / cold:.2f} | {v['trainSeconds'] / s['trainSeconds']:.2f} |")
table = "\n".join(rows) + "\n"
open(f"{out}/table.md", "w").write(table)
print(table)
PY
echo "results: $out"
