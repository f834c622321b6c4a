"""Speed with the window open: steps/s of a run with every panel live, as a fraction of the same run headless,
and the time from process start to the first painted main window.

Usage:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--steps 200000]
(under xvfb-run for a real window). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def headless_rate(function: str, optimizer: str, lr: float, steps: int) -> float:
    from gdstudio.engine import DescentConfig, get_function, iter_descent

    config = DescentConfig(get_function(function), get_function(function).default_start, optimizer, {"lr": lr},
                           "analytic", 1e-4, steps)
    t = time.perf_counter()
    n = sum(1 for _ in iter_descent(config))
    return (n - 1) / (time.perf_counter() - t)


def windowed_rate(function: str, optimizer: str, lr: float, steps: int) -> tuple[float, int]:
    """Runs the same experiment through the Session/worker with the main window shown and its panels redrawing."""
    from gdstudio.app.application import create_application
    from gdstudio.app.preferences import Preferences
    from gdstudio.experiment import DescentExperiment
    from gdstudio.engine import get_function

    folder = tempfile.mkdtemp(prefix="gdstudio-bench-")
    prefs = Preferences.from_file(Path(folder) / "settings.ini")
    app = create_application(lang="en", preferences=prefs)
    from gdstudio.app.main_window import MainWindow

    exp = DescentExperiment(function_name=function, start=get_function(function).default_start, optimizer=optimizer,
                            hyper={"lr": lr}, steps=steps)
    window = MainWindow(preferences=prefs, experiment=exp)
    window.resize(1400, 900)
    window.show()
    session = window.session
    session.set_steps_per_frame(0)
    deadline = time.time() + 30
    while not (session.run_model.count >= 1 and session.surface_model.surface is not None) and time.time() < deadline:
        app.processEvents()
        time.sleep(0.005)
    frames = [0]
    window.contour_panel.trajectory_item.sigPlotChanged.connect(lambda *_: frames.__setitem__(0, frames[0] + 1))
    t = time.perf_counter()
    session.play()
    while session.run_model.state != "done" and time.time() < deadline + 600:
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - t
    done = session.run_model.count - 1
    window.close()
    app.processEvents()
    return done / elapsed, frames[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as folder:
        times = [float(subprocess.run([sys.executable, "-c", _FIRST_WINDOW, repr(time.time()),
                                       str(Path(folder) / "s.ini")], capture_output=True, text=True,
                                      check=True).stdout.split()[-1]) for _ in range(3)]
    print(f"time to first window (process start → shown), best of 3: {min(times):.2f} s")
    for function, optimizer, lr in (("rosenbrock", "sgd", 1e-4), ("rosenbrock", "adam", 1e-3)):
        head = headless_rate(function, optimizer, lr, args.steps)
        win, frames = windowed_rate(function, optimizer, lr, args.steps)
        print(f"{function}/{optimizer}: headless {head:,.0f} steps/s; window open {win:,.0f} steps/s "
              f"= {win / head:.2f} of headless ({frames} trajectory redraws)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
