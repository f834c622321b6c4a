"""gdstudio — Gradient Descent Studio: watch learning happen."""

__version__ = "0.1.0"
