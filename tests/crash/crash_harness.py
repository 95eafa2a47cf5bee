"""Crash tests: a real process does real work and is killed with ``kill -9`` at a random
moment; then the database must be intact and the program must start normally.

A scenario is a work function (``module:function`` run by ``child.py`` as
``function(home, report, *args)``, reporting what it committed) and a check of
all-or-nothing for its transactions. ``crash`` runs the child and kills it;
``check_survivor`` runs the checks every scenario shares:

- ``PRAGMA integrity_check`` and ``foreign_key_check`` are clean and the audit
  log's hash chain is whole (``full_check``);
- the database opens the normal way (``open_database``) and takes a new write;
- optionally ``familydoc --smoke`` starts (lock free, quick check, automatic backup).

Adding a scenario (contract signing, say) takes a work function that commits and
reports ``committed N`` (see crash_work.py), and a test that checks its own rows
(see test_crash.py: the residents import took about thirty lines).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from safety_helpers import add_village, child_environment, run_familydoc

from familydoc.core.config import Home
from familydoc.core.db import open_database
from familydoc.core.integrity import full_check

CHILD = Path(__file__).resolve().parent / "child.py"
SEED = int(os.environ.get("FAMILYDOC_CRASH_SEED", "0")) or random.randrange(1, 1_000_000)


@dataclass
class Crash:
    """What a killed child printed, and when it was killed."""

    lines: list[str] = field(default_factory=list)
    killed: bool = False
    returncode: int | None = None
    stderr: str = ""

    def committed(self, prefix: str = "committed ") -> list[int]:
        return [int(line[len(prefix) :]) for line in self.lines if line.startswith(prefix)]


def crash(
    home: Home,
    work: str,
    *args: str,
    kill_when: Callable[[list[str]], bool],
    delay: float = 0.0,
    timeout: float = 60.0,
) -> Crash:
    """Run ``work`` in a child; ``kill -9`` it ``delay`` seconds after ``kill_when(lines)``."""
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(home.path), work, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_environment(),
        cwd=CHILD.parent,
    )
    result = Crash()
    condition = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            result.lines.append(line.rstrip("\n"))
            if kill_when(result.lines):
                condition.set()
        condition.set()  # the child ended by itself

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    try:
        if not condition.wait(timeout):
            raise AssertionError(f"{work}: the kill condition never came: {result.lines[-5:]}")
        if delay:
            time.sleep(delay)
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            result.killed = True
        child.wait(max(1.0, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    reader.join(5)
    assert child.stderr is not None
    result.stderr = child.stderr.read()
    child.stderr.close()
    result.returncode = child.returncode
    assert "Traceback" not in result.stderr, result.stderr
    return result


def check_survivor(home: Home, smoke: bool = False) -> None:
    """After a crash: the file is intact, opens normally, takes a write; the program starts."""
    report = full_check(home.database_file)
    assert report.ok, [p.render() for p in report.problems]
    database = open_database(home.database_url, backups_dir=home.backups_dir)
    try:
        add_village(database, f"{999_000_000_000 + random.randrange(999_999)}", "复活村")
    finally:
        database.dispose()
    if smoke:
        started = run_familydoc("--smoke", home=home.path)
        assert started.returncode == 0, started.stderr
        assert "smoke: ok" in started.stderr
