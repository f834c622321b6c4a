"""Translations: refresh the Qt Linguist source file from the code, and compile it for the app.

    python packaging/build_translations.py            # compile resources/translations/*.ts -> .qm (lrelease)
    python packaging/build_translations.py --update   # first rescan gdstudio/**/*.py into the .ts (lupdate), then compile
    python packaging/build_translations.py --check    # exit 1 if the .ts misses strings the code has (no writes)
    python packaging/build_translations.py --todo FILE.json   # write the unfinished strings as a JSON list to translate
    python packaging/build_translations.py --fill FILE.json   # take the translations of such a list, then compile

lupdate keeps every existing translation; strings that left the code are dropped (-no-obsolete) and no line
numbers are written (-locations none), so the .ts only changes when the strings do. New strings arrive as
type="unfinished" and need a translation (Qt Linguist: ``pyside6-linguist resources/translations/gdstudio_zh_CN.ts``)
before tests/test_translations.py passes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from gdstudio.atomic import atomic_write_text  # noqa: E402 (the checkout's package, installed or not)

SOURCE_DIR = ROOT / "gdstudio"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
LANGUAGES = ("zh_CN",)


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"gdstudio_{language}.ts"


def qm_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"gdstudio_{language}.qm"


def source_files(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """Every Python file of the package, in a stable order (so the .ts order does not depend on the file system)."""
    return sorted(p for p in source_dir.rglob("*.py") if "__pycache__" not in p.parts)


def qt_tool(name: str) -> list[str]:
    """Command for lupdate / lrelease: the binary inside the installed PySide6, else pyside6-NAME on PATH."""
    try:
        import PySide6  # noqa: PLC0415 - only this script needs it, and only to find the tools

        exe = Path(PySide6.__file__).resolve().parent / name
        if sys.platform == "win32":
            exe = exe.with_suffix(".exe")
        if exe.is_file() and os.access(exe, os.X_OK):
            return [str(exe)]
    except ImportError:
        pass
    for candidate in (Path(sys.executable).parent / f"pyside6-{name}", shutil.which(f"pyside6-{name}")):
        if candidate and Path(candidate).is_file():
            return [str(candidate)]
    raise SystemExit(f"build_translations: cannot find {name}; install PySide6-Essentials (pip install -e .)")


def _run(command: list[str]) -> None:
    proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"build_translations: {Path(command[0]).name} failed with exit code {proc.returncode}")


def lupdate(ts: Path, sources: list[Path], language: str) -> None:
    """Merge the strings found in ``sources`` into ``ts`` (created if missing), keeping existing translations."""
    ts.parent.mkdir(parents=True, exist_ok=True)
    _run(
        qt_tool("lupdate")
        + ["-silent", "-no-obsolete", "-locations", "none", "-source-language", "en", "-target-language", language]
        + [str(p) for p in sources]
        + ["-ts", str(ts)]
    )


def lrelease(ts: Path, qm: Path) -> None:
    """Compile one .ts into the binary .qm that QTranslator loads."""
    _run(qt_tool("lrelease") + ["-silent", str(ts), "-qm", str(qm)])


def messages(ts: Path) -> set[tuple[str, str]]:
    """(context, source) of every live message in a .ts file (vanished/obsolete ones excluded)."""
    found = set()
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            kind = translation.get("type", "") if translation is not None else ""
            if kind not in ("vanished", "obsolete"):
                found.add((name, message.findtext("source", "")))
    return found


def missing_messages(language: str) -> set[tuple[str, str]]:
    """Strings that the code has and the committed .ts does not (what ``--update`` would add)."""
    with tempfile.TemporaryDirectory(prefix="gdstudio-lupdate-") as tmp:
        fresh = Path(tmp) / "fresh.ts"
        lupdate(fresh, source_files(), language)
        current = messages(ts_path(language)) if ts_path(language).is_file() else set()
        return messages(fresh) - current


def unfinished(ts: Path) -> list[dict[str, str]]:
    """[{context, source, translation: ""}] for every message still marked unfinished (the translator's to-do)."""
    todo = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") == "unfinished":
                todo.append({"context": name, "source": message.findtext("source", ""), "translation": ""})
    return todo


def fill(ts: Path, entries: list[dict[str, str]]) -> int:
    """Write the non-empty translations of ``entries`` (matched by context and source) into ``ts``; returns how
    many. The file is re-read and re-written by lupdate afterwards (``--update``), which restores its layout."""
    wanted = {(e["context"], e["source"]): e["translation"] for e in entries if e.get("translation")}
    tree = ET.parse(ts)
    count = 0
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            text = wanted.get((name, message.findtext("source", "")))
            translation = message.find("translation")
            if text is not None and translation is not None:
                translation.text = text
                translation.attrib.pop("type", None)
                count += 1
    body = ET.tostring(tree.getroot(), encoding="unicode")
    atomic_write_text(ts, '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--update", action="store_true", help="rescan the code into the .ts files, then compile")
    mode.add_argument("--check", action="store_true", help="exit 1 if a .ts misses strings from the code")
    mode.add_argument("--todo", metavar="FILE.json", help="write the unfinished strings (after --update) to translate")
    mode.add_argument("--fill", metavar="FILE.json", help="take the translations of a --todo list, then compile")
    args = parser.parse_args(argv)

    if args.todo or args.fill:
        language = LANGUAGES[0]
        ts = ts_path(language)
        lupdate(ts, source_files(), language)
        if args.todo:
            todo = unfinished(ts)
            atomic_write_text(args.todo, json.dumps(todo, ensure_ascii=False, indent=1) + "\n")
            print(f"{len(todo)} unfinished string(s) written to {args.todo}")
            return 0
        entries = json.loads(Path(args.fill).read_text(encoding="utf-8"))
        print(f"filled {fill(ts, entries)} translation(s)")
        lupdate(ts, source_files(), language)
        lrelease(ts, qm_path(language))
        left = len(unfinished(ts))
        print(f"compiled {qm_path(language).relative_to(ROOT)}; {left} string(s) still unfinished")
        return 1 if left else 0

    if args.check:
        status = 0
        for language in LANGUAGES:
            missing = missing_messages(language)
            for context, source in sorted(missing):
                print(f"{ts_path(language).name}: missing [{context}] {source!r}")
            status |= bool(missing)
        if status:
            print("run: python packaging/build_translations.py --update, then translate the new strings")
        return status

    sources = source_files()
    for language in LANGUAGES:
        ts = ts_path(language)
        if args.update:
            lupdate(ts, sources, language)
            print(f"updated {ts.relative_to(ROOT)} ({len(messages(ts))} messages)")
        if not ts.is_file():
            print(f"build_translations: {ts.relative_to(ROOT)} does not exist (run with --update)", file=sys.stderr)
            return 1
        lrelease(ts, qm_path(language))
        print(f"compiled {qm_path(language).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
