#!/usr/bin/env bash
# Issue 18's one speed protocol: heatwave against PyTorch (Debian python3-torch, N threads) on the reference
# network (conf/reference-parabolic.conf, 149,402 parameters), the same real Fashion-MNIST images (the first
# 6,000 training images, the 10,000 test images, from the same files), batch 64, SGD with momentum, in one run.
# Each framework runs as a fresh process per figure, launched by this script, which notes the launch time:
#
#   training, end to end   the first 6,000-image epoch (93 steps of 64) from the process's launch to the end of
#                          its last step: interpreter or JVM start, Spark start (heatwave), data loading, warm-up
#   training, steady state the median images/s over 20-step windows of epochs 2 and 3 (heatwave: from per-step
#                          records of metrics.jsonl, leaving out each epoch's first step, which follows the test
#                          evaluation)
#   inference, steady      the 10,000 test images classified, warm, in batches of 32 (PyTorch: no_grad, eval mode,
#                          median of 3 passes after one; heatwave: the test evaluation after epoch 3)
#   inference, end to end  a fresh process classifying the 10,000 test images (heatwave: bin/heatwave predict,
#                          JVM start to the predictions written as Parquet; PyTorch: to the predictions in memory)
#
# Inference runs in batches of 32 in both frameworks: heatwave's Network.INFERENCE_BATCH, and PyTorch's fastest batch on
# this project's machines too (warm, 2 threads: 1,070–1,280 images/s at 32, 530–780 at 256; BENCHMARKS.md).
# PyTorch's training protocol runs before and after heatwave's; its figures are the mean of the two runs.
# heatwave runs with data.shards = CORES: each core's task passes one micro-batch of 64/CORES examples through the
# network, as PyTorch's CORES threads share one batch of 64 (the default 4 shards would cut it into micro-batches of
# 16 on 2 cores, ≈ 12 % slower per image).
#
#   bench/speed.sh [CORES]       default: all cores. Prints JSON lines and a Markdown table; results in bench/out.
# PyTorch needs Debian's python3-torch: apt-get install -y python3-torch.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cores="${1:-$(nproc)}"
out="$root/bench/out/speed-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
"$root/bin/heatwave" --version > /dev/null   # builds the project first if any source is newer than the jar
now() { date +%s.%N; }

# PyTorch's training figures move by up to a third between runs on a shared 2-vCPU machine, so its training
# protocol runs twice, before and after heatwave's, and its figures are the mean of the two (both kept).
torch_train() {
  /usr/bin/python3 "$root/bench/torch_reference.py" --protocol train --launched "$(now)" --data "$1" --epochs 3 \
    --threads "$cores" --infer-batch 32 > "$2" 2> "${2%.json}.log"
}
# the data files: the ones bin/heatwave uses (it fetches them if missing)
data=$("$root/bin/heatwave" data fetch fashion-mnist 2>/dev/null | sed -n 's/^fashion-mnist: //p' | tail -n 1)
torch_train "$data" "$out/torch-train-before.json"

launched=$(now)
"$root/bin/heatwave" train --config "$root/conf/reference-parabolic.conf" --out "$out/heatwave-run" \
  --set spark.master="local[$cores]" --set data.partitions="$cores" --set data.shards="$cores" --set data.train-limit=6000 \
  --set train.epochs=3 --set log.every-steps=1 --set train.checkpoint-minutes=0 > "$out/heatwave-train.log" 2>&1
echo "$launched" > "$out/heatwave-train.launched"

launched=$(now)
"$root/bin/heatwave" predict --model "$out/heatwave-run/model" --input "$data" --input-format idx \
  --output "$out/heatwave-predictions" --master "local[$cores]" > "$out/heatwave-predict.log" 2>&1
echo "$launched $(now)" > "$out/heatwave-predict.walls"

torch_train "$data" "$out/torch-train-after.json"
/usr/bin/python3 "$root/bench/torch_reference.py" --protocol infer --launched "$(now)" --data "$data" \
  --threads "$cores" --infer-batch 32 > "$out/torch-infer.json" 2> "$out/torch-infer.log"

/usr/bin/python3 - "$out" "$cores" <<'PY'
import json, statistics, sys
out, cores = sys.argv[1], int(sys.argv[2])
records = [json.loads(l) for l in open(f"{out}/heatwave-run/metrics.jsonl")]
train = [r for r in records if r["kind"] == "train"]
epochs = [r for r in records if r["kind"] == "epoch"]
per_epoch = epochs[0]["step"]
launched = float(open(f"{out}/heatwave-train.launched").read())
# one record per step: images/s of a step = 64 / its seconds; windows of 20 steps after epoch 1, each epoch's
# first step left out (its time includes the test evaluation that precedes it)
seconds = {r["step"]: 64 / r["images_per_second"] for r in train}
later = [s for s in sorted(seconds) if s > per_epoch and (s - 1) % per_epoch != 0]
windows = [20 * 64 / sum(seconds[s] for s in later[k:k + 20]) for k in range(0, len(later) - 19, 20)]
walls = [float(x) for x in open(f"{out}/heatwave-predict.walls").read().split()]
hw = {"framework": "heatwave", "cores": cores,
      "end_to_end_seconds": round(epochs[0]["pass_end_unix_seconds"] - launched, 3),
      "end_to_end_images_per_second": round(per_epoch * 64 / (epochs[0]["pass_end_unix_seconds"] - launched), 2),
      "steady_images_per_second": round(statistics.median(windows), 2), "windows": len(windows),
      "infer_images_per_second": round(epochs[-1]["test_images"] / epochs[-1]["test_seconds"], 2),
      "infer_end_to_end_seconds": round(walls[1] - walls[0], 3),
      "infer_end_to_end_images_per_second": round(epochs[-1]["test_images"] / (walls[1] - walls[0]), 2),
      "last_loss": round(epochs[-1]["train_loss"], 4)}
runs = [json.load(open(f"{out}/torch-train-{w}.json")) for w in ("before", "after")]
pt = dict(runs[1])
for key in ("end_to_end_seconds", "end_to_end_images_per_second", "steady_images_per_second", "infer_images_per_second"):
    pt[key] = round((runs[0][key] + runs[1][key]) / 2, 3)
    pt[key + "_runs"] = [runs[0][key], runs[1][key]]
pi = json.load(open(f"{out}/torch-infer.json"))
pt["infer_end_to_end_seconds"] = pi["end_to_end_seconds"]
pt["infer_end_to_end_images_per_second"] = pi["end_to_end_images_per_second"]
print(json.dumps(hw))
print(json.dumps(pt))
json.dump({"heatwave": hw, "pytorch": pt}, open(f"{out}/speed.json", "w"), indent=1)
rows = ["| figure | heatwave | PyTorch | ratio |", "|---|---|---|---|"]
for name, key in [("training, steady state (img/s)", "steady_images_per_second"),
                  ("training, end to end: first 6,000-image epoch (img/s)", "end_to_end_images_per_second"),
                  ("inference, steady state (img/s)", "infer_images_per_second"),
                  ("inference, end to end: 10,000 test images (img/s)", "infer_end_to_end_images_per_second")]:
    rows.append(f"| {name} | {hw[key]:.0f} | {pt[key]:.0f} | {hw[key] / pt[key]:.2f}× |")
rows.append(f"| training, end to end: seconds to the end of epoch 1 | {hw['end_to_end_seconds']:.1f} "
            f"| {pt['end_to_end_seconds']:.1f} | |")
table = "\n".join(rows) + "\n"
open(f"{out}/table.md", "w").write(table)
print(table)
PY
echo "results: $out"
