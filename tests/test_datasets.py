"""Data sets: the Dataset contract, every generator (shapes, dtypes, formulas, determinism), features, the built-in
digits and the registry's strict spec validation."""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.datasets import (
    DATASET_GROUPS,
    DATASETS,
    FEATURE_LABELS,
    FEATURES,
    POINT_SETS,
    Dataset,
    DatasetError,
    default_spec,
    expand,
    five_points,
    gate,
    line,
    load_dataset,
    load_digits,
    make_points,
    plane,
    point_set,
    read_digits,
    regenerate,
    train_test_split,
    validate_spec,
)
from gdstudio.engine.datasets import digits as digits_module

ROOT = Path(__file__).resolve().parent.parent
DIGITS_SOURCE = ROOT.parent / "shared" / "data" / "digits" / "digits.csv.gz"
DIGITS_HISTOGRAM = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def arrays(ds: Dataset) -> list[np.ndarray]:
    out = [ds.x_train, ds.t_train, ds.x_test, ds.t_test]
    if ds.points_train is not None:
        out += [ds.points_train, ds.points_test]
    return out


def same_data(a: Dataset, b: Dataset) -> bool:
    return all(x.dtype == y.dtype and np.array_equal(x, y) for x, y in zip(arrays(a), arrays(b), strict=True))


def rows(a: np.ndarray) -> list[tuple[float, ...]]:
    return sorted(map(tuple, np.asarray(a).tolist()))


# ---------------------------------------------------------------------------------------------------- purity


def test_datasets_never_import_qt():
    code = (
        "import sys, gdstudio.engine.datasets as d, gdstudio.engine.datasets.download;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------------------------------------------- Dataset


def test_dataset_arrays_are_read_only_views():
    x = np.zeros((3, 2))
    t = np.array([0, 1, 0])
    ds = Dataset("toy", "classification", x, t, x, t)
    with pytest.raises(ValueError):
        ds.x_train[0, 0] = 1.0
    with pytest.raises(ValueError):
        ds.t_train[0] = 1
    x[0, 0] = 5.0  # the caller's own array stays writeable (a view, not a copy)
    assert ds.x_train[0, 0] == 5.0
    assert ds.test_is_train and ds.n_train == ds.n_test == 3
    assert ds.feature_names == ("x1", "x2") and ds.class_names == ("0", "1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"task": "clustering"}, "task"),
        ({"x_train": np.zeros(3)}, "x_train"),
        ({"x_train": np.zeros((3, 2), dtype=int)}, "x_train"),
        ({"t_train": np.zeros(3)}, "t_train"),
        ({"t_train": np.array([0, 1])}, "t_train"),
        ({"t_train": np.array([0, -1, 0])}, "t_train"),
        ({"x_test": np.zeros((2, 3))}, "x_test"),
        ({"feature_names": ("a",)}, "feature_names"),
        ({"class_names": ("a",)}, "class_names"),
        ({"image_shape": (3, 3)}, "image_shape"),
        ({"points_train": np.zeros((2, 2))}, "points_train"),
    ],
)
def test_dataset_rejects_inconsistent_arrays(kwargs, field):
    base = {
        "name": "toy", "task": "classification", "x_train": np.zeros((3, 2)), "t_train": np.array([0, 1, 0]),
        "x_test": np.zeros((2, 2)), "t_test": np.array([1, 0]),
    }
    with pytest.raises(DatasetError) as info:
        Dataset(**{**base, **kwargs})
    assert info.value.field == field


def test_regression_targets_must_be_float_columns():
    x = np.zeros((3, 1))
    with pytest.raises(DatasetError, match="t_train"):
        Dataset("r", "regression", x, np.zeros(3), x, np.zeros(3))
    ds = Dataset("r", "regression", x, np.zeros((3, 1)), x, np.zeros((3, 1)))
    assert ds.n_classes == 0 and ds.n_outputs == 1 and ds.class_names == ()
    with pytest.raises(DatasetError):
        ds.one_hot()


def test_one_hot_targets_and_astype():
    ds = load_digits()
    oh = ds.one_hot("test")
    assert oh.shape == (ds.n_test, 10) and oh.dtype == np.float32
    assert np.array_equal(oh.argmax(axis=1), ds.t_test) and np.all(oh.sum(axis=1) == 1)
    assert ds.one_hot(dtype=np.float64).dtype == np.float64
    with pytest.raises(DatasetError, match="2 classes"):
        ds.targets()
    with pytest.raises(DatasetError, match="split"):
        ds.one_hot("validation")
    g = gate("and")
    col = g.targets()
    assert col.shape == (4, 1) and col.dtype == np.float64 and col.ravel().tolist() == [0, 0, 0, 1]
    g32 = g.astype(np.float32)
    assert g32.dtype == np.float32 and g32.test_is_train and g32.t_train.dtype == np.int64
    assert g.astype("float64") is g
    with pytest.raises(DatasetError):
        g.astype(np.int32)
    r = load_dataset({"name": "line"}).astype(np.float32)
    assert r.t_train.dtype == np.float32 and r.test_is_train and r.spec["dtype"] == "float32"


# ---------------------------------------------------------------------------------------------------- split


def test_train_test_split_is_stratified_disjoint_complete_and_seeded():
    labels = np.repeat(np.arange(4), [10, 20, 30, 41])
    tr, te = train_test_split(len(labels), 0.25, 7, labels)
    assert sorted(np.concatenate([tr, te]).tolist()) == list(range(len(labels)))
    assert np.bincount(labels[te]).tolist() == [2, 5, 8, 10]  # round(count · 0.25) per class (.5 -> even)
    tr2, te2 = train_test_split(len(labels), 0.25, 7, labels)
    assert np.array_equal(tr, tr2) and np.array_equal(te, te2)
    tr3, _ = train_test_split(len(labels), 0.25, 8, labels)
    assert not np.array_equal(tr, tr3)
    _, te_plain = train_test_split(100, 0.3, 0)
    assert len(te_plain) == 30
    # a tiny class keeps one training sample and still lends one to the test side
    tr4, te4 = train_test_split(3, 0.1, 0, np.array([0, 0, 1]))
    assert len(te4) == 1 and len(tr4) == 2
    with pytest.raises(DatasetError, match="test_fraction"):
        train_test_split(10, 1.0, 0)


# ---------------------------------------------------------------------------------------------------- gates


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("and", lambda a, b: a and b),
        ("or", lambda a, b: a or b),
        ("nand", lambda a, b: not (a and b)),
        ("xor", lambda a, b: a != b),
    ],
)
def test_gates_truth_tables(name, rule):
    ds = gate(name)
    assert ds.x_train.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1]]
    assert ds.t_train.tolist() == [int(rule(bool(a), bool(b))) for a, b in ds.x_train.tolist()]
    assert ds.test_is_train and ds.n_classes == 2 and ds.n_features == 2
    assert ds.dtype == np.float64 and ds.t_train.dtype == np.int64 and ds.task == "classification"
    assert gate(name.upper()).t_train.tolist() == ds.t_train.tolist()


def test_unknown_gate():
    with pytest.raises(DatasetError, match="xnor"):
        gate("xnor")


# ---------------------------------------------------------------------------------------------------- regression


def test_line_matches_formula_and_is_seeded():
    ds = line()
    assert ds.task == "regression" and ds.x_train.shape == (50, 1) and ds.t_train.shape == (50, 1)
    x, y = ds.x_train.ravel(), ds.t_train.ravel()
    assert np.all((x >= 0) & (x < 1))
    np.testing.assert_allclose(y, 3 * x + 0.8, rtol=0, atol=1e-15)
    assert ds.test_is_train
    assert same_data(line(seed=5), line(seed=5)) and not same_data(line(seed=5), line(seed=6))
    custom = line(n=7, slope=-2, intercept=1.5)
    np.testing.assert_allclose(custom.t_train.ravel(), -2 * custom.x_train.ravel() + 1.5)


def test_line_noise_has_the_requested_spread():
    ds = line(n=4000, noise=0.5, seed=3)
    residual = ds.t_train.ravel() - (3 * ds.x_train.ravel() + 0.8)
    assert 0.45 < residual.std() < 0.55 and abs(residual.mean()) < 0.05


def test_line_with_held_out_points():
    ds = line(test_fraction=0.2)
    assert ds.n_train == 40 and ds.n_test == 10 and not ds.test_is_train
    assert rows(np.vstack([ds.x_train, ds.x_test])) == rows(line().x_train)


def test_five_points_keep_the_seed_data_as_published():
    ds = five_points()
    assert ds.x_train.ravel().tolist() == [0.0, 0.25, 0.5, 0.74, 1.0]  # .74, not .75
    assert ds.t_train.ravel().tolist() == [0.0, 0.36, 0.54, 0.82, 1.0]
    assert ds.test_is_train and ds.task == "regression"


def test_plane_matches_formula():
    ds = plane(a=1.5, b=-2.0, n=30, seed=2)
    assert ds.x_train.shape == (30, 2) and ds.t_train.shape == (30, 1)
    np.testing.assert_allclose(ds.t_train.ravel(), 1.5 * ds.x_train[:, 0] - 2.0 * ds.x_train[:, 1], atol=1e-15)
    noisy = plane(a=1.5, b=-2.0, n=30, seed=2, noise=0.1)
    assert np.array_equal(noisy.x_train, ds.x_train) and not np.array_equal(noisy.t_train, ds.t_train)


# ---------------------------------------------------------------------------------------------------- 2-D sets


@pytest.mark.parametrize("name", POINT_SETS)
def test_point_sets_shapes_dtypes_determinism(name):
    ds = point_set(name, n=301, noise=0.2, test_fraction=0.3, seed=4)
    assert ds.task == "classification" and ds.n_classes == 2 and ds.n_features == 2
    assert ds.n_train + ds.n_test == 301 and abs(ds.n_test - 90) <= 2
    assert ds.x_train.dtype == np.float64 and ds.t_train.dtype == np.int64
    assert np.array_equal(ds.x_train, ds.points_train) and np.array_equal(ds.x_test, ds.points_test)
    assert set(np.unique(ds.t_train)) == {0, 1} and set(np.unique(ds.t_test)) == {0, 1}
    assert np.all(np.abs(ds.points_train) < 20)
    assert same_data(ds, point_set(name, n=301, noise=0.2, test_fraction=0.3, seed=4))
    assert not same_data(ds, point_set(name, n=301, noise=0.2, test_fraction=0.3, seed=5))
    points, labels = make_points(name, 301, 0.2, 4)
    assert rows(np.vstack([ds.points_train, ds.points_test])) == rows(points)  # a split, not a resample
    assert abs(int(labels.sum()) - 150) <= 150 * 0.3  # both classes well represented
    assert point_set(name, dtype=np.float32).dtype == np.float32


def test_circle_without_noise_is_a_disc_inside_a_ring():
    p, t = make_points("circle", 400, 0.0, 0)
    r = np.hypot(p[:, 0], p[:, 1])
    assert np.all(t == (r < 2.5)) and np.all((r < 2.5) | ((r >= 3.5) & (r <= 5)))
    assert t.sum() == 200


def test_xor2d_without_noise_follows_the_quadrants():
    p, t = make_points("xor2d", 400, 0.0, 0)
    assert np.all(t == (p[:, 0] * p[:, 1] >= 0)) and np.all(np.abs(p) >= 0.3)


def test_gaussians_are_centred_and_spread_with_noise():
    p, t = make_points("gaussians", 4000, 0.0, 0)
    np.testing.assert_allclose(p[t == 1].mean(axis=0), [2, 2], atol=0.1)
    np.testing.assert_allclose(p[t == 0].mean(axis=0), [-2, -2], atol=0.1)
    assert abs(p[t == 1].var() - 0.5) < 0.1
    q, _ = make_points("gaussians", 4000, 0.5, 0)
    assert abs(q[t == 1].var() - 4.0) < 0.5


def test_spiral_and_moons_geometry():
    p, t = make_points("spiral", 200, 0.0, 0)
    r = np.hypot(p[:, 0], p[:, 1])
    assert r.max() <= 5 and np.allclose(p[t == 1], -p[t == 0])  # the arms are point reflections
    m, u = make_points("moons", 200, 0.0, 0)
    outer = m[u == 0] / 3 + (0.5, 0.25)
    np.testing.assert_allclose(np.hypot(outer[:, 0], outer[:, 1]), 1.0)


def test_make_points_validates():
    with pytest.raises(DatasetError, match="n"):
        make_points("circle", 1, 0.0, 0)
    with pytest.raises(DatasetError, match="noise"):
        make_points("circle", 10, 0.6, 0)
    with pytest.raises(DatasetError, match="spirals"):
        make_points("spirals", 10, 0.0, 0)


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(POINT_SETS),
    n=st.integers(2, 300),
    noise=st.floats(0, 0.5),
    test_fraction=st.sampled_from([0.0, 0.1, 0.5, 0.9]),
    seed=st.integers(0, 2**32 - 1),
    features=st.lists(st.sampled_from(FEATURES), min_size=1, max_size=7, unique=True),
)
def test_point_sets_any_parameters(name, n, noise, test_fraction, seed, features):
    ds = point_set(name, n=n, noise=noise, test_fraction=test_fraction, seed=seed, features=features)
    assert ds.n_features == len(features) and ds.feature_names == tuple(features)
    assert ds.n_train >= 1 and (ds.test_is_train or ds.n_train + ds.n_test == n)
    assert np.all(np.isfinite(ds.x_train)) and np.array_equal(ds.transform(ds.points_train), ds.x_train)


# ---------------------------------------------------------------------------------------------------- features


def test_expand_computes_each_feature():
    p = np.array([[0.5, -2.0], [3.0, 1.0]])
    x, names = expand(p, FEATURES)
    a, b = p[:, 0], p[:, 1]
    expected = np.column_stack([a, b, a * a, b * b, a * b, np.sin(a), np.sin(b)])
    assert names == FEATURES and np.array_equal(x, expected)
    x2, names2 = expand(p, ["sin(x2)", "x1"])  # the order given is kept
    assert names2 == ("sin(x2)", "x1") and np.array_equal(x2, np.column_stack([np.sin(b), a]))
    grid = np.stack(np.meshgrid(np.linspace(-6, 6, 5), np.linspace(-6, 6, 4)), axis=-1)
    g, _ = expand(grid, ["x1*x2"])
    assert g.shape == (4, 5, 1) and np.array_equal(g[..., 0], grid[..., 0] * grid[..., 1])
    assert expand([[1, 2]], ["x2^2"])[0].tolist() == [[4.0]]  # integer input becomes float
    assert set(FEATURE_LABELS) == set(FEATURES)


@pytest.mark.parametrize(
    ("names", "match"),
    [([], "at least one"), (["x3"], "unknown feature"), (["x1", "x1"], "twice"), ("x1", "list"), ([1], "unknown")],
)
def test_expand_rejects_bad_selections(names, match):
    with pytest.raises(DatasetError, match=match):
        expand(np.zeros((2, 2)), names)


def test_expand_rejects_wrong_points():
    with pytest.raises(DatasetError, match="points"):
        expand(np.zeros((2, 3)), ["x1"])
    with pytest.raises(DatasetError, match="points: must be numbers"):
        expand([["a", "b"]], ["x1"])


def test_transform_maps_a_grid_like_the_training_data():
    ds = point_set("circle", features=["x1^2", "x2^2"], dtype=np.float32)
    assert np.array_equal(ds.transform(ds.points_test), ds.x_test)
    assert ds.transform(np.zeros((3, 3, 2))).shape == (3, 3, 2) and ds.transform(np.zeros((1, 2))).dtype == np.float32
    with pytest.raises(DatasetError):
        gate("xor").transform(np.zeros((1, 2)))


# ---------------------------------------------------------------------------------------------------- digits


def test_digits_counts_and_scaling():
    images, labels = read_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8 and labels.dtype == np.uint8
    assert np.bincount(labels).tolist() == DIGITS_HISTOGRAM
    assert images.max() == 16 and images.min() == 0
    ds = load_digits()
    assert ds.n_train + ds.n_test == 1797 and ds.image_shape == (8, 8) and ds.n_features == 64
    assert ds.dtype == np.float32 and ds.x_train.min() == 0.0 and ds.x_train.max() == 1.0
    assert ds.class_names == tuple("0123456789")
    assert 445 <= ds.n_test <= 455
    test_hist = np.bincount(ds.t_test, minlength=10)
    np.testing.assert_allclose(test_hist, np.array(DIGITS_HISTOGRAM) * 0.25, atol=1)  # stratified
    assert same_data(ds, load_digits()) and not same_data(ds, load_digits(seed=1))
    # each row is an image: folding it back gives the stored pixels / 16
    allx = np.vstack([ds.x_train, ds.x_test]) * 16
    assert rows(allx) == rows(images.reshape(-1, 64).astype(np.float32))


def test_digits_file_needs_no_pickle():
    path = digits_module.digits_path()
    assert path.is_file() and path.name == "digits.npz"
    with np.load(path, allow_pickle=False) as npz:
        assert sorted(npz.files) == ["images", "labels"]
    assert (path.parent / "DIGITS-ATTRIBUTION.md").read_text(encoding="utf-8").count("CC BY 4.0") >= 1


def test_digits_broken_file_is_a_clear_error(tmp_path, monkeypatch):
    bad = tmp_path / "digits.npz"
    bad.write_bytes(b"not a zip")
    monkeypatch.setattr(digits_module, "digits_path", lambda: bad)
    digits_module.read_digits.cache_clear()
    try:
        with pytest.raises(DatasetError, match="cannot read"):
            read_digits()
        np.savez(bad, images=np.zeros((3, 8, 8), np.uint8), labels=np.zeros(2, np.uint8))
        with pytest.raises(DatasetError, match="labels"):
            read_digits()
        monkeypatch.setattr(digits_module, "digits_path", lambda: tmp_path / "missing.npz")
        with pytest.raises(DatasetError, match="missing"):
            read_digits()
    finally:
        digits_module.read_digits.cache_clear()


def _converter():
    spec = importlib.util.spec_from_file_location("convert_digits", ROOT / "tools" / "convert_digits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_converter_output_is_reproducible_and_loads(tmp_path):
    conv = _converter()
    images = np.arange(2 * 64, dtype=np.uint8).reshape(2, 8, 8) % 17
    labels = np.array([3, 9], dtype=np.uint8)
    blob = conv.npz_bytes({"images": images, "labels": labels})
    assert blob == conv.npz_bytes({"images": images, "labels": labels})
    (tmp_path / "d.npz").write_bytes(blob)
    with np.load(tmp_path / "d.npz", allow_pickle=False) as npz:
        assert np.array_equal(npz["images"], images) and np.array_equal(npz["labels"], labels)


@pytest.mark.skipif(not DIGITS_SOURCE.is_file(), reason="the shared digits CSV is not on this machine")
def test_shipped_digits_match_the_source_csv(tmp_path):
    conv = _converter()
    images, labels = conv.read_digits_csv(DIGITS_SOURCE)
    shipped_images, shipped_labels = read_digits()
    assert np.array_equal(images, shipped_images) and np.array_equal(labels, shipped_labels)
    conv.convert(DIGITS_SOURCE, tmp_path / "digits.npz")
    assert (tmp_path / "digits.npz").read_bytes() == conv.npz_bytes({"images": images, "labels": labels})


def test_converter_rejects_malformed_rows(tmp_path):
    import gzip

    conv = _converter()
    src = tmp_path / "bad.csv.gz"
    src.write_bytes(gzip.compress(b"1,2,3\n"))
    with pytest.raises(ValueError, match="line 1"):
        conv.read_digits_csv(src)
    assert conv.main([str(src), str(tmp_path / "out.npz")]) == 1 and not (tmp_path / "out.npz").exists()


# ---------------------------------------------------------------------------------------------------- registry


def test_datasets_table_is_consistent():
    assert {info.group for info in DATASETS.values()} <= set(DATASET_GROUPS)
    for name, info in DATASETS.items():
        assert info.name == name and info.title and info.doc
        for p in info.params:
            assert p.doc, (name, p.name)
            if isinstance(p.default, (int, float)) and not isinstance(p.default, bool):
                assert p.minimum <= p.default <= p.maximum, (name, p.name)
        spec = default_spec(name)
        if name not in ("mnist", "csv"):
            assert validate_spec(spec) == spec
    assert DATASETS["xor"].group == "gates" and DATASETS["xor2d"].group == "playground"
    assert DATASETS["circle"].regenerable and not DATASETS["xor"].regenerable


@pytest.mark.parametrize("name", [n for n in DATASETS if n not in ("mnist", "csv")])
def test_every_set_loads_and_its_spec_rebuilds_it(name):
    ds = load_dataset({"name": name})
    assert ds.spec == default_spec(name)
    assert same_data(ds, load_dataset(dict(ds.spec)))
    assert ds.description and ds.n_train >= 1


def test_issue_examples():
    xor = load_dataset({"name": "xor"})
    assert xor.n_train == 4 and xor.test_is_train and xor.t_train.tolist() == [0, 1, 1, 0]
    circle = load_dataset({"name": "circle", "n": 500, "noise": 0.1, "test_fraction": 0.5, "seed": 1})
    assert circle.n_train == 250 and circle.n_test == 250
    assert same_data(circle, point_set("circle", n=500, noise=0.1, test_fraction=0.5, seed=1))
    digits = load_dataset({"name": "digits"})
    assert digits.n_train + digits.n_test == 1797
    feats = load_dataset({"name": "spiral", "features": ["x1", "x2", "sin(x1)", "sin(x2)"]})
    assert feats.n_features == 4 and feats.spec["features"] == ["x1", "x2", "sin(x1)", "sin(x2)"]
    assert load_dataset({"name": "line", "n": 10.0}).n_train == 10  # 10.0 is a whole number


def test_regenerate_draws_new_data():
    spec = validate_spec({"name": "moons", "noise": 0.2})
    again = regenerate(spec)
    assert again["seed"] != spec["seed"] or regenerate(spec)["seed"] != spec["seed"]
    assert {k: v for k, v in again.items() if k != "seed"} == {k: v for k, v in spec.items() if k != "seed"}
    assert not same_data(load_dataset(regenerate(spec, 1)), load_dataset(regenerate(spec, 2)))


@pytest.mark.parametrize(
    ("spec", "field", "match"),
    [
        ([], "dataset", "must be an object"),
        ({}, "dataset.name", "is required"),
        ({"name": "circel"}, "dataset.name", "did you mean 'circle'"),
        ({"name": 3}, "dataset.name", "must be a string"),
        ({"name": "circle", "nosie": 0.1}, "dataset.nosie", "did you mean 'noise'"),
        ({"name": "xor", "n": 10}, "dataset.n", "unknown key"),
        ({"name": "circle", "n": True}, "dataset.n", "whole number"),
        ({"name": "circle", "n": 10.5}, "dataset.n", "whole number"),
        ({"name": "circle", "n": "500"}, "dataset.n", "whole number"),
        ({"name": "circle", "n": 1}, "dataset.n", "between 4 and 10000"),
        ({"name": "circle", "noise": 0.7}, "dataset.noise", "between 0 and 0.5"),
        ({"name": "circle", "noise": math.nan}, "dataset.noise", "finite"),
        ({"name": "circle", "noise": math.inf}, "dataset.noise", "finite"),
        ({"name": "circle", "noise": None}, "dataset.noise", "null"),
        ({"name": "circle", "noise": "0.1"}, "dataset.noise", "must be a number"),
        ({"name": "circle", "seed": -1}, "dataset.seed", "between"),
        ({"name": "circle", "test_fraction": 1.0}, "dataset.test_fraction", "between 0 and 0.9"),
        ({"name": "circle", "features": "x1"}, "dataset.features", "list"),
        ({"name": "circle", "features": ["x1", "x9"]}, "dataset.features[1]", "unknown feature"),
        ({"name": "circle", "features": []}, "dataset.features", "at least one"),
        ({"name": "circle", "dtype": "float16"}, "dataset.dtype", "float32, float64"),
        ({"name": "mnist"}, "dataset.path", "is required"),
        ({"name": "mnist", "path": ""}, "dataset.path", "path"),
        ({"name": "mnist", "path": "x", "normalize": 1}, "dataset.normalize", "true or false"),
        ({"name": "mnist", "path": "x", "train_size": 0}, "dataset.train_size", "must be > 0"),
        ({"name": "mnist", "path": "x", "train_size": 60001}, "dataset.train_size", "between 1 and 60000"),
        ({"name": "csv", "csv": "a.csv"}, "dataset", "not both"),
        ({"csv": "a.csv", "columns": []}, "dataset.columns", "at least one"),
        ({"csv": "a.csv", "columns": [1]}, "dataset.columns[0]", "column name"),
        ({"csv": "a.csv", "task": "ranking"}, "dataset.task", "auto, classification, regression"),
        ({"csv": 5}, "dataset.csv", "must be a string"),
        ({1: "x"}, "dataset", "keys must be strings"),
    ],
)
def test_spec_validation_errors(spec, field, match):
    with pytest.raises(DatasetError, match=match) as info:
        load_dataset(spec)
    assert info.value.field == field
    assert str(info.value).startswith(f"{field}: ")


def test_spec_field_prefix_and_duplicates():
    with pytest.raises(DatasetError) as info:
        validate_spec({"name": "circle", "noise": 2}, field="")
    assert info.value.field == "noise"

    class Twice(dict):
        duplicates = ("noise",)

    with pytest.raises(DatasetError, match="given twice"):
        validate_spec(Twice(name="circle", noise=0.1))


def test_default_spec_unknown_name():
    with pytest.raises(DatasetError, match="did you mean 'spiral'"):
        default_spec("spirl")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
_KEYS = sorted({p.name for info in DATASETS.values() for p in info.params} | {"name", "bogus"})


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from([n for n in DATASETS if n not in ("mnist", "csv")] + ["", "XOR", 5, None]),
    extra=st.dictionaries(st.sampled_from(_KEYS), _JSON | st.sampled_from([0, 0.1, 0.5, 10, ["x1"], "float32"]),
                          max_size=3),
)
def test_any_spec_is_loaded_or_refused_with_dataset_error(name, extra):
    spec = {"name": name, **{k: v for k, v in extra.items() if k not in ("name", "csv", "path")}}
    try:
        ds = load_dataset(spec)
    except DatasetError as e:
        assert str(e).startswith("dataset")
        return
    assert ds.spec == validate_spec(dict(ds.spec)) and ds.n_train >= 1


def test_digits_path_prefers_the_resources_module_and_falls_back(monkeypatch, tmp_path):
    import gdstudio.resources as resources

    elsewhere = tmp_path / "data" / "digits.npz"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(b"")
    monkeypatch.setattr(resources, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    assert digits_module.digits_path() == elsewhere

    def missing(*parts):
        raise FileNotFoundError("gdstudio resources not found")

    monkeypatch.setattr(resources, "resource_path", missing)
    assert digits_module.digits_path() == ROOT / "resources" / "data" / "digits.npz"
