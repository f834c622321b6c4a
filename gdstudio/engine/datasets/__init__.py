"""Data sets for the network lab (pure NumPy): gates, regression lines, Playground point clouds, the built-in
digits, MNIST (IDX files + download) and CSV tables — all as one immutable :class:`Dataset` shape.

Start at :func:`load_dataset` (experiment-file specs) and ``DATASETS`` (each set's parameters, for the GUI);
docs/datasets.md summarises the API.
"""

from gdstudio.engine.datasets.base import TASKS, Dataset, DatasetError, train_test_split
from gdstudio.engine.datasets.classification2d import POINT_SETS, make_points, point_set
from gdstudio.engine.datasets.csv_loader import CsvError, csv_columns, load_csv, parse_csv
from gdstudio.engine.datasets.digits import load_digits, read_digits
from gdstudio.engine.datasets.features import DEFAULT_FEATURES, FEATURE_LABELS, FEATURES, expand
from gdstudio.engine.datasets.gates import GATES, gate
from gdstudio.engine.datasets.idx import IdxError, read_idx, write_idx
from gdstudio.engine.datasets.mnist import MNIST_FILES, find_mnist_files, load_mnist, mnist_dataset
from gdstudio.engine.datasets.regression import five_points, line, plane
from gdstudio.engine.datasets.registry import (
    DATASET_GROUPS,
    DATASETS,
    DatasetInfo,
    DatasetParam,
    default_spec,
    load_dataset,
    new_seed,
    regenerate,
    validate_spec,
)

__all__ = [
    "DATASETS",
    "DATASET_GROUPS",
    "DEFAULT_FEATURES",
    "FEATURES",
    "FEATURE_LABELS",
    "GATES",
    "MNIST_FILES",
    "POINT_SETS",
    "TASKS",
    "CsvError",
    "Dataset",
    "DatasetError",
    "DatasetInfo",
    "DatasetParam",
    "IdxError",
    "csv_columns",
    "default_spec",
    "expand",
    "find_mnist_files",
    "five_points",
    "gate",
    "line",
    "load_csv",
    "load_dataset",
    "load_digits",
    "load_mnist",
    "make_points",
    "mnist_dataset",
    "new_seed",
    "parse_csv",
    "plane",
    "point_set",
    "read_digits",
    "read_idx",
    "regenerate",
    "train_test_split",
    "validate_spec",
    "write_idx",
]
