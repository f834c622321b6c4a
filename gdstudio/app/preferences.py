"""Everything gdstudio remembers between sessions, read with explicit types (QSettings returns strings from
INI files otherwise), one group per component: ui, window, session, view, recent.

Tests and the self-test pass their own QSettings (an INI file in a temporary folder) so they never touch the
user's settings.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings

__all__ = ["MAX_RECENT", "Preferences"]

MAX_RECENT = 10


class Preferences:
    """Typed accessors over a QSettings (default: the application's, organisation/application "gdstudio")."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else QSettings()

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Preferences:
        """Settings kept in an INI file (tests, self-test, portable use)."""
        return cls(QSettings(os.fspath(path), QSettings.Format.IniFormat))

    def _get(self, key: str, default, kind):
        value = self.settings.value(key, default, type=kind)
        return default if value is None else value

    def sync(self) -> None:
        self.settings.sync()

    # -- ui -----------------------------------------------------------------------------------------------------
    def language(self) -> str:
        """Saved interface language code, "" if never chosen."""
        return str(self._get("ui/language", "", str))

    def set_language(self, lang: str) -> None:
        self.settings.setValue("ui/language", lang)

    # -- window -------------------------------------------------------------------------------------------------
    def window_geometry(self) -> QByteArray:
        return self._get("window/geometry", QByteArray(), QByteArray)

    def window_state(self) -> QByteArray:
        return self._get("window/state", QByteArray(), QByteArray)

    def set_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.settings.setValue("window/geometry", geometry)
        self.settings.setValue("window/state", state)

    # -- session ------------------------------------------------------------------------------------------------
    def last_experiment(self) -> str:
        """The experiment open at the last exit, as JSON text ("" if none)."""
        return str(self._get("session/last_experiment", "", str))

    def set_last_experiment(self, text: str) -> None:
        self.settings.setValue("session/last_experiment", text)

    def steps_per_frame(self, default: int) -> int:
        return int(self._get("session/steps_per_frame", default, int))

    def set_steps_per_frame(self, steps: int) -> None:
        self.settings.setValue("session/steps_per_frame", int(steps))

    # -- view ---------------------------------------------------------------------------------------------------
    def view_flag(self, name: str, default: bool) -> bool:
        return bool(self._get(f"view/{name}", default, bool))

    def set_view_flag(self, name: str, value: bool) -> None:
        self.settings.setValue(f"view/{name}", bool(value))

    # -- recent files ---------------------------------------------------------------------------------------------
    def recent_files(self) -> list[str]:
        files = self._get("recent/files", [], list)
        if isinstance(files, str):  # a one-element list may come back as a plain string
            files = [files]
        return [str(f) for f in files if f][:MAX_RECENT]

    def add_recent_file(self, path: str | os.PathLike[str]) -> list[str]:
        """Put ``path`` first (absolute, no duplicates, at most MAX_RECENT); returns the new list."""
        entry = os.path.abspath(os.fspath(path))
        files = [entry] + [f for f in self.recent_files() if os.path.abspath(f) != entry]
        files = files[:MAX_RECENT]
        self.settings.setValue("recent/files", files)
        return files

    def remove_recent_file(self, path: str) -> None:
        self.settings.setValue("recent/files", [f for f in self.recent_files() if f != path])

    def clear_recent_files(self) -> None:
        self.settings.setValue("recent/files", [])
