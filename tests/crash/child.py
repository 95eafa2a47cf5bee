"""Runs one crash-test work function in a real process, to be killed with ``kill -9``.

    python tests/crash/child.py HOME module:function [ARG...]

The function is called as ``function(home, report, *args)``; ``report(line)`` prints a
line to stdout at once, so the parent knows what was committed before it killed us.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from familydoc.core.config import Home


def report(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main() -> None:
    home = Home(Path(sys.argv[1]))
    module_name, _, function_name = sys.argv[2].partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    report("ready")
    function(home, report, *sys.argv[3:])
    report("finished")


if __name__ == "__main__":
    main()
