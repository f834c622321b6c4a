"""Packaging: project metadata, resources found in every install layout, README and CI kept in sync, icons valid."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import gdstudio
from gdstudio import resources

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the project supports 3.10 but develops on 3.11

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
ICONS = ("gdstudio", "play", "pause", "step", "reset", "compare", "basin")


# --- pyproject.toml ---------------------------------------------------------------------------------------------


def test_project_metadata():
    project = PYPROJECT["project"]
    assert project["name"] == "gdstudio"
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "gdstudio.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", gdstudio.__version__)
    assert project["requires-python"] == ">=3.10"
    assert project["scripts"] == {"gdstudio": "gdstudio.cli:main"}
    deps = project["dependencies"]
    assert "PySide6-Essentials>=6.11,<6.12" in deps
    assert any(d.startswith("numpy>=") for d in deps) and any(d.startswith("pyqtgraph>=") for d in deps)
    extras = project["optional-dependencies"]
    assert {re.split(r"[<>=]", d)[0] for d in extras["test"]} >= {"pytest", "pytest-qt", "hypothesis"}
    assert [re.split(r"[<>=]", d)[0] for d in extras["build"]] == ["pyinstaller"]


def test_console_script_target_exists():
    from gdstudio import cli

    assert callable(cli.main)


def test_every_package_is_listed():
    """pyproject lists packages by hand (the resources mapping needs it): a new subpackage must be added there."""
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in [ROOT / "gdstudio", *(ROOT / "gdstudio").rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py"))
    }
    missing = sorted(on_disk - listed)
    assert not missing, f"add to [tool.setuptools] packages in pyproject.toml: {missing}"
    assert sorted(listed - on_disk) == ["gdstudio._resources"]
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["gdstudio._resources"] == "resources"


def test_pytest_configuration():
    ini = PYPROJECT["tool"]["pytest"]["ini_options"]
    assert ini["qt_api"] == "pyside6"
    assert ini["filterwarnings"][0] == "error"
    assert ini["qt_log_level_fail"] == "WARNING"
    assert "--strict-markers" in ini["addopts"]


# --- resources in the three layouts -----------------------------------------------------------------------------


def test_resources_found_in_the_checkout():
    root = resources.resources_root()
    assert root == ROOT / "resources"
    assert resources.resource_path("presets", "index.json").is_file()


@pytest.mark.parametrize("name", ICONS)
def test_icons_exist_and_are_valid_svg(name):
    path = resources.resource_path("icons", f"{name}.svg")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox"), f"{name}.svg needs a viewBox so it scales"


@pytest.mark.parametrize("name", ICONS)
def test_icons_render(name, qapp):
    from PySide6.QtGui import QColor, QIcon, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    path = str(resources.resource_path("icons", f"{name}.svg"))
    renderer = QSvgRenderer(path)
    assert renderer.isValid()
    image = QImage(48, 48, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    opaque = sum(image.pixelColor(x, y).alpha() > 0 for x in range(48) for y in range(48))
    assert opaque > 48 * 48 // 20, f"{name}.svg renders (almost) nothing"
    assert not QIcon(path).pixmap(24, 24).isNull()


def test_resources_found_in_a_frozen_bundle(tmp_path, monkeypatch):
    bundled = tmp_path / "resources"
    (bundled / "icons").mkdir(parents=True)
    (bundled / "icons" / "gdstudio.svg").write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_root() == bundled
    assert resources.resource_path("translations", "gdstudio_zh_CN.qm") == bundled / "translations" / "gdstudio_zh_CN.qm"


def test_missing_resources_are_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FileNotFoundError, match="resources not found"):
        resources.resource_path("icons", "play.svg")


@pytest.mark.parametrize("bad", ["../pyproject.toml", "/etc/passwd", "icons/../../x"])
def test_resource_names_cannot_escape(bad):
    with pytest.raises(ValueError):
        resources.resource_path(bad)


def test_built_package_carries_the_resources(tmp_path):
    """What goes into the wheel (setuptools' build_py with pyproject's mapping) finds its resources and runs.

    Built from a copy of the sources so no build/ or egg-info lands in the checkout. build_py is the step that
    lays out the wheel's files; it needs only setuptools, not the network.
    """
    pytest.importorskip("setuptools")
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "gdstudio", src / "gdstudio", ignore=ignore)
    shutil.copytree(ROOT / "resources", src / "resources", ignore=ignore)
    built = tmp_path / "built"
    proc = subprocess.run(
        [sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "--build-lib", str(built)],
        cwd=src, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    packaged = built / "gdstudio" / "_resources"
    for rel in ("icons/gdstudio.svg", "icons/play.svg", "presets/index.json", "presets/seed_bowl.json"):
        assert (packaged / rel).is_file(), rel
    for data in (ROOT / "resources" / "data").rglob("*"):
        if data.is_file():
            assert (packaged / "data" / data.relative_to(ROOT / "resources" / "data")).is_file(), data.name

    probe = """
import json, sys
import gdstudio, gdstudio.resources as r
from gdstudio.experiment import load_preset, preset_index
print(json.dumps({"package": gdstudio.__file__, "root": str(r.resources_root()),
                  "presets": len(preset_index()), "preset": load_preset(preset_index()[0].file).steps}))
"""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PYTHONPATH"] = str(built)
    proc = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert Path(info["package"]).is_relative_to(built), info
    assert Path(info["root"]) == packaged, info
    assert info["presets"] > 0 and info["preset"] > 0


# --- README, CI and packaging scripts ---------------------------------------------------------------------------


def _quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```[a-z]*\n(.*?)```", section, flags=re.S)
    return [line.strip() for block in blocks for line in block.splitlines() if line.startswith("python3 -m venv")]


def test_readme_quick_start_has_exactly_the_two_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    app, tests = commands
    assert app.endswith(".venv/bin/gdstudio") and "pip install -e ." in app
    assert "pytest" in tests and "QT_QPA_PLATFORM=offscreen" in tests and "'.[test]'" in tests


def test_ci_runs_the_readme_test_command():
    test_command = _quick_start_commands()[1]
    assert f'TEST_COMMAND="{test_command}"' in CI_RUN, "the README test command and .ci/run differ"
    assert 'bash -c "$TEST_COMMAND"' in CI_RUN


def test_ci_installs_the_readme_system_packages():
    apt_line = next(line for line in README.splitlines() if line.startswith("sudo apt-get install"))
    readme_packages = set(apt_line.split()[4:]) - {"python3-venv"}
    ci_packages = set(re.search(r"PACKAGES=\((.*?)\)", CI_RUN, flags=re.S).group(1).split())
    assert readme_packages <= ci_packages, readme_packages - ci_packages


def test_ci_treats_no_tests_as_failure_and_checks_the_bundle():
    assert re.search(r"^\s*5\) fail", CI_RUN, flags=re.M)
    assert "set -euo pipefail" in CI_RUN
    assert "packaging/build.sh" in CI_RUN and "--self-test" in CI_RUN


def test_ci_error_pattern_matches_errors_and_not_harmless_lines():
    pattern = re.search(r"BAD_LINES='(.*?)'", CI_RUN).group(1)
    grep = shutil.which("grep")
    assert grep
    bad = ["Traceback (most recent call last):", "ImportError: libfoo.so", "RuntimeError", "CRITICAL: x",
           "[PYI-123:ERROR] Failed to execute script", "Fatal Python error: Aborted", "self-test: FAILED: x"]
    harmless = ["self-test: OK", "This plugin does not support propagateSizeHints()", "0 errors", "error bars on",
                "ErrorBarItem drawn", "no_errors=true"]
    for line in bad:
        assert subprocess.run([grep, "-qE", pattern], input=line, text=True).returncode == 0, line
    for line in harmless:
        assert subprocess.run([grep, "-qE", pattern], input=line, text=True).returncode == 1, line


def test_readme_experiment_example_is_valid(tmp_path):
    from gdstudio.experiment import load_experiment

    example = re.search(r"## Experiment files.*?```json\n(.*?)```", README, flags=re.S).group(1)
    path = tmp_path / "example.json"
    path.write_text(example, encoding="utf-8")
    exp = load_experiment(path)
    assert exp.optimizer == "momentum" and exp.steps == 30


def test_readme_mentions_what_it_must():
    for needle in ("docs/screenshots/main-en.png", "gdstudio run", "--json", "--out", "bash packaging/build.sh",
                   "benchmarks/bench_engine.py", "fonts-wqy-microhei", "简体中文"):
        assert needle in README, needle


def test_scripts_are_valid_shell():
    bash = shutil.which("bash")
    assert bash
    for script in (ROOT / ".ci" / "run", ROOT / "packaging" / "build.sh"):
        proc = subprocess.run([bash, "-n", str(script)], capture_output=True, text=True)
        assert proc.returncode == 0, f"{script}: {proc.stderr}"
        assert script.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash\n")


def test_spec_bundles_resources_and_uses_the_cli_entry():
    spec = (ROOT / "packaging" / "gdstudio.spec").read_text(encoding="utf-8")
    compile(spec, "gdstudio.spec", "exec")
    assert '(str(ROOT / "resources"), "resources")' in spec
    assert '"gdstudio" / "__main__.py"' in spec
    assert 'name="gdstudio"' in spec
    main = (ROOT / "gdstudio" / "__main__.py").read_text(encoding="utf-8")
    assert "from gdstudio.cli import main" in main
