"""A local MNIST mirror for the download tests: generated IDX files served over HTTP on 127.0.0.1, never the internet.

Shared by tests/test_mnist_download.py (the engine) and tests/test_mnist_download_dialog.py (the dialog). The server
can also trickle its answer (``piece`` bytes every ``delay`` seconds) so a test can cancel or close mid-download.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gdstudio.engine.datasets import MNIST_FILES
from gdstudio.engine.datasets.idx import idx_bytes

__all__ = ["N_TEST", "N_TRAIN", "MnistServer", "clear_proxies", "closed_port", "fake_mnist", "leftovers",
           "serve_mnist", "sha256s"]

N_TRAIN, N_TEST = 120, 30


def fake_mnist(n_train: int = N_TRAIN, n_test: int = N_TEST) -> dict[str, np.ndarray]:
    """Random 28×28 images (incompressible, so the big file spans several download chunks) and labels 0..9."""
    rng = np.random.default_rng(42)
    return {
        "train_images": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "train_labels": (np.arange(n_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "test_labels": (np.arange(n_test)[::-1] % 10).astype(np.uint8),
    }


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``files`` (URL path -> bytes); 404 for anything else. Subclassed per server (own class attributes)."""

    files: dict[str, bytes] = {}
    requests: list[str] = []
    piece = 0  # bytes per write when trickling (0: the whole body at once)
    delay = 0.0  # seconds between two pieces
    stop = threading.Event()  # set at shutdown: a trickling answer ends early
    timeout = 10  # a stuck client cannot hold the server thread for long

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        type(self).requests.append(self.path)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        step = self.piece or len(body)
        try:
            for start in range(0, len(body), step):
                if start and self.delay:
                    if self.stop.wait(self.delay):
                        return
                self.wfile.write(body[start:start + step])
        except (BrokenPipeError, ConnectionResetError):  # the client cancelled
            pass

    def log_message(self, *args) -> None:
        pass


@dataclass
class MnistServer:
    httpd: http.server.ThreadingHTTPServer
    url: str  # the mirror URL, ending in "/mnist/"
    handler: type[_Handler]  # .files (URL path -> bytes; edit to make a file 404 or wrong), .requests

    @property
    def files(self) -> dict[str, bytes]:
        return self.handler.files


@contextmanager
def serve_mnist(data: dict[str, np.ndarray] | None = None, *, piece: int = 0,
                delay: float = 0.0) -> Iterator[MnistServer]:
    """Serve gzip IDX files of ``data`` (default :func:`fake_mnist`) under /mnist/ in a thread; shut down on exit.

    Callers should also :func:`clear_proxies`, so urllib does not send 127.0.0.1 to a proxy of the environment.
    """
    data = fake_mnist() if data is None else data
    files = {f"/mnist/{base}.gz": gzip.compress(idx_bytes(data[role]), mtime=0) for role, base in MNIST_FILES.items()}
    handler = type("Handler", (_Handler,), {"files": files, "requests": [], "piece": int(piece),
                                            "delay": float(delay), "stop": threading.Event()})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield MnistServer(httpd, f"http://127.0.0.1:{httpd.server_address[1]}/mnist/", handler)
    finally:
        handler.stop.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)
        assert not thread.is_alive()


def clear_proxies(monkeypatch) -> None:
    """No proxy from the environment for 127.0.0.1 (pytest's ``monkeypatch`` restores the variables)."""
    for var in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


def sha256s(files: dict[str, bytes]) -> dict[str, str]:
    """The ``checksums`` argument of download_mnist that matches the served (generated) files."""
    return {path.rsplit("/", 1)[1]: "sha256:" + hashlib.sha256(body).hexdigest() for path, body in files.items()}


def leftovers(folder: Path) -> list[str]:
    """Every name in ``folder`` (hidden .part files included), sorted; [] when it does not exist."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@contextmanager
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 that nothing listens on (bound, never listening, so connects are refused)."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
    finally:
        sock.close()

