"""The command line: headless runs, their outputs and exit codes, one-line errors, the GUI hand-off."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import select
import signal
import subprocess
import sys
import time
import types
from pathlib import Path

import pytest

from gdstudio import cli
from gdstudio.engine import descent as descent_module
from gdstudio.engine.descent import run_descent
from gdstudio.experiment import presets_dir, default_experiment, load_experiment, save_experiment

ROOT = Path(__file__).resolve().parents[1]
SEED_FINAL = (-6.1111e-10, 8.1481e-10)


def write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def seed_dict(**changes) -> dict:
    return {**default_experiment().to_dict(), **changes}


@pytest.fixture
def seed_file(tmp_path) -> Path:
    path = tmp_path / "seed.json"
    save_experiment(path, default_experiment())
    return path


def subprocess_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("QT_QPA_PLATFORM", None)
    return env


def run_module(*args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdstudio", *map(str, args)],
        capture_output=True, text=True, env=subprocess_env(), timeout=120, **kwargs,
    )


def assert_close(actual, expected, rel=1e-4):
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert math.isclose(a, e, rel_tol=rel), (actual, expected)


class TtyStringIO(io.StringIO):
    def isatty(self) -> bool:
        return True


# ----------------------------------------------------------------------------------------------------------------
# Headless runs


def test_seed_case_json(seed_file, capsys):
    assert cli.main(["run", str(seed_file), "--json"]) == 0
    out, err = capsys.readouterr()
    assert out.count("\n") == 1
    result = json.loads(out)
    assert set(result) == {"status", "steps", "final_params", "final_value", "final_grad_norm"}
    assert result["status"] == "finished" and result["steps"] == 100
    assert_close(result["final_params"], SEED_FINAL)
    assert result["final_value"] == pytest.approx(sum(v * v for v in SEED_FINAL), rel=1e-3)
    assert err == ""  # not a terminal: no progress bar


def test_seed_case_human_summary(seed_file, capsys):
    assert cli.main(["run", str(seed_file)]) == 0
    out, _ = capsys.readouterr()
    assert "finished after 100 steps" in out
    line = next(l for l in out.splitlines() if l.startswith("final x:"))
    values = [float(v) for v in line.split("(")[1].rstrip(")").split(",")]
    assert_close(values, SEED_FINAL)


def test_quiet_prints_nothing_but_json_if_asked(seed_file, capsys):
    assert cli.main(["run", str(seed_file), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert cli.main(["run", str(seed_file), "--quiet", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["status"] == "finished" and err == ""


def test_progress_bar_only_on_a_terminal(seed_file, capsys, monkeypatch):
    fake = TtyStringIO()
    monkeypatch.setattr(sys, "stderr", fake)
    assert cli.main(["run", str(seed_file), "--json"]) == 0
    bar = fake.getvalue()
    assert "[" + "#" * cli._ProgressBar.WIDTH + "] 100/100 f=" in bar
    assert bar.startswith("\r[") and bar.endswith("\n")
    json.loads(capsys.readouterr().out)  # stdout stays pure JSON

    fake = TtyStringIO()
    monkeypatch.setattr(sys, "stderr", fake)
    assert cli.main(["run", str(seed_file), "--quiet"]) == 0
    assert fake.getvalue() == ""


def test_progress_bar_format():
    stream = io.StringIO()
    bar = cli._ProgressBar(100, stream)
    bar.WIDTH = 10
    bar.update(50, 1.2e-3)
    bar.close()
    assert stream.getvalue() == "\r[#####.....] 50/100 f=1.20e-03\n"


def test_out_directory(seed_file, tmp_path, capsys):
    out = tmp_path / "results" / "nested"
    assert cli.main(["run", str(seed_file), "--out", str(out), "--quiet"]) == 0
    assert sorted(os.listdir(out)) == ["summary.json", "trajectory.csv"]
    with open(out / "trajectory.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step", "x0", "x1", "value", "grad_norm"]
    assert len(rows) == 102
    reference = run_descent(default_experiment().to_config())
    for row, snap in zip(rows[1:], reference):
        assert int(row[0]) == snap.step
        assert [float(v) for v in row[1:3]] == snap.params.tolist()  # full precision: exact round trip
        assert float(row[3]) == snap.value and float(row[4]) == snap.grad_norm
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "finished" and summary["steps"] == 100
    assert_close(summary["final_params"], SEED_FINAL)
    assert load_experiment(seed_file).to_dict() == summary["experiment"]


def test_out_directory_for_a_1d_function(tmp_path, capsys):
    exp = write(tmp_path, "q.json", json.loads((presets_dir() / "quadratic_1d.json").read_text(encoding="utf-8")))
    assert cli.main(["run", str(exp), "--out", str(tmp_path / "o"), "--json"]) == 0
    header = (tmp_path / "o" / "trajectory.csv").read_text().splitlines()[0]
    assert header == "step,x0,value,grad_norm"
    result = json.loads(capsys.readouterr().out)
    assert_close(result["final_params"], [-1 / 3])


def test_diverged_is_a_result(tmp_path, capsys):
    path = write(tmp_path, "d.json", seed_dict(optimizer={"name": "sgd", "lr": 5}))
    assert cli.main(["run", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "diverged" and result["steps"] < 100
    assert result["message"]


def test_non_finite_values_become_null(tmp_path, capsys):
    path = write(tmp_path, "nan.json", seed_dict(function={"expression": "log(x0) + x1**2"}))
    out_dir = tmp_path / "o"
    assert cli.main(["run", str(path), "--json", "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out and "Infinity" not in out
    result = json.loads(out)
    assert result["status"] == "diverged"
    assert result["final_value"] is None
    summary = (out_dir / "summary.json").read_text(encoding="utf-8")
    assert "NaN" not in summary and json.loads(summary)["final_value"] is None
    assert ",nan," in (out_dir / "trajectory.csv").read_text()


def test_converged_run_reports_its_message(tmp_path, capsys):
    path = write(tmp_path, "c.json", seed_dict(stop={"grad_norm_below": 1e-3}))
    assert cli.main(["run", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "converged" and result["steps"] < 100
    assert result["final_grad_norm"] < 1e-3 and "message" in result
    assert cli.main(["run", str(path)]) == 0
    assert "converged" in capsys.readouterr().out


def test_ctrl_c_in_process_stops_with_130(seed_file, tmp_path, capsys, monkeypatch):
    """Ctrl+C inside the second block of 3 steps: the run reports the first block (steps 0–2) and writes it."""
    real = descent_module.DescentRun.take
    calls = []

    def interrupted(self, n):
        calls.append(n)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(self, n)

    monkeypatch.setattr(cli, "_CLI_BLOCK", 3)
    monkeypatch.setattr(descent_module.DescentRun, "take", interrupted)
    out_dir = tmp_path / "o"
    assert cli.main(["run", str(seed_file), "--json", "--out", str(out_dir)]) == 130
    out, err = capsys.readouterr()
    result = json.loads(out)
    assert result["status"] == "stopped" and result["steps"] == 2
    assert "Traceback" not in err
    assert len((out_dir / "trajectory.csv").read_text().splitlines()) == 1 + 3


def test_write_failure_is_exit_1(seed_file, tmp_path, capsys, monkeypatch):
    import gdstudio.atomic

    def broken(path, text, encoding="utf-8"):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(gdstudio.atomic, "atomic_write_text", broken)
    assert cli.main(["run", str(seed_file), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write results: Permission denied" in err


def test_out_is_a_file_is_exit_2(seed_file, tmp_path, capsys):
    blocker = write(tmp_path, "file", "x")
    assert cli.main(["run", str(seed_file), "--out", str(blocker)]) == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"gdstudio: error: {blocker}: cannot create the output directory") and err.count("\n") == 1


# ----------------------------------------------------------------------------------------------------------------
# User errors: exit 2, one line, no traceback

BROKEN = [
    ("lr.json", seed_dict(optimizer={"name": "sgd", "lr": -1}), "optimizer.lr: must be > 0 (got -1)"),
    ("big_lr.json", seed_dict(optimizer={"name": "sgd", "lr": 50}), "optimizer.lr: must be between 1e-06 and 10 (got 50)"),
    ("syntax.json", '{"gdstudio": 1,\n "kind": "descent"\n    "steps": 3}', "line 3, column 5: Expecting ',' delimiter"),
    ("empty.json", "", "the file is empty"),
    ("binary.json", bytes(range(256)), "not a text file in UTF-8"),
    ("list.json", [1, 2], "must contain a JSON object"),
    ("nan.json", json.dumps(seed_dict()).replace("-3.0", "NaN"), "start[0]: must be a finite number (got NaN)"),
    ("version.json", seed_dict(gdstudio=9), "please update gdstudio"),
    ("training.json", seed_dict(kind="training"), "function: unknown key"),
    ("expr.json", seed_dict(function={"expression": "x0 +* 2"}), "function.expression: "),
    ("multiline_expr.json", seed_dict(function={"expression": "x0 +\n* 2"}), "function.expression: "),
    ("unknown.json", seed_dict(colour="red"), "colour: unknown key"),
    ("steps.json", seed_dict(steps=True), "steps: must be a whole number (got true)"),
    ("deep.json", "[" * 50_000, ""),
    ("too_big.json", " " * 1_000_001, "too large"),
]


@pytest.mark.parametrize(("name", "content", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_files_in_process(tmp_path, capsys, name, content, message):
    path = write(tmp_path, name, content)
    assert cli.main(["run", str(path), "--json"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith(f"gdstudio: error: {path}: ")
    assert message in err
    assert "Traceback" not in err


def test_missing_file_and_directory(tmp_path, capsys):
    assert cli.main(["run", str(tmp_path / "nope.json")]) == 2
    assert capsys.readouterr().err == f"gdstudio: error: {tmp_path / 'nope.json'}: cannot read the file: No such file or directory\n"
    assert cli.main(["run", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read the file" in err


@pytest.mark.parametrize(
    "argv",
    [["run"], ["run", "a.json", "--bogus"], ["--lang", "fr"], ["a.json", "b.json"], ["run", "a.json", "--out"]],
)
def test_usage_errors_exit_2(capsys, argv):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "error:" in err and "Traceback" not in err


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["--version"]])
def test_help_and_version_exit_0(capsys, argv):
    assert cli.main(argv) == 0
    assert "gdstudio" in capsys.readouterr().out


def test_subprocess_broken_files_one_line_each(tmp_path):
    for name, content, message in BROKEN[:4] + BROKEN[9:11]:
        path = write(tmp_path, name, content)
        proc = run_module("run", path)
        assert proc.returncode == 2, (name, proc.stderr)
        assert proc.stdout == ""
        assert proc.stderr.count("\n") == 1 and message in proc.stderr and "Traceback" not in proc.stderr


def test_subprocess_usage_error():
    proc = run_module("run")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


# ----------------------------------------------------------------------------------------------------------------
# Subprocess: python -m gdstudio, no Qt on the headless path, Ctrl+C


def test_python_dash_m_runs_the_seed(seed_file):
    proc = run_module("run", seed_file, "--json")
    assert proc.returncode == 0, proc.stderr
    assert_close(json.loads(proc.stdout)["final_params"], SEED_FINAL)


def test_run_path_never_imports_qt(seed_file, tmp_path):
    code = (
        "import sys\n"
        "from gdstudio.cli import main\n"
        f"rc = main(['run', {str(seed_file)!r}, '--json', '--out', {str(tmp_path / 'o')!r}])\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6'))\n"
        "assert not qt, qt\n"
        "assert 'gdstudio.app' not in sys.modules\n"
        "sys.exit(rc)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=subprocess_env(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["status"] == "finished"


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty and POSIX signals")
def test_ctrl_c_in_a_real_process(tmp_path):
    import pty

    path = write(tmp_path, "long.json", seed_dict(function={"name": "rosenbrock"}, optimizer={"name": "adam", "lr": 1e-4},
                                                  steps=1_000_000, gradient={"method": "analytic", "h": 1e-4}))
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "gdstudio", "run", str(path), "--json"],
        stdout=subprocess.PIPE, stderr=slave, env=subprocess_env(), text=True,
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while b"[" not in seen and time.monotonic() < deadline:  # the progress bar proves the run has begun
            if select.select([master], [], [], 1.0)[0]:
                seen += os.read(master, 1024)
        assert b"[" in seen, seen
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    try:
        while select.select([master], [], [], 0.5)[0]:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:  # EIO once the child has closed its side
        pass
    os.close(master)
    assert proc.returncode == 130
    result = json.loads(out)
    assert result["status"] == "stopped" and 0 <= result["steps"] < 1_000_000
    assert b"Traceback" not in seen


# ----------------------------------------------------------------------------------------------------------------
# The GUI branch hands over to gdstudio.app.application (replaced by a fake here)


@pytest.fixture
def fake_gui(monkeypatch):
    calls = []
    module = types.ModuleType("gdstudio.app.application")

    def run_gui(lang=None, experiment_path=None):
        calls.append(("gui", lang, experiment_path))
        return 0

    def run_self_test():
        calls.append(("self-test",))
        return 3

    module.run_gui = run_gui
    module.run_self_test = run_self_test
    monkeypatch.setitem(sys.modules, "gdstudio.app.application", module)
    return calls


def test_no_command_launches_the_gui(fake_gui):
    assert cli.main([]) == 0
    assert cli.main(["--lang", "zh_CN", "exp.json"]) == 0
    assert fake_gui == [("gui", None, None), ("gui", "zh_CN", "exp.json")]


def test_self_test_flag(fake_gui):
    assert cli.main(["--self-test"]) == 3
    assert fake_gui == [("self-test",)]


def test_gui_unavailable_is_one_line(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "gdstudio.app.application", None)  # import raises ImportError
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert err.startswith("gdstudio: error: the graphical interface is not available") and err.count("\n") == 1
