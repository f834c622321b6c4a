"""Command line: ``gdstudio`` opens the GUI, ``gdstudio run EXP.json`` runs an experiment headless.

The headless path never imports Qt (it must work on a server or in CI without a display), so the GUI module is
imported lazily and only by the GUI branch.

Exit codes (both kinds of experiment): 0 a run completed (a diverged run is a result, not an error); 1 the
results could not be written or the GUI is unavailable; 2 invalid input (bad experiment, unreadable file or data
set, a network that does not fit its data, usage error); 130 interrupted (Ctrl+C; what was computed so far is
still reported and written). User errors are one line on stderr,
``gdstudio: error: EXP.json: optimizer.lr: must be > 0``, never a traceback.

Descent runs write ``trajectory.csv`` and ``summary.json``; training runs write ``history.csv`` (one row per
evaluation: step 0, every epoch end, the stop point), ``steps.csv`` (one row per update: the mini-batch loss),
``summary.json`` and ``weights.npz`` (``W1, b1, W2, b2, …``; no pickles). A training run prints one progress line
per epoch on stderr (at most five a second; the last epoch always) unless ``--quiet``.

JSON has no NaN/Infinity: non-finite numbers (a diverged run) are written as ``null`` in ``--json`` output and
in summary.json; the CSV files keep them as ``nan`` / ``inf`` (readable by numpy and spreadsheets).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
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
        description="Run an experiment (descent or training) headless and report the result.",
        epilog="Exit status: 0 run completed (also when it diverged), 1 results could not be written, "
        "2 invalid experiment or arguments, 130 interrupted. JSON output writes non-finite numbers as null.",
    )
    parser.add_argument("experiment", metavar="EXPERIMENT", help="experiment file (.json)")
    parser.add_argument(
        "--out", metavar="DIR",
        help="write the results into DIR (created): trajectory.csv and summary.json for descent; history.csv, "
        "steps.csv, summary.json and weights.npz for training",
    )
    parser.add_argument("--json", action="store_true", help="print exactly one JSON object with the result")
    parser.add_argument("--quiet", action="store_true", help="no progress output and no human-readable summary")
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


def _run(args: argparse.Namespace) -> int:
    from gdstudio.experiment import ExperimentError, load_experiment
    from gdstudio.training_experiment import TrainingExperiment

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
    if isinstance(exp, TrainingExperiment):
        return _run_training(args, exp, out)
    return _run_descent(args, exp, out)


_CLI_BLOCK = 4096
"""Steps the CLI computes per block (a block is ~0.1 s at the slowest: Ctrl+C and the progress bar stay prompt)."""


def _run_descent(args: argparse.Namespace, exp: Any, out: Path | None) -> int:
    from gdstudio.engine.descent import DescentRun, SnapshotBatch

    run = DescentRun(exp.to_config())
    blocks: list[SnapshotBatch] = []  # kept for --out: columns, a few tens of MB for a million steps
    bar = _ProgressBar(exp.steps, sys.stderr) if not args.quiet and _isatty(sys.stderr) else None
    last = None
    interrupted = False
    try:
        for batch in run.blocks(_CLI_BLOCK):
            last = batch[-1]
            if out is not None:
                blocks.append(batch)
            if bar is not None:
                bar.update(last.step, last.value)
        if bar is not None and last is not None:
            bar.update(last.step, last.value, force=True)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if bar is not None:
            bar.close()

    result = _result(exp, last, interrupted)
    trajectory = SnapshotBatch.concat(blocks) if blocks else SnapshotBatch.empty(len(exp.start))
    write = None if out is None else partial(_write_outputs, out, trajectory, result, exp)
    return _report(args, result, _human_summary(result), interrupted, write)


def _report(args: argparse.Namespace, result: dict[str, Any], human: str, interrupted: bool,
            write: Callable[[], None] | None) -> int:
    """The end of every run: write the files (``--out``), print the result (JSON or for people), pick the status."""
    if write is not None:
        try:
            write()
        except OSError as exc:
            name = exc.filename or args.out
            return _error(f"{name}: cannot write results: {exc.strerror or exc}", EXIT_FAILED)
    if args.json:
        print(json.dumps(result, allow_nan=False))
    elif not args.quiet:
        print(human)
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


def _write_outputs(out: Path, trajectory: Any, result: dict[str, Any], exp: Any) -> None:
    from gdstudio.atomic import atomic_write_text
    from gdstudio.engine.trajectory_csv import trajectory_csv
    from gdstudio.experiment import pretty_json

    c = trajectory.columns()
    atomic_write_text(out / "trajectory.csv", trajectory_csv(c.steps, c.params, c.values, c.grad_norms))
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


# ---------------------------------------------------------------------------------------------------------------
# Headless training run

_TRAINING_OPTIONS: dict[str, Any] = {
    "blas_threads": "auto",  # headless: let the tuner pick 1 or more BLAS threads (the GUI pins 1)
    "map_resolution": None,  # no decision maps, per-step gradient norms or weight copies: nobody draws them here
    "norms_every": 2**62,
    "trajectory_every": 2**62,
    "detail_min_gap": 2**62,  # layer details only at the start and the end
}
_HISTORY_COLUMNS = ("step", "epoch", "samples", "mean_batch_loss", "train_loss", "train_accuracy", "test_loss",
                    "test_accuracy")


def _csv_number(x: float | None) -> str:
    """Shortest round-tripping text; missing (None) and non-finite values as nan / inf, as in trajectory.csv."""
    return "nan" if x is None else repr(float(x))


class _TrainingHistory:
    """What a training run leaves behind: one row per evaluation (history.csv) and every batch loss (steps.csv).

    Per-step values go to compact arrays (a long run has millions of steps), not snapshot objects.
    """

    def __init__(self) -> None:
        from array import array

        self.rows: list[tuple[Any, ...]] = []
        self.steps = array("q")
        self.epochs = array("q")
        self.losses = array("d")
        self._since = 0  # index into losses where the current evaluation interval began

    def add(self, snap: Any) -> None:
        if snap.step > 0 and not (snap.status == "stopped" and self.steps and self.steps[-1] == snap.step):
            self.steps.append(snap.step)
            self.epochs.append(snap.epoch if snap.epoch_end else snap.epoch + 1)  # the epoch this update belongs to
            self.losses.append(snap.batch_loss)
        if snap.epoch_end:
            interval = self.losses[self._since :]
            mean = sum(interval) / len(interval) if interval else None
            self._since = len(self.losses)
            self.rows.append((snap.step, snap.epoch, snap.samples, mean, snap.train_loss, snap.train_accuracy,
                              snap.test_loss, snap.test_accuracy))

    def history_csv(self) -> str:
        lines = [",".join(_HISTORY_COLUMNS)]
        for step, epoch, samples, *values in self.rows:
            lines.append(",".join([str(step), str(epoch), str(samples), *map(_csv_number, values)]))
        return "\n".join(lines) + "\n"

    def steps_csv(self) -> str:
        lines = ["step,epoch,batch_loss"]
        lines += [f"{s},{e},{loss!r}" for s, e, loss in zip(self.steps, self.epochs, self.losses)]
        return "\n".join(lines) + "\n"


class _EpochProgress:
    """``epoch 12/500  step 48  loss 0.6931  train 75.0%  test 50.0%`` on stderr, at most 5 lines a second."""

    INTERVAL = 0.2

    def __init__(self, epochs: int, stream: TextIO) -> None:
        self.epochs = epochs
        self.stream = stream
        self.last = -math.inf

    def update(self, snap: Any) -> None:
        now = time.monotonic()
        if snap.status == "running" and now - self.last < self.INTERVAL:
            return
        self.last = now
        self.stream.write(_epoch_line(snap, self.epochs) + "\n")
        self.stream.flush()


def _percent(x: float | None) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{100 * x:.1f}%"


def _epoch_line(snap: Any, epochs: int) -> str:
    parts = [f"epoch {snap.epoch}/{epochs}", f"step {snap.step}", f"loss {snap.train_loss:.4g}"]
    if snap.train_accuracy is not None:
        parts.append(f"train {_percent(snap.train_accuracy)}")
    if snap.test_accuracy is not None:
        parts.append(f"test {_percent(snap.test_accuracy)}")
    return "  ".join(parts)


def _run_training(args: argparse.Namespace, exp: Any, out: Path | None) -> int:
    from gdstudio.engine.nn import Trainer
    from gdstudio.experiment import ExperimentError

    started = time.perf_counter()
    try:
        trainer = Trainer(exp.to_config(**_TRAINING_OPTIONS))
    except ExperimentError as exc:  # the data set cannot be read, or the network does not fit it
        return _error(f"{args.experiment}: {exc}", EXIT_USAGE)
    except ValueError as exc:  # the engine refuses the network (e.g. a step function cannot be trained)
        return _error(f"{args.experiment}: network: {exc}", EXIT_USAGE)
    history = _TrainingHistory()
    progress = None if args.quiet else _EpochProgress(exp.epochs, sys.stderr)
    last = None
    interrupted = False
    try:
        for snap in trainer.iterate():
            last = snap
            history.add(snap)
            if progress is not None and snap.epoch_end and snap.step > 0:
                progress.update(snap)
    except KeyboardInterrupt:
        interrupted = True
    if interrupted:  # close with fresh metrics of the weights trained so far (a second Ctrl+C skips that)
        try:
            last = trainer.final_snapshot("stopped", "interrupted by the user (Ctrl+C)")
            history.add(last)
        except KeyboardInterrupt:
            pass
    seconds = time.perf_counter() - started

    result = _training_result(trainer, last, interrupted)
    if result["status"] == "diverged" and not args.quiet:
        print(f"{PROG}: the run diverged: {_one_line(result.get('message', ''))}", file=sys.stderr)
    write = None
    if out is not None:
        summary = _training_summary_file(exp, trainer, last, result, seconds)
        write = partial(_write_training_outputs, out, history, summary, trainer.network.state_dict())
    return _report(args, result, _training_human_summary(result), interrupted, write)


def _training_result(trainer: Any, last: Any, interrupted: bool) -> dict[str, Any]:
    """The run's outcome for --json (non-finite numbers → None; accuracies None for regression or divergence)."""
    status = "stopped" if interrupted or last is None else last.status
    message = "interrupted by the user (Ctrl+C)" if interrupted else (last.message if last is not None else "")
    if last is None:
        loss = train_acc = test_acc = None
    elif last.epoch_end:
        loss, train_acc, test_acc = last.train_loss, last.train_accuracy, last.test_accuracy
    else:  # diverged mid-epoch: the loss of the batch that blew up; the network's outputs mean nothing now
        loss, train_acc, test_acc = last.batch_loss, None, None
    if status == "diverged":
        train_acc = test_acc = None
    result: dict[str, Any] = {
        "status": status,
        "epochs": int(trainer.epoch),
        "steps": int(trainer.step if last is None else last.step),  # diverged: the step whose loss blew up
        "final_loss": None if loss is None else _finite_or_none(loss),
        "train_accuracy": None if train_acc is None else _finite_or_none(train_acc),
        "test_accuracy": None if test_acc is None else _finite_or_none(test_acc),
    }
    if message:
        result["message"] = message
    return result


def _training_summary_file(exp: Any, trainer: Any, last: Any, result: dict[str, Any], seconds: float) -> dict:
    """summary.json: the --json result plus what reproduces and describes the run (seeds, sizes, time)."""
    ds = trainer.config.dataset
    evaluated = last is not None and last.epoch_end and result["status"] != "diverged"
    return {
        **result,
        "test_loss": _finite_or_none(last.test_loss) if evaluated and last.test_loss is not None else None,
        "samples": int(trainer.samples),
        "seconds": round(seconds, 3),  # wall time, loading the data included
        "seed": trainer.seed,
        "init_seed": trainer.network.init_seed,
        "network": trainer.network.describe(),
        "n_params": int(trainer.network.n_params),
        "dataset": ds.description,
        "n_train": int(ds.n_train),
        "n_test": int(ds.n_test),
        "gdstudio_version": __version__,
        "experiment": exp.to_dict(),
    }


def _write_training_outputs(out: Path, history: _TrainingHistory, summary: dict[str, Any],
                            state: dict[str, Any]) -> None:
    import io

    import numpy as np

    from gdstudio.atomic import atomic_write_bytes, atomic_write_text
    from gdstudio.experiment import pretty_json

    atomic_write_text(out / "history.csv", history.history_csv())
    atomic_write_text(out / "steps.csv", history.steps_csv())
    buffer = io.BytesIO()
    np.savez(buffer, **state)  # plain numeric arrays: readable with np.load(..., allow_pickle=False)
    atomic_write_bytes(out / "weights.npz", buffer.getvalue())
    atomic_write_text(out / "summary.json", pretty_json(summary) + "\n")


def _training_human_summary(result: dict[str, Any]) -> str:
    epochs, steps = result["epochs"], result["steps"]
    lines = [f"status: {result['status']} after {epochs} epoch{'' if epochs == 1 else 's'} "
             f"({steps} step{'' if steps == 1 else 's'})"]
    lines.append(f"final loss: {_fmt(result['final_loss'])}")
    for key, label in (("train_accuracy", "training accuracy"), ("test_accuracy", "test accuracy")):
        if result[key] is not None:
            lines.append(f"{label}: {100 * result[key]:.2f}%")
    return "\n".join(lines)
