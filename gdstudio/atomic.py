"""Atomic file writes: a reader (or a crash) sees either the old file or the complete new one, never half of it.

The data goes to a temporary file in the target's own directory (so ``os.replace`` stays on one file system and
is atomic), is flushed and fsync'ed, then renamed over the target. On any error the temporary file is removed
and the old target is left untouched. Nothing else of the old file (permissions, owner, links) is preserved.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["atomic_write_bytes", "atomic_write_text"]


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically (temp file in the same directory + fsync + os.replace)."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    tmp = tempfile.NamedTemporaryFile(
        mode="wb", dir=directory, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with tmp:
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
