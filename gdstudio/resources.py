"""Where the bundled files (icons, translations, presets, data) are, however gdstudio was installed.

The repository keeps them in a top-level ``resources/`` folder. Three layouts must all work:

* source checkout or editable install: ``<checkout>/resources`` beside the ``gdstudio`` package;
* wheel install: the build maps ``resources/`` to ``gdstudio/_resources`` (see pyproject.toml);
* PyInstaller bundle: ``<sys._MEIPASS>/resources`` (see packaging/gdstudio.spec).

This module is pure Python (no Qt), so the engine side and the headless CLI may use it too.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

MARKER = ("icons", "gdstudio.svg")
"""A file every resources folder of ours has; tells our folder from some other package's ``resources``."""


def _candidates() -> list[Path]:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and frozen_root:
        return [Path(frozen_root) / "resources"]
    return [_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"]


def resources_root() -> Path:
    """The folder holding icons/, translations/, presets/ and data/ (FileNotFoundError if none is found)."""
    candidates = _candidates()
    for folder in candidates:
        if folder.joinpath(*MARKER).is_file():
            return folder
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"gdstudio resources not found (looked in: {tried}); the installation is incomplete")


def resource_path(*parts: str) -> Path:
    """Path of a bundled file, e.g. ``resource_path("icons", "play.svg")``; the file itself may be missing.

    Parts are relative names inside the resources folder: absolute paths and ``..`` are refused (ValueError) so a
    name read from a file cannot point outside it.
    """
    for part in parts:
        p = Path(part)
        if p.is_absolute() or ".." in p.parts:
            raise ValueError(f"resource names must be relative and stay inside the resources folder: {part!r}")
    return resources_root().joinpath(*parts)
