#!/usr/bin/python3
"""PyTorch reference for heatwave's training-throughput benchmark.

What it measures
    CPU training throughput (images per second) of the "reference network"
    -- a small PDE-motivated (parabolic / heat-equation) CNN of about 150k
    parameters -- on Fashion-MNIST, using plain PyTorch with a fixed number of
    intra-op threads (--threads, default 2). One timed step is a full SGD
    step: forward, softmax cross-entropy, backward and the optimizer update.
    Data loading is not timed (batches are pre-sliced tensors in memory).

Why
    heatwave (Java) implements the same network; its own benchmark is run on
    the same machine in the same session and compared against this script's
    number, so that the comparison is against a mainstream framework under
    identical conditions (same architecture, batch, threads, hardware).
    With --epochs N the script instead trains N epochs on the real training
    set and reports test accuracy, as a sanity check that the reference
    network actually learns (i.e. that the benchmark times a sensible model).

Network
    opening: 3x3 conv 1->16 (circular padding, no bias) + InstanceNorm(affine) + ReLU
    3 parabolic blocks, widths 16/32/64 on 28x28/14x14/7x7, each nt=3 steps of
    h=0.5 with separate weights per step:
        Y <- Y - h * K^T tanh(InstanceNorm_affine(K Y))
    where K is a 3x3 cxc conv (circular padding, no bias) and K^T its adjoint
    (same weights flipped spatially, in/out channels swapped);
    between blocks: 1x1 conv c->2c (no bias) + InstanceNorm(affine) + ReLU + 2x2 avg-pool;
    global average pool; affine classifier 64->10; softmax cross-entropy.
    Optimiser: SGD, momentum 0.9, lr 0.05, weight decay 1e-4, batch 64.

Output: a single JSON line on stdout (diagnostics go to stderr).

With --protocol train|infer it produces bench/speed.sh's figures (steady state and end to end, training and
inference; see that script).

Usage:
    /usr/bin/python3 bench/torch_reference.py --steps 100
    /usr/bin/python3 bench/torch_reference.py --epochs 1
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULT_DATA = "/usr/share/datasets/fashion-mnist"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------
# Data: gzipped IDX files read with numpy (no torchvision)
# ----------------------------------------------------------------------------

def read_idx(path):
    """Read a gzipped IDX file (unsigned-byte data) into a numpy array."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = raw[0] * 256 + raw[1], raw[2], raw[3]
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    return data.reshape(shape)


def load_split(data_dir, split):
    """Return (images float32 N x 1 x 28 x 28 in [0,1], labels int64 N)."""
    x = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(x.astype(np.float32) / 255.0).unsqueeze(1)
    y = torch.from_numpy(y.astype(np.int64))
    return x, y


def have_data(data_dir):
    names = [f"{s}-{k}-ubyte.gz" for s in ("train", "t10k")
             for k in ("images-idx3", "labels-idx1")]
    return data_dir and all(os.path.isfile(os.path.join(data_dir, n)) for n in names)


# ----------------------------------------------------------------------------
# Network
# ----------------------------------------------------------------------------

def conv3x3_circ(x, w):
    """3x3 convolution with periodic (circular) padding, no bias."""
    return F.conv2d(F.pad(x, (1, 1, 1, 1), mode="circular"), w)


def conv3x3_circ_adjoint(z, w):
    """Adjoint K^T of conv3x3_circ(., w): same weights, flipped, in/out swapped."""
    return F.conv2d(F.pad(z, (1, 1, 1, 1), mode="circular"),
                    w.flip(-1, -2).transpose(0, 1))


class ParabolicStep(nn.Module):
    """One explicit step Y <- Y - h K^T tanh(N(K Y)), N = affine instance norm."""

    def __init__(self, c, h):
        super().__init__()
        self.h = h
        self.K = nn.Parameter(torch.empty(c, c, 3, 3))
        nn.init.kaiming_uniform_(self.K, a=5 ** 0.5)  # same as nn.Conv2d default
        self.norm = nn.InstanceNorm2d(c, affine=True, eps=1e-5)  # shift = b

    def forward(self, y):
        z = torch.tanh(self.norm(conv3x3_circ(y, self.K)))
        return y - self.h * conv3x3_circ_adjoint(z, self.K)


class ParabolicBlock(nn.Sequential):
    def __init__(self, c, nt=3, h=0.5):
        super().__init__(*[ParabolicStep(c, h) for _ in range(nt)])


class Opening(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.K = nn.Parameter(torch.empty(cout, cin, 3, 3))
        nn.init.kaiming_uniform_(self.K, a=5 ** 0.5)
        self.norm = nn.InstanceNorm2d(cout, affine=True, eps=1e-5)

    def forward(self, x):
        return F.relu(self.norm(conv3x3_circ(x, self.K)))


def transition(c):
    """1x1 conv c->2c (no bias) + affine instance norm + ReLU + 2x2 average pool."""
    return nn.Sequential(
        nn.Conv2d(c, 2 * c, kernel_size=1, bias=False),
        nn.InstanceNorm2d(2 * c, affine=True, eps=1e-5),
        nn.ReLU(),
        nn.AvgPool2d(2),
    )


class ReferenceNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), nt=3, h=0.5, classes=10):
        super().__init__()
        layers = [Opening(1, widths[0])]
        for i, c in enumerate(widths):
            layers.append(ParabolicBlock(c, nt, h))
            if i + 1 < len(widths):
                assert widths[i + 1] == 2 * c
                layers.append(transition(c))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Linear(widths[-1], classes)

    def forward(self, x):
        y = self.features(x)
        return self.classifier(y.mean(dim=(2, 3)))  # global average pool


def check_adjoint(c=8, n=2, hw=7, rtol=1e-4):
    """Assert <K x, y> == <x, K^T y> on random tensors (float64)."""
    g = torch.Generator().manual_seed(1234)
    w = torch.randn(c, c, 3, 3, generator=g, dtype=torch.float64)
    x = torch.randn(n, c, hw, hw, generator=g, dtype=torch.float64)
    y = torch.randn(n, c, hw, hw, generator=g, dtype=torch.float64)
    lhs = (conv3x3_circ(x, w) * y).sum().item()
    rhs = (x * conv3x3_circ_adjoint(y, w)).sum().item()
    rel = abs(lhs - rhs) / max(abs(lhs), abs(rhs), 1e-30)
    assert rel <= rtol, f"adjoint check failed: <Kx,y>={lhs} <x,K^T y>={rhs} rel={rel}"
    return rel


# ----------------------------------------------------------------------------
# Training / timing
# ----------------------------------------------------------------------------

def train_step(model, opt, x, y):
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    return loss


@torch.no_grad()
def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    for i in range(0, x.shape[0], batch):
        correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    model.train()
    return correct / x.shape[0]


@torch.no_grad()
def infer_pass(model, x, batch):
    """Classifies every image of x in batches; returns the seconds it took."""
    t0 = time.perf_counter()
    for i in range(0, x.shape[0], batch):
        model(x[i:i + batch]).argmax(1)
    return time.perf_counter() - t0


def speed_protocol(args, model, opt, x_train, y_train, x_test, y_test):
    """bench/speed.sh's figures (see its header): end to end from args.launched, steady state as the median
    of --window-step windows after the first epoch, inference over the test images."""
    if args.launched is None:
        sys.exit("--protocol needs --launched (the harness's launch time)")
    if args.protocol == "infer":
        model.eval()
        seconds = infer_pass(model, x_test, args.infer_batch)
        done = time.time()
        return {"protocol": "infer", "images": x_test.shape[0], "infer_seconds": round(seconds, 3),
                "end_to_end_seconds": round(done - args.launched, 3),
                "end_to_end_images_per_second": round(x_test.shape[0] / (done - args.launched), 2)}
    n, batch = args.train_images, args.batch
    per_epoch = n // batch
    x, y = x_train[:n], y_train[:n]
    g = torch.Generator().manual_seed(args.seed)
    steps, epoch_end, losses = [], None, []
    for ep in range(args.epochs or 3):
        perm = torch.randperm(n, generator=g)
        for s in range(per_epoch):
            t0 = time.perf_counter()
            idx = perm[s * batch:(s + 1) * batch]
            losses.append(train_step(model, opt, x[idx], y[idx]).item())
            steps.append(time.perf_counter() - t0)
        if ep == 0:
            epoch_end = time.time()
    w = args.window
    windows = [w * batch / sum(steps[k:k + w]) for k in range(per_epoch, len(steps) - w + 1, w)]
    model.eval()
    infer_pass(model, x_test, args.infer_batch)
    infer = [x_test.shape[0] / infer_pass(model, x_test, args.infer_batch) for _ in range(3)]
    first = per_epoch * batch
    return {"protocol": "train", "train_images": n, "steps_per_epoch": per_epoch, "epochs": args.epochs or 3,
            "last_loss": round(sum(losses[-per_epoch:]) / per_epoch, 4),
            "end_to_end_seconds": round(epoch_end - args.launched, 3),
            "end_to_end_images_per_second": round(first / (epoch_end - args.launched), 2),
            "steady_images_per_second": round(float(np.median(windows)), 2), "windows": len(windows),
            "first_epoch_images_per_second": round(first / sum(steps[:per_epoch]), 2),
            "infer_images_per_second": round(float(np.median(infer)), 2), "infer_batch": args.infer_batch}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=100, help="timed training steps")
    p.add_argument("--warmup", type=int, default=10, help="untimed warm-up steps")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--weight-decay", type=float, default=1e-4)
    p.add_argument("--data", default=DEFAULT_DATA, help="dir with Fashion-MNIST .gz IDX files")
    p.add_argument("--epochs", type=int, default=None,
                   help="train this many epochs on the real train set and report test accuracy")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--protocol", choices=["train", "infer"], default=None,
                   help="bench/speed.sh's protocol: 'train' = --epochs passes over the first --train-images "
                        "training images, 'infer' = one pass over the test images in a fresh process")
    p.add_argument("--launched", type=float, default=None,
                   help="unix time at which the harness launched this process (end-to-end figures)")
    p.add_argument("--train-images", type=int, default=6000)
    p.add_argument("--window", type=int, default=20, help="steps per steady-state window")
    p.add_argument("--infer-batch", type=int, default=256)
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rel = check_adjoint()
    log(f"adjoint check ok (relative error {rel:.2e})")

    model = ReferenceNet()
    params = sum(t.numel() for t in model.parameters())
    log(f"parameters: {params}")
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9,
                          weight_decay=args.weight_decay)
    model.train()

    if have_data(args.data):
        data = "fashion-mnist"
        x_train, y_train = load_split(args.data, "train")
        log(f"data: Fashion-MNIST from {args.data} ({x_train.shape[0]} training images)")
    else:
        if args.epochs is not None:
            sys.exit(f"--epochs needs the real data set, not found in {args.data!r}")
        data = "random"
        log(f"data: Fashion-MNIST not found in {args.data!r}; using RANDOM data")
        x_train = torch.rand(60000, 1, 28, 28)
        y_train = torch.randint(0, 10, (60000,))

    result = {"framework": "pytorch", "torch_version": torch.__version__,
              "threads": torch.get_num_threads(), "batch": args.batch}

    if args.protocol is not None:
        x_test, y_test = load_split(args.data, "t10k")
        result.update(speed_protocol(args, model, opt, x_train, y_train, x_test, y_test))
        result["params"] = params
        print(json.dumps(result), flush=True)
        return
    if args.epochs is None:
        # Throughput mode: warm-up, then time `steps` consecutive SGD steps.
        n = x_train.shape[0]
        total = args.warmup + args.steps
        perm = torch.randperm(n)
        batches = []
        for s in range(total):
            idx = perm[(s * args.batch + torch.arange(args.batch)) % n]
            batches.append((x_train[idx].contiguous(), y_train[idx].contiguous()))
        for x, y in batches[:args.warmup]:
            train_step(model, opt, x, y)
        t0 = time.perf_counter()
        for x, y in batches[args.warmup:]:
            loss = train_step(model, opt, x, y)
        elapsed = time.perf_counter() - t0
        log(f"last loss {loss.item():.4f}, timed {args.steps} steps in {elapsed:.3f} s")
        steps = args.steps
    else:
        # Sanity-check mode: full epochs (last partial batch dropped), then test accuracy.
        x_test, y_test = load_split(args.data, "t10k")
        n = x_train.shape[0]
        per_epoch = n // args.batch
        elapsed = 0.0
        for ep in range(args.epochs):
            perm = torch.randperm(n)
            t0 = time.perf_counter()
            running = 0.0
            for s in range(per_epoch):
                idx = perm[s * args.batch:(s + 1) * args.batch]
                loss = train_step(model, opt, x_train[idx], y_train[idx])
                running += loss.item()
            elapsed += time.perf_counter() - t0
            log(f"epoch {ep + 1}: mean loss {running / per_epoch:.4f}, "
                f"training time so far {elapsed:.1f} s")
        steps = per_epoch * args.epochs
        result["epochs"] = args.epochs
        result["train_seconds"] = round(elapsed, 3)
        result["test_accuracy"] = evaluate(model, x_test, y_test)

    result.update({
        "steps": steps,
        "images_per_second": round(steps * args.batch / elapsed, 2),
        "seconds_per_step": round(elapsed / steps, 6),
        "params": params,
        "data": data,
    })
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
