"""Interface language: load gdstudio's own translation and Qt's, install them, switch live.

Installing a translator makes Qt send ``QEvent.LanguageChange`` to every widget; our widgets answer with
``retranslate_ui()``, so switching language keeps the window, the run and every setting as they are.
Missing ``.qm`` files are not an error: the interface then stays in English (the source language).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "current_language", "install_language", "normalize_language",
           "system_language", "translations_dir"]

DEFAULT_LANGUAGE = "en"
LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("zh_CN", "简体中文"))
"""(code, name in its own language) — names are never translated, so everyone can find their own."""

_installed: list[QTranslator] = []  # must stay referenced while installed
_current = DEFAULT_LANGUAGE


def translations_dir() -> Path | None:
    """``resources/translations`` if it exists."""
    try:
        from gdstudio.resources import resource_path

        folder = resource_path("translations")
    except (ImportError, FileNotFoundError):
        folder = Path(__file__).resolve().parents[2] / "resources" / "translations"
    return folder if folder.is_dir() else None


def normalize_language(lang: str | None) -> str:
    """A supported code for ``lang`` ("zh", "zh-CN", "zh_Hans_CN" → "zh_CN"); unknown → English."""
    if not lang:
        return DEFAULT_LANGUAGE
    text = lang.replace("-", "_").lower()
    if text.startswith("zh"):
        return "zh_CN"
    return DEFAULT_LANGUAGE


def system_language() -> str:
    return normalize_language(QLocale.system().name())


def current_language() -> str:
    return _current


def install_language(lang: str | None) -> bool:
    """Replace the installed translators with those of ``lang``; True if gdstudio's own file was found.

    English needs no file (True). Qt's own ``qtbase_<lang>.qm`` (standard dialog buttons) is added if Qt ships it.
    """
    global _current
    app = QCoreApplication.instance()
    code = normalize_language(lang)
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    _current = code
    if code == DEFAULT_LANGUAGE:
        if app is not None:
            QCoreApplication.sendEvent(app, _language_change_event())
        return True
    found = False
    folder = translations_dir()
    ours = QTranslator()
    if folder is not None and ours.load(f"gdstudio_{code}", str(folder)):
        _installed.append(ours)
        found = True
    qt = QTranslator()
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _installed.append(qt)
    if app is not None:
        for translator in _installed:
            app.installTranslator(translator)
        if not _installed:
            QCoreApplication.sendEvent(app, _language_change_event())
    return found


def _language_change_event():
    """Removing the last translator sends no event of its own; widgets must still re-read their texts."""
    from PySide6.QtCore import QEvent

    return QEvent(QEvent.Type.LanguageChange)
