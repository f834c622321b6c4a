"""Command line: ``gdstudio`` opens the GUI, ``gdstudio run EXP.json`` runs an experiment headless.

The headless path never imports Qt (it must work on a server or in CI without a display), so the GUI module is
imported lazily and only by the GUI branch.

Exit codes: 0 a run completed (a diverged run is a result, not an error); 1 the results could not be written or
the GUI is unavailable; 2 invalid input (bad experiment, unreadable file, usage error); 130 interrupted (Ctrl+C).
User errors are one line on stderr, ``gdstudio: error: EXP.json: optimizer.lr: must be > 0``, never a traceback.

JSON has no NaN/Infinity: non-finite numbers (a diverged run) are written as ``null`` in ``--json`` output and
in summary.json; trajectory.csv keeps them as ``nan`` / ``inf`` (readable by numpy and spreadsheets).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from gdstudio import __version__

PROG = "gdstudio"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _error(message: str, code: int) -> int:
    print(f"{PROG}: error: {_one_line(message)}", file=sys.stderr)
    return code


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors (exit 2), like every other user error of the CLI."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {_one_line(message)}\n")


def _gui_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        usage=f"{PROG} [-h] [--version] [--lang {{en,zh_CN}}] [--self-test] [EXPERIMENT]\n"
        f"       {PROG} run EXPERIMENT [--out DIR] [--json] [--quiet]",
        description="Gradient Descent Studio: watch gradient descent happen. Without a command, opens the window.",
        epilog=f"Run an experiment without the window: {PROG} run EXP.json (see {PROG} run --help).",
    )
    parser.add_argument("experiment", nargs="?", metavar="EXPERIMENT", help="experiment file (.json) to open")
    parser.add_argument("--lang", choices=("en", "zh_CN"), help="interface language (default: saved or system)")
    parser.add_argument("--self-test", action="store_true", help="check that the GUI works, then exit")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _run_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} run",
        description="Run a descent experiment headless and report the result.",
        epilog="Exit status: 0 run completed (also when it diverged), 1 results could not be written, "
        "2 invalid experiment or arguments, 130 interrupted. JSON output writes non-finite numbers as null.",
    )
    parser.add_argument("experiment", metavar="EXPERIMENT", help="experiment file (.json)")
    parser.add_argument("--out", metavar="DIR", help="write trajectory.csv and summary.json into DIR (created)")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object with the result")
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no human-readable summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (``python -m gdstudio`` and the console script exit with it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args[:1] == ["run"]:
            return _run(_run_parser().parse_args(args[1:]))
        return _gui(_gui_parser().parse_args(args))
    except SystemExit as exc:  # argparse: --help / --version (0) and usage errors (2)
        return exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # e.g. `gdstudio run x.json --json | head -c 10`
        _silence_stdout()
        return EXIT_FAILED


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at devnull so the interpreter's final flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


# ---------------------------------------------------------------------------------------------------------------
# GUI


def _gui(args: argparse.Namespace) -> int:
    try:
        from gdstudio.app.application import run_gui, run_self_test
    except ImportError as exc:
        return _error(f"the graphical interface is not available: {exc}", EXIT_FAILED)
    if args.self_test:
        return int(run_self_test())
    return int(run_gui(lang=args.lang, experiment_path=args.experiment))


# ---------------------------------------------------------------------------------------------------------------
# Headless run


def _finite_or_none(x: float) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


class _ProgressBar:
    """``[#####.....] 50/100 f=1.2e-03`` on a terminal, redrawn at most 10 times a second."""

    WIDTH = 30
    INTERVAL = 0.1

    def __init__(self, total: int, stream: TextIO) -> None:
        self.total = max(int(total), 1)
        self.stream = stream
        self.last_draw = -math.inf
        self.drawn = False

    def update(self, step: int, value: float, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last_draw < self.INTERVAL:
            return
        self.last_draw = now
        filled = min(self.WIDTH, self.WIDTH * step // self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        self.stream.write(f"\r[{bar}] {step}/{self.total} f={value:.2e}")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class _Trajectory:
    """Preallocated columns of the run (a million steps stay a few tens of MB, unlike Snapshot objects)."""

    def __init__(self, dim: int, capacity: int) -> None:
        import numpy as np

        self.steps = np.zeros(capacity, dtype=np.int64)
        self.params = np.zeros((capacity, dim))
        self.values = np.zeros(capacity)
        self.grad_norms = np.zeros(capacity)
        self.count = 0

    def add(self, snap: Any) -> None:
        i = self.count
        if i == len(self.steps):  # the engine yielded more than steps + 1 snapshots: grow rather than fail
            self._grow()
        self.steps[i] = snap.step
        self.params[i] = snap.params
        self.values[i] = snap.value
        self.grad_norms[i] = snap.grad_norm
        self.count += 1

    def _grow(self) -> None:
        import numpy as np

        n = max(1, len(self.steps))
        self.steps = np.concatenate([self.steps, np.zeros(n, dtype=np.int64)])
        self.params = np.concatenate([self.params, np.zeros((n, self.params.shape[1]))])
        self.values = np.concatenate([self.values, np.zeros(n)])
        self.grad_norms = np.concatenate([self.grad_norms, np.zeros(n)])

    def to_csv(self) -> str:
        from gdstudio.engine.trajectory_csv import trajectory_csv

        n = self.count
        return trajectory_csv(self.steps[:n], self.params[:n], self.values[:n], self.grad_norms[:n])


def _run(args: argparse.Namespace) -> int:
    from gdstudio.engine.descent import iter_descent
    from gdstudio.experiment import ExperimentError, load_experiment

    try:
        exp = load_experiment(args.experiment)
    except ExperimentError as exc:
        return _error(f"{args.experiment}: {exc}", EXIT_USAGE)
    out = Path(args.out) if args.out else None
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return _error(f"{args.out}: cannot create the output directory: {exc.strerror or exc}", EXIT_USAGE)

    config = exp.to_config()
    trajectory = _Trajectory(len(exp.start), exp.steps + 1) if out is not None else None
    bar = _ProgressBar(exp.steps, sys.stderr) if not args.quiet and _isatty(sys.stderr) else None
    last = None
    interrupted = False
    try:
        for snap in iter_descent(config):
            last = snap
            if trajectory is not None:
                trajectory.add(snap)
            if bar is not None:
                bar.update(snap.step, snap.value)
        if bar is not None and last is not None:
            bar.update(last.step, last.value, force=True)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()

    result = _result(exp, last, interrupted)
    if out is not None:
        assert trajectory is not None
        try:
            _write_outputs(out, trajectory, result, exp)
        except OSError as exc:
            name = exc.filename or out
            return _error(f"{name}: cannot write results: {exc.strerror or exc}", EXIT_FAILED)
    if args.json:
        print(json.dumps(result, allow_nan=False))
    elif not args.quiet:
        print(_human_summary(result))
    sys.stdout.flush()
    return EXIT_INTERRUPTED if interrupted else EXIT_OK


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _result(exp: Any, last: Any, interrupted: bool) -> dict[str, Any]:
    """The run's outcome as a JSON-ready object (non-finite numbers → None)."""
    if last is None:  # interrupted before the first snapshot
        params: list[Any] = list(exp.start)
        value = grad_norm = None
        steps, status, message = 0, "stopped", ""
    else:
        params = [_finite_or_none(v) for v in last.params]
        value, grad_norm = _finite_or_none(last.value), _finite_or_none(last.grad_norm)
        steps, status, message = int(last.step), last.status, last.message
    if interrupted:
        status, message = "stopped", "interrupted by the user (Ctrl+C)"
    result: dict[str, Any] = {
        "status": status,
        "steps": steps,
        "final_params": params,
        "final_value": value,
        "final_grad_norm": grad_norm,
    }
    if message:
        result["message"] = message
    return result


def _write_outputs(out: Path, trajectory: _Trajectory, result: dict[str, Any], exp: Any) -> None:
    from gdstudio.atomic import atomic_write_text
    from gdstudio.experiment import pretty_json

    atomic_write_text(out / "trajectory.csv", trajectory.to_csv())
    summary = {**result, "gdstudio_version": __version__, "experiment": exp.to_dict()}
    atomic_write_text(out / "summary.json", pretty_json(summary) + "\n")


def _fmt(x: float | None) -> str:
    return "n/a (not finite)" if x is None else f"{x:.6g}"


def _human_summary(result: dict[str, Any]) -> str:
    steps = result["steps"]
    lines = [f"status: {result['status']} after {steps} step{'' if steps == 1 else 's'}"]
    if result.get("message"):
        lines.append(f"  {_one_line(result['message'])}")
    lines.append("final x: (" + ", ".join(_fmt(v) for v in result["final_params"]) + ")")
    lines.append(f"final f(x): {_fmt(result['final_value'])}")
    lines.append(f"final |grad f(x)|: {_fmt(result['final_grad_norm'])}")
    return "\n".join(lines)
