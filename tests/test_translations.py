"""The Simplified Chinese translation is complete, consistent with the code, and compiles to what the app loads.

When the code gains a string: ``python packaging/build_translations.py --update``, translate the new entries in
resources/translations/gdstudio_zh_CN.ts (no type="unfinished" left), and compile again.
"""

from __future__ import annotations

import importlib.util
import re
import string
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "resources" / "translations" / "gdstudio_zh_CN.ts"
QM = TS.with_suffix(".qm")

MIN_MESSAGES = 80
"""Fewer strings found by lupdate means user-visible text escaped tr() (the finished GUI has well over this)."""

_spec = importlib.util.spec_from_file_location("build_translations", ROOT / "packaging" / "build_translations.py")
build_translations = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("build_translations", build_translations)
_spec.loader.exec_module(build_translations)

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _messages(path: Path = TS) -> list[tuple[str, ET.Element]]:
    root = ET.parse(path).getroot()
    return [(ctx.findtext("name", ""), msg) for ctx in root.iter("context") for msg in ctx.iter("message")]


def _translations(message: ET.Element) -> list[str]:
    """The translated text(s) of a message: one, or one per plural form for %n messages."""
    translation = message.find("translation")
    if translation is None:
        return []
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.iter("numerusform")]
    return [translation.text or ""]


def _where(context: str, message: ET.Element) -> str:
    return f"[{context}] {message.findtext('source')!r}"


def test_ts_file_parses_and_declares_languages():
    root = ET.parse(TS).getroot()
    assert root.tag == "TS"
    assert root.get("language") == "zh_CN"
    assert root.get("sourcelanguage") in (None, "en", "en_US")


def test_every_message_is_translated():
    problems = []
    for context, message in _messages():
        translation = message.find("translation")
        kind = translation.get("type", "") if translation is not None else "missing"
        texts = _translations(message)
        if kind or not texts or not all(t.strip() for t in texts):
            problems.append(f"{_where(context, message)}: {kind or 'empty'}")
    assert not problems, f"{len(problems)} untranslated message(s):\n" + "\n".join(problems[:50])


def _placeholders(text: str) -> tuple[list[str], list[str]]:
    """Python format fields ({name}, {0:.3g}) and Qt ones (%n, %1..%99), sorted, for comparison."""
    fields = []
    try:
        for _, name, spec, conv in string.Formatter().parse(text):
            if name is not None:
                fields.append(f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}")
    except ValueError:  # an unbalanced brace: compare the raw text instead
        fields.append(f"<unparsable {text!r}>")
    return sorted(fields), sorted(re.findall(r"%(?:n|L?\d{1,2})", text))


def test_translations_keep_the_placeholders():
    """A dropped or renamed {field} raises KeyError at run time in the Chinese UI only; catch it here."""
    problems = []
    for context, message in _messages():
        source = message.findtext("source", "")
        for text in _translations(message):
            if text.strip() and _placeholders(text) != _placeholders(source):
                problems.append(f"{_where(context, message)} -> {text!r}")
    assert not problems, "placeholders differ:\n" + "\n".join(problems)


def _mnemonic(text: str) -> bool:
    return re.search(r"&(?!&)\S", text.replace("&&", "")) is not None


def test_translations_keep_keyboard_mnemonics():
    """'&File' needs a mnemonic in Chinese too ('文件(&F)'), else the menu loses its Alt shortcut."""
    problems = [
        f"{_where(context, message)} -> {text!r}"
        for context, message in _messages()
        for text in _translations(message)
        if text.strip() and _mnemonic(message.findtext("source", "")) and not _mnemonic(text)
    ]
    assert not problems, "mnemonic lost:\n" + "\n".join(problems)


def test_most_translations_are_chinese():
    """Guards against English copied into the translation; names like 'Adam' or 'SGD' may stay as they are."""
    texts = [text for _, message in _messages() for text in _translations(message) if text.strip()]
    chinese = sum(bool(_CJK.search(t)) for t in texts)
    assert texts and chinese >= 0.5 * len(texts), f"only {chinese} of {len(texts)} translations contain Chinese"


def test_lupdate_finds_the_gui_strings(tmp_path):
    fresh = tmp_path / "fresh.ts"
    build_translations.lupdate(fresh, build_translations.source_files(), "zh_CN")
    found = build_translations.messages(fresh)
    assert len(found) >= MIN_MESSAGES, f"lupdate found only {len(found)} translatable strings in gdstudio/"


def test_ts_is_up_to_date_with_the_code():
    missing = build_translations.missing_messages("zh_CN")
    listing = "\n".join(f"[{c}] {s!r}" for c, s in sorted(missing)[:50])
    assert not missing, (
        f"{len(missing)} string(s) in the code are not in {TS.name}; run "
        f"`python packaging/build_translations.py --update` and translate them:\n{listing}"
    )


def test_ts_has_no_stale_entries(tmp_path):
    """Strings removed from the code leave the .ts too (lupdate -no-obsolete), so translators see only live text."""
    fresh = tmp_path / "fresh.ts"
    build_translations.lupdate(fresh, build_translations.source_files(), "zh_CN")
    stale = build_translations.messages(TS) - build_translations.messages(fresh)
    assert not stale, "no longer in the code (run --update):\n" + "\n".join(f"[{c}] {s!r}" for c, s in sorted(stale))


@pytest.fixture
def compiled_qm(tmp_path) -> Path:
    qm = tmp_path / "gdstudio_zh_CN.qm"
    build_translations.lrelease(TS, qm)
    return qm


def test_committed_qm_is_what_lrelease_produces(compiled_qm):
    """If a .qm is in the tree (committed or built), it must be the compiled current .ts, not a stale one."""
    if QM.exists():
        assert QM.read_bytes() == compiled_qm.read_bytes(), (
            f"{QM.relative_to(ROOT)} is stale: run `python packaging/build_translations.py`"
        )


def test_compiled_translation_loads_and_translates(compiled_qm, qapp):
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(compiled_qm)), "QTranslator refused the compiled .qm"
    assert translator.language() == "zh_CN"
    checked = 0
    for context, message in _messages():
        if message.get("numerus") == "yes":
            continue
        source, (expected,) = message.findtext("source", ""), _translations(message)
        assert translator.translate(context, source) == expected, _where(context, message)
        checked += 1
    assert checked > 0
