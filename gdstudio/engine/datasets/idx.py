"""The IDX file format of MNIST (LeCun et al.): a tiny header, then a big-endian array — read and written.

Layout: bytes 0-1 are zero, byte 2 is the element type (0x08 ubyte, 0x09 sbyte, 0x0B short, 0x0C int,
0x0D float, 0x0E double), byte 3 the number of dimensions; then one big-endian uint32 per dimension; then the
data. Files may be gzip-compressed (recognised by their content, not their name).

The reader trusts nothing: sizes are checked against the header before anything is allocated beyond
``max_data_bytes``, short and over-long files are refused with the exact byte counts, and every failure —
including a corrupt gzip stream — is an :class:`IdxError`. Data are decoded with ``np.frombuffer``; no pickle.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np

from gdstudio.atomic import atomic_write_bytes
from gdstudio.engine.datasets.base import DatasetError

__all__ = ["IDX_TYPES", "MAX_DATA_BYTES", "IdxError", "idx_bytes", "read_idx", "write_idx"]

IDX_TYPES: dict[int, tuple[str, np.dtype]] = {
    0x08: ("ubyte", np.dtype(">u1")),
    0x09: ("sbyte", np.dtype(">i1")),
    0x0B: ("short", np.dtype(">i2")),
    0x0C: ("int", np.dtype(">i4")),
    0x0D: ("float", np.dtype(">f4")),
    0x0E: ("double", np.dtype(">f8")),
}
_CODES = {(dt.kind, dt.itemsize): code for code, (_, dt) in IDX_TYPES.items()}

MAX_DATA_BYTES = 1 << 31
"""Largest array the reader accepts (2 GiB; MNIST's biggest file holds 47 MB)."""

_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


class IdxError(DatasetError):
    """An unreadable or malformed IDX file; ``field`` is the file's name."""


def _type_list() -> str:
    return ", ".join(f"0x{code:02X} {name}" for code, (name, _) in IDX_TYPES.items())


class _Reader:
    """Reads exact byte counts from a plain or gzip stream, turning every low-level failure into IdxError."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        self.name = name
        head = raw.read(2)
        raw.seek(0)
        self.compressed = head == _GZIP_MAGIC
        self.stream: IO[bytes] = gzip.GzipFile(fileobj=raw, mode="rb") if self.compressed else raw
        self.count = 0  # bytes of (uncompressed) IDX content read so far

    def read(self, n: int) -> bytearray:
        buf = bytearray()
        try:
            while len(buf) < n:
                chunk = self.stream.read(min(_CHUNK, n - len(buf)))
                if not chunk:
                    break
                buf += chunk
        except EOFError:
            self.count += len(buf)
            raise IdxError(
                self.name,
                f"file is truncated: the compressed data end early (after {self.count:,} bytes of content)",
            ) from None
        except (OSError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
            raise IdxError(self.name, f"corrupt compressed data: {e}") from None
        self.count += len(buf)
        return buf  # a bytearray, so np.frombuffer gives a writeable array without another copy


def _parse(reader: _Reader, max_data_bytes: int, total_size: int | None) -> np.ndarray:
    """Header, size checks and the array; ``total_size`` is the content size when known up front (plain files)."""
    name = reader.name
    magic = reader.read(4)
    if len(magic) < 4:
        raise IdxError(name, f"not an IDX file: it holds only {len(magic)} bytes (the header alone needs 4 or more)")
    if magic[0] != 0 or magic[1] != 0:
        raise IdxError(
            name, f"not an IDX file: it must start with two zero bytes, found 0x{magic[0]:02X} 0x{magic[1]:02X}"
        )
    code, ndim = magic[2], magic[3]
    if code not in IDX_TYPES:
        raise IdxError(name, f"unknown IDX element type 0x{code:02X} (expected one of: {_type_list()})")
    if ndim == 0:
        raise IdxError(name, "the IDX header declares no dimensions")
    header_size = 4 + 4 * ndim
    dims_raw = reader.read(4 * ndim)
    if len(dims_raw) < 4 * ndim:
        raise IdxError(
            name,
            f"file is truncated: the header needs {header_size:,} bytes for {ndim} dimensions, "
            f"got {4 + len(dims_raw):,}",
        )
    shape = tuple(int(d) for d in np.frombuffer(dims_raw, dtype=">u4"))
    type_name, dtype = IDX_TYPES[code]
    data_size = dtype.itemsize
    for d in shape:
        data_size *= d
    expected = header_size + data_size
    if data_size > max_data_bytes:
        raise IdxError(
            name,
            f"the header declares {data_size:,} bytes of data ({' × '.join(map(str, shape))} {type_name}), "
            f"more than the limit of {max_data_bytes:,}",
        )
    if total_size is not None and total_size != expected:
        kind = "truncated" if total_size < expected else "longer than its header says"
        raise IdxError(name, f"file is {kind}: expected {expected:,} bytes, got {total_size:,}")
    data = reader.read(data_size)
    if len(data) < data_size:
        raise IdxError(name, f"file is truncated: expected {expected:,} bytes, got {header_size + len(data):,}")
    extra = reader.read(1)
    if extra:
        raise IdxError(name, f"file is longer than its header says: expected {expected:,} bytes, got more")
    array = np.frombuffer(data, dtype=dtype).reshape(shape)
    return array if dtype.itemsize == 1 else array.astype(dtype.newbyteorder("="))


def read_idx(
    source: str | os.PathLike[str] | bytes | bytearray | memoryview,
    *,
    name: str | None = None,
    max_data_bytes: int = MAX_DATA_BYTES,
) -> np.ndarray:
    """The array stored in an IDX file (path) or IDX bytes, plain or gzip; native byte order, writeable.

    Raises IdxError naming the file ("train-images-idx3-ubyte: file is truncated: expected 47,040,016 bytes,
    got 1,024") for anything that is not a well-formed IDX file.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        label = name or "IDX data"
        raw: IO[bytes] = io.BytesIO(bytes(source))
        return _read_stream(raw, label, max_data_bytes, len(source))
    path = Path(source)
    label = name or path.name
    try:
        f = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as e:
        raise IdxError(label, f"cannot open the file: {e.strerror or e}") from None
    with f:
        try:
            size = os.fstat(f.fileno()).st_size
        except OSError:  # pragma: no cover - fstat on an open regular file does not fail in practice
            size = None
        return _read_stream(f, label, max_data_bytes, size)


def _read_stream(raw: IO[bytes], label: str, max_data_bytes: int, size: int | None) -> np.ndarray:
    try:
        reader = _Reader(raw, label)
    except OSError as e:
        raise IdxError(label, f"cannot read the file: {e}") from None
    try:
        return _parse(reader, max_data_bytes, None if reader.compressed else size)
    except OSError as e:  # a read error on the plain file (the gzip layer's own errors are handled in _Reader)
        raise IdxError(label, f"cannot read the file: {e}") from None


def idx_bytes(array: Any) -> bytes:
    """The IDX encoding (uncompressed) of ``array``: uint8, int8, int16, int32, float32 or float64, 1-255 dims."""
    a = np.asarray(array)
    code = _CODES.get((a.dtype.kind, a.dtype.itemsize))
    if code is None:
        raise IdxError("array", f"IDX cannot store {a.dtype} (it stores: {_type_list()})")
    if not 1 <= a.ndim <= 255:
        raise IdxError("array", f"IDX stores 1 to 255 dimensions, got {a.ndim}")
    if any(d >= 1 << 32 for d in a.shape):
        raise IdxError("array", f"a dimension of {a.shape} does not fit in 32 bits")
    header = bytes([0, 0, code, a.ndim]) + np.asarray(a.shape, dtype=">u4").tobytes()
    return header + np.ascontiguousarray(a, dtype=IDX_TYPES[code][1]).tobytes()


def write_idx(path: str | os.PathLike[str], array: Any, *, compress: bool | None = None) -> None:
    """Write ``array`` as an IDX file, atomically; gzip when ``compress`` or (if None) when the name ends in .gz.

    Compressed output is byte-for-byte reproducible (gzip mtime 0).
    """
    path = Path(path)
    data = idx_bytes(array)
    if compress if compress is not None else path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    atomic_write_bytes(path, data)
