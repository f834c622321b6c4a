"""Render the main window to PNGs (docs/screenshots/) in English and Chinese: a run on Rosenbrock, the book's
optimizer comparison, and the basin map on Himmelblau. Run offscreen:  QT_QPA_PLATFORM=offscreen python tools/screenshots.py
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

    for lang in ("en", "zh_CN"):
        i18n.install_language(lang)
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


if __name__ == "__main__":
    sys.exit(main())
