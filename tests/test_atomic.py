"""atomic_write_*: complete content on success; old file intact and no temp file left on failure."""

from __future__ import annotations

import os

import pytest

from gdstudio import atomic
from gdstudio.atomic import atomic_write_bytes, atomic_write_text


def test_text_written_and_replaces_old(tmp_path):
    target = tmp_path / "exp.json"
    target.write_text("old", encoding="utf-8")
    atomic_write_text(target, "new ü\n")
    assert target.read_bytes() == "new ü\n".encode("utf-8")
    assert os.listdir(tmp_path) == ["exp.json"]


def test_text_encoding_argument(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write_text(str(target), "é", encoding="latin-1")
    assert target.read_bytes() == b"\xe9"


def test_bytes_written_to_new_file(tmp_path):
    target = tmp_path / "data.bin"
    atomic_write_bytes(target, b"\x00\x01\xff")
    assert target.read_bytes() == b"\x00\x01\xff"
    assert os.listdir(tmp_path) == ["data.bin"]


def test_relative_path_in_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    atomic_write_text("plain.txt", "x")
    assert (tmp_path / "plain.txt").read_text() == "x"
    assert os.listdir(tmp_path) == ["plain.txt"]


def test_failure_in_fsync_keeps_old_file_and_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "exp.json"
    target.write_text("old content", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="No space"):
        atomic_write_text(target, "new content that never lands")
    assert target.read_text(encoding="utf-8") == "old content"
    assert os.listdir(tmp_path) == ["exp.json"]


def test_failure_in_replace_keeps_old_file_and_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "exp.json"
    target.write_text("old content", encoding="utf-8")

    def broken_replace(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(PermissionError):
        atomic_write_bytes(target, b"new")
    assert target.read_text(encoding="utf-8") == "old content"
    assert os.listdir(tmp_path) == ["exp.json"]


def test_interrupt_mid_write_cleans_up(tmp_path, monkeypatch):
    """Even a KeyboardInterrupt (not an Exception) must not leave the temp file behind."""
    target = tmp_path / "exp.json"
    target.write_text("old", encoding="utf-8")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["exp.json"]


def test_encoding_error_leaves_nothing(tmp_path):
    target = tmp_path / "a.txt"
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(target, "漢字", encoding="ascii")
    assert os.listdir(tmp_path) == []


def test_missing_directory_raises_without_side_effects(tmp_path):
    with pytest.raises(FileNotFoundError):
        atomic_write_text(tmp_path / "nope" / "a.txt", "x")
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="POSIX permissions")
def test_new_file_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "shared.json"
    atomic_write_text(target, "{}")
    assert target.stat().st_mode & 0o777 == atomic._NEW_FILE_MODE
    assert atomic._NEW_FILE_MODE & 0o400  # at least owner-readable, never the temp file's bare 0600 by accident
