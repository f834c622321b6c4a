"""The Help ▸ About text: version, what gdstudio is for, and where its material comes from."""

from __future__ import annotations

import sys

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, qVersion

from gdstudio import __version__

__all__ = ["about_html", "about_title"]


def about_title() -> str:
    return QCoreApplication.translate("About", "About gdstudio")


def about_html() -> str:
    """Rich text for QMessageBox.about (translated; every string literal so lupdate finds it)."""
    import numpy
    import pyqtgraph

    tr = QCoreApplication.translate
    versions = (
        f"Python {sys.version.split()[0]} · Qt {qVersion()} · PySide6 {pyside_version} · "
        f"pyqtgraph {pyqtgraph.__version__} · NumPy {numpy.__version__}"
    )
    paragraphs = (
        tr("About", "Gradient Descent Studio: watch gradient descent take its steps, one at a time."),
        tr("About", "The lessons follow a set of Chinese study notes on the gradient, numerical differentiation, "
                    "gradient descent and backpropagation, including the optimizer comparison (SGD, Momentum, "
                    "AdaGrad, Adam) on x²/20 + y² from the book <i>Deep Learning from Scratch</i> (Koki Saitoh). "
                    "Facts and numbers come from those notes; the text and code of gdstudio are its own."),
        tr("About", "Handwritten digits data: attribution to be added with the data set."),
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<h3>gdstudio {__version__}</h3>{body}<p><small>{versions}</small></p>"
