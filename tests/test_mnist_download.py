"""MNIST from IDX files, and the downloader against a local HTTP server on 127.0.0.1 (never the internet):
success, checksum mismatch, cancel mid-way, 404, an HTML page instead of data — and never a partial file."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from mnist_server import N_TEST, N_TRAIN, clear_proxies, closed_port, fake_mnist, leftovers, serve_mnist, sha256s

from gdstudio.engine.datasets import (
    MNIST_FILES,
    DatasetError,
    find_mnist_files,
    load_dataset,
    load_mnist,
    mnist_dataset,
    write_idx,
)
from gdstudio.engine.datasets.download import (
    MNIST_CHECKSUMS,
    MNIST_DOWNLOADS,
    DownloadCancelled,
    DownloadError,
    download_mnist,
)


@pytest.fixture(scope="module")
def data() -> dict[str, np.ndarray]:
    return fake_mnist()


@pytest.fixture
def mnist_dir(tmp_path, data) -> Path:
    folder = tmp_path / "mnist"
    folder.mkdir()
    for role, base in MNIST_FILES.items():
        write_idx(folder / f"{base}.gz", data[role])
    return folder


# ---------------------------------------------------------------------------------------------------- reading


def test_book_style_load_mnist(mnist_dir, data):
    (x_tr, t_tr), (x_te, t_te) = load_mnist(mnist_dir)
    assert x_tr.shape == (N_TRAIN, 784) and x_tr.dtype == np.float32 and x_te.shape == (N_TEST, 784)
    np.testing.assert_array_equal(x_tr, data["train_images"].reshape(N_TRAIN, -1) / np.float32(255))
    assert np.array_equal(t_tr, data["train_labels"]) and np.array_equal(t_te, data["test_labels"])
    (x_tr, t_tr), _ = load_mnist(mnist_dir, normalize=False, flatten=False, one_hot_label=True, train_size=7)
    assert x_tr.shape == (7, 1, 28, 28) and x_tr.dtype == np.uint8 and np.array_equal(x_tr[:, 0], data["train_images"][:7])
    assert t_tr.shape == (7, 10) and t_tr.dtype == np.float32 and t_tr.argmax(axis=1).tolist() == list(range(7))
    x_tr[0, 0, 0, 0] = 99  # copies, not views into the cache
    assert load_mnist(mnist_dir, normalize=False, train_size=1)[0][0][0, 0] == data["train_images"][0, 0, 0]


def test_mnist_dataset(mnist_dir, data):
    ds = mnist_dataset(mnist_dir, train_size=50, test_size=20)
    assert ds.n_train == 50 and ds.n_test == 20 and ds.image_shape == (28, 28) and ds.n_features == 784
    assert ds.dtype == np.float32 and ds.class_names == tuple("0123456789") and ds.t_train.dtype == np.int64
    assert float(ds.x_train.max()) <= 1.0
    np.testing.assert_array_equal(ds.x_test[3].reshape(28, 28) * 255, data["test_images"][3].astype(np.float32))
    raw = mnist_dataset(mnist_dir, normalize=False, dtype=np.float64)
    assert raw.dtype == np.float64 and raw.x_train.max() == data["train_images"].max()
    with pytest.raises(DatasetError, match="between 1 and 120"):
        mnist_dataset(mnist_dir, train_size=121)


def test_uncompressed_and_dotted_names_are_found(tmp_path, data):
    for role, base in MNIST_FILES.items():
        name = base.replace("-idx", ".idx") if "labels" in role else base
        write_idx(tmp_path / name, data[role])
    files = find_mnist_files(tmp_path)
    assert files["train_labels"].name == "train-labels.idx1-ubyte" and files["train_images"].suffix != ".gz"
    assert load_mnist(tmp_path, test_size=5)[1][1].tolist() == data["test_labels"][:5].tolist()


def test_missing_files_are_listed(mnist_dir):
    (mnist_dir / "t10k-images-idx3-ubyte.gz").unlink()
    (mnist_dir / "train-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError) as info:
        load_mnist(mnist_dir)
    message = str(info.value)
    assert "missing 2 of the 4 files" in message
    assert "train-labels-idx1-ubyte[.gz]" in message and "t10k-images-idx3-ubyte[.gz]" in message
    assert "train-images" not in message
    with pytest.raises(DatasetError, match="is not a folder"):
        find_mnist_files(mnist_dir / "nope")


def test_inconsistent_files_are_refused(mnist_dir, data):
    write_idx(mnist_dir / "train-labels-idx1-ubyte.gz", data["train_labels"][:-1])
    with pytest.raises(DatasetError, match="has 119 labels for 120 images"):
        load_mnist(mnist_dir)
    write_idx(mnist_dir / "train-labels-idx1-ubyte.gz", data["train_labels"].astype(np.int32))
    with pytest.raises(DatasetError, match="1-D ubyte labels"):
        load_mnist(mnist_dir)
    (mnist_dir / "train-labels-idx1-ubyte.gz").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x78")
    with pytest.raises(DatasetError, match="train-labels-idx1-ubyte.gz: file is truncated"):
        load_mnist(mnist_dir)


def test_mnist_through_the_registry(mnist_dir):
    ds = load_dataset({"name": "mnist", "path": "mnist", "train_size": 100}, base_dir=mnist_dir.parent)
    assert ds.n_train == 100 and ds.n_test == N_TEST and ds.spec["path"] == "mnist"
    with pytest.raises(DatasetError) as info:
        load_dataset({"name": "mnist", "path": str(mnist_dir), "test_size": 31})
    assert info.value.field == "dataset.test_size" and "between 1 and 30" in str(info.value)
    with pytest.raises(DatasetError) as info:
        load_dataset({"name": "mnist", "path": str(mnist_dir / "absent")})
    assert info.value.field == "dataset.path" and "is not a folder" in str(info.value)


# ---------------------------------------------------------------------------------------------------- download


@pytest.fixture
def server(monkeypatch, data):
    """A local HTTP server in a thread serving gzip IDX files under /mnist/; shut down after the test."""
    clear_proxies(monkeypatch)
    with serve_mnist(data) as srv:
        yield srv.httpd, srv.url, srv.handler


def test_download_success_then_load(server, tmp_path, data):
    _, url, handler = server
    calls: list[tuple[int, int, str]] = []
    dest = tmp_path / "dl"
    paths = download_mnist(dest, url, progress=lambda d, t, f: calls.append((d, t, f)), checksums=sha256s(handler.files))
    assert [p.name for p in paths] == list(MNIST_DOWNLOADS) and leftovers(dest) == sorted(MNIST_DOWNLOADS)
    for path in paths:
        assert path.read_bytes() == handler.files[f"/mnist/{path.name}"]
    finals = {f: (d, t) for d, t, f in calls}
    assert set(finals) == set(MNIST_DOWNLOADS)
    assert all(d == t == len(handler.files[f"/mnist/{f}"]) for f, (d, t) in finals.items())
    assert len([c for c in calls if c[2] == "train-images-idx3-ubyte.gz"]) > 1  # streamed in chunks
    (x_tr, t_tr), _ = load_mnist(dest)
    assert np.array_equal(t_tr, data["train_labels"]) and x_tr.shape == (N_TRAIN, 784)
    # a second call finds valid files and fetches nothing; overwrite fetches again
    before = len(handler.requests)
    download_mnist(dest, url, checksums=sha256s(handler.files))
    assert len(handler.requests) == before
    download_mnist(dest, url.rstrip("/"), checksums={}, overwrite=True)  # mirror URL without the final slash
    assert len(handler.requests) == before + 4


def test_default_checksums_reject_other_files(server, tmp_path):
    _, url, _ = server
    dest = tmp_path / "dl"
    with pytest.raises(DownloadError) as info:
        download_mnist(dest, url)  # canonical MNIST MD5s; the served files are fakes
    assert info.value.field == "train-images-idx3-ubyte.gz"
    assert f"checksum mismatch: expected md5 {MNIST_CHECKSUMS['train-images-idx3-ubyte.gz'][4:]}" in str(info.value)
    assert leftovers(dest) == []


def test_cancel_midway_leaves_no_partial_file(server, tmp_path):
    _, url, handler = server
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int, name: str) -> None:
        if name == "train-images-idx3-ubyte.gz":
            seen.append(done)
            cancel.set()  # the user presses Cancel after the first chunk

    dest = tmp_path / "dl"
    with pytest.raises(DownloadCancelled):
        download_mnist(dest, url, progress=progress, cancel=cancel, checksums={})
    assert len(seen) == 1 and seen[0] < len(handler.files["/mnist/train-images-idx3-ubyte.gz"])
    assert leftovers(dest) == []
    # a callable works as well; files completed before the cancel are kept whole
    def after_first_file() -> bool:
        return (dest / "train-images-idx3-ubyte.gz").exists()

    with pytest.raises(DownloadCancelled) as info:
        download_mnist(dest, url, cancel=after_first_file, checksums={})
    assert info.value.field == "train-labels-idx1-ubyte.gz"
    assert leftovers(dest) == ["train-images-idx3-ubyte.gz"]


def test_404_is_a_clear_error(server, tmp_path):
    _, url, handler = server
    del handler.files["/mnist/t10k-labels-idx1-ubyte.gz"]
    dest = tmp_path / "dl"
    with pytest.raises(DownloadError) as info:
        download_mnist(dest, url, checksums={})
    assert info.value.field == "t10k-labels-idx1-ubyte.gz"
    assert "the server answered 404 Not Found for http://127.0.0.1:" in str(info.value)
    assert leftovers(dest) == sorted(MNIST_DOWNLOADS[:3])  # the three good files, complete


def test_html_page_instead_of_data_is_refused(server, tmp_path):
    _, url, handler = server
    handler.files["/mnist/train-labels-idx1-ubyte.gz"] = b"<html><body>Please log in</body></html>"
    dest = tmp_path / "dl"
    with pytest.raises(DownloadError, match="train-labels-idx1-ubyte.gz: the downloaded file is not a valid IDX"):
        download_mnist(dest, url, checksums={})
    assert "train-labels-idx1-ubyte.gz" not in leftovers(dest)
    assert not any(name.endswith(".part") for name in leftovers(dest))


def test_bad_arguments(tmp_path):
    with pytest.raises(DownloadError, match="http:// or https://"):
        download_mnist(tmp_path, "ftp://example.org/mnist/")
    with pytest.raises(DownloadError, match="http:// or https://"):
        download_mnist(tmp_path, "file:///etc/")
    with pytest.raises(DownloadError, match="unknown file"):
        download_mnist(tmp_path, "http://127.0.0.1:9/", checksums={"train-images.gz": "0" * 64})
    with pytest.raises(DownloadError, match="not an md5, sha1 or sha256"):
        download_mnist(tmp_path, "http://127.0.0.1:9/", checksums={"train-images-idx3-ubyte.gz": "xyz"})
    assert leftovers(tmp_path) == []


def test_unreachable_server(tmp_path, monkeypatch):
    clear_proxies(monkeypatch)
    with closed_port() as port:
        with pytest.raises(DownloadError, match="cannot reach 127.0.0.1"):
            download_mnist(tmp_path / "dl", f"http://127.0.0.1:{port}/", checksums={}, timeout=5)
    assert leftovers(tmp_path / "dl") == []
