"""The data sets' descriptions and parameter docs in the user's language.

The registry (``gdstudio.engine.datasets.DATASETS``) declares them in English and never imports Qt, so lupdate
cannot find them there: this module repeats each one literally inside ``translate("DatasetTexts", …)``. A name or
text it does not know falls back to the engine's English. Tests check that every registered data set and parameter
doc is covered and that, untranslated, the wording is the engine's.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from gdstudio.engine.datasets import DATASETS
from gdstudio.views.docs_catalog import translate_doc

__all__ = ["CONTEXT", "PARAM_DOCS", "dataset_description", "dataset_param_doc"]

CONTEXT = "DatasetTexts"
translate = QCoreApplication.translate  # called with literal strings so lupdate finds them


def _descriptions() -> dict[str, str]:
    """Registry name → description in the current language (built per call: a language switch re-words it)."""
    return {
        "and": translate("DatasetTexts", "The 4-point truth table of AND; one perceptron separates it."),
        "or": translate("DatasetTexts", "The 4-point truth table of OR; one perceptron separates it."),
        "nand": translate("DatasetTexts", "The 4-point truth table of NAND; one perceptron separates it."),
        "xor": translate("DatasetTexts",
                         "The 4-point truth table of XOR; not linearly separable, it needs a hidden layer."),
        "line": translate("DatasetTexts", "Points on a line with optional Gaussian noise; the model y = w·x + b has "
                                          "an exact (w, b) loss surface."),
        "five_points": translate("DatasetTexts", "x = 0, .25, .5, .74, 1 and y = 0, .36, .54, .82, 1: the TensorFlow "
                                                 "linear-regression example."),
        "plane": translate("DatasetTexts", "Points on a plane over [0, 1)² with optional Gaussian noise."),
        "circle": translate("DatasetTexts", "A disc of class 1 inside a ring of class 0."),
        "xor2d": translate("DatasetTexts",
                           "Class 1 where x1·x2 > 0: XOR as a cloud of points (the 4-point gate is 'xor')."),
        "gaussians": translate("DatasetTexts", "Two Gaussian clouds around (2, 2) and (−2, −2)."),
        "spiral": translate("DatasetTexts", "Two interleaved spirals; needs a deeper net or the sin features."),
        "moons": translate("DatasetTexts", "Two interleaving half circles."),
        "digits": translate("DatasetTexts", "1,797 real 8×8 handwritten digits that ship with the app (UCI optdigits, "
                                            "CC BY 4.0)."),
        "mnist": translate("DatasetTexts",
                           "70,000 handwritten digits 28×28 from the four standard IDX files in a folder."),
        "csv": translate("DatasetTexts", "A table with a header row: numeric feature columns and a target column "
                                         "(whole numbers or text: classification; other numbers: regression)."),
    }


PARAM_DOCS: frozenset[str] = frozenset((
    QT_TRANSLATE_NOOP("DatasetTexts", "Float type of the inputs: float64 (exact) or float32 (fast)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Number of points."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Standard deviation σ of Gaussian noise added to y."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Share of the samples held out for testing (0: test on the training data)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Random seed: the same seed gives the same data."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Slope of the true line."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Intercept of the true line."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Coefficient of x1."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Coefficient of x2."),
    QT_TRANSLATE_NOOP("DatasetTexts", "0 … 0.5: labels are read at a point moved by up to ±5·noise, so the classes "
                                      "overlap near the border."),
    QT_TRANSLATE_NOOP("DatasetTexts", "0 … 0.5: labels are read at a point moved by up to ±5·noise, so the classes "
                                      "overlap near the axes."),
    QT_TRANSLATE_NOOP("DatasetTexts", "0 … 0.5: the clouds' variance grows from 0.5 (noise 0) to 4 (noise 0.5)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "0 … 0.5: each point moves by up to ±noise in x1 and x2."),
    QT_TRANSLATE_NOOP("DatasetTexts", "0 … 0.5: each point moves by Gaussian noise of σ = noise (before the ×3 "
                                      "stretch)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Inputs computed from each point (x1, x2), as in TF Playground."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Folder holding the four MNIST files (.gz or not)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Use the first N training images (null: all)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Use the first N test images (null: all)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Scale pixels from 0..255 to [0, 1]."),
    QT_TRANSLATE_NOOP("DatasetTexts", "The CSV file."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Name of the target column (null: the last column)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Feature columns (null: all but the target)."),
    QT_TRANSLATE_NOOP("DatasetTexts", "auto: decided by the target's values."),
    QT_TRANSLATE_NOOP("DatasetTexts", "Scale each feature to mean 0 and standard deviation 1 (training statistics)."),
))
"""Every data-set parameter doc of the registry, in English (the lookup key) — translated at run time."""


def dataset_description(name: str) -> str:
    """The description of data set ``name`` in the current language (the engine's English for an unknown name)."""
    text = _descriptions().get(name)
    if text is not None:
        return text
    info = DATASETS.get(name)
    return translate_doc(info.doc) if info is not None else ""


def dataset_param_doc(doc: str) -> str:
    """A data-set parameter's doc (``DatasetParam.doc``) in the current language; unknown texts stay as given."""
    if doc in PARAM_DOCS:
        return translate(CONTEXT, doc)
    return translate_doc(doc)
