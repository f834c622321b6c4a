"""Render the windows to PNGs (docs/screenshots/) in English and Chinese: a run on Rosenbrock, the book's
optimizer comparison, the basin map on Himmelblau, and the network lab on the spiral, the digits and the book's
initialisation experiment. Run offscreen:  QT_QPA_PLATFORM=offscreen python tools/screenshots.py [--only lab]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def _wait(app, condition, timeout=60.0) -> None:
    deadline = time.time() + timeout
    while not condition() and time.time() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    from gdstudio.app.application import create_application
    from gdstudio.app.preferences import Preferences
    from gdstudio.experiment import DescentExperiment

    OUT.mkdir(parents=True, exist_ok=True)
    prefs = Preferences.from_file(Path(tempfile.mkdtemp()) / "s.ini")
    app = create_application(lang="en", preferences=prefs)
    from gdstudio.app import i18n
    from gdstudio.app.main_window import MainWindow

    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
    for lang in ("en", "zh_CN"):
        i18n.install_language(lang)
        if only in (None, "lab"):
            _network_lab(app, prefs, lang)
        if only == "lab":
            continue
        exp = DescentExperiment(function_name="rosenbrock", start=(-1.5, 2.0), optimizer="adam",
                                hyper={"lr": 0.05}, steps=400)
        w = MainWindow(preferences=prefs, experiment=exp)
        w.resize(1500, 950)
        w.show()
        s = w.session
        s.set_steps_per_frame(0)
        _wait(app, lambda: s.run_model.count >= 1 and s.surface_model.surface is not None)
        s.play()
        _wait(app, lambda: s.run_model.state == "done")
        w.grab().save(str(OUT / f"main-{lang}.png"))

        w.load_preset("book_ellipse_sgd.json")
        _wait(app, lambda: s.surface_model.surface is not None and s.run_model.count >= 1)
        s.run_book_comparison()
        _wait(app, lambda: not s.busy)
        w.grab().save(str(OUT / f"compare-{lang}.png"))
        s.clear_compare()

        s.experiment_model.update(function_name="himmelblau", expression=None, start=(0.0, 0.0),
                                  optimizer="sgd", hyper={"lr": 0.01}, steps=500)
        _wait(app, lambda: not s.busy)
        w.basin_dock.raise_()
        w.basin_map()
        _wait(app, lambda: s.basin_model.result is not None and not s.busy)
        w.grab().save(str(OUT / f"basins-{lang}.png"))
        w.close()
        _wait(app, lambda: True, 1)
    print("saved to", OUT)
    return 0


def _network_lab(app, prefs, lang: str) -> None:
    from gdstudio.app.network_lab_window import NetworkLabWindow

    w = NetworkLabWindow(prefs)
    w.resize(1700, 1000)
    w.show()
    s = w.session
    run = s.run_model
    for name, preset in (("spiral", "train_spiral_relu.json"), ("digits", "train_digits_relu.json"),
                         ("init", "train_init_xavier.json")):
        w.load_preset(preset)
        _wait(app, lambda: run.count >= 1 and not s.busy)
        s.play()
        _wait(app, lambda: run.state == "done", 180)
        _wait(app, lambda: not s.busy)
        w.grab().save(str(OUT / f"lab-{name}-{lang}.png"))
    w.close()
    _wait(app, lambda: True, 1)


if __name__ == "__main__":
    sys.exit(main())
