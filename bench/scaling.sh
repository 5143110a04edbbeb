#!/usr/bin/env bash
# Issue 14: data-parallel scaling on a real multi-JVM cluster — the reference network on Fashion-MNIST,
# the same data, batch and steps on local-cluster[1,1,MiB] (one executor JVM, one core) and
# local-cluster[2,1,MiB] (two executor JVMs of one core each), one after the other.
#
# Per run: steady-state images/s (median of the logged windows after the first third of the steps) and end
# to end (the images trained on over the wall time from JVM start to the saved model; one epoch at most), and the step's wall time
# split into compute, broadcast, aggregation and scheduling (metrics.jsonl, StepTiming); then the machine's
# ceiling: the same step outside Spark in one JVM alone and in two JVMs at once. From the two
# measured splits, a projection of the step time at 8, 64 and 256 executors (printed, labelled as such).
#
#   bench/scaling.sh [STEPS] [BATCH]     default 300 steps of batch 256 (64 per shard, 4 shards); the first
#                                        third is JIT warm-up, left out of the steady-state figures
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-300}"
batch="${2:-256}"
warmup=$((steps / 3))
out="$root/bench/out/scaling-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
for executors in 1 2; do
  t0=$(date +%s.%N)
  "$root/bin/heatwave" train --config "$root/conf/reference-parabolic.conf" --out "$out/executors-$executors" \
    --set spark.master="\"local-cluster[$executors,1,2048]\"" --set data.partitions="$executors" \
    --set train.batch-size="$batch" --set train.max-steps="$steps" --set data.test-limit=1000 \
    --set log.every-steps=10 --set train.checkpoint-minutes=0 > "$out/executors-$executors.log" 2>&1
  echo "$(date +%s.%N) - $t0" | bc > "$out/executors-$executors.wall"
done
# the machine's own ceiling: training steps of the same network on micro-batches of BATCH/4 in one JVM alone, then
# in two JVMs at once, counted over the same 40 s window (bench/ConcurrentSteps.java, no Spark): what two
# executors could reach at best
micro=$((batch / 4))
speed() { java --add-modules=jdk.incubator.vector -cp "$root/ops/target/classes" "$root/bench/ConcurrentSteps.java" "$micro" 1 2>/dev/null; }
speed > "$out/ceiling-alone.json"
speed > "$out/ceiling-pair-1.json" & speed > "$out/ceiling-pair-2.json"; wait
/usr/bin/python3 - "$out" "$steps" "$batch" "$warmup" <<'PY'
import json, math, statistics, sys
out, steps, batch, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
keys = ["step_seconds", "compute_seconds", "broadcast_seconds", "aggregation_seconds", "scheduling_seconds"]
runs = {}
for e in (1, 2):
    recs = [json.loads(l) for l in open(f"{out}/executors-{e}/metrics.jsonl")]
    train = [r for r in recs if r["kind"] == "train" and r["step"] > warmup]
    wall = float(open(f"{out}/executors-{e}.wall").read())
    runs[e] = {"steady_images_per_second": statistics.median(r["images_per_second"] for r in train),
               "end_to_end_images_per_second": json.load(open(f"{out}/executors-{e}/summary.json"))["train_images"] / wall,
               "wall_seconds": wall,
               **{k: statistics.mean(r[k] for r in train) for k in keys}}
r1, r2 = runs[1], runs[2]
alone = json.load(open(f"{out}/ceiling-alone.json"))["images_per_second"]
pair = sum(json.load(open(f"{out}/ceiling-pair-{i}.json"))["images_per_second"] for i in (1, 2))
print(f"| executors | steady img/s | end-to-end img/s | step s | compute | broadcast | aggregation | scheduling |")
print("|---|---|---|---|---|---|---|---|")
for e, r in runs.items():
    print(f"| {e} | {r['steady_images_per_second']:.0f} | {r['end_to_end_images_per_second']:.0f} | {r['step_seconds']:.3f} | "
          f"{r['compute_seconds']:.3f} | {r['broadcast_seconds']:.4f} | {r['aggregation_seconds']:.4f} | {r['scheduling_seconds']:.4f} |")
steady = r2["steady_images_per_second"] / r1["steady_images_per_second"]
e2e = r2["end_to_end_images_per_second"] / r1["end_to_end_images_per_second"]
print(f"2 executors / 1: steady state {steady:.2f}x, end to end {e2e:.2f}x")
print(f"the machine's ceiling (ConcurrentSteps, no Spark): one JVM {alone:.0f} img/s, two JVMs at once {pair:.0f} img/s = {pair / alone:.2f}x")
# Projection (a model, not a measurement): per-image compute c = compute(1)/batch on one core splits over E
# executors; broadcast grows like log2 of the executors (BitTorrent-like fetches), fitted to the two runs;
# the task-side summation is per micro-batch and stays; scheduling grows linearly with the tasks the driver
# launches and collects (fitted: its increase from 1 to 2 executors per added executor; beyond 4 partitions
# the tree combines on the executors, so this is pessimistic). Weak scaling: 64 images per executor per step.
c = r1["compute_seconds"] / batch
b1, db = r1["broadcast_seconds"], max(0.0, r2["broadcast_seconds"] - r1["broadcast_seconds"])
a = r2["aggregation_seconds"]
s1, ds = r1["scheduling_seconds"], max(0.0, r2["scheduling_seconds"] - r1["scheduling_seconds"])
def step(e, b):
    return c * b / e + b1 + db * math.log2(e) + a + s1 + ds * (e - 1)
print("projection (weak scaling, 64 images per executor per step; a model from the two runs above):")
proj = {}
for e in (1, 2, 8, 64, 256):
    t = step(e, 64 * e)
    eff = (c * 64) / t
    proj[e] = {"step_seconds": t, "images_per_second": 64 * e / t, "efficiency": eff}
    print(f"  {e:4d} executors: step {t:.3f} s, {64 * e / t:8.0f} img/s, efficiency {100 * eff:5.1f} %")
stop = next((e for e in range(1, 100000) if (c * 64) / step(e, 64 * e) < 0.5), None)
print(f"  efficiency falls below 50 % at {stop} executors (the driver's per-task scheduling cost overtakes compute)")
print(json.dumps({"steps": steps, "batch": batch, "runs": runs, "speedup_steady": steady, "speedup_end_to_end": e2e,
                  "ceiling_one_jvm": alone, "ceiling_two_jvms": pair,
                  "projection": proj, "half_efficiency_executors": stop, "out": out}))
PY
