"""Engine throughput: single-trajectory steps/s, vectorized trajectory-steps/s, and basin-map time.

Run from the repository root:  python benchmarks/bench_engine.py [--quick]
Each figure is the best of a few repeats (the least disturbed by other work on the machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gdstudio.engine.basins import iter_basin_map  # noqa: E402
from gdstudio.engine.batch import run_batch  # noqa: E402
from gdstudio.engine.descent import DescentConfig, DescentRun, iter_descent  # noqa: E402
from gdstudio.engine.functions import get_function  # noqa: E402


def best_time(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def bench_single(steps: int, repeats: int) -> None:
    print(f"(a) one trajectory, analytic gradient, {steps:,} steps: in DescentRun blocks of 4,096 (how `gdstudio "
          f"run` and the GUI worker take it) / as Snapshot objects through iter_descent")
    for fname in ("bowl", "rosenbrock"):
        f = get_function(fname)
        for opt in ("sgd", "adam"):
            cfg = DescentConfig(f, f.default_start, opt, {"lr": 1e-4}, steps=steps)

            def blocks(cfg=cfg):
                for _ in DescentRun(cfg).blocks(4096):
                    pass

            def snapshots(cfg=cfg):
                for _ in iter_descent(cfg):
                    pass

            fast, slow = best_time(blocks, repeats), best_time(snapshots, repeats)
            print(f"    {fname:<11} {opt:<5} {steps / fast:>12,.0f} steps/s  /  {steps / slow:>10,.0f} steps/s")


def bench_batch(n: int, steps: int, repeats: int) -> None:
    print(f"(b) {n:,} Adam trajectories on rosenbrock, vectorized, {steps:,} steps")
    f = get_function("rosenbrock")
    starts = np.random.default_rng(0).uniform([-2.0, -1.0], [2.0, 3.0], size=(n, 2))
    for record in (False, True):
        def run(record=record):
            run_batch(f, starts, [("adam", {"lr": 1e-2})], steps, record=record)

        run()  # warm-up: the first large allocation of a process pays its page faults
        dt = best_time(run, repeats)
        print(f"    record={record!s:<5} {n * steps / dt / 1e6:>8.1f} M trajectory-steps/s   ({dt:.3f} s)")


def bench_basins(resolution: int, steps: int, repeats: int) -> None:
    print(f"(c) basin map, himmelblau, sgd lr 0.01, {resolution}×{resolution} starts, {steps} steps")
    f = get_function("himmelblau")

    def run():
        *_, result = iter_basin_map(f, "sgd", {"lr": 0.01}, steps, (resolution, resolution))
        return result

    dt = best_time(run, repeats)
    result = run()
    shares = ", ".join(f"{result.fraction(k):.0%}" for k in range(len(result.minima)))
    print(f"    {dt:.3f} s  ({resolution * resolution * steps / dt / 1e6:.1f} M trajectory-steps/s; basins {shares})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and repeats (smoke run)")
    args = parser.parse_args(argv)
    repeats = 1 if args.quick else 3
    bench_single(5_000 if args.quick else 100_000, repeats)
    bench_batch(1024, 200 if args.quick else 2_000, repeats)
    bench_basins(100, 500, repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
