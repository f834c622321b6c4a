"""The colours every panel shares, so a minimum's star, its basin and its legend entry always match.

Colours are plain RGB tuples (ints 0–255) so both pyqtgraph (mkColor/mkPen accept tuples) and Qt widgets
(``QColor(*rgb)``) can use them. Categorical colours follow the Okabe–Ito palette, which stays distinguishable
for the common colour-vision deficiencies.
"""

from __future__ import annotations

RGB = tuple[int, int, int]

SURFACE_COLORMAP = "viridis"
"""Colormap of the contour background: perceptually uniform, dark at the minimum, so bright paths stand out."""

ISOLINE: tuple[int, int, int, int] = (255, 255, 255, 90)
"""Thin translucent white: contour lines readable on every part of the colormap."""

TRAJECTORY: RGB = (255, 99, 71)
TRAJECTORY_FUTURE: tuple[int, int, int, int] = (255, 255, 255, 170)
TRAJECTORY_FUTURE_ON_LIGHT: tuple[int, int, int, int] = (110, 110, 110, 170)
CURRENT_POINT: RGB = (255, 255, 255)
START_POINT: RGB = (255, 255, 255)
START_POINT_ON_LIGHT: RGB = (60, 60, 60)
GRADIENT_ARROW: RGB = (0, 229, 255)
VECTOR_FIELD: tuple[int, int, int, int] = (255, 255, 255, 130)
VECTOR_FIELD_ON_LIGHT: tuple[int, int, int, int] = (60, 60, 60, 150)
CURVE: RGB = (0, 114, 178)
TANGENT: RGB = (0, 158, 115)
CURSOR_LINE: tuple[int, int, int, int] = (200, 200, 200, 160)
ERROR_TEXT: RGB = (204, 0, 0)

CATEGORICAL: tuple[RGB, ...] = (
    (230, 159, 0),    # orange
    (86, 180, 233),   # sky blue
    (0, 158, 115),    # bluish green
    (240, 228, 66),   # yellow
    (204, 121, 167),  # reddish purple
    (213, 94, 0),     # vermillion
    (0, 114, 178),    # blue
    (128, 96, 168),   # purple (not white: a white basin would read as 'nothing here')
)
"""Minima, basins and fallback series colours; cycles when there are more minima (rastrigin has 121)."""

BASIN_DIVERGED: RGB = (40, 40, 40)
BASIN_NOT_CONVERGED: RGB = (150, 150, 150)


def minimum_color(index: int) -> RGB:
    """Colour of minimum ``index`` (its star marker, its basin and its legend swatch)."""
    return CATEGORICAL[index % len(CATEGORICAL)]


def series_color(index: int) -> RGB:
    """Fallback colour of compare series ``index`` when the model does not supply one."""
    return CATEGORICAL[index % len(CATEGORICAL)]


def css(rgb: tuple[int, ...]) -> str:
    """``#rrggbb`` for rich text and style sheets."""
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


WEIGHT_POSITIVE: RGB = (0, 114, 178)
WEIGHT_NEGATIVE: RGB = (213, 94, 0)
"""Sign of a weight (network diagram, weight colouring): Okabe–Ito blue = positive, vermillion = negative."""

_LAYER_RAMP: tuple[RGB, ...] = (
    (13, 8, 135), (94, 1, 166), (157, 24, 157), (205, 74, 117), (239, 124, 80), (250, 158, 59),
)
"""Plasma from 0 to 0.8 (the pale yellow end is unreadable on white)."""


def weight_color(value: float) -> RGB:
    """Colour of a weight or bias by its sign (0 counts as positive: it draws at minimal width anyway)."""
    return WEIGHT_NEGATIVE if value < 0 else WEIGHT_POSITIVE


def layer_color(index: int, count: int) -> RGB:
    """Colour of layer ``index`` (0-based) of ``count``: dark (input side) to warm (output side), so the order of
    the curves reads at a glance — vanishing gradients show as a fan from dark at the bottom to warm on top."""
    if count <= 1:
        return _LAYER_RAMP[-1]
    t = min(max(index / (count - 1), 0.0), 1.0) * (len(_LAYER_RAMP) - 1)
    k = min(int(t), len(_LAYER_RAMP) - 2)
    f = t - k
    a, b = _LAYER_RAMP[k], _LAYER_RAMP[k + 1]
    return (round(a[0] + (b[0] - a[0]) * f), round(a[1] + (b[1] - a[1]) * f), round(a[2] + (b[2] - a[2]) * f))
