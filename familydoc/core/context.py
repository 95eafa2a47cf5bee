"""Opening an installation: its home folder, its configuration and its database."""

from __future__ import annotations

from dataclasses import dataclass

from familydoc.core.config import Config, Home, resolve_home
from familydoc.core.db import Database, open_database
from familydoc.core.setup import InstitutionInfo, home_institution


@dataclass
class AppContext:
    home: Home
    database: Database

    def config(self) -> Config:
        return self.home.config()

    def institution(self) -> InstitutionInfo | None:
        with self.database.read() as session:
            return home_institution(session)

    def close(self) -> None:
        self.database.dispose()


def make_home(home_arg: str | None = None, database_url: str | None = None) -> Home:
    return Home(resolve_home(home_arg), database_url)


def open_context(home: Home) -> AppContext:
    """Create the home's folders if needed and open (and upgrade) its database."""
    home.ensure()
    database = open_database(home.database_url, backups_dir=home.backups_dir)
    return AppContext(home=home, database=database)
