"""The sync work function the crash test kills (see crash_harness.py and child.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from familydoc.core import auth
from familydoc.core.config import Home
from familydoc.core.context import open_context
from familydoc.sync.engine import run_sync, sync_lock_path
from familydoc.sync.settings import UpstreamSettings


def sync_once(home: Home, report: Callable[[str], None], user: str, today: str) -> None:
    """One sync run as ``familydoc sync`` does it, upstream settings from the home's config."""
    context = open_context(home)
    try:
        with context.database.read() as session:
            actor = auth.actor_for(session, user)
        report("syncing")
        result = run_sync(
            context.database,
            actor,
            UpstreamSettings.from_config(context.config()),
            today=dt.date.fromisoformat(today),
            lock_path=sync_lock_path(context.database),
        )
        report(f"exit {result.exit_code}")
    finally:
        context.close()
