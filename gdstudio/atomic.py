"""Atomic file writes: a reader (or a crash) sees either the old file or the complete new one, never half of it.

The data goes to a temporary file in the target's own directory (so ``os.replace`` stays on one file system and
is atomic), is flushed and fsync'ed, then renamed over the target. On any error the temporary file is removed
and the old target is left untouched. Nothing of the old file (permissions, owner, links) is preserved: the new
file gets the ordinary permissions of a new file (0666 minus the umask), not the temp file's private 0600.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text"]

# Read once at import (os.umask can only be read by setting it, which is not thread-safe later on).
_UMASK = os.umask(0o022)
os.umask(_UMASK)
_NEW_FILE_MODE = 0o666 & ~_UMASK


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file in the same directory + fsync + os.replace)."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    tmp = tempfile.NamedTemporaryFile(
        mode="wb", dir=directory, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with tmp:
            if hasattr(os, "fchmod"):  # POSIX; on Windows the temp file's mode is already the usual one
                os.fchmod(tmp.fileno(), _NEW_FILE_MODE)
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp.name, target)
    except BaseException:
        # BaseException too: a Ctrl+C in the middle must not leave a stray temp file behind.
        try:
            os.unlink(tmp.name)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Replace ``path`` with ``text`` atomically; newlines are written exactly as given (no translation)."""
    atomic_write_bytes(path, text.encode(encoding))
