"""The machine's float32 matrix-multiply peak, for BENCHMARKS.md ratios: GFLOP/s of a large square
sgemm through PyTorch (Debian's python3-torch, which calls an optimised BLAS), with a given number of
threads. Prints one JSON object.

    /usr/bin/python3 bench/gemm_peak.py [--threads 1] [--n 2048]
"""
import argparse
import json
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--n", type=int, default=2048)
p.add_argument("--repeats", type=int, default=10)
a = p.parse_args()
torch.set_num_threads(a.threads)
x = torch.randn(a.n, a.n, dtype=torch.float32)
y = torch.randn(a.n, a.n, dtype=torch.float32)
for _ in range(3):
    torch.mm(x, y)
best = float("inf")
for _ in range(a.repeats):
    t0 = time.perf_counter()
    torch.mm(x, y)
    best = min(best, time.perf_counter() - t0)
print(json.dumps({"threads": a.threads, "n": a.n, "gflops": round(2 * a.n ** 3 / best / 1e9, 1),
                  "torch_version": torch.__version__}))
