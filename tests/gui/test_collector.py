"""Cycles holding Qt objects are collected on the GUI thread, never in a worker thread."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from familydoc.gui.collector import MainThreadCollector


class _Holder:
    """A reference cycle around a widget, as a closure or a signal connection makes one."""

    def __init__(self) -> None:
        self.widget = QWidget()
        self.me = self


def test_cycles_wait_for_the_gui_thread(qapp: QApplication, qtbot: QtBot) -> None:
    enabled_before = gc.isenabled()  # off already when the GUI tests' own collector runs
    collector = MainThreadCollector(qapp, interval_ms=20)
    try:
        assert not gc.isenabled()
        holder = _Holder()
        gone = weakref.ref(holder)
        collected_in: list[str] = []
        weakref.finalize(holder, lambda: collected_in.append(threading.current_thread().name))
        del holder

        def allocate() -> None:  # far past the thresholds: automatic collection would run here
            for _ in range(50_000):
                cycle: list[object] = []
                cycle.append(cycle)

        worker = threading.Thread(target=allocate, name="worker")
        worker.start()
        worker.join()
        assert gone() is not None  # the worker thread did not collect it

        qtbot.waitUntil(lambda: gone() is None, timeout=5_000)  # the timer did
        assert collected_in == [threading.main_thread().name]
    finally:
        collector.stop()
    assert gc.isenabled() == enabled_before
