"""Training throughput with the network lab open: a run with every panel live, as a fraction of the same run
headless.

Usage:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_network_gui.py [--repeats 5] [--scale 3]
        [--profile [FILE]]
(under xvfb-run for a real window). Prints figures; asserts nothing.

Runs: the digits preset (64-100-10 ReLU, 30 epochs, batch 32) and XOR 2-4-1 tanh for 2,000 epochs (batch 4), each
with its epochs multiplied by ``--scale`` (default 3: a one-second run is too short to measure on a shared machine).
Each repetition measures, back to back (the order alternates between repetitions),
  headless  the trainer's generator built exactly as the GUI session builds it (``_setup_job``: same
            TrainingConfig — decision maps, landscapes, trajectory, details) consumed in a plain loop, no Qt;
  window    the same run in a shown NetworkLabWindow: Play pressed once the run is set up, the clock stops at
            ``run_model.finished``; the GUI thread waits in a real event loop, as in the app.
Set-up (loading the data, building the trainer, step 0, and the panels' first drawing of the new run, which a
student's Play never interrupts) is outside both clocks. Medians are printed — the ratio is the median of the
per-repetition (paired) ratios, with its range, so slow drifts of the machine's load cancel — with the CPU
time the GUI thread used during the windowed runs (``time.thread_time``): on a loaded machine the wall clocks
wander, that figure much less, and it is what the window takes from the training thread (the GIL, a core).
``--profile`` runs cProfile on the GUI thread during one windowed run of each case and prints the top costs, in CPU
time of that thread (a wall-clock profile would also count the waits for the GIL the training thread holds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qt_wait import wait_until  # noqa: E402

SETTLE_S = 0.3
"""After set-up, the event loop runs this long before Play: the panels draw the new run's structure and step 0."""

DIGITS = {
    "gdstudio": 1, "kind": "training",
    "dataset": {"name": "digits", "test_fraction": 0.25, "seed": 0, "dtype": "float32"},
    "network": {"layers": [64, 100, 10], "activation": "relu", "output": "softmax", "loss": "cross_entropy",
                "init": {"scheme": "he", "seed": 0}},
    "optimizer": {"name": "sgd", "lr": 0.1}, "epochs": 30, "batch_size": 32, "seed": 0,
}
XOR = {
    "gdstudio": 1, "kind": "training",
    "dataset": {"name": "xor"},
    "network": {"layers": [2, 4, 1], "activation": "tanh", "output": "sigmoid", "loss": "bce",
                "init": {"scheme": "xavier", "seed": 0}},
    "optimizer": {"name": "sgd", "lr": 0.5}, "epochs": 2000, "batch_size": 4, "seed": 0,
}
CASES = (("digits 64-100-10 relu", DIGITS), ("XOR 2-4-1 tanh", XOR))


def _settings(experiment: dict):
    from gdstudio.models.training_settings_model import TrainingSettingsModel

    model = TrainingSettingsModel()
    model.from_experiment_dict(experiment)
    return model.settings


def headless_run(experiment: dict) -> tuple[float, int]:
    """(seconds, steps) of the GUI session's generator consumed in a loop (set-up excluded)."""
    from gdstudio.controllers.training_session import _setup_job

    prepared = next(_setup_job(0, _settings(experiment), None, None))
    generator = prepared.generator
    last = prepared.first
    t = time.perf_counter()
    for last in generator:
        pass
    return time.perf_counter() - t, int(last.step)


class WindowedBench:
    """One network lab window, reused for every repetition (as a student re-runs a run)."""

    def __init__(self) -> None:
        from gdstudio.app.application import create_application
        from gdstudio.app.network_lab_window import NetworkLabWindow
        from gdstudio.app.preferences import Preferences

        self.app = create_application(lang="en")
        self.tmp = tempfile.TemporaryDirectory()
        self.window = NetworkLabWindow(Preferences.from_file(os.path.join(self.tmp.name, "settings.ini")))
        self.window.resize(1600, 1000)
        self.window.show()

    def run(self, experiment: dict, profile: cProfile.Profile | None = None) -> tuple[float, int, float]:
        """(seconds, steps, GUI-thread CPU seconds) of one windowed run."""
        session = self.window.session
        model = session.run_model
        session.settings.from_experiment_dict(experiment)  # restarts the run (set-up on a worker)
        session.reset()
        wait_until(self.app, lambda: model.count >= 1 and not session.preparing and not session.busy,
              wake=(model.appended,))
        wait_until(self.app, lambda: False, SETTLE_S)
        ended = []
        model.finished.connect(lambda *_: ended.append((time.perf_counter(), time.thread_time())))
        if profile is not None:
            profile.enable()
        cpu = time.thread_time()
        t = time.perf_counter()
        session.play()
        wait_until(self.app, lambda: bool(ended), wake=(model.finished,))
        if profile is not None:
            profile.disable()
        elapsed = ended[0][0] - t if ended else time.perf_counter() - t
        gui_cpu = ended[0][1] - cpu if ended else time.thread_time() - cpu
        model.finished.disconnect()
        wait_until(self.app, lambda: not session.busy, 10)
        self.app.processEvents()
        return elapsed, int(model.last_step), gui_cpu

    def close(self) -> None:
        self.window.close()
        self.app.processEvents()
        self.tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", type=int, default=3, help="multiply each case's epochs (longer, steadier runs)")
    parser.add_argument("--profile", nargs="?", const="", default=None, metavar="FILE",
                        help="profile one windowed run per case (GUI thread); FILE: also dump the stats there")
    parser.add_argument("--top", type=int, default=25, help="rows of the profile to print")
    parser.add_argument("--only", choices=("digits", "xor"), default=None)
    args = parser.parse_args(argv)

    bench = WindowedBench()
    try:
        for name, experiment in CASES:
            if args.only and not name.lower().startswith(args.only):
                continue
            experiment = {**experiment, "epochs": experiment["epochs"] * max(1, args.scale)}
            bench.run(experiment)  # warm-up: first paint of every panel, caches
            heads, wins, cpus, ratios = [], [], [], []
            steps = 0
            for i in range(max(1, args.repeats)):
                if i % 2:
                    w, wsteps, cpu = bench.run(experiment)
                    h, steps = headless_run(experiment)
                else:
                    h, steps = headless_run(experiment)
                    w, wsteps, cpu = bench.run(experiment)
                ratios.append(h / w)
                heads.append(h)
                wins.append(w)
                cpus.append(cpu)
                if wsteps != steps:
                    print(f"  note: window run ended at step {wsteps}, headless at {steps}")
            h, w = statistics.median(heads), statistics.median(wins)
            print(f"{name}, {experiment['epochs']} epochs: {steps} steps")
            print(f"  headless {h:7.3f} s  {steps / h:9.0f} steps/s   (runs: {', '.join(f'{x:.3f}' for x in heads)})")
            print(f"  window   {w:7.3f} s  {steps / w:9.0f} steps/s   (runs: {', '.join(f'{x:.3f}' for x in wins)})")
            print(f"  ratio    {statistics.median(ratios):7.2f}   window/headless throughput, median of the paired "
                  f"runs (range {min(ratios):.2f}–{max(ratios):.2f})")
            c = statistics.median(cpus)
            print(f"  GUI thread CPU during the window runs {1000 * c:6.0f} ms = {c / w:.0%} of the window time"
                  f"   (runs: {', '.join(f'{1000 * x:.0f}' for x in cpus)} ms)")
            print(f"  load average {os.getloadavg()[0]:.2f}")
            if args.profile is not None:
                profile = cProfile.Profile(time.thread_time)
                bench.run(experiment, profile)
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out)
                stats.sort_stats("tottime").print_stats(args.top)
                stats.sort_stats("cumulative").print_stats(args.top)
                print(out.getvalue())
                if args.profile:
                    stats.dump_stats(f"{args.profile}.{name.split()[0].lower()}")
            sys.stdout.flush()
    finally:
        bench.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
