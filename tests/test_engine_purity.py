"""Layering contract (an import-linter of our own): the engine and the headless CLI never load Qt.

The runtime checks run in fresh subprocesses: the pytest process itself has PySide6 loaded (pytest-qt), so its
sys.modules proves nothing. A blocker on the import system makes even a guarded ``try: import PySide6`` count.
Static checks read the source with ``ast`` so an import on a branch the runtime check does not reach is caught too.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gdstudio"
QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6")

# Installed in the subprocess before anything else: any attempt to import a Qt module is recorded and fails with
# ImportError, as it would on a server without Qt. At exit, the attempts and sys.modules are checked.
_GUARD = textwrap.dedent(
    """
    import importlib.abc, sys
    QT = {qt!r}
    attempts = []
    class _Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in QT:
                attempts.append(name)
                raise ImportError(f"blocked by test_engine_purity: {{name}}")
            return None
    sys.meta_path.insert(0, _Block())
    def _check():
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in QT)
        assert not attempts and not loaded, f"Qt import attempted: {{attempts}}, loaded: {{loaded}}"
    """
).format(qt=QT_MODULES)


def _run_guarded(body: str, *args: str) -> subprocess.CompletedProcess:
    code = _GUARD + "\n" + textwrap.dedent(body) + "\n_check()\n"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", code, *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
    )


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


ENGINE_MODULES = sorted(_module_name(p) for p in (PACKAGE / "engine").rglob("*.py"))
HEADLESS_MODULES = ["gdstudio", "gdstudio.atomic", "gdstudio.experiment", "gdstudio.resources", "gdstudio.cli"]


def test_engine_has_modules():
    assert "gdstudio.engine.descent" in ENGINE_MODULES and len(ENGINE_MODULES) >= 5, ENGINE_MODULES


def test_importing_engine_and_headless_modules_loads_no_qt():
    body = f"""
    import importlib
    for name in {ENGINE_MODULES + HEADLESS_MODULES!r}:
        importlib.import_module(name)
    """
    proc = _run_guarded(body)
    assert proc.returncode == 0, proc.stderr


def test_engine_computation_loads_no_qt():
    """Using the engine end to end (not only importing it) stays Qt-free: descent, batch, basins, surfaces."""
    body = """
    import numpy as np
    from gdstudio.engine.functions import get_function, function_from_expression
    from gdstudio.engine.descent import DescentConfig, run_descent
    from gdstudio.engine import batch, basins, surface
    f = get_function("rosenbrock")
    snaps = run_descent(DescentConfig(function=f, start=(-1.0, 1.0), optimizer="adam", hyper={"lr": 0.05}, steps=20))
    assert len(snaps) == 21
    g = function_from_expression("x**2 + 3*y**2")
    assert np.allclose(g.gradient(np.array([1.0, 1.0])), [2.0, 6.0])
    surface.sample_surface(f, resolution=20)
    """
    proc = _run_guarded(body)
    assert proc.returncode == 0, proc.stderr


def test_cli_run_path_loads_no_qt(tmp_path):
    """`gdstudio run EXP.json --json --out DIR` works with Qt unavailable and never tries to import it."""
    preset = ROOT / "resources" / "presets" / "seed_bowl.json"
    body = """
    import sys
    from gdstudio.cli import main
    rc = main(["run", sys.argv[1], "--json", "--out", sys.argv[2]])
    assert rc == 0, rc
    """
    proc = _run_guarded(body, str(preset), str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["status"] in ("finished", "converged")
    assert (tmp_path / "out" / "trajectory.csv").is_file()


def test_guard_catches_a_qt_import():
    """The check itself can fail: importing PySide6 under the guard is reported."""
    proc = _run_guarded("""
    try:
        import pyqtgraph
    except ImportError:
        pass
    """)
    assert proc.returncode != 0 and "Qt import attempted" in proc.stderr, proc.stderr


# --- static contracts (ast) -------------------------------------------------------------------------------------


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    return _imports_in(path.read_text(encoding="utf-8"), package)


def _imports_in(source: str, package: str) -> list[tuple[int, str, bool]]:
    """(line, absolute dotted name, at module level?) for every import; ``from a import b`` gives ``a.b``."""
    tree = ast.parse(source)
    top_level = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name, id(node) in top_level) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - (node.level - 1)] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            found.extend((node.lineno, f"{base}.{alias.name}", id(node) in top_level) for alias in node.names)
    return found


def _py_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (PACKAGE / folder).rglob("*.py"))


def _top(name: str) -> str:
    return name.split(".")[0]


ENGINE_MAY_USE = ("gdstudio.engine", "gdstudio.resources", "gdstudio.atomic", "gdstudio.__version__")
"""Pure-Python helpers of the package the engine may import besides itself (they import no Qt either)."""


def test_engine_imports_only_stdlib_numpy_and_itself():
    allowed_third_party = {"numpy"}
    problems = []
    for path in _py_files("engine"):
        for line, name, _ in _imports(path):
            top = _top(name)
            if top == "gdstudio":
                if not any(name == ok or name.startswith(ok + ".") for ok in ENGINE_MAY_USE):
                    problems.append(f"{path.relative_to(ROOT)}:{line} imports {name} (engine may use {ENGINE_MAY_USE})")
            elif top not in sys.stdlib_module_names and top not in allowed_third_party and top != "__future__":
                problems.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert not problems, "\n".join(problems)


def test_headless_modules_import_qt_only_lazily():
    """cli/experiment/atomic/resources may reach Qt only inside a function (the GUI branch of the CLI)."""
    problems = []
    for name in ("cli.py", "experiment.py", "atomic.py", "resources.py", "__init__.py", "__main__.py"):
        path = PACKAGE / name
        for line, module, at_top in _imports(path):
            if _top(module) in QT_MODULES or module.startswith(("gdstudio.app", "gdstudio.views")):
                if at_top:
                    problems.append(f"gdstudio/{name}:{line} imports {module} at module level")
    assert not problems, "\n".join(problems)


def test_models_workers_controllers_do_not_use_pyqtgraph():
    problems = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _py_files("models", "workers", "controllers")
        for line, name, _ in _imports(path)
        if _top(name) == "pyqtgraph"
    ]
    assert not problems, "\n".join(problems)


def test_pyside6_is_imported_before_pyqtgraph():
    """pyqtgraph picks its Qt binding from what is already imported; PySide6 must win, so it comes first."""
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        first_pyside = first_pg = None
        for line, name, at_top in sorted(_imports(path)):
            if not at_top:
                continue
            if _top(name) == "PySide6" and first_pyside is None:
                first_pyside = line
            if _top(name) == "pyqtgraph" and first_pg is None:
                first_pg = line
        if first_pg is not None and (first_pyside is None or first_pyside > first_pg):
            problems.append(f"{path.relative_to(ROOT)}:{first_pg} imports pyqtgraph before PySide6")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source, expected", [
    ("from . import autodiff\n", "gdstudio.engine.autodiff"),
    ("from .functions import Function\n", "gdstudio.engine.functions.Function"),
    ("from ..views import palette\n", "gdstudio.views.palette"),
    ("import PySide6.QtCore\n", "PySide6.QtCore"),
])
def test_relative_imports_are_resolved(source, expected):
    """The static checks resolve relative imports (else ``from ..views import x`` in the engine would slip by)."""
    assert [name for _, name, _ in _imports_in(source, "gdstudio.engine")] == [expected]


def test_function_level_imports_are_seen_but_marked_lazy():
    source = "import numpy\ndef f():\n    from PySide6 import QtCore\n"
    assert _imports_in(source, "gdstudio") == [(1, "numpy", True), (3, "PySide6.QtCore", False)]
