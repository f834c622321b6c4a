"""File ▸ Download MNIST…: fetch the four .gz files from a mirror, verify them, and put them in place atomically.

Plain ``urllib`` (system proxies honoured), made to run on a worker thread: ``progress(done_bytes, total_bytes,
filename)`` is called after every chunk (total -1 when the server does not say), and ``cancel`` (a
``threading.Event`` or a callable returning True) is polled between chunks. Each file streams into a hidden temp
file next to its destination, is checked (checksum, then parsed as IDX so an HTML error page never passes) and only
then renamed into place: a cancelled or failed download never leaves a partial file. Files already present and
valid are not fetched again.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from gdstudio import __version__
from gdstudio.engine.datasets.base import DatasetError
from gdstudio.engine.datasets.idx import read_idx
from gdstudio.engine.datasets.mnist import MNIST_FILES

__all__ = [
    "DEFAULT_MIRROR",
    "MAX_DOWNLOAD_BYTES",
    "MIRRORS",
    "MNIST_CHECKSUMS",
    "MNIST_DOWNLOADS",
    "DownloadCancelled",
    "DownloadError",
    "download_file",
    "download_mnist",
]

DEFAULT_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"
"""The mirror PyTorch's torchvision uses (the original yann.lecun.com site no longer serves the files freely)."""

MIRRORS = (DEFAULT_MIRROR, "https://storage.googleapis.com/cvdf-datasets/mnist/")
"""Known mirrors the GUI can offer; any http(s) folder holding the four files works."""

MNIST_CHECKSUMS: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "md5:f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "md5:d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "md5:9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "md5:ec29112dd5afa0611ce80d1b7f02629c",
}
"""The canonical MNIST files' MD5 digests (as published with the data set and checked by torchvision)."""

MNIST_DOWNLOADS: tuple[str, ...] = tuple(f"{base}.gz" for base in MNIST_FILES.values())

MAX_DOWNLOAD_BYTES = 100_000_000  # per file; MNIST's largest is under 10 MB
_CHUNK = 1 << 16
_ALGORITHMS = {"md5": 32, "sha1": 40, "sha256": 64}
_HEX = re.compile(r"[0-9a-f]+")

Progress = Callable[[int, int, str], Any]
Cancel = Any  # threading.Event-like (is_set()) or a callable returning True to stop


class DownloadError(DatasetError):
    """A download that failed (network, server, checksum, not IDX); ``field`` is the file name."""


class DownloadCancelled(DownloadError):
    """The user cancelled; nothing partial was left behind."""


def _cancelled(cancel: Cancel) -> bool:
    if cancel is None:
        return False
    is_set = getattr(cancel, "is_set", None)
    return bool(is_set() if callable(is_set) else cancel())


def _parse_checksum(name: str, value: Any) -> tuple[str, str]:
    """'md5:…' / 'sha256:…' / bare hex (algorithm from its length) -> (algorithm, lowercase hex)."""
    if not isinstance(value, str):
        raise DownloadError("checksums", f"{name}: must be a hex digest string (got {type(value).__name__})")
    algo, _, digest = value.strip().lower().rpartition(":")
    if not algo:
        algo = next((a for a, n in _ALGORITHMS.items() if n == len(digest)), "")
    if algo not in _ALGORITHMS or len(digest) != _ALGORITHMS[algo] or not _HEX.fullmatch(digest):
        raise DownloadError(
            "checksums", f"{name}: {value!r} is not an md5, sha1 or sha256 hex digest (e.g. 'sha256:<64 hex digits>')"
        )
    return algo, digest


def _digest(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _check_file(path: Path, name: str, checksum: tuple[str, str] | None) -> None:
    """Raise DownloadError unless ``path`` has the checksum (if any) and is a well-formed IDX file."""
    if checksum is not None:
        algo, expected = checksum
        got = _digest(path, algo)
        if got != expected:
            raise DownloadError(name, f"checksum mismatch: expected {algo} {expected}, got {got}")
    try:
        read_idx(path, name=name)
    except DatasetError as e:
        raise DownloadError(name, f"the downloaded file is not a valid IDX file ({e.message})") from None


def _mirror_base(mirror_url: str) -> str:
    parts = urllib.parse.urlsplit(mirror_url.strip()) if isinstance(mirror_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise DownloadError("mirror_url", f"must be an http:// or https:// address (got {mirror_url!r})")
    base = mirror_url.strip()
    return base if base.endswith("/") else base + "/"


def download_file(
    url: str,
    dest: str | os.PathLike[str],
    *,
    checksum: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel = None,
    timeout: float = 20.0,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    validate: Callable[[Path], None] | None = None,
) -> Path:
    """Stream ``url`` to a temp file beside ``dest``, verify, then rename into place; return ``dest``.

    ``validate(temp_path)`` may raise DownloadError to reject the content. On any failure or cancellation the temp
    file is removed and ``dest`` is untouched.
    """
    dest = Path(dest)
    name = dest.name
    parsed = None if checksum is None else _parse_checksum(name, checksum)
    request = urllib.request.Request(url, headers={"User-Agent": f"gdstudio/{__version__}"})
    host = urllib.parse.urlsplit(url).netloc
    tmp_path: Path | None = None
    try:
        try:
            response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 (scheme checked by callers)
        except urllib.error.HTTPError as e:
            e.close()
            raise DownloadError(name, f"the server answered {e.code} {e.reason} for {url}") from None
        except urllib.error.URLError as e:
            reason = e.reason if not isinstance(e.reason, OSError) else (e.reason.strerror or e.reason)
            raise DownloadError(name, f"cannot reach {host}: {reason}") from None
        except (TimeoutError, OSError, http.client.HTTPException) as e:
            raise DownloadError(name, f"cannot reach {host}: {e or type(e).__name__}") from None
        with response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else -1
            if total > max_bytes:
                raise DownloadError(name, f"the server offers {total:,} bytes, more than the limit of {max_bytes:,}")
            fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{name}.", suffix=".part")
            tmp_path = Path(tmp)
            done = 0
            with os.fdopen(fd, "wb") as out:
                while True:
                    if _cancelled(cancel):
                        raise DownloadCancelled(name, "download cancelled")
                    try:
                        chunk = response.read(_CHUNK)
                    except (TimeoutError, OSError, http.client.HTTPException) as e:
                        raise DownloadError(
                            name, f"the download broke off after {done:,} bytes: {e or type(e).__name__}"
                        ) from None
                    if not chunk:
                        break
                    done += len(chunk)
                    if done > max_bytes:
                        raise DownloadError(name, f"the file is larger than the limit of {max_bytes:,} bytes")
                    out.write(chunk)
                    if progress is not None:
                        progress(done, total, name)
                out.flush()
                os.fsync(out.fileno())
            if 0 <= total != done:
                raise DownloadError(name, f"the download is incomplete: got {done:,} of {total:,} bytes")
        if parsed is not None:
            algo, expected = parsed
            got = _digest(tmp_path, algo)
            if got != expected:
                raise DownloadError(name, f"checksum mismatch: expected {algo} {expected}, got {got}")
        if validate is not None:
            validate(tmp_path)
        os.replace(tmp_path, dest)
        tmp_path = None
        return dest
    except OSError as e:  # writing the temp file or renaming it
        raise DownloadError(name, f"cannot write into {str(dest.parent)!r}: {e.strerror or e}") from None
    finally:
        if tmp_path is not None:
            try:
                tmp_path.unlink()
            except OSError:
                pass


def download_mnist(
    dest_dir: str | os.PathLike[str],
    mirror_url: str = DEFAULT_MIRROR,
    *,
    progress: Progress | None = None,
    cancel: Cancel = None,
    checksums: Mapping[str, str] | None = None,
    timeout: float = 20.0,
    overwrite: bool = False,
) -> list[Path]:
    """Download the four MNIST .gz files from ``mirror_url`` into ``dest_dir``; return their paths.

    ``checksums`` maps file name (e.g. "train-images-idx3-ubyte.gz") to "md5:…", "sha256:…" or bare hex; None
    means the canonical MNIST digests, {} means no checksum (the files are still checked to be valid IDX).
    Files already present that pass the same checks are kept unless ``overwrite``. Raises DownloadCancelled when
    ``cancel`` fires (files completed before that stay; none is partial) and DownloadError for anything else.
    """
    base = _mirror_base(mirror_url)
    table = MNIST_CHECKSUMS if checksums is None else checksums
    if not isinstance(table, Mapping):
        raise DownloadError("checksums", "must map file names to hex digests")
    for key in table:
        if key not in MNIST_DOWNLOADS:
            raise DownloadError("checksums", f"unknown file {key!r} (expected: {', '.join(MNIST_DOWNLOADS)})")
    parsed = {name: _parse_checksum(name, value) for name, value in table.items()}
    folder = Path(dest_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise DownloadError("dest_dir", f"cannot create {str(folder)!r}: {e.strerror or e}") from None
    paths = []
    for name in MNIST_DOWNLOADS:
        if _cancelled(cancel):
            raise DownloadCancelled(name, "download cancelled")
        dest = folder / name
        checksum = parsed.get(name)
        if dest.is_file() and not overwrite:
            try:
                _check_file(dest, name, checksum)
            except DownloadError:
                pass  # damaged or different: fetch it again
            else:
                if progress is not None:
                    size = dest.stat().st_size
                    progress(size, size, name)
                paths.append(dest)
                continue
        download_file(
            base + urllib.parse.quote(name),
            dest,
            checksum=None if checksum is None else ":".join(checksum),
            progress=progress,
            cancel=cancel,
            timeout=timeout,
            validate=lambda path, name=name: _check_file(path, name, None),
        )
        paths.append(dest)
    return paths
