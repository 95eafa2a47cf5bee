"""Python's cyclic garbage collection, run only on the GUI thread.

The collector runs in whichever thread happens to allocate when a generation
fills up. With database work on the operation runner's thread and HTTP on the
sync thread, that can be a worker thread, and a reference cycle holding a Qt
widget is then destroyed outside the GUI thread: Qt crashes the process
(seen as a segmentation fault "Garbage-collecting" in the database thread).
So automatic collection is switched off and a timer on the GUI thread collects
the generations that filled up, with Python's own thresholds.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


class MainThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.was_enabled = gc.isenabled()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.collect)
        self.timer.start(interval_ms)

    def collect(self) -> int:
        """Collect the generations whose counts passed their thresholds; objects found."""
        young, middle, old = gc.get_count()
        found = 0
        if young > self.thresholds[0]:
            found += gc.collect(0)
            if middle > self.thresholds[1]:
                found += gc.collect(1)
                if old > self.thresholds[2]:
                    found += gc.collect(2)
        return found

    def stop(self) -> None:
        """Back to Python's automatic collection (tests; the end of the program)."""
        self.timer.stop()
        gc.collect()
        if self.was_enabled:
            gc.enable()
