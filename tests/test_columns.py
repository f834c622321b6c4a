"""GrowingColumns: the run models' storage (doubling growth, views of the filled part)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.models.columns import INITIAL_CAPACITY, GrowingColumns


def test_rows_are_appended_and_read_as_views_of_the_filled_part():
    cols = GrowingColumns(steps=((), np.int64), params=((2,), np.float64))
    assert cols.count == 0 and cols.capacity == INITIAL_CAPACITY
    assert cols.view("steps").shape == (0,) and cols.view("params").shape == (0, 2)
    first, k = cols.extend(steps=[0, 1, 2], params=np.arange(6.0).reshape(3, 2))
    assert (first, k) == (0, 3) and cols.count == 3
    assert cols.view("steps").tolist() == [0, 1, 2] and cols.view("steps").dtype == np.int64
    assert cols.view("params")[2].tolist() == [4.0, 5.0]
    assert np.shares_memory(cols.view("params"), cols.arrays["params"])  # no copy
    assert cols.extend(steps=[3], params=[[6.0, 7.0]]) == (3, 1)


def test_capacity_doubles_and_keeps_the_rows():
    cols = GrowingColumns(4, values=((), np.float64))
    cols.extend(values=[1.0, 2.0, 3.0])
    cols.extend(values=[4.0, 5.0])
    assert cols.capacity == 8 and cols.view("values").tolist() == [1.0, 2.0, 3.0, 4.0, 5.0]
    cols.extend(values=np.ones(20))
    assert cols.capacity == 32 and cols.count == 25 and cols.view("values")[:5].tolist() == [1, 2, 3, 4, 5]
    cols.reserve(10)  # already room: nothing changes
    assert cols.capacity == 32


def test_every_column_must_be_given():
    cols = GrowingColumns(a=((), np.int64), b=((), np.int64))
    with pytest.raises(KeyError):
        cols.extend(a=[1])
    with pytest.raises(KeyError):
        cols.extend(a=[1], b=[2], c=[3])
    assert cols.count == 0
    with pytest.raises(ValueError):
        GrowingColumns()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=30))
def test_any_sequence_of_batches_equals_one_concatenation(sizes):
    cols = GrowingColumns(2, x=((3,), np.float64))
    batches = [np.random.default_rng(i).normal(size=(n, 3)) for i, n in enumerate(sizes)]
    for b in batches:
        cols.extend(x=b)
    expected = np.concatenate(batches) if batches else np.zeros((0, 3))
    np.testing.assert_array_equal(cols.view("x"), expected)
    assert cols.capacity >= cols.count and cols.capacity & (cols.capacity - 1) == 0  # a power of two from 2
