"""IDX reader/writer: round trips for every element type, exact errors for malformed files, and no exception
other than IdxError for any input bytes."""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.engine.datasets import DatasetError, IdxError, read_idx, write_idx
from gdstudio.engine.datasets.idx import IDX_TYPES, idx_bytes

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5,), (3, 4), (2, 3, 4), (1, 2, 1, 3), (0, 7)])
def test_round_trip_bytes(dtype, shape):
    rng = np.random.default_rng(0)
    info = np.iinfo(dtype) if np.issubdtype(dtype, np.integer) else None
    if info is not None:
        a = rng.integers(info.min, info.max, size=shape, endpoint=True).astype(dtype)
    else:
        a = rng.normal(size=shape).astype(dtype)
    b = read_idx(idx_bytes(a))
    assert b.dtype == np.dtype(dtype) and b.dtype.isnative and b.shape == shape and np.array_equal(a, b)
    assert b.flags.writeable
    assert np.array_equal(read_idx(gzip.compress(idx_bytes(a))), a)


@pytest.mark.parametrize("name", ["t.idx", "t.idx.gz"])
def test_round_trip_files(tmp_path, name):
    a = np.arange(24, dtype=np.int16).reshape(2, 3, 4) - 5
    write_idx(tmp_path / name, a)
    raw = (tmp_path / name).read_bytes()
    assert raw[:2] == (b"\x1f\x8b" if name.endswith(".gz") else b"\x00\x00")
    assert np.array_equal(read_idx(tmp_path / name), a)
    write_idx(tmp_path / "again.gz", a)
    write_idx(tmp_path / "again2.gz", a)
    assert (tmp_path / "again.gz").read_bytes() == (tmp_path / "again2.gz").read_bytes()  # reproducible gzip
    write_idx(tmp_path / "plain_named.gz", a, compress=False)
    assert (tmp_path / "plain_named.gz").read_bytes()[:2] == b"\x00\x00"


def test_exact_layout_is_big_endian():
    data = idx_bytes(np.array([[1, 258]], dtype=np.int32))
    assert data == bytes([0, 0, 0x0C, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 2])
    assert idx_bytes(np.array([1.0], dtype=np.float32)) == b"\x00\x00\x0d\x01\x00\x00\x00\x01\x3f\x80\x00\x00"
    assert {code for code in IDX_TYPES} == {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E}


def test_mnist_sized_truncated_file_message(tmp_path):
    header = bytes([0, 0, 0x08, 3]) + np.array([60000, 28, 28], dtype=">u4").tobytes()
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(header + bytes(1024 - len(header)))
    with pytest.raises(IdxError) as info:
        read_idx(path)
    assert str(info.value) == "train-images-idx3-ubyte: file is truncated: expected 47,040,016 bytes, got 1,024"
    assert info.value.field == "train-images-idx3-ubyte" and isinstance(info.value, DatasetError)


def test_truncated_inside_gzip(tmp_path):
    a = np.zeros((10, 4, 4), dtype=np.uint8)
    data = idx_bytes(a)
    path = tmp_path / "short.gz"
    path.write_bytes(gzip.compress(data[:-7]))  # complete gzip stream, short IDX content
    with pytest.raises(IdxError, match=r"short.gz: file is truncated: expected 176 bytes, got 169"):
        read_idx(path)
    header = bytes([0, 0, 8, 1]) + np.array([4996], dtype=">u4").tobytes()
    full = gzip.compress(header + bytes(4996))
    path.write_bytes(full[: len(full) // 2])  # the gzip stream itself is cut
    with pytest.raises(IdxError, match="short.gz: file is truncated: the compressed data end early"):
        read_idx(path)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "holds only 0 bytes"),
        (b"\x00\x00", "holds only 2 bytes"),
        (b"\x01\x00\x08\x01", "two zero bytes, found 0x01 0x00"),
        (b"\x00\x00\x07\x01\x00\x00\x00\x01\x00", "unknown IDX element type 0x07"),
        (b"\x00\x00\x08\x00", "no dimensions"),
        (b"\x00\x00\x08\x02\x00\x00\x00\x01", "header needs 12 bytes for 2 dimensions, got 8"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x02\x05", "truncated: expected 10 bytes, got 9"),
        (b"\x00\x00\x08\x01\x00\x00\x00\x01\x05\x06", "longer than its header says: expected 9 bytes, got 10"),
        (b"<html>Not Found</html>", "not an IDX file"),
    ],
)
def test_malformed_bytes(data, match):
    with pytest.raises(IdxError, match=match):
        read_idx(data)


def test_over_long_gzip_and_plain_file(tmp_path):
    data = idx_bytes(np.zeros(3, dtype=np.uint8)) + b"\x00"
    with pytest.raises(IdxError, match="longer than its header says: expected 11 bytes, got more"):
        read_idx(gzip.compress(data))
    (tmp_path / "long").write_bytes(data)
    with pytest.raises(IdxError, match="long: file is longer than its header says: expected 11 bytes, got 12"):
        read_idx(tmp_path / "long")


def test_corrupt_gzip_and_size_limit(tmp_path):
    good = gzip.compress(idx_bytes(np.arange(100, dtype=np.uint8)))
    bad = good[:12] + bytes(b ^ 0xFF for b in good[12:30]) + good[30:]
    with pytest.raises(IdxError, match="corrupt compressed data|truncated"):
        read_idx(bad)
    huge = bytes([0, 0, 0x0E, 3]) + np.array([2**31, 2**31, 2**31], dtype=">u4").tobytes()
    with pytest.raises(IdxError, match="more than the limit"):
        read_idx(huge)
    with pytest.raises(IdxError, match="limit of 10"):
        read_idx(idx_bytes(np.zeros(11, np.uint8)), max_data_bytes=10)


def test_unopenable_paths(tmp_path):
    with pytest.raises(IdxError, match="missing-file: cannot open"):
        read_idx(tmp_path / "missing-file")
    with pytest.raises(IdxError, match="cannot open|cannot read"):
        read_idx(tmp_path)  # a folder


def test_writer_rejects_what_idx_cannot_hold(tmp_path):
    with pytest.raises(IdxError, match="cannot store uint16"):
        idx_bytes(np.zeros(2, dtype=np.uint16))
    with pytest.raises(IdxError, match="cannot store bool"):
        idx_bytes(np.zeros(2, dtype=bool))
    with pytest.raises(IdxError, match="1 to 255 dimensions"):
        idx_bytes(np.float32(1.0))
    with pytest.raises(IdxError):
        write_idx(tmp_path / "x.idx", np.zeros(2, dtype=np.complex64))
    assert not (tmp_path / "x.idx").exists()


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_raise_only_idx_error(data):
    for blob in (data, b"\x00\x00" + data, gzip.compress(data)):
        try:
            a = read_idx(blob)
        except IdxError:
            continue
        assert isinstance(a, np.ndarray) and a.ndim >= 1


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(DTYPES),
    st.lists(st.integers(0, 4), min_size=1, max_size=3),
    st.integers(0, 200),
    st.integers(0, 255),
    st.booleans(),
)
def test_mutated_valid_files_raise_only_idx_error(dtype, shape, position, byte, compress):
    data = bytearray(idx_bytes(np.ones(shape, dtype=dtype)))
    if compress:
        data = bytearray(gzip.compress(bytes(data)))
    if position < len(data):
        data[position] = byte
    for blob in (bytes(data), bytes(data[: position])):
        try:
            read_idx(blob)
        except IdxError:
            pass
