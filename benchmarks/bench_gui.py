"""Speed with the window open: steps/s of a run with every panel live, as a fraction of the same run headless,
and the time from process start to the first painted main window.

Usage:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--steps 200000] [--repeats 3]
(under xvfb-run for a real window). Prints figures; asserts nothing.

Method (the machine may be shared, so single runs are noisy): each repetition measures, back to back,
  headless   the engine's DescentRun in blocks on this thread, as `gdstudio run` drives it (no Qt at all),
  worker     the generator driven by EngineWorker on its QThread into a RunModel, GUI thread idle in its event loop
             (what threads, signals and the GIL cost, without any view),
  window     the same run through the Session with the main window shown and every panel redrawing,
and the medians are printed. The window's one-off work when a function is loaded (sampling and drawing the
surface) is finished before the clock starts: it is paid once per function, not per run. The GUI thread waits
in a real event loop (as in the app), not in a polling loop. The share of a windowed run the GUI thread spends on
the CPU is printed too: it holds the GIL for nearly all of it, so it is what the window costs the engine, and it
is far less sensitive than the ratios to other work on the machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from qt_wait import wait_until

_FIRST_WINDOW = r"""
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from gdstudio.app.application import create_application
from gdstudio.app.preferences import Preferences
prefs = Preferences.from_file(sys.argv[2])
app = create_application(lang="en", preferences=prefs)
from gdstudio.app.main_window import MainWindow
w = MainWindow(preferences=prefs)
w.resize(1400, 900)
w.show()
def shown():
    print(f"{time.time() - t0:.3f}")
    w.close()
    app.quit()
QTimer.singleShot(0, shown)
app.exec()
"""

def _config(function: str, optimizer: str, lr: float, steps: int):
    from gdstudio.engine import DescentConfig, get_function

    fn = get_function(function)
    return DescentConfig(fn, fn.default_start, optimizer, {"lr": lr}, "analytic", 1e-4, steps)


def headless_rate(function: str, optimizer: str, lr: float, steps: int) -> float:
    """The engine alone as ``gdstudio run`` drives it: DescentRun blocks of the CLI's size."""
    from gdstudio.cli import _CLI_BLOCK
    from gdstudio.engine.descent import DescentRun

    run = DescentRun(_config(function, optimizer, lr, steps))
    t = time.perf_counter()
    n = sum(len(block) for block in run.blocks(_CLI_BLOCK))
    return (n - 1) / (time.perf_counter() - t)


def worker_rate(function: str, optimizer: str, lr: float, steps: int) -> float:
    """The run on an EngineWorker thread into a RunModel, no views: the cost of threads, signals and the GIL."""
    from gdstudio.app.application import create_application
    from gdstudio.engine.descent import DescentRun
    from gdstudio.models.run_model import RunModel
    from gdstudio.workers.engine_worker import EngineWorker, WorkerHandle

    app = create_application(lang="en")
    config = _config(function, optimizer, lr, steps)
    model = RunModel(config.function.dim)
    handle = WorkerHandle(EngineWorker(DescentRun(config)))
    handle.progress.connect(model.append)
    t = time.perf_counter()
    handle.start()
    wait_until(app, lambda: not handle.running, wake=(handle.finished,))
    app.processEvents()  # the last batch
    elapsed = time.perf_counter() - t
    wait_until(app, lambda: handle.disposable, 5)
    return (model.count - 1) / elapsed


class WindowedBench:
    """One main window, reused for every repetition of one experiment (as a student re-runs a run)."""

    def __init__(self, function: str, optimizer: str, lr: float, steps: int) -> None:
        from gdstudio.app.application import create_application
        from gdstudio.app.preferences import Preferences
        from gdstudio.engine import get_function
        from gdstudio.experiment import DescentExperiment

        self._folder = tempfile.TemporaryDirectory(prefix="gdstudio-bench-")
        prefs = Preferences.from_file(Path(self._folder.name) / "settings.ini")
        self.app = create_application(lang="en", preferences=prefs)
        from gdstudio.app.main_window import MainWindow

        exp = DescentExperiment(function_name=function, start=get_function(function).default_start,
                                optimizer=optimizer, hyper={"lr": lr}, steps=steps)
        self.window = MainWindow(preferences=prefs, experiment=exp)
        self.window.resize(1400, 900)
        self.window.show()
        self.session = self.window.session
        self.session.set_steps_per_frame(0)
        self.frames = 0
        self.window.contour_panel.trajectory_item.sigPlotChanged.connect(self._count_frame)
        self.surface_seconds = self._settle(lambda: self.session.surface_model.surface is not None)

    def _count_frame(self, *_args) -> None:
        self.frames += 1

    def _settle(self, ready, quiet_s: float = 0.3) -> float:
        """Run the event loop until ``ready()``, the workers are idle and no panel redrew for ``quiet_s``."""
        t = time.perf_counter()
        session = self.session
        wait_until(self.app, lambda: ready() and session.run_model.count >= 1 and not session.busy, 60)
        last = (self.frames, time.perf_counter())
        while time.perf_counter() - last[1] < quiet_s and time.perf_counter() - t < 60:
            self.app.processEvents()
            time.sleep(0.01)
            if self.frames != last[0]:
                last = (self.frames, time.perf_counter())
        return time.perf_counter() - t

    def run(self) -> tuple[float, int, float, float]:
        """steps/s of one whole run with every panel live, how often the trajectory was redrawn, the share of
        the run the GUI thread spent on the CPU (it holds the GIL for nearly all of that: a steadier figure than
        the ratio on a shared machine), and the event loop's longest stall in seconds (a 10 ms heartbeat timer's
        longest gap: how long a click on Pause could wait)."""
        from PySide6.QtCore import QTimer

        session = self.session
        if session.run_model.state != "idle":
            session.reset()
            self._settle(lambda: True)
        self.frames = 0
        beats: list[float] = []
        heartbeat = QTimer()
        heartbeat.setInterval(10)
        heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
        t, cpu = time.perf_counter(), time.thread_time()
        heartbeat.start()
        session.play()
        wait_until(self.app, lambda: session.run_model.state == "done", wake=(session.run_model.stateChanged,))
        elapsed = time.perf_counter() - t
        heartbeat.stop()
        stamps = [t, *beats, t + elapsed]
        stall = max(b - a for a, b in zip(stamps, stamps[1:]))
        return (session.run_model.count - 1) / elapsed, self.frames, (time.thread_time() - cpu) / elapsed, stall

    def close(self) -> None:
        self.window.close()
        self.app.processEvents()


def _load() -> str:
    try:
        return "load %.2f" % os.getloadavg()[0]
    except OSError:
        return "load ?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=3, help="repetitions per figure (medians are printed)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{cpus} CPU(s) available, {_load()} at start")
    with tempfile.TemporaryDirectory() as folder:
        times = [float(subprocess.run([sys.executable, "-c", _FIRST_WINDOW, repr(time.time()),
                                       str(Path(folder) / "s.ini")], capture_output=True, text=True,
                                      check=True).stdout.split()[-1]) for _ in range(3)]
    print(f"time to first window (process start → shown), best of 3: {min(times):.2f} s")
    for function, optimizer, lr in (("rosenbrock", "sgd", 1e-4), ("rosenbrock", "adam", 1e-3)):
        bench = WindowedBench(function, optimizer, lr, args.steps)
        heads, workers, wins, frames, ratios, gui, stalls = [], [], [], [], [], [], []
        for _ in range(max(args.repeats, 1)):
            head = headless_rate(function, optimizer, lr, args.steps)
            worker = worker_rate(function, optimizer, lr, args.steps)
            win, redraws, busy, stall = bench.run()
            stalls.append(stall)
            heads.append(head)
            workers.append(worker)
            wins.append(win)
            frames.append(redraws)
            gui.append(busy)
            ratios.append(win / head)
        bench.close()
        head, worker, win = statistics.median(heads), statistics.median(workers), statistics.median(wins)
        print(f"{function}/{optimizer}: headless {head:,.0f} steps/s; window open {win:,.0f} steps/s "
              f"= {win / head:.2f} of headless ({int(statistics.median(frames))} trajectory redraws, "
              f"GUI thread on the CPU {statistics.median(gui):.0%} of the run, longest event-loop stall "
              f"{1000 * max(stalls):.0f} ms)")
        print(f"    worker thread, no window {worker:,.0f} steps/s = {worker / head:.2f} of headless; "
              f"window/headless per repetition {', '.join(f'{r:.2f}' for r in ratios)}; "
              f"first surface drawn in {bench.surface_seconds:.2f} s; {_load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
