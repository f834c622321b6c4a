"""BasinPanel colours each start by the minimum it reaches (the minima's own colours), lists counts and shares,
shows progress while computing and asks for a map at the chosen resolution."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt

from gdstudio.engine.basins import DIVERGED, ELSEWHERE, BasinResult, iter_basin_map
from gdstudio.engine.functions import get_function
from gdstudio.engine.surface import sample_surface
from gdstudio.models.basin_model import BasinModel
from gdstudio.models.surface_model import SurfaceModel
from gdstudio.views import palette
from gdstudio.views.basin_panel import LEGEND_ROWS, RESOLUTIONS, BasinPanel, label_colors

_ALIVE: list = []


@pytest.fixture(autouse=True)
def _delete_panels_deterministically():
    """Qt deletes each closed panel before Python may garbage-collect it (pyqtgraph items must not outlive it)."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    _ALIVE.clear()
    gc.collect()


def _panel(qtbot):
    basin, surface = BasinModel(), SurfaceModel()
    panel = BasinPanel(basin, surface)
    qtbot.addWidget(panel)
    _ALIVE.extend([panel, basin, surface])
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


def test_result_drawn_with_legend_counts_and_minima(qtbot):
    panel, basin, _ = _panel(qtbot)
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


def test_many_minima_are_summarised(qtbot):
    panel, basin, _ = _panel(qtbot)
    n = LEGEND_ROWS + 5
    labels = np.arange(2 * n).reshape(2, n) % n
    basin.set_result(_result(labels, [(float(i), 0.0) for i in range(n)]))
    panel.flush()
    assert "5 more minima" in panel.legend_label.text()


def test_progress_bar_while_computing(qtbot):
    panel, basin, _ = _panel(qtbot)
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


def test_compute_requested_with_chosen_resolution(qtbot):
    panel, _, _ = _panel(qtbot)
    assert [panel.resolution_combo.itemData(i) for i in range(panel.resolution_combo.count())] == list(RESOLUTIONS)
    panel.resolution_combo.setCurrentIndex(2)
    with qtbot.waitSignal(panel.computeRequested) as blocker:
        qtbot.mouseClick(panel.compute_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [200]


def test_real_himmelblau_map_four_basins(qtbot):
    panel, basin, surface = _panel(qtbot)
    function = get_function("himmelblau")
    surface.set_samples(function, sample_surface(function, resolution=40), None)
    *_, result = iter_basin_map(function, "sgd", {"lr": 0.01}, 200, resolution=(24, 24))
    basin.set_result(result)
    panel.flush()
    assert len(panel.isolines.items) == len(surface.surface.levels)
    shown = {tuple(c) for c in panel.image_item.image[..., :3].reshape(-1, 3)}
    assert {palette.minimum_color(i) for i in range(4)} <= shown
    assert panel.legend_label.text().count("minimum (") == 4
