"""BasinPanel colours each start by the minimum it reaches (the minima's own colours), lists counts and shares,
shows progress while computing and asks for a map at the chosen resolution."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow

from gdstudio.engine.basins import DIVERGED, ELSEWHERE, BasinResult, iter_basin_map
from gdstudio.engine.functions import get_function
from gdstudio.engine.surface import sample_surface
from gdstudio.models.basin_model import BasinModel
from gdstudio.models.surface_model import SurfaceModel
from gdstudio.views import palette
from gdstudio.views.basin_panel import LEGEND_ROWS, RESOLUTIONS, BasinPanel, label_colors
from gdstudio.views.widgets import RedrawScheduler


def _panel(qtbot, keep_alive: list):
    basin, surface = BasinModel(), SurfaceModel()
    panel = BasinPanel(basin, surface)
    qtbot.addWidget(panel)
    keep_alive.extend([panel, basin, surface])
    panel.resize(500, 600)
    panel.show()
    return panel, basin, surface


def _result(labels, minima) -> BasinResult:
    labels = np.asarray(labels)
    values, numbers = np.unique(labels, return_counts=True)
    counts = {k: 0 for k in range(len(minima))} | {DIVERGED: 0, ELSEWHERE: 0}
    counts.update({int(v): int(n) for v, n in zip(values, numbers)})
    ny, nx = labels.shape
    return BasinResult(xs=np.linspace(-1, 1, nx), ys=np.linspace(-2, 2, ny), labels=labels,
                       minima=tuple(minima), counts=counts)


def test_label_colors_match_minima_and_special_labels():
    image = label_colors(np.array([[0, 1], [DIVERGED, ELSEWHERE]]))
    assert image.shape == (2, 2, 4)
    assert tuple(image[0, 0, :3]) == palette.minimum_color(0)
    assert tuple(image[0, 1, :3]) == palette.minimum_color(1)
    assert tuple(image[1, 0, :3]) == palette.BASIN_DIVERGED
    assert tuple(image[1, 1, :3]) == palette.BASIN_NOT_CONVERGED
    assert (image[..., 3] == 255).all()


def test_result_drawn_with_legend_counts_and_minima(qtbot, keep_alive):
    panel, basin, _ = _panel(qtbot, keep_alive)
    labels = [[0, 0, 1, DIVERGED], [0, 1, 1, ELSEWHERE]]
    basin.set_result(_result(labels, [(-0.5, 1.0), (0.5, -1.0)]))
    panel.flush()
    np.testing.assert_array_equal(panel.image_item.image, label_colors(np.array(labels)))
    rect = panel.image_item.mapRectToParent(panel.image_item.boundingRect())
    assert rect.left() == pytest.approx(-1 - 1 / 3) and rect.right() == pytest.approx(1 + 1 / 3)  # pixel centres
    x, y = panel.minima_item.getData()
    np.testing.assert_array_equal(np.column_stack([x, y]), [(-0.5, 1.0), (0.5, -1.0)])
    legend = panel.legend_label.text()
    assert "minimum (−0.5, 1)" in legend and "37.5%" in legend  # 3 of 8 starts
    assert "diverged" in legend and "12.5%" in legend
    assert palette.css(palette.minimum_color(0)) in legend
    assert panel.placeholder_label.isHidden()


def test_many_minima_are_summarised(qtbot, keep_alive):
    panel, basin, _ = _panel(qtbot, keep_alive)
    n = LEGEND_ROWS + 5
    labels = np.arange(2 * n).reshape(2, n) % n
    basin.set_result(_result(labels, [(float(i), 0.0) for i in range(n)]))
    panel.flush()
    assert "5 more minima" in panel.legend_label.text()


def test_progress_bar_while_computing(qtbot, keep_alive):
    panel, basin, _ = _panel(qtbot, keep_alive)
    assert panel.progress_bar.isHidden()
    basin.begin()
    basin.set_progress(0.25)
    panel.flush()
    assert not panel.progress_bar.isHidden()
    assert panel.progress_bar.value() == 250
    assert not panel.compute_button.isEnabled()
    basin.set_result(_result([[0]], [(0.0, 0.0)]))
    panel.flush()
    assert panel.progress_bar.isHidden() and panel.compute_button.isEnabled()
    basin.clear()
    panel.flush()
    assert panel.image_item.image is None and not panel.placeholder_label.isHidden()


def test_compute_requested_with_chosen_resolution(qtbot, keep_alive):
    panel, _, _ = _panel(qtbot, keep_alive)
    assert [panel.resolution_combo.itemData(i) for i in range(panel.resolution_combo.count())] == list(RESOLUTIONS)
    panel.resolution_combo.setCurrentIndex(2)
    with qtbot.waitSignal(panel.computeRequested) as blocker:
        qtbot.mouseClick(panel.compute_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [200]


def test_real_himmelblau_map_four_basins(qtbot, keep_alive):
    panel, basin, surface = _panel(qtbot, keep_alive)
    function = get_function("himmelblau")
    surface.set_samples(function, sample_surface(function, resolution=40), None)
    *_, result = iter_basin_map(function, "sgd", {"lr": 0.01}, 200, resolution=(24, 24))
    basin.set_result(result)
    panel.flush()
    assert len(panel.isolines.items) == len(surface.surface.levels)
    shown = {tuple(c) for c in panel.image_item.image[..., :3].reshape(-1, 3)}
    assert {palette.minimum_color(i) for i in range(4)} <= shown
    assert panel.legend_label.text().count("minimum (") == 4


def _himmelblau_surface(surface_model) -> None:
    function = get_function("himmelblau")
    surface_model.set_samples(function, sample_surface(function, resolution=40), None)


def test_isolines_wait_until_the_panel_is_shown(qtbot, keep_alive):
    basin, surface = BasinModel(), SurfaceModel()
    panel = BasinPanel(basin, surface)
    qtbot.addWidget(panel)
    keep_alive.extend([panel, basin, surface])
    _himmelblau_surface(surface)
    qtbot.wait(3 * RedrawScheduler.INTERVAL_MS)  # the redraw timer has long fired …
    assert panel.isolines_pending() and panel.isolines.items == []  # … but nothing was drawn
    panel.resize(500, 600)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.isolines.items) == len(surface.surface.levels), timeout=2000)
    assert not panel.isolines_pending()


def test_isolines_wait_while_the_dock_is_tabbed_away(qtbot, keep_alive):
    window = QMainWindow()
    qtbot.addWidget(window)
    basin, surface = BasinModel(), SurfaceModel()
    panel = BasinPanel(basin, surface)
    front, back = QDockWidget("front"), QDockWidget("basins")
    front.setWidget(QLabel("loss"))
    back.setWidget(panel)
    for dock in (front, back):
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    window.tabifyDockWidget(front, back)
    front.raise_()
    keep_alive.extend([window, panel, basin, surface])
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    assert panel.isVisible()  # a dock behind a tab is moved off screen, not hidden
    _himmelblau_surface(surface)
    qtbot.wait(3 * RedrawScheduler.INTERVAL_MS)
    assert panel.isolines_pending() and panel.isolines.items == []
    back.raise_()  # the user picks its tab
    qtbot.waitUntil(lambda: len(panel.isolines.items) == len(surface.surface.levels), timeout=2000)


def test_flush_draws_pending_isolines_even_off_screen(qtbot, keep_alive):
    basin, surface = BasinModel(), SurfaceModel()
    panel = BasinPanel(basin, surface)
    qtbot.addWidget(panel)
    keep_alive.extend([panel, basin, surface])
    _himmelblau_surface(surface)
    panel.flush()  # (tests, exporters)
    assert not panel.isolines_pending() and len(panel.isolines.items) == len(surface.surface.levels)
