#!/usr/bin/env bash
# Issue 14: the same bits under any partitioning and any fault — Fashion-MNIST, the reference network
# (conf/reference-parabolic.conf: batch 64 in 4 shards, constant learning rate), STEPS steps, one run after
# the other, each through bin/heatwave from JVM start to the saved model:
#
#   local[1], 1 partition                     local[2], 4 partitions
#   local-cluster[2,1,1024], 3 partitions     local-cluster[2,1,1024], 3 partitions, an executor JVM killed
#                                             (SIGKILL) half-way: its tasks retried, its cached blocks reread
#   local[2], 4 partitions, the driver JVM killed (SIGKILL) right after the checkpoint half-way, then
#   bin/heatwave train --resume
#
# Prints, per run, the SHA-256 of the saved parameters (model.json's params_sha256) and the wall time, then
# one JSON object: whether all hashes agree, and what each recovery cost against its undisturbed twin.
#
#   bench/determinism.sh [STEPS]     default 200
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-200}"
half=$((steps / 2))
out="$root/bench/out/determinism-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
common=(--config "$root/conf/reference-parabolic.conf" --set train.max-steps="$steps" --set data.test-limit=1000
        --set log.every-steps=10 --set train.checkpoint-every="$half" --set train.checkpoint-minutes=0)

now() { date +%s.%N; }
hash_of() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["params_sha256"])' "$1/model/model.json"; }
# waits until run $1 has logged step $2 (metrics.jsonl)
wait_for_step() {
  until grep -q "\"step\":$2[,}]" "$1/metrics.jsonl" 2>/dev/null; do sleep 0.05; done
}

declare -A hash seconds
run() { # name master partitions
  local t0; t0=$(now)
  "$root/bin/heatwave" train "${common[@]}" --out "$out/$1" --set spark.master="\"$2\"" --set data.partitions="$3" \
    > "$out/$1.log" 2>&1
  seconds[$1]=$(echo "$(now) - $t0" | bc)
  hash[$1]=$(hash_of "$out/$1")
  printf '%-26s %s  %6.1f s\n' "$1" "${hash[$1]}" "${seconds[$1]}"
}

run local1-p1 "local[1]" 1
run local2-p4 "local[2]" 4
run cluster-p3 "local-cluster[2,1,1024]" 3

# an executor killed half-way
t0=$(now)
"$root/bin/heatwave" train "${common[@]}" --out "$out/cluster-p3-executor-killed" \
  --set spark.master='"local-cluster[2,1,1024]"' --set data.partitions=3 > "$out/cluster-p3-executor-killed.log" 2>&1 &
launcher=$!
wait_for_step "$out/cluster-p3-executor-killed" "$half"
victim=$(pgrep -f -n CoarseGrainedExecutorBackend)
kill -9 "$victim"
wait "$launcher"
seconds[cluster-p3-executor-killed]=$(echo "$(now) - $t0" | bc)
hash[cluster-p3-executor-killed]=$(hash_of "$out/cluster-p3-executor-killed")
printf '%-26s %s  %6.1f s  (executor pid %s killed after step %s)\n' cluster-p3-executor-killed \
  "${hash[cluster-p3-executor-killed]}" "${seconds[cluster-p3-executor-killed]}" "$victim" "$half"

# the driver killed right after the checkpoint half-way, then resumed
t0=$(now)
"$root/bin/heatwave" train "${common[@]}" --out "$out/local2-p4-driver-killed" --set spark.master='"local[2]"' \
  --set data.partitions=4 > "$out/local2-p4-driver-killed.log" 2>&1 &
driver=$!
until [[ -f "$out/local2-p4-driver-killed/checkpoints/step-$(printf %010d "$half").ckpt" ]]; do sleep 0.05; done
kill -9 "$driver"
wait "$driver" || true
killed_at=$(echo "$(now) - $t0" | bc)
t1=$(now)
"$root/bin/heatwave" train --resume "$out/local2-p4-driver-killed" > "$out/local2-p4-driver-resumed.log" 2>&1
resume_seconds=$(echo "$(now) - $t1" | bc)
seconds[local2-p4-driver-killed]=$(echo "$killed_at + $resume_seconds" | bc)
hash[local2-p4-driver-killed]=$(hash_of "$out/local2-p4-driver-killed")
printf '%-26s %s  %6.1f s  (killed at %.1f s after the checkpoint of step %s, resumed in %.1f s)\n' local2-p4-driver-killed \
  "${hash[local2-p4-driver-killed]}" "${seconds[local2-p4-driver-killed]}" "$killed_at" "$half" "$resume_seconds"

/usr/bin/python3 - "$out" "$steps" "${hash[local1-p1]}" "${hash[local2-p4]}" "${hash[cluster-p3]}" \
  "${hash[cluster-p3-executor-killed]}" "${hash[local2-p4-driver-killed]}" "${seconds[cluster-p3]}" \
  "${seconds[cluster-p3-executor-killed]}" "${seconds[local2-p4]}" "${seconds[local2-p4-driver-killed]}" "$resume_seconds" <<'PY'
import json, sys
out, steps, *rest = sys.argv[1:]
hashes = rest[:5]
c, ck, l, lk, resume = map(float, rest[5:])
print(json.dumps({"steps": int(steps), "bit_identical": len(set(hashes)) == 1, "sha256": hashes[0],
                  "executor_kill_cost_seconds": round(ck - c, 1), "driver_kill_cost_seconds": round(lk - l, 1),
                  "resume_seconds": round(resume, 1), "out": out}))
PY
