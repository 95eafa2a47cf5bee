"""familydoc benchmarks: each figure with its target and its ratio to a raw baseline.

    python bench/run.py            (from the repository, in the project's virtual environment)

Benchmarks are not part of the test suite. Figures are medians of several runs.
After the GUI start, the benchmark scripts listed in ``SCRIPTS`` run one after the other,
each printing its own figures, targets and ratios; the exit code is 1 if any target is missed.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
# Benchmark scripts of bench/ run by this command (each exits 1 when it misses a target).
SCRIPTS = (
    "bench_residents.py",
    "bench_import.py",
    "bench_contracts.py",
    "bench_pdf.py",
    "bench_statistics.py",
)

RAW_QT_WINDOW = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication([])
window = QMainWindow()
window.setCentralWidget(QLabel("家庭医生"))
window.resize(1280, 720)
window.show()
app.processEvents()
print(f"shown at {time.time():.3f}")
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _timed_run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.time()
    result = subprocess.run(
        args, env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    if result.returncode != 0:
        raise SystemExit(f"benchmark run failed ({result.returncode}):\n{result.stderr}")
    return start, result.stdout + result.stderr


def _marks(output: str) -> dict[str, float]:
    marks: dict[str, float] = {}
    for line in output.splitlines():
        if line.startswith("smoke: ") and " at " in line:
            event, _, stamp = line[len("smoke: ") :].rpartition(" at ")
            marks[event] = float(stamp)
    return marks


def bench_gui_start(home: Path) -> tuple[float, float]:
    env = _env()
    env["FAMILYDOC_PASSWORD"] = "demo12345"
    figures, raw = [], []
    for _ in range(RUNS):
        start, output = _timed_run([sys.executable, "-c", RAW_QT_WINDOW], env)
        raw.append(float(output.split("shown at ")[1].split()[0]) - start)
        start, output = _timed_run(
            [sys.executable, "-m", "familydoc", "--home", str(home), "--smoke", "--user", "admin"],
            env,
        )
        marks = _marks(output)
        # Time the program takes, leaving out the person typing the password.
        figures.append(
            (marks["login dialog shown"] - start)
            + (marks["main window usable"] - marks["login submitted"])
        )
    return statistics.median(figures), statistics.median(raw)


def _report(name: str, figure: float, target: float, baseline: float, unit: str = "s") -> bool:
    ok = figure <= target
    print(
        f"{name:<48} {figure:8.3f} {unit}   target <= {target:g} {unit}   "
        f"ratio to raw {figure / baseline:5.2f}x   {'OK' if ok else 'MISSED'}"
    )
    return ok


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="familydoc-bench-") as folder:
        home = Path(folder) / "home"
        env = _env()
        subprocess.run(
            [sys.executable, "-m", "familydoc", "--home", str(home), "demo", "--residents", "5000"],
            env=env,
            check=True,
            capture_output=True,
            stdin=subprocess.DEVNULL,
        )
        checks: list[tuple[str, Callable[[], tuple[float, float]], float]] = [
            (
                "GUI start to a usable main window (5,000 residents)",
                lambda: bench_gui_start(home),
                2.0,
            ),
        ]
        print(
            f"familydoc benchmarks, median of {RUNS} runs; raw baseline: a bare PySide6 "
            "window in the same run"
        )
        results = []
        for name, run, target in checks:
            figure, baseline = run()
            results.append(_report(name, figure, target, baseline))
    for script in SCRIPTS:
        print()
        sys.stdout.flush()
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / script)], env=_env(), stdin=subprocess.DEVNULL
        )
        results.append(done.returncode == 0)
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
