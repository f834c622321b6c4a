"""Training throughput of the network engine vs PyTorch CPU vs the GEMM-only bound, side by side.

Usage::

    python benchmarks/bench_network.py [--repeats 15] [--seconds 0.25] [--threads 1] [--json] [--no-torch]
                                       [--skip-generator] [--epochs 3]

Data: synthetic MNIST-shaped float32 inputs (uniform in [0, 1), 784 features, 10 classes, 60,000 rows) — nothing
is downloaded. Nets (issue 3 §1 Speed): 784-100-10 ReLU (goal ≥ 1.8× PyTorch) and the book's 784-50-10 sigmoid
``TwoLayerNet`` (goal ≥ 2×), softmax + cross-entropy, plain SGD (lr 0.1), batch 100, float32, mini-batches from a
shuffled epoch.

Contenders, each one training step per call:

* ``engine``: what ``Trainer`` does per step whose gradients are not shown (the CLI, or the GUI with
  ``norms_every`` > 1) — gather the shuffled mini-batch into reusable buffers, then ``Network.train_step``:
  forward, backward with plain SGD's update folded in (W1 += −η·xᵀ·δ as one BLAS accumulation, the rest in one
  axpy pass; the gradients are written only when asked for);
* ``engine+∇``: the same step with every gradient written and the descent lab's ``SGD.step`` applied
  (``train_step(…, fuse=False)`` = ``loss_and_gradient`` + ``SGD.step``), what the GUI does at its default of
  gradient norms every step;
* ``torch``: the idiomatic PyTorch loop (``nn.Sequential``, ``CrossEntropyLoss``, ``optim.SGD``, ``zero_grad``,
  ``X[idx]``). Optional (``pip install torch``); without it the engine and the GEMM bound are reported alone;
* ``GEMM bound``: only the five matrix products of a step (x·W1, h·W2, hᵀ·dz, dz·W2ᵀ, xᵀ·dh) into preallocated
  arrays on a cached batch — no step can be faster. ``engine / GEMM bound`` is the fraction of it reached.

Threads: ``--threads`` (default 1 = ``TrainingConfig.blas_threads``'s default, what the GUI runs with) is the
OpenBLAS thread count of the engine and the GEMM bound *and* ``torch.set_num_threads`` — the same for everyone.
``--threads 1,2`` measures both counts.

Method (the machine is shared, so a neighbour's load must hurt every contender alike): ``--repeats`` rounds; in
each round every contender runs ``--seconds`` (after a short warm-up) in a rotating order, timed in blocks of 10
steps on two clocks. A round's rate is 1 / the median block's time per step; the reported rate is the median over
the rounds, with its quartiles; ``engine / torch`` and ``engine / GEMM bound`` are medians of the per-round ratios
(paired, so slow drifts in load cancel).

* ``CPU``: the thread's CPU time (``time.thread_time``). With one thread every contender computes on the calling
  thread (OpenBLAS and torch's intra-op pool run inline), so this is the step's cost without the time the process
  spent waiting for a core — what an idle machine would show, and steady even at a load average of 3 on 2 cores.
  Only meaningful for 1 thread (not reported otherwise).
* ``wall``: ``time.perf_counter``, what a user waits; on a busy machine it includes preemption.

The JSON also has the plain wall-clock throughput (all steps / all time, median over rounds). The load average is
printed before and after.

``iter_training`` (skip with ``--skip-generator``): the whole generator as the app runs it (snapshots, per-layer
gradient norms every step, weight vectors for the trajectory, epoch-end evaluation of 5,000 train + 10,000 test
rows, details), the median of ``--epochs`` whole epochs, with ``blas_threads=1`` (GUI; wall clock and CPU time) and
``"auto"`` (the CLI; wall clock only, the tuner may add BLAS threads).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
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
BLOCK = 10  # steps per timed block
CASES = (  # label, sizes, hidden activation, goal (engine / torch)
    ("784-100-10 ReLU", (784, 100, 10), "relu", 1.8),
    ("784-50-10 sigmoid (book)", (784, 50, 10), "sigmoid", 2.0),
)


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.random((N_TRAIN, 784), dtype=np.float32)
    t = rng.integers(0, 10, N_TRAIN)
    xt = rng.random((N_TEST, 784), dtype=np.float32)
    tt = rng.integers(0, 10, N_TEST)
    return x, t, xt, tt


def _blocks(step, seconds: float, block: int = BLOCK, warmup: int = 10):
    """Run ``step()`` for about ``seconds`` of wall time after ``warmup`` untimed steps. Returns the wall and the CPU
    seconds per step of every ``block``-step block, the steps run and the wall time elapsed."""
    for _ in range(warmup):
        step()
    wall, cpu = time.perf_counter, time.thread_time
    per_wall, per_cpu = [], []
    n = 0
    start = w0 = wall()
    c0 = cpu()
    while True:
        for _ in range(block):
            step()
        w1, c1 = wall(), cpu()
        per_wall.append((w1 - w0) / block)
        per_cpu.append((c1 - c0) / block)
        n += block
        w0, c0 = w1, c1
        if w1 - start >= seconds:
            return per_wall, per_cpu, n, w1 - start


def engine_step(sizes, act, x, t, fuse=True):
    """One call = one training step as ``Trainer._run`` does it (the same gather into reusable buffers,
    ``Network.train_step`` under ``errstate`` with the divergence bound; ``fuse=False``: the step of a snapshot that
    shows gradients, ``loss_and_gradient`` + ``SGD.step``)."""
    net = Network(NetworkSpec(sizes, act, "softmax", init=InitSpec("auto", seed=0), dtype="float32"))
    xs = np.ascontiguousarray(net.as_input(x))
    tp = net.prepare_targets(t)
    opt = make_optimizer("sgd", net.params(), lr=LR)
    rng = np.random.default_rng(1)
    xb = np.empty((BATCH, xs.shape[1]), net.dtype)
    tb = np.empty(BATCH, tp.dtype)
    state = {"perm": rng.permutation(len(xs)), "pos": 0}
    train_step = net.train_step

    def step():
        pos = state["pos"]
        if pos + BATCH > len(xs):
            state["perm"] = rng.permutation(len(xs))
            pos = 0
        idx = state["perm"][pos : pos + BATCH]
        state["pos"] = pos + BATCH
        xs.take(idx, 0, xb, "clip")
        tp.take(idx, 0, tb, "clip")
        with np.errstate(all="ignore"):
            train_step(xb, tb, opt, 1e12, fuse)

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


def torch_step(sizes, act, x, t):
    import torch

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


def iter_training_rate(sizes, act, data, epochs: int, blas) -> dict[str, float]:
    """Steps per second of the full generator, the median over ``epochs`` whole epochs (epoch-end evaluation and
    details included): by wall clock, and by the thread's CPU time when one BLAS thread does all the work."""
    x, t, xt, tt = data

    class Data:
        x_train, t_train, x_test, t_test, task = x, t, xt, tt, "classification"

    spec = NetworkSpec(sizes, act, "softmax", init=InitSpec("auto", seed=0), dtype="float32")
    cfg = TrainingConfig(spec, Data, "sgd", {"lr": LR}, epochs=epochs, batch_size=BATCH, blas_threads=blas)
    it = iter_training(cfg)
    next(it)  # step 0: the initial evaluation, not training
    wall_rates, cpu_rates = [], []
    steps = 0
    w0, c0 = time.perf_counter(), time.thread_time()
    for snap in it:
        steps += 1
        if snap.epoch_end:
            w1, c1 = time.perf_counter(), time.thread_time()
            wall_rates.append(steps / (w1 - w0))
            cpu_rates.append(steps / (c1 - c0))
            steps, w0, c0 = 0, w1, c1
    out = {"wall": statistics.median(wall_rates)}
    if blas == 1:
        out["cpu"] = statistics.median(cpu_rates)
    return out


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def measure_case(sizes, act, data, threads: int, repeats: int, seconds: float, torch) -> dict:
    """Interleaved rounds of every contender at ``threads`` threads; per-contender rates and paired ratios."""
    x, t = data[0], data[1]
    if blas_threads() is not None:
        set_blas_threads(threads)
    if torch is not None:
        torch.set_num_threads(threads)
    contenders = {"engine": engine_step(sizes, act, x, t), "engine+∇": engine_step(sizes, act, x, t, False),
                  "GEMM bound": gemm_step(sizes, x)}
    if torch is not None:
        contenders["torch"] = torch_step(sizes, act, x, t)
    names = list(contenders)
    clocks = ("cpu", "wall") if threads == 1 else ("wall",)
    rates = {clock: {name: [] for name in names} for clock in clocks}
    overall: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            per_wall, per_cpu, n, elapsed = _blocks(contenders[name], seconds)
            rates["wall"][name].append(1.0 / statistics.median(per_wall))
            if "cpu" in rates:
                rates["cpu"][name].append(1.0 / statistics.median(per_cpu))
            overall[name].append(n / elapsed)
    out: dict = {"overall_wall_steps_per_second": {name: statistics.median(v) for name, v in overall.items()}}
    for clock in clocks:
        r = rates[clock]
        res: dict = {
            "steps_per_second": {name: statistics.median(r[name]) for name in names},
            "quartiles": {name: _quartiles(r[name]) for name in names},
            "engine_vs_gemm_bound": statistics.median([e / g for e, g in zip(r["engine"], r["GEMM bound"])]),
            "engine_vs_torch": None,
            "engine_vs_torch_range": None,
            "engine_with_gradients_vs_torch": None,
        }
        if torch is not None:
            vs_torch = [e / p for e, p in zip(r["engine"], r["torch"])]
            res["engine_vs_torch"] = statistics.median(vs_torch)
            res["engine_vs_torch_range"] = (min(vs_torch), max(vs_torch))
            res["engine_with_gradients_vs_torch"] = statistics.median(
                [e / p for e, p in zip(r["engine+∇"], r["torch"])])
        out[clock] = res
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repeats", type=int, default=15, help="interleaved rounds; medians are reported")
    ap.add_argument("--seconds", type=float, default=0.25, help="time per contender per round")
    ap.add_argument("--threads", default="1",
                    help="BLAS and torch thread counts, comma-separated (default 1: the GUI's setting)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--no-torch", action="store_true", help="skip PyTorch even if it is installed")
    ap.add_argument("--skip-generator", action="store_true", help="skip the iter_training measurement")
    ap.add_argument("--epochs", type=int, default=3, help="epochs of the iter_training measurement")
    args = ap.parse_args(argv)
    thread_counts = [int(s) for s in args.threads.split(",") if s.strip()]
    if not thread_counts or min(thread_counts) < 1 or args.repeats < 1 or args.epochs < 1:
        ap.error("--threads, --repeats and --epochs need whole numbers >= 1")

    default_threads = blas_threads()
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
    torch_default = torch.get_num_threads() if torch is not None else None
    load_before = os.getloadavg() if hasattr(os, "getloadavg") else None
    data = _data()
    results: dict[str, dict] = {}
    for label, sizes, act, goal in CASES:
        per_threads = {}
        for n in thread_counts:
            per_threads[str(n)] = measure_case(sizes, act, data, n, args.repeats, args.seconds, torch)
        entry = {"goal_vs_torch": goal, "threads": per_threads}
        if not args.skip_generator:
            entry["iter_training_steps_per_second"] = {
                "blas_threads=1 (GUI)": iter_training_rate(sizes, act, data, args.epochs, 1),
                'blas_threads="auto" (CLI)': iter_training_rate(sizes, act, data, args.epochs, "auto"),
            }
        results[label] = entry
    if default_threads is not None:
        set_blas_threads(default_threads)
    if torch is not None:
        torch.set_num_threads(torch_default)
    meta = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": torch.__version__ if torch is not None else None,
        "cpus": os.cpu_count(),
        "blas_threads_default": default_threads,
        "torch_threads_default": torch_default,
        "load_average_before": load_before,
        "load_average_after": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "batch": BATCH,
        "dtype": "float32",
        "repeats": args.repeats,
        "seconds": args.seconds,
    }
    if args.json:
        print(json.dumps({"meta": meta, "results": results}, indent=2))
        return 0

    def load(v):
        return "/".join(f"{a:.2f}" for a in v) if v else "n/a"

    print(f"numpy {np.__version__}, torch {meta['torch'] or 'not installed'}, {os.cpu_count()} CPUs, "
          f"batch {BATCH}, float32, SGD lr {LR}")
    print(f"load average before {load(load_before)}, after {load(meta['load_average_after'])}; "
          f"medians of {args.repeats} interleaved rounds of {args.seconds:g} s")
    for label, entry in results.items():
        print(f"\n{label}  (goal: engine ≥ {entry['goal_vs_torch']:g}× torch)")
        for n, res in entry["threads"].items():
            print(f"  {n} thread(s) (OpenBLAS{' and torch' if torch is not None else ''}):")
            for clock in ("cpu", "wall"):
                if clock not in res:
                    continue
                r = res[clock]
                print(f"    by {'CPU time' if clock == 'cpu' else 'wall clock'}:")
                for name, rate in r["steps_per_second"].items():
                    lo, hi = r["quartiles"][name]
                    print(f"      {name:12s} {rate:>7,.0f} steps/s  {rate * BATCH:>9,.0f} samples/s  "
                          f"(quartiles {lo:,.0f}–{hi:,.0f})")
                line = f"      engine / GEMM bound = {r['engine_vs_gemm_bound']:.2f}"
                if r["engine_vs_torch"] is not None:
                    lo, hi = r["engine_vs_torch_range"]
                    line += (f";  engine / torch = {r['engine_vs_torch']:.2f}× (rounds {lo:.2f}–{hi:.2f})"
                             f";  engine+∇ / torch = {r['engine_with_gradients_vs_torch']:.2f}×")
                print(line)
        for name, rates in entry.get("iter_training_steps_per_second", {}).items():
            cpu = f"{rates['cpu']:>7,.0f} steps/s by CPU time, " if "cpu" in rates else ""
            print(f"  iter_training, {name:26s} {cpu}{rates['wall']:>7,.0f} steps/s by wall clock (median epoch)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
