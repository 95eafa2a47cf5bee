"""Opening the database: SQLite settings, migrations on open, and the unit of work.

Every user action opens one unit of work (a Session); writes begin with
``BEGIN IMMEDIATE`` so two workstations never deadlock upgrading a read lock,
and the busy timeout lets the second one wait its turn.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from familydoc.core import audit_chain
from familydoc.core.errors import QT_TRANSLATE_NOOP, DatabaseProblem, FamilydocError
from familydoc.core.integrity import quick_check
from familydoc.core.safety import refuse_network_share, storage_error

BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "familydoc_immediate"
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _sqlite_on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event below emit BEGIN itself (pysqlite's own is deferred only).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if mode != "memory":
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()
    audit_chain.register(dbapi_connection)  # the audit log's sealing trigger calls it


def _sqlite_on_begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get(_IMMEDIATE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_sqlite_engine(url: str) -> Engine:
    engine = create_engine(url, connect_args={"check_same_thread": False})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def copy_sqlite_file(source: Path, target: Path) -> None:
    """Consistent copy with SQLite's online backup API (never a file copy of an open DB)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


@dataclass
class Database:
    """An open, migrated database and the factory of its units of work."""

    url: str
    engine: Engine
    upgraded_from: str | None = None
    pre_upgrade_copy: Path | None = None
    # Set when a check finds the file damaged: from then on every write is refused.
    damaged: FamilydocError | None = None

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self._write_engine = self.engine.execution_options(**{_IMMEDIATE: True})
        self._write_sessions = sessionmaker(bind=self._write_engine, expire_on_commit=False)

    @contextlib.contextmanager
    def unit_of_work(self, write: bool = True) -> Iterator[Session]:
        """One transaction for one user action: committed on success, rolled back on error."""
        if write and self.damaged is not None:
            raise self.damaged
        factory = self._write_sessions if write else self._sessions
        session = factory()
        try:
            yield session
            if write:
                session.commit()
            else:
                session.rollback()
        except BaseException as exc:
            try:
                session.rollback()
            except Exception:  # the connection itself failed (disk gone); SQLite rolled back
                pass
            # Disk full, I/O error, damaged file: say so in plain words (nothing was saved).
            plain = storage_error(exc, self.path)
            if plain is not None:
                raise plain from exc
            raise
        finally:
            session.close()

    def read(self) -> contextlib.AbstractContextManager[Session]:
        return self.unit_of_work(write=False)

    def dispose(self) -> None:
        self.engine.dispose()


def _known_revision(script: ScriptDirectory, revision: str) -> bool:
    # get_revision raises (CommandError) for an id it does not know instead of returning None.
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def open_database(url: str, backups_dir: Path | None = None, migrate: bool = True) -> Database:
    """Open ``url``, keeping a copy of an existing SQLite file before upgrading its schema."""
    path = sqlite_path(url)
    if path is not None:
        if not path.parent.exists():
            raise DatabaseProblem(
                QT_TRANSLATE_NOOP("Errors", "The folder of the database does not exist: {path}"),
                path=str(path.parent),
            )
        refuse_network_share(path)
    engine = create_sqlite_engine(url)
    database = Database(url=url, engine=engine)
    if not migrate:
        return database
    try:
        current = current_revision(engine)
    except Exception as exc:  # a damaged or foreign file
        engine.dispose()
        raise DatabaseProblem(
            QT_TRANSLATE_NOOP("Errors", "The database file cannot be read: {reason}"),
            reason=str(exc),
        ) from exc
    head = head_revision()
    if current == head:
        return database
    script = ScriptDirectory.from_config(alembic_config(url))
    if current is not None and not _known_revision(script, current):
        engine.dispose()
        raise DatabaseProblem(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The database was made by a newer version of familydoc (schema {revision});"
                " please install the newer version.",
            ),
            revision=current,
        )
    if current is not None and path is not None and path.exists():
        report = quick_check(path)  # never upgrade (write to) a damaged file
        if report.damaged:
            engine.dispose()
            raise report.as_error()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        folder = backups_dir or path.parent / "backups"
        copy = folder / f"pre-upgrade-{current}-{stamp}.sqlite3"
        copy_sqlite_file(path, copy)
        database.pre_upgrade_copy = copy
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    database.upgraded_from = current
    return database


def sqlite_pragmas(database: Database) -> dict[str, Any]:
    with database.engine.connect() as connection:
        return {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "synchronous", "busy_timeout")
        }


def schema_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
