"""File ▸ Download MNIST…: choose a mirror and a folder, see which of the four files are already there, fetch the
rest with a progress bar per file and Cancel, and hand the folder to the network lab (``downloaded(folder)``).

``download_mnist`` blocks and reports through a callback, so it runs as a one-item generator on an
EngineWorker/WorkerHandle (the canonical thread wiring); the callback's progress reaches the dialog through a
small relay QObject that lives on the GUI thread (its signal, emitted on the worker thread, is queued here).
Closing the dialog mid-download cancels and keeps the dialog up ("Cancelling…") until the worker has ended.
"""

from __future__ import annotations

import hashlib
import html
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QSettings, QStandardPaths, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from gdstudio.engine.datasets.base import DatasetError
from gdstudio.engine.datasets.download import (
    DEFAULT_MIRROR,
    MIRRORS,
    MNIST_CHECKSUMS,
    MNIST_DOWNLOADS,
    DownloadCancelled,
    DownloadError,
    _parse_checksum,
    download_mnist,
)
from gdstudio.engine.datasets.idx import read_idx
from gdstudio.views.widgets import RetranslateOnLanguageChange
from gdstudio.workers.engine_worker import EMIT_INTERVAL, EngineWorker, WorkerHandle

__all__ = ["SETTINGS_GROUP", "MnistDownloadDialog", "default_mnist_folder", "scan_mnist_folder"]

SETTINGS_GROUP = "mnist_download"
"""QSettings group: ``mirror`` (last mirror URL used) and ``folder`` (last destination)."""

SHUTDOWN_WAIT_MS = 30_000
"""Longest wait for a cancelled download when the application quits (a stalled read ends at the socket timeout)."""


def default_mnist_folder() -> str:
    """The user's data folder for gdstudio + "/mnist" (e.g. ~/.local/share/gdstudio/gdstudio/mnist on Linux)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return str(Path(base) / "mnist")


def scan_mnist_folder(folder: str | Path, checksums: Mapping[str, str] | None = None) -> dict[str, str]:
    """File name -> "missing" | "verified" (checksum matches) | "valid" (no checksum; parses as IDX) | "invalid".

    The same test download_mnist applies before skipping a file, minus the IDX parse when a checksum is known (a
    matching digest already pins the bytes), so opening the dialog on a full folder costs one MD5 pass, not a
    decompression of 47 MB.
    """
    table = MNIST_CHECKSUMS if checksums is None else checksums
    states = {}
    for name in MNIST_DOWNLOADS:
        path = Path(folder) / name
        if not path.is_file():
            states[name] = "missing"
            continue
        try:
            if name in table:
                algo, expected = _parse_checksum(name, table[name])
                with open(path, "rb") as f:
                    ok = hashlib.file_digest(f, algo).hexdigest() == expected
                states[name] = "verified" if ok else "invalid"
            else:
                read_idx(path, name=name)
                states[name] = "valid"
        except (OSError, DatasetError):
            states[name] = "invalid"
    return states


@dataclass(frozen=True)
class _Outcome:
    """What the download generator yields once: "done" (paths), "cancelled", or "failed" (error)."""

    status: str
    paths: tuple[Path, ...] = ()
    error: DownloadError | None = None


class _ProgressRelay(QObject):
    """Lives on the GUI thread; ``report`` is called on the worker thread, so the signal is queued to the dialog."""

    progress = Signal(str, "qint64", "qint64")  # file name, bytes done, bytes in all (-1: the server did not say)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._last = 0.0

    def report(self, done: int, total: int, name: str) -> None:
        """download_mnist's progress callback: at most ~60 signals a second, but every file's start and end."""
        now = time.monotonic()
        with self._lock:
            if done != total and done > 1 << 16 and now - self._last < EMIT_INTERVAL:
                return
            self._last = now
        self.progress.emit(name, done, total)


def _download_items(folder: str, mirror: str, checksums: Mapping[str, str] | None, timeout: float,
                    cancel: threading.Event, report: Callable[[int, int, str], None]) -> Iterator[_Outcome]:
    """The whole download as one item for EngineWorker (progress goes through ``report``)."""
    try:
        paths = download_mnist(folder, mirror, progress=report, cancel=cancel, checksums=checksums,
                               timeout=timeout)
    except DownloadCancelled as e:
        yield _Outcome("cancelled", error=e)
    except DownloadError as e:
        yield _Outcome("failed", error=e)
    else:
        yield _Outcome("done", tuple(paths))


_ROW_STATES = ("missing", "verified", "valid", "invalid", "waiting", "downloading", "verifying", "downloaded",
               "cancelled", "failed")

_REACH = re.compile(r"^cannot reach (?P<host>\S+?): (?P<reason>.*)$", re.S)
_HTTP = re.compile(r"^the server answered (?P<status>.+?) for (?P<url>\S+)$", re.S)
_CHECKSUM = re.compile(r"^checksum mismatch: expected (?P<expected>.+), got (?P<got>\S+)$", re.S)
_NOT_IDX = re.compile(r"^the downloaded file is not a valid IDX file")


class _FileRow:
    """The widgets of one file: name, progress bar (bytes), state text."""

    def __init__(self, name: str, parent: QWidget) -> None:
        self.name_label = QLabel(name, parent)
        self.bar = QProgressBar(parent)
        self.bar.setObjectName(f"bar_{name.split('-', 2)[0]}_{name.split('-', 2)[1]}")
        self.bar.setTextVisible(True)
        self.bar.setMinimumWidth(180)
        self.bar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.state_label = QLabel(parent)
        self.state = "missing"
        self.done = 0
        self.total = -1


class MnistDownloadDialog(RetranslateOnLanguageChange, QDialog):
    """Download the four MNIST files into a folder; emits ``downloaded(folder)`` when all four are there.

    ``checksums`` is download_mnist's argument (None: the canonical MNIST MD5s; tests pass the digests of the
    files they serve). ``settings`` defaults to the application's QSettings.
    """

    downloaded = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, settings: QSettings | None = None,
                 checksums: Mapping[str, str] | None = None, timeout: float = 20.0) -> None:
        super().__init__(parent)
        self.setObjectName("MnistDownloadDialog")
        self._settings = settings if settings is not None else QSettings()
        self._checksums = None if checksums is None else dict(checksums)
        self._timeout = float(timeout)
        self._state = "idle"  # "idle" | "running" | "cancelling"
        self._handle: WorkerHandle | None = None  # kept until the next download (engine_worker's lifetime rule)
        self._cancel = threading.Event()
        self._outcome: _Outcome | None = None
        self._unexpected = ""  # a worker failure that is not a DownloadError (a bug): shown as is
        self._close_result: int | None = None  # set when a close waits for the worker to end
        self._job_folder = ""
        self._message: tuple[str, tuple] = ("", ())  # (kind, arguments) re-rendered on a language change
        self._relay = _ProgressRelay(self)
        self._relay.progress.connect(self._on_file_progress)

        self.intro_label = QLabel(self)
        self.intro_label.setWordWrap(True)

        self.mirror_label = QLabel(self)
        self.mirror_combo = QComboBox(self)
        self.mirror_combo.setObjectName("mirror_combo")
        self.mirror_combo.setEditable(True)
        self.mirror_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.mirror_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.mirror_combo.setMinimumContentsLength(40)
        self.mirror_combo.addItems(list(MIRRORS))
        self.folder_label = QLabel(self)
        self.folder_edit = QLineEdit(self)
        self.folder_edit.setObjectName("folder_edit")
        self.browse_button = QPushButton(self)
        self.browse_button.setObjectName("browse_button")
        self.browse_button.clicked.connect(self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.mirror_label, self.mirror_combo)
        form.addRow(self.folder_label, folder_row)

        self.files_box = QGroupBox(self)
        grid = QGridLayout(self.files_box)
        grid.setColumnStretch(1, 1)
        self._rows: dict[str, _FileRow] = {}
        for i, name in enumerate(MNIST_DOWNLOADS):
            row = _FileRow(name, self.files_box)
            grid.addWidget(row.name_label, i, 0)
            grid.addWidget(row.bar, i, 1)
            grid.addWidget(row.state_label, i, 2)
            self._rows[name] = row

        self.message_icon = QLabel(self)
        self.message_icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(Qt.TextFormat.RichText)
        self.message_label.setOpenExternalLinks(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.message_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message_icon)
        message_row.addWidget(self.message_label, 1)

        self.buttons = QDialogButtonBox(self)
        self.download_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.download_button.setObjectName("download_button")
        self.download_button.setDefault(True)
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("close_button")
        self.close_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.intro_label)
        layout.addLayout(form)
        layout.addWidget(self.files_box)
        layout.addLayout(message_row)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._rescan_timer = QTimer(self)
        self._rescan_timer.setSingleShot(True)
        self._rescan_timer.setInterval(300)
        self._rescan_timer.timeout.connect(self.refresh_files)
        self.folder_edit.textChanged.connect(self._schedule_rescan)

        self._restore_settings()
        self.retranslate_ui()
        self.refresh_files()
        self._update_enabled()
        self.setMinimumWidth(640)

    # -- public API -------------------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        """"idle", "running" or "cancelling"."""
        return self._state

    @property
    def running(self) -> bool:
        """True while a download thread may still run."""
        return self._handle is not None and self._handle.running

    def mirror(self) -> str:
        return self.mirror_combo.currentText().strip()

    def set_mirror(self, url: str) -> None:
        self.mirror_combo.setCurrentText(url)

    def folder(self) -> str:
        return self.folder_edit.text().strip()

    def set_folder(self, folder: str | Path) -> None:
        self.folder_edit.setText(str(folder))
        self.refresh_files()

    def file_states(self) -> dict[str, str]:
        """File name -> the state its row shows (see scan_mnist_folder, plus waiting / downloading / verifying /
        downloaded / cancelled / failed during and after a download)."""
        return {name: row.state for name, row in self._rows.items()}

    def message(self) -> str:
        """The message under the files as plain text ("" when none)."""
        return self.message_label.text() and _plain(self.message_label.text())

    @Slot()
    def browse(self) -> None:
        start = self.folder() or default_mnist_folder()
        while start and not Path(start).is_dir() and Path(start).parent != Path(start):
            start = str(Path(start).parent)
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder for the MNIST Files"), start)
        if chosen:
            self.set_folder(chosen)

    @Slot(str)
    def _schedule_rescan(self, _text: str) -> None:
        self._rescan_timer.start()  # typing a path: look once the user pauses, not at every key

    @Slot()
    def refresh_files(self) -> None:
        """Look at the folder again: which files are there and valid (not while a download runs)."""
        self._rescan_timer.stop()
        if self._state != "idle":
            return
        folder = self.folder()
        states = scan_mnist_folder(folder, self._checksums) if folder else dict.fromkeys(MNIST_DOWNLOADS, "missing")
        for name, state in states.items():
            row = self._rows[name]
            row.state = state
            size = _file_size(Path(folder) / name) if state in ("verified", "valid") else -1
            row.done, row.total = (size, size) if size >= 0 else (0, -1)
            self._render_row(row)
        self._update_enabled()

    @Slot()
    def start_download(self) -> None:
        """Fetch what is missing into the folder, on a worker thread (does nothing while one runs)."""
        if self._state != "idle" or self.running:
            return
        folder, mirror = self.folder(), self.mirror()
        if not folder:
            self._show_message("no_folder")
            return
        self._save_settings()
        self.refresh_files()
        for row in self._rows.values():
            if row.state not in ("verified", "valid"):
                row.state, row.done, row.total = "waiting", 0, -1
                self._render_row(row)
        self._outcome = None
        self._unexpected = ""
        self._job_folder = folder
        self._cancel = threading.Event()
        items = _download_items(folder, mirror, self._checksums, self._timeout, self._cancel, self._relay.report)
        if self._handle is not None:
            self._handle.wait()  # the last run's thread has ended; make sure it is out of QThread::finish too
        handle = WorkerHandle(EngineWorker(items))
        handle.progress.connect(self._on_batch)
        handle.failed.connect(self._on_failed)
        handle.finished.connect(self._on_finished)
        self._handle = handle
        self._state = "running"
        self._show_message("running", (mirror,))
        self._update_enabled()
        handle.start()

    @Slot()
    def cancel(self) -> None:
        """Ask the running download to stop (between two chunks); the dialog says so when it has."""
        if self._state != "running":
            return
        self._cancel.set()
        if self._handle is not None:
            self._handle.request_stop()
        self._state = "cancelling"
        self._show_message("cancelling")
        self._update_enabled()

    @classmethod
    def show_for(cls, window: QWidget, dialog: MnistDownloadDialog | None, on_downloaded) -> MnistDownloadDialog:
        """File ▸ Download MNIST… of ``window``: one non-modal dialog per window, made on first use and kept (with
        its worker) until the window closes; ``on_downloaded(folder)`` is the window's slot."""
        if dialog is None:
            dialog = cls(window)
            dialog.downloaded.connect(on_downloaded)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def shutdown(self, wait_ms: int = SHUTDOWN_WAIT_MS) -> bool:
        """Cancel and wait (blocking) for the worker thread, e.g. when the application quits; True if it ended."""
        self._cancel.set()
        if self._handle is None:
            return True
        return self._handle.stop(wait_ms)

    # -- closing ----------------------------------------------------------------------------------------------
    def done(self, result: int) -> None:  # Qt override: accept, reject, Esc, the Close button and the title bar
        """Close now when idle; mid-download cancel first and close once the worker thread has ended."""
        if self._state != "idle" or self.running:
            self._close_result = int(result)
            self.cancel()
            return
        super().done(result)

    @Slot()
    def _close_after_worker(self) -> None:
        result, self._close_result = self._close_result, None
        if result is None:
            return
        if self._handle is not None:
            self._handle.wait()
        super().done(result)

    # -- worker signals (GUI thread) --------------------------------------------------------------------------
    @Slot(str, "qint64", "qint64")
    def _on_file_progress(self, name: str, done: int, total: int) -> None:
        row = self._rows.get(name)
        if row is None or self._state == "idle":
            return
        for other in self._rows.values():  # a new file has started: the one before it passed its checks
            if other is not row and other.state == "verifying":
                other.state = "downloaded"
                self._render_row(other)
        if row.state not in ("verified", "valid"):  # (files already there are reported once as done = total)
            row.state = "verifying" if 0 <= total == done else "downloading"
        row.done, row.total = int(done), int(total)
        self._render_row(row)

    @Slot(object)
    def _on_batch(self, items: list) -> None:
        for item in items:
            if isinstance(item, _Outcome):
                self._outcome = item

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._unexpected = message

    @Slot()
    def _on_finished(self) -> None:
        """The worker thread has stopped: show the outcome, look at the folder again, maybe close."""
        outcome = self._outcome
        if outcome is None:  # stopped before the download began, or a bug in the worker
            outcome = _Outcome("failed") if self._unexpected else _Outcome("cancelled")
        self._state = "idle"
        fetched = {name for name, row in self._rows.items() if row.state in ("downloading", "verifying", "downloaded")}
        self.refresh_files()
        for name in fetched:
            row = self._rows[name]
            if row.state in ("verified", "valid"):
                row.state = "downloaded"
                self._render_row(row)
        error_file = outcome.error.field if outcome.error is not None else ""
        if outcome.status == "done":
            self._show_message("done", (self._job_folder,))
        elif outcome.status == "cancelled":
            self._mark(error_file, "cancelled")
            self._show_message("cancelled")
        elif outcome.error is not None:
            self._mark(error_file, "failed")
            self._show_message("error", (outcome.error,))
        else:
            self._show_message("unexpected", (self._unexpected,))
        self._update_enabled()
        if outcome.status == "done":
            self.downloaded.emit(self._job_folder)
        if self._close_result is not None:
            QTimer.singleShot(0, self, self._close_after_worker)  # not inside a slot of thread.finished

    def _mark(self, name: str, state: str) -> None:
        row = self._rows.get(name)
        if row is not None and row.state not in ("verified", "valid", "downloaded"):
            row.state = state
            self._render_row(row)

    # -- texts ------------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.refresh_files()  # files may have appeared or gone since the dialog was last open
        super().showEvent(event)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(self.tr("Download MNIST"))
        self.intro_label.setText(self.tr(
            "MNIST holds 70,000 handwritten digits (28×28 pixels): 60,000 for training and 10,000 for testing, in "
            "four files of about 11 MB together. Each file is checked against its published checksum before it is "
            "kept; files already in the folder are not fetched again."))
        self.mirror_label.setText(self.tr("&Mirror:"))
        self.mirror_label.setBuddy(self.mirror_combo)
        self.mirror_combo.setToolTip(self.tr("Any http:// or https:// address of a folder holding the four "
                                             "MNIST .gz files"))
        self.folder_label.setText(self.tr("&Save in:"))
        self.folder_label.setBuddy(self.folder_edit)
        self.folder_edit.setToolTip(self.tr("The folder the four files are saved in; the network lab loads MNIST "
                                            "from it"))
        self.browse_button.setText(self.tr("&Browse…"))
        self.files_box.setTitle(self.tr("Files"))
        self.download_button.setText(self.tr("&Download"))
        self.cancel_button.setText(self.tr("&Cancel"))
        self.close_button.setText(self.tr("Close"))
        # the state column as wide as its longest text, so the bars keep their width as the states change
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(self._state_text(state)) for state in _ROW_STATES)
        for row in self._rows.values():
            row.state_label.setMinimumWidth(widest + metrics.averageCharWidth())
            self._render_row(row)
        self._render_message()

    def _state_text(self, state: str) -> str:
        checked = self._checksums is None or bool(self._checksums)
        texts = {  # keys: _ROW_STATES
            "missing": self.tr("not here yet"),
            "verified": self.tr("already here, checksum OK"),
            "valid": self.tr("already here"),
            "invalid": self.tr("damaged, will be replaced"),
            "waiting": self.tr("waiting"),
            "downloading": self.tr("downloading…"),
            "verifying": self.tr("checking…"),
            "downloaded": self.tr("downloaded, checksum OK") if checked else self.tr("downloaded"),
            "cancelled": self.tr("cancelled"),
            "failed": self.tr("failed"),
        }
        return texts.get(state, state)

    def _render_row(self, row: _FileRow) -> None:
        row.state_label.setText(self._state_text(row.state))
        bar = row.bar
        if row.state == "downloading" and row.total < 0:  # no length from the server: a busy bar with the bytes
            bar.setRange(0, 0)
            bar.setFormat(_size(row.done))
            return
        total = max(row.total, 0)
        done = total if row.state in ("verified", "valid", "downloaded", "verifying") else min(row.done, total)
        bar.setRange(0, max(total, 1))
        bar.setValue(done if total else 0)
        if row.state in ("missing", "waiting", "invalid") or total == 0:
            bar.setFormat("")
        elif done == total:
            bar.setFormat(_size(total))
        else:
            bar.setFormat(self.tr("%1 of %2").replace("%1", _size(done)).replace("%2", _size(total)))

    def _show_message(self, kind: str, args: tuple = ()) -> None:
        self._message = (kind, args)
        self._render_message()

    def _render_message(self) -> None:
        kind, args = self._message
        icon = None
        if kind == "running":
            text = html.escape(self.tr("Downloading from %1").replace("%1", args[0]))
        elif kind == "cancelling":
            text = html.escape(self.tr("Cancelling…"))
        elif kind == "cancelled":
            text = html.escape(self.tr("Download cancelled. Files completed before are kept; no partial file "
                                       "was left behind."))
        elif kind == "done":
            folder = args[0]
            link = f'<a href="{html.escape(QUrl.fromLocalFile(folder).toString())}">{html.escape(folder)}</a>'
            text = html.escape(self.tr("Done. The four MNIST files are in %1. In the network lab, choose the data "
                                       "set MNIST with this folder.")).replace("%1", link)
            icon = QStyle.StandardPixmap.SP_DialogApplyButton
        elif kind == "no_folder":
            text = html.escape(self.tr("Choose a folder to save the files in."))
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        elif kind == "error":
            text = html.escape(self._describe_error(args[0]))
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        elif kind == "unexpected":
            text = html.escape(self.tr("The download stopped because of an error: %1").replace("%1", args[0]))
            icon = QStyle.StandardPixmap.SP_MessageBoxWarning
        else:
            text = ""
        self.message_label.setText(text)
        if icon is None:
            self.message_icon.clear()
            self.message_icon.hide()
        else:
            size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            self.message_icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
            self.message_icon.show()

    def _describe_error(self, error: DownloadError) -> str:
        """The engine's English message turned into a sentence that says what to do (raw message as fallback)."""
        name, message = error.field, error.message
        if name == "mirror_url":
            return self.tr("The mirror address must start with http:// or https:// (got “%1”).").replace(
                "%1", self.mirror())
        if name == "dest_dir" or message.startswith("cannot write into"):
            return self.tr("Cannot save into the folder: %1").replace("%1", message)
        if m := _REACH.match(message):
            return (self.tr("Could not reach %1 (%2). Check the network connection and the mirror address.")
                    .replace("%1", m["host"]).replace("%2", m["reason"]))
        if m := _HTTP.match(message):
            return (self.tr("The mirror answered “%1” for %2. Check the mirror address: it must be a folder that "
                            "holds the four MNIST .gz files.").replace("%1", m["status"]).replace("%2", m["url"]))
        if m := _CHECKSUM.match(message):
            return (self.tr("%1 does not match its published checksum (expected %2, got %3), so it was not kept. "
                            "The mirror serves a different or damaged file: try another mirror.")
                    .replace("%1", name).replace("%2", m["expected"]).replace("%3", m["got"]))
        if _NOT_IDX.match(message):
            return self.tr("%1 is not an MNIST data file (the server may have sent a web page instead), so it "
                           "was not kept. Try another mirror.").replace("%1", name)
        return self.tr("Downloading %1 failed: %2").replace("%1", name).replace("%2", message)

    # -- state ------------------------------------------------------------------------------------------------
    def _update_enabled(self) -> None:
        idle = self._state == "idle"
        for widget in (self.mirror_combo, self.folder_edit, self.browse_button, self.download_button):
            widget.setEnabled(idle)
        self.cancel_button.setEnabled(self._state == "running")
        self.close_button.setEnabled(self._state != "cancelling")

    def _restore_settings(self) -> None:
        s = self._settings
        s.beginGroup(SETTINGS_GROUP)
        try:
            mirror = str(s.value("mirror", DEFAULT_MIRROR, type=str) or DEFAULT_MIRROR)
            folder = str(s.value("folder", "", type=str) or default_mnist_folder())
        finally:
            s.endGroup()
        if self.mirror_combo.findText(mirror) < 0:
            self.mirror_combo.addItem(mirror)
        self.mirror_combo.setCurrentText(mirror)
        self.folder_edit.blockSignals(True)
        self.folder_edit.setText(folder)
        self.folder_edit.blockSignals(False)

    def _save_settings(self) -> None:
        s = self._settings
        s.beginGroup(SETTINGS_GROUP)
        s.setValue("mirror", self.mirror())
        s.setValue("folder", self.folder())
        s.endGroup()


def _size(n: int) -> str:
    return QLocale().formattedDataSize(max(int(n), 0), 1, QLocale.DataSizeFormat.DataSizeSIFormat)


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _plain(rich: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rich))
