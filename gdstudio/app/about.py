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

    versions = (
        f"Python {sys.version.split()[0]} · Qt {qVersion()} · PySide6 {pyside_version} · "
        f"pyqtgraph {pyqtgraph.__version__} · NumPy {numpy.__version__}"
    )
    paragraphs = (
        QCoreApplication.translate("About", "Gradient Descent Studio: watch gradient descent take its steps, one at a time."),
        QCoreApplication.translate("About", "The lessons follow a set of Chinese study notes on the gradient, numerical differentiation, "
                    "gradient descent and backpropagation, including the optimizer comparison (SGD, Momentum, "
                    "AdaGrad, Adam) on x²/20 + y² from the book <i>Deep Learning from Scratch</i> (Koki Saitoh). "
                    "Facts and numbers come from those notes; the text and code of gdstudio are its own."),
        QCoreApplication.translate("About", "The built-in handwritten digits are the test set of the UCI \"Optical Recognition of Handwritten Digits\" "
                    "data (E. Alpaydin, C. Kaynak, Boğaziçi University, 1998), licensed CC BY 4.0, as distributed "
                    "with scikit-learn (BSD-3-Clause)."),
    )
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<h3>gdstudio {__version__}</h3>{body}<p><small>{versions}</small></p>"
