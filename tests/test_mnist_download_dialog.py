"""File ▸ Download MNIST… against a local HTTP server on 127.0.0.1 (tests/mnist_server.py, never the internet):
defaults and remembered settings, files already there, success, cancel and close mid-download (a slow server),
readable errors (404, checksum, unreachable, bad URL). The conftest fails any test that leaves a QThread running."""

from __future__ import annotations

from pathlib import Path

import pytest
from mnist_server import clear_proxies, closed_port, fake_mnist, leftovers, serve_mnist, sha256s
from PySide6.QtCore import QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QProgressBar

from gdstudio.app.mnist_download_dialog import SETTINGS_GROUP, MnistDownloadDialog
from gdstudio.engine.datasets import load_mnist
from gdstudio.engine.datasets.download import DEFAULT_MIRROR, MIRRORS, MNIST_DOWNLOADS

WAIT_MS = 20_000
TRAIN_IMAGES = "train-images-idx3-ubyte.gz"


@pytest.fixture
def server(monkeypatch):
    clear_proxies(monkeypatch)
    with serve_mnist() as srv:
        yield srv


@pytest.fixture
def slow_server(monkeypatch):
    """Trickles 8 KiB every 20 ms: the 784 KB training images take seconds, so a test can step in mid-file."""
    clear_proxies(monkeypatch)
    with serve_mnist(fake_mnist(1000, 30), piece=8192, delay=0.02) as srv:
        yield srv


def make_dialog(qtbot, url: str | None = None, folder: Path | None = None, **kwargs) -> MnistDownloadDialog:
    dialog = MnistDownloadDialog(timeout=10, **kwargs)
    qtbot.addWidget(dialog)
    if url is not None:
        dialog.set_mirror(url)
    if folder is not None:
        dialog.set_folder(folder)
    dialog.show()
    return dialog


def download(qtbot, dialog: MnistDownloadDialog) -> None:
    """Press Download and wait until the worker thread has ended and the dialog shows the outcome."""
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    assert dialog.state == "running" and not dialog.download_button.isEnabled() and dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.state == "idle" and not dialog.running, timeout=WAIT_MS)


def signals(dialog: MnistDownloadDialog) -> list[str]:
    emitted: list[str] = []
    dialog.downloaded.connect(emitted.append)
    return emitted


def no_partial_files(folder: Path) -> bool:
    return not any(name.endswith(".part") for name in leftovers(folder))


# ---------------------------------------------------------------------------------------------------- state


def test_defaults(qtbot):
    dialog = make_dialog(qtbot)
    assert dialog.mirror() == DEFAULT_MIRROR
    assert [dialog.mirror_combo.itemText(i) for i in range(dialog.mirror_combo.count())] == list(MIRRORS)
    assert dialog.mirror_combo.isEditable()
    data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    assert Path(dialog.folder()) == Path(data) / "mnist"
    assert dialog.file_states() == dict.fromkeys(MNIST_DOWNLOADS, "missing")
    assert dialog.download_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.windowTitle() == "Download MNIST" and dialog.message() == ""


def test_files_already_there_are_listed(qtbot, server, tmp_path):
    dest = tmp_path / "mnist"
    dest.mkdir()
    (dest / "train-labels-idx1-ubyte.gz").write_bytes(server.files["/mnist/train-labels-idx1-ubyte.gz"])
    (dest / "t10k-images-idx3-ubyte.gz").write_bytes(b"<html>not IDX</html>")
    dialog = make_dialog(qtbot, server.url, dest, checksums=sha256s(server.files))
    assert dialog.file_states() == {TRAIN_IMAGES: "missing", "train-labels-idx1-ubyte.gz": "verified",
                                    "t10k-images-idx3-ubyte.gz": "invalid", "t10k-labels-idx1-ubyte.gz": "missing"}
    bar = dialog.findChild(QProgressBar, "bar_train_labels")
    assert bar.value() == bar.maximum() > 1  # a file that is there shows full, with its size
    # without checksums a file counts when it parses as IDX
    other = make_dialog(qtbot, server.url, dest, checksums={})
    assert other.file_states()["train-labels-idx1-ubyte.gz"] == "valid"
    assert other.file_states()["t10k-images-idx3-ubyte.gz"] == "invalid"
    other.folder_edit.setText(str(tmp_path / "elsewhere"))  # typing a path: the rows follow after a pause
    qtbot.waitUntil(lambda: other.file_states() == dict.fromkeys(MNIST_DOWNLOADS, "missing"), timeout=WAIT_MS)

    download(qtbot, dialog)  # fetches the three others, replacing the damaged one
    assert len(server.handler.requests) == 3 and "/mnist/train-labels-idx1-ubyte.gz" not in server.handler.requests
    assert dialog.file_states()["train-labels-idx1-ubyte.gz"] == "verified"
    assert dialog.file_states()["t10k-images-idx3-ubyte.gz"] == "downloaded"
    assert (dest / "t10k-images-idx3-ubyte.gz").read_bytes() == server.files["/mnist/t10k-images-idx3-ubyte.gz"]


# ---------------------------------------------------------------------------------------------------- success


def test_download_success_signal_and_remembered_settings(qtbot, server, tmp_path):
    dest = tmp_path / "data" / "mnist"  # created by the download
    dialog = make_dialog(qtbot, server.url, dest, checksums=sha256s(server.files))
    emitted = signals(dialog)
    with qtbot.waitSignal(dialog.downloaded, timeout=WAIT_MS) as blocker:
        download(qtbot, dialog)
    assert blocker.args == [str(dest)] and emitted == [str(dest)]
    assert leftovers(dest) == sorted(MNIST_DOWNLOADS)
    for name in MNIST_DOWNLOADS:
        assert (dest / name).read_bytes() == server.files[f"/mnist/{name}"]
    assert dialog.file_states() == dict.fromkeys(MNIST_DOWNLOADS, "downloaded")
    for row in dialog._rows.values():
        assert row.bar.maximum() > 1 and row.bar.value() == row.bar.maximum()
    message = dialog.message()
    assert message.startswith("Done.") and str(dest) in message
    assert f'href="{dest.as_uri()}"' in dialog.message_label.text()  # the folder is a link
    assert dialog.download_button.isEnabled() and not dialog.cancel_button.isEnabled()
    (_, t_train), _ = load_mnist(dest)
    assert t_train.shape == (120,)

    settings = QSettings()
    assert settings.value(f"{SETTINGS_GROUP}/mirror", "", type=str) == server.url
    assert settings.value(f"{SETTINGS_GROUP}/folder", "", type=str) == str(dest)

    # a new dialog remembers both and sees the files; Download again fetches nothing but still hands the folder over
    again = make_dialog(qtbot, checksums=sha256s(server.files))
    assert again.mirror() == server.url and again.folder() == str(dest)
    assert again.file_states() == dict.fromkeys(MNIST_DOWNLOADS, "verified")
    before = len(server.handler.requests)
    with qtbot.waitSignal(again.downloaded, timeout=WAIT_MS):
        download(qtbot, again)
    assert len(server.handler.requests) == before
    assert again.file_states() == dict.fromkeys(MNIST_DOWNLOADS, "verified")


# ---------------------------------------------------------------------------------------------------- cancel / close


def start_and_wait_for_bytes(qtbot, dialog: MnistDownloadDialog) -> None:
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.file_states()[TRAIN_IMAGES] == "downloading", timeout=WAIT_MS)
    row = dialog._rows[TRAIN_IMAGES]
    assert 0 < row.done < row.total and row.bar.value() == row.done and " of " in row.bar.format()


def test_cancel_midway(qtbot, slow_server, tmp_path):
    dest = tmp_path / "mnist"
    dialog = make_dialog(qtbot, slow_server.url, dest, checksums=sha256s(slow_server.files))
    emitted = signals(dialog)
    start_and_wait_for_bytes(qtbot, dialog)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.state == "cancelling" and dialog.message() == "Cancelling…"
    assert not dialog.cancel_button.isEnabled() and not dialog.download_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.state == "idle" and not dialog.running, timeout=WAIT_MS)
    assert dialog.file_states()[TRAIN_IMAGES] == "cancelled"
    assert dialog.message().startswith("Download cancelled.")
    assert leftovers(dest) == [] and emitted == []
    assert dialog.download_button.isEnabled() and dialog.mirror_combo.isEnabled()


def test_closing_mid_download_cancels_and_waits(qtbot, slow_server, tmp_path):
    dest = tmp_path / "mnist"
    dialog = make_dialog(qtbot, slow_server.url, dest, checksums={})
    emitted = signals(dialog)
    start_and_wait_for_bytes(qtbot, dialog)
    dialog.close()  # title-bar close → reject → done(): cancels, stays up until the worker has ended
    assert dialog.state == "cancelling" and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    assert not dialog.running and dialog.state == "idle"
    assert no_partial_files(dest) and TRAIN_IMAGES not in leftovers(dest) and emitted == []


def test_shutdown_blocks_until_the_thread_has_ended(qtbot, slow_server, tmp_path):
    dialog = make_dialog(qtbot, slow_server.url, tmp_path / "mnist", checksums={})
    start_and_wait_for_bytes(qtbot, dialog)
    assert dialog.shutdown(WAIT_MS) is True
    assert not dialog.running and no_partial_files(tmp_path / "mnist")
    qtbot.waitUntil(lambda: dialog.state == "idle", timeout=WAIT_MS)  # the queued signals still arrive


# ---------------------------------------------------------------------------------------------------- errors


def test_404_is_shown_in_the_dialog(qtbot, server, tmp_path):
    del server.files["/mnist/t10k-labels-idx1-ubyte.gz"]
    dest = tmp_path / "mnist"
    dialog = make_dialog(qtbot, server.url, dest, checksums={})
    emitted = signals(dialog)
    download(qtbot, dialog)
    message = dialog.message()
    assert "404 Not Found" in message and f"{server.url}t10k-labels-idx1-ubyte.gz" in message
    assert "Check the mirror address" in message
    states = dialog.file_states()
    assert states["t10k-labels-idx1-ubyte.gz"] == "failed"
    assert [states[name] for name in MNIST_DOWNLOADS[:3]] == ["downloaded"] * 3
    assert leftovers(dest) == sorted(MNIST_DOWNLOADS[:3]) and emitted == []
    assert not dialog.message_icon.isHidden()


def test_checksum_mismatch_is_shown(qtbot, server, tmp_path):
    dest = tmp_path / "mnist"
    dialog = make_dialog(qtbot, server.url, dest)  # the canonical MNIST MD5s; the served files are fakes
    download(qtbot, dialog)
    message = dialog.message()
    assert message.startswith(f"{TRAIN_IMAGES} does not match its published checksum (expected md5 ")
    assert "try another mirror" in message
    assert dialog.file_states()[TRAIN_IMAGES] == "failed" and leftovers(dest) == []


def test_unreachable_server(qtbot, monkeypatch, tmp_path):
    clear_proxies(monkeypatch)
    with closed_port() as port:
        dialog = make_dialog(qtbot, f"http://127.0.0.1:{port}/mnist/", tmp_path / "mnist", checksums={})
        download(qtbot, dialog)
    assert dialog.message().startswith(f"Could not reach 127.0.0.1:{port} (")
    assert dialog.file_states()[TRAIN_IMAGES] == "failed" and no_partial_files(tmp_path / "mnist")


def test_bad_mirror_url(qtbot, tmp_path):
    dialog = make_dialog(qtbot, "ftp://example.org/mnist/", tmp_path / "mnist")
    download(qtbot, dialog)
    expected = "The mirror address must start with http:// or https:// (got “ftp://example.org/mnist/”)."
    assert dialog.message() == expected
    assert dialog.file_states() == dict.fromkeys(MNIST_DOWNLOADS, "missing")
    assert QSettings().value(f"{SETTINGS_GROUP}/mirror", "", type=str) == "ftp://example.org/mnist/"


def test_empty_folder_is_refused_without_a_thread(qtbot):
    dialog = make_dialog(qtbot)
    dialog.set_folder("")
    qtbot.mouseClick(dialog.download_button, Qt.MouseButton.LeftButton)
    assert dialog.state == "idle" and not dialog.running
    assert dialog.message() == "Choose a folder to save the files in."
