"""Training throughput of the network engine vs the GEMM-only bound vs PyTorch CPU (when installed).

Usage::

    python benchmarks/bench_network.py [--seconds 1.5] [--repeats 3] [--json] [--no-torch]

Data: synthetic MNIST-shaped float32 inputs (uniform in [0, 1), 784 features, 10 classes, 60,000 rows) — nothing
is downloaded. Nets: 784-100-10 ReLU and the book's 784-50-10 sigmoid ``TwoLayerNet``, softmax + cross-entropy,
plain SGD (lr 0.1), batch 100, float32, mini-batches from a shuffled epoch.

Measured, in training samples per second (best of ``--repeats`` interleaved rounds, so a busy neighbour hurts every
contender alike):

* ``engine``: the training step itself — batch gather, forward, backward, optimizer update (``Network`` +
  the descent lab's ``SGD``), with one BLAS thread (what :class:`TrainingConfig` uses) and with the default count;
* ``iter_training``: the whole generator as the GUI/CLI run it, best whole epoch (snapshots, per-layer gradient
  norms, weight vectors for the trajectory, epoch-end evaluation of 5,000 train + 10,000 test rows, details),
  with one BLAS thread (the GUI default) and with ``blas_threads="auto"`` (the step-timing tuner);
* ``GEMM bound``: only the five matrix products of a step (x·W1, h·W2, hᵀ·dz, dz·W2ᵀ, xᵀ·dh) into preallocated
  arrays — no step can be faster;
* ``torch``: the idiomatic PyTorch loop (``nn.Sequential``, ``CrossEntropyLoss``, ``optim.SGD``, ``zero_grad``),
  with 1 thread and with torch's default count. PyTorch is optional (``pip install torch``); without it the engine
  and the GEMM bound are reported alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gdstudio.engine.nn import (  # noqa: E402
    InitSpec,
    Network,
    NetworkSpec,
    TrainingConfig,
    blas_threads,
    iter_training,
    set_blas_threads,
)
from gdstudio.engine.optimizers import make_optimizer  # noqa: E402

BATCH = 100
LR = 0.1
N_TRAIN = 60_000
N_TEST = 10_000
CASES = (
    ("784-100-10 ReLU", (784, 100, 10), "relu"),
    ("784-50-10 sigmoid (book)", (784, 50, 10), "sigmoid"),
)


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((N_TRAIN, 784), dtype=np.float32)
    t = rng.integers(0, 10, N_TRAIN)
    xt = rng.random((N_TEST, 784), dtype=np.float32)
    tt = rng.integers(0, 10, N_TEST)
    return x, t, xt, tt


def _rate(step, seconds: float, warmup: int = 20) -> float:
    """Samples per second of ``step()`` (one mini-batch) over about ``seconds``."""
    for _ in range(warmup):
        step()
    n = 0
    start = time.perf_counter()
    while True:
        for _ in range(20):
            step()
        n += 20
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return n * BATCH / elapsed


def engine_step(sizes, act, x, t, dtype="float32"):
    """One call = one training step of the engine (gather, forward, backward, SGD)."""
    net = Network(NetworkSpec(sizes, act, "softmax", init=InitSpec("auto", seed=0), dtype=dtype))
    xs = x.astype(net.dtype, copy=False)
    tp = net.prepare_targets(t)
    opt = make_optimizer("sgd", net.params(), lr=LR)
    rng = np.random.default_rng(1)
    xb = np.empty((BATCH, xs.shape[1]), net.dtype)
    tb = np.empty(BATCH, tp.dtype)
    state = {"perm": rng.permutation(len(xs)), "pos": 0}

    def step():
        pos = state["pos"]
        if pos + BATCH > len(xs):
            state["perm"] = rng.permutation(len(xs))
            pos = 0
        idx = state["perm"][pos : pos + BATCH]
        state["pos"] = pos + BATCH
        np.take(xs, idx, axis=0, out=xb)
        np.take(tp, idx, axis=0, out=tb)
        with np.errstate(all="ignore"):
            _, grads = net.loss_and_gradient(xb, tb)
            opt.step(grads)

    return step


def gemm_step(sizes, x):
    """One call = the five matrix products of a training step, nothing else."""
    rng = np.random.default_rng(2)
    n_in, n_h, n_out = sizes
    xb = np.ascontiguousarray(x[:BATCH])
    W1 = rng.standard_normal((n_in, n_h)).astype(np.float32)
    W2 = rng.standard_normal((n_h, n_out)).astype(np.float32)
    h = np.empty((BATCH, n_h), np.float32)
    z = np.empty((BATCH, n_out), np.float32)
    dW1, dW2, dh = np.empty_like(W1), np.empty_like(W2), np.empty_like(h)

    def step():
        np.matmul(xb, W1, out=h)
        np.matmul(h, W2, out=z)
        np.matmul(h.T, z, out=dW2)
        np.matmul(z, W2.T, out=dh)
        np.matmul(xb.T, dh, out=dW1)

    return step


def iter_training_rate(sizes, act, data, repeats: int, blas) -> float:
    """Samples per second of the full generator over whole epochs (epoch-end evaluation and details included);
    the best epoch of ``repeats``."""
    x, t, xt, tt = data

    class Data:
        x_train, t_train, x_test, t_test, task = x, t, xt, tt, "classification"

    spec = NetworkSpec(sizes, act, "softmax", init=InitSpec("auto", seed=0), dtype="float32")
    cfg = TrainingConfig(spec, Data, "sgd", {"lr": LR}, epochs=repeats, batch_size=BATCH, blas_threads=blas)
    it = iter_training(cfg)
    next(it)  # step 0: the initial evaluation, not training
    best = 0.0
    start = time.perf_counter()
    for snap in it:
        if snap.epoch_end:
            now = time.perf_counter()
            best = max(best, len(x) / (now - start))
            start = now
    return best


def torch_step(sizes, act, x, t, threads: int | None):
    import torch

    if threads is not None:
        torch.set_num_threads(threads)
    torch.manual_seed(0)
    layers = [torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU() if act == "relu" else torch.nn.Sigmoid(),
              torch.nn.Linear(sizes[1], sizes[2])]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    X = torch.from_numpy(x)
    T = torch.from_numpy(t)
    state = {"perm": torch.randperm(len(x)), "pos": 0}

    def step():
        pos = state["pos"]
        if pos + BATCH > len(x):
            state["perm"] = torch.randperm(len(x))
            pos = 0
        idx = state["perm"][pos : pos + BATCH]
        state["pos"] = pos + BATCH
        opt.zero_grad()
        loss = loss_fn(model(X[idx]), T[idx])
        loss.backward()
        opt.step()

    return step


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=1.5, help="time per measurement")
    ap.add_argument("--repeats", type=int, default=3, help="interleaved rounds; the best of each is kept")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    ap.add_argument("--skip-generator", action="store_true", help="skip the iter_training measurement")
    args = ap.parse_args(argv)

    default_threads = blas_threads()
    try:
        if args.no_torch:
            raise ImportError
        import torch

        torch_default = torch.get_num_threads()
        torch_version = torch.__version__
    except ImportError:
        torch = None
        torch_default = None
        torch_version = None
    data = _data()
    x, t = data[0], data[1]
    results = {}
    for label, sizes, act in CASES:
        contenders = {}
        contenders["engine (1 BLAS thread)"] = (1, engine_step(sizes, act, x, t))
        if default_threads and default_threads > 1:
            contenders[f"engine ({default_threads} BLAS threads)"] = (default_threads, engine_step(sizes, act, x, t))
        contenders["GEMM bound (1 BLAS thread)"] = (1, gemm_step(sizes, x))
        if default_threads and default_threads > 1:
            contenders[f"GEMM bound ({default_threads} BLAS threads)"] = (default_threads, gemm_step(sizes, x))
        if torch is not None:
            contenders["torch (1 thread)"] = ("torch1", torch_step(sizes, act, x, t, 1))
            if torch_default and torch_default > 1:
                contenders[f"torch ({torch_default} threads)"] = ("torchN", torch_step(sizes, act, x, t, None))
        best = {name: 0.0 for name in contenders}
        for _ in range(args.repeats):
            for name, (threads, step) in contenders.items():
                if threads == "torch1":
                    torch.set_num_threads(1)
                elif threads == "torchN":
                    torch.set_num_threads(torch_default)
                elif default_threads:
                    set_blas_threads(threads)
                best[name] = max(best[name], _rate(step, args.seconds))
        if not args.skip_generator:
            best["iter_training (1 BLAS thread: GUI default)"] = iter_training_rate(sizes, act, data, args.repeats, 1)
            best["iter_training (blas_threads=\"auto\")"] = iter_training_rate(
                sizes, act, data, args.repeats + 2, "auto"
            )
        if default_threads:
            set_blas_threads(default_threads)
        results[label] = best
    summary = {}
    for label, best in results.items():
        eng = max(v for k, v in best.items() if k.startswith("engine"))
        gemm = max(v for k, v in best.items() if k.startswith("GEMM"))
        torch_rates = [v for k, v in best.items() if k.startswith("torch")]
        summary[label] = {
            "engine_vs_gemm_bound": eng / gemm,
            "engine_vs_torch": (eng / max(torch_rates)) if torch_rates else None,
        }
    meta = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch_version,
        "cpus": os.cpu_count(),
        "blas_threads_default": default_threads,
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "batch": BATCH,
        "dtype": "float32",
    }
    if args.json:
        print(json.dumps({"meta": meta, "samples_per_second": results, "ratios": summary}, indent=2))
        return 0
    print(f"numpy {np.__version__}, torch {torch_version or 'not installed'}, {os.cpu_count()} CPUs, "
          f"load {meta['load_average']}, batch {BATCH}, float32, SGD lr {LR}")
    for label, best in results.items():
        print(f"\n{label}")
        for name, rate in best.items():
            print(f"  {name:48s} {rate:>10,.0f} samples/s")
        s = summary[label]
        line = f"  engine / GEMM bound = {s['engine_vs_gemm_bound']:.2f}"
        if s["engine_vs_torch"] is not None:
            line += f";  engine / best torch = {s['engine_vs_torch']:.2f}×"
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
