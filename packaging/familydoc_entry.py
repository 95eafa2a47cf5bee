"""PyInstaller's entry script for the familydoc bundle (see build.spec)."""

from familydoc.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
