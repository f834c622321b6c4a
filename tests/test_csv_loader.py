"""CSV data sets: task detection, column choice, and errors that point at the line and column."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.datasets import CsvError, DatasetError, csv_columns, load_csv, load_dataset, parse_csv

IRIS_LIKE = """sepal,petal,species
5.1,1.4,setosa
4.9,1.5,setosa
6.0,4.5,versicolor
6.1,4.7,versicolor
6.3,6.0,virginica
6.5,5.8,virginica
"""


def test_text_labels_make_a_classification_set():
    ds = parse_csv(IRIS_LIKE, test_fraction=0.0)
    assert ds.task == "classification" and ds.class_names == ("setosa", "versicolor", "virginica")
    assert ds.feature_names == ("sepal", "petal") and ds.x_train.shape == (6, 2)
    assert ds.t_train.tolist() == [0, 0, 1, 1, 2, 2] and ds.test_is_train
    assert ds.x_train[2].tolist() == [6.0, 4.5] and ds.dtype == np.float64


def test_integer_labels_sorted_numerically_and_split_stratified():
    text = "a,b,label\n" + "".join(f"{i},{i % 3},{[10, 2, 7][i % 3]}\n" for i in range(30))
    ds = parse_csv(text, test_fraction=0.2, seed=1)
    assert ds.class_names == ("2", "7", "10")  # numeric order, not text order
    assert ds.n_train == 24 and ds.n_test == 6 and np.bincount(ds.t_test).tolist() == [2, 2, 2]
    x = np.vstack([ds.x_train, ds.x_test])
    t = np.concatenate([ds.t_train, ds.t_test])
    for (a, b), label in zip(x.tolist(), t.tolist(), strict=True):
        assert label == {0: 2, 1: 0, 2: 1}[int(a) % 3] and b == int(a) % 3
    assert parse_csv("x,y\n1,+01\n2,1\n3,-1\n", test_fraction=0).class_names == ("-1", "1")


def test_non_integer_numbers_make_a_regression_set():
    ds = parse_csv("x1,x2,y\n0,1,0.5\n1,0,1.5\n2,2,3.25\n", test_fraction=0)
    assert ds.task == "regression" and ds.t_train.shape == (3, 1) and ds.t_train.ravel().tolist() == [0.5, 1.5, 3.25]
    assert ds.n_outputs == 1 and ds.class_names == ()
    forced = parse_csv("x,y\n1,2\n2,4\n3,6\n", task="regression", test_fraction=0)
    assert forced.task == "regression" and forced.t_train.ravel().tolist() == [2, 4, 6]
    labels = parse_csv("x,y\n1,0.5\n2,1.5\n", task="classification", test_fraction=0)
    assert labels.class_names == ("0.5", "1.5")


def test_target_and_feature_columns_can_be_chosen():
    ds = parse_csv(IRIS_LIKE, target="sepal", columns=["petal"], test_fraction=0)
    assert ds.task == "regression" and ds.feature_names == ("petal",) and ds.t_train[0, 0] == 5.1
    with pytest.raises(CsvError, match="not a number: 'setosa'") as info:
        parse_csv(IRIS_LIKE, target="sepal")  # species becomes a feature column
    assert info.value.line == 2 and info.value.column == "species"
    assert str(info.value) == "data.csv: line 2, column 'species': not a number: 'setosa'"


def test_dialects_quotes_bom_blank_lines_and_crlf():
    text = '\ufeff"a;b";c\r\n\r\n1;2\r\n3;4\r\n'
    ds = parse_csv(text.replace('"a;b";c', "ab;c"), test_fraction=0)
    assert ds.feature_names == ("ab",) and ds.t_train.tolist() == [0, 1]
    quoted = parse_csv('"x, first",y\n"1.5",a\n2,b\n', test_fraction=0)
    assert quoted.feature_names == ("x, first",) and quoted.x_train.ravel().tolist() == [1.5, 2.0]
    tabbed = parse_csv("x\ty\n1\ta\n2\tb\n", test_fraction=0)
    assert tabbed.class_names == ("a", "b")


@pytest.mark.parametrize(
    ("text", "kwargs", "message", "line", "column"),
    [
        ("", {}, "the file is empty", None, None),
        ("  \n\n \n", {}, "the file is empty", None, None),
        ("a,b\n", {}, "no data rows", None, None),
        ("a,b\n1,2\n3\n", {}, "line 3: expected 2 values (one per column), found 1", 3, None),
        ("a,b\n1,2\n3,4,5\n", {}, "expected 2 values", 3, None),
        ("a,b\n1,2\nx,1\n", {}, "line 3, column 'a': not a number: 'x'", 3, "a"),
        ("a,b\n1,2\n,1\n", {}, "line 3, column 'a': missing value", 3, "a"),
        ("a,b\n1,2\nNA,1\n", {}, "missing value ('NA')", 3, "a"),
        ("a,b\n1,2\ninf,1\n", {}, "not a number: 'inf'", 3, "a"),
        ("a,b\n1,2\n1_0,1\n", {}, "not a number", 3, "a"),
        ("a,b\n1,2\n3,\n", {}, "line 3, column 'b': missing target value", 3, "b"),
        ("a,a\n1,2\n", {}, "duplicate column name 'a' (columns 1 and 2)", 1, None),
        ("a,,c\n1,2,3\n", {}, "column 2 of the header has no name", 1, None),
        ("1,2\n3,4\n", {}, "header of column names", 1, None),
        ("a\n1\n", {}, "at least two columns", 1, None),
        ("a,b\n1,2\n", {"target": "c"}, "unknown target column 'c' (columns: a, b)", None, None),
        ("alpha,beta\n1,2\n", {"target": "bet"}, "did you mean 'beta'", None, None),
        ("a,b\n1,2\n", {"columns": ["z"]}, "unknown feature column 'z'", None, None),
        ("a,b\n1,2\n", {"columns": ["b"]}, "is the target", None, None),
        ("a,b,c\n1,2,3\n", {"columns": ["a", "a"]}, "listed twice", None, None),
        ("a,b\n1,x\n2,x\n", {}, "only one class ('x')", None, "b"),
        ("a,b\n1,x\n2,y\n", {"task": "regression"}, "line 2, column 'b': not a number: 'x'", 2, "b"),
        ("a,b\n1,x\n", {"task": "guess"}, "task must be one of", None, None),
        ('a,b\n1,"2\n', {}, "malformed CSV", 2, None),
        ("a,b\n1,2\n1,\x002\n", {}, "NUL characters", 3, None),
    ],
)
def test_errors_point_at_the_problem(text, kwargs, message, line, column):
    with pytest.raises(CsvError) as info:
        parse_csv(text, **kwargs)
    assert message in str(info.value)
    assert info.value.line == line and info.value.column == column
    assert str(info.value).startswith("data.csv: ") and isinstance(info.value, DatasetError)


def test_too_many_classes_suggests_regression():
    text = "x,y\n" + "".join(f"{i},{i}\n" for i in range(300))
    with pytest.raises(CsvError, match='task "regression"'):
        parse_csv(text)
    assert parse_csv(text, task="regression").task == "regression"


def test_standardize_uses_training_statistics():
    text = "a,b,y\n" + "".join(f"{i},{100 + 3 * i},{i % 2}\n" for i in range(40))
    ds = parse_csv(text, standardize=True, test_fraction=0.25, seed=3)
    np.testing.assert_allclose(ds.x_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(ds.x_train.std(axis=0), 1)
    assert not np.allclose(ds.x_test.mean(axis=0), 0, atol=1e-12)
    const = parse_csv("a,y\n5,0\n5,1\n", standardize=True, test_fraction=0)
    assert const.x_train.ravel().tolist() == [0.0, 0.0]


def test_load_csv_files(tmp_path):
    path = tmp_path / "iris.csv"
    path.write_text(IRIS_LIKE, encoding="utf-8")
    ds = load_csv(path, test_fraction=0, dtype=np.float32)
    assert ds.dtype == np.float32 and ds.n_train == 6 and "iris.csv" in ds.description
    assert csv_columns(path) == ("sepal", "petal", "species")
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("长度,类别\n1.0,猫\n2.0,狗\n".encode("gb18030"))
    assert load_csv(gbk, test_fraction=0).class_names == ("狗", "猫")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("x\ty\n1\tα\n2\tβ\n".encode("utf-16"))  # Excel's "Unicode text": BOM + UTF-16, tabs
    assert load_csv(utf16, test_fraction=0).class_names == ("α", "β")
    with pytest.raises(CsvError, match="iris.csv: the file is larger than 10 bytes"):
        load_csv(path, max_bytes=10)
    with pytest.raises(CsvError, match="nope.csv: cannot open"):
        load_csv(tmp_path / "nope.csv")
    (tmp_path / "bin.csv").write_bytes(b"a,b\n\xff\xfe\xfa\n")
    with pytest.raises(CsvError, match="not a text file"):
        load_csv(tmp_path / "bin.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(CsvError, match="empty.csv: the file is empty"):
        csv_columns(tmp_path / "empty.csv")
    with pytest.raises(CsvError, match="test_fraction"):
        load_csv(path, test_fraction=1.5)


def test_csv_through_the_registry(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "iris.csv").write_text(IRIS_LIKE, encoding="utf-8")
    ds = load_dataset({"csv": "data/iris.csv", "target": "species", "test_fraction": 0.0}, base_dir=tmp_path)
    assert ds.class_names == ("setosa", "versicolor", "virginica")
    assert ds.spec["csv"] == "data/iris.csv" and ds.spec["standardize"] is False
    with pytest.raises(DatasetError) as info:
        load_dataset({"csv": "data/iris.csv", "target": "colour"}, base_dir=tmp_path)
    assert info.value.field == "dataset.csv" and "unknown target column 'colour'" in str(info.value)
    assert isinstance(info.value.__cause__, CsvError)
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n3\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"dataset.csv: bad.csv: line 3: expected 2 values") as info:
        load_dataset({"csv": str(tmp_path / "bad.csv")})
    assert info.value.__cause__.line == 3


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_arbitrary_text_raises_only_csv_error(text):
    try:
        ds = parse_csv(text)
    except CsvError:
        return
    assert ds.n_train >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab01.-e9,;\t\n\r" NA?')), max_size=120),
    st.sampled_from(["auto", "classification", "regression"]),
    st.booleans(),
)
def test_csv_like_text_raises_only_csv_error(text, task, standardize):
    try:
        ds = parse_csv("a,b\n" + text, task=task, standardize=standardize)
    except CsvError:
        return
    assert np.all(np.isfinite(ds.x_train)) and ds.task in ("classification", "regression")
