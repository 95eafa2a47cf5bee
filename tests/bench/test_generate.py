"""The benchmark data generator (bench/generate.py) at a tiny size.

It must make a database the program accepts: schema by the real migrations, valid
ID numbers, at most one contract in force per resident; and the resident list
must list it the same through its fast paths as through the plain query.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import text

from familydoc.core.db import head_revision, open_database
from familydoc.core.idnumber import validate
from familydoc.core.queries import PagedQuery
from familydoc.core.residents import ResidentFilter, resident_list

ROOT = Path(__file__).resolve().parent.parent.parent
TODAY = dt.date(2026, 6, 30)


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, object]:
    generate = _generator()
    folder = tmp_path_factory.mktemp("bench-cache")
    data = generate.cached_database(
        residents=500, villages=5, contracts=300, seed=11, today=TODAY, cache_dir=folder, log=False
    )
    return generate, data


def test_counts_and_schema(generated: tuple[ModuleType, object]) -> None:
    _generate, data = generated
    connection = sqlite3.connect(data.path)  # type: ignore[attr-defined]
    count = lambda sql: connection.execute(sql).fetchone()[0]  # noqa: E731
    assert count("SELECT count(*) FROM resident") == 500
    assert count("SELECT count(*) FROM village") == 5
    assert count("SELECT count(*) FROM contract") == 300
    assert count("SELECT count(*) FROM household") == data.households  # type: ignore[attr-defined]
    assert count("SELECT count(*) FROM resident_search") == 500  # filled by the triggers
    assert count("SELECT count(*) FROM resident_tag") == data.tags  # type: ignore[attr-defined]
    assert count("SELECT version_num FROM alembic_version") == head_revision()
    assert count("SELECT count(*) FROM pragma_foreign_key_check") == 0
    assert count("SELECT count(*) FROM resident WHERE left_on IS NOT NULL") > 0
    connection.close()


def test_every_id_number_validates(generated: tuple[ModuleType, object]) -> None:
    _generate, data = generated
    connection = sqlite3.connect(data.path)  # type: ignore[attr-defined]
    rows = connection.execute(
        "SELECT id_number, birth_date, sex, phone FROM resident WHERE id_number IS NOT NULL"
    ).fetchall()
    assert len(rows) > 450  # only some newborns have no card yet
    for number, birth, sex, phone in rows:
        info = validate(number)
        assert info.birth_date.isoformat() == birth and info.sex == sex
        assert phone is None or (len(phone) == 11 and phone.startswith("1"))
    connection.close()


def test_no_resident_has_two_contracts_in_force(generated: tuple[ModuleType, object]) -> None:
    _generate, data = generated
    connection = sqlite3.connect(data.path)  # type: ignore[attr-defined]
    day = TODAY.isoformat()
    in_force = (
        "start_date <= :d AND end_date >= :d AND (terminated_on IS NULL OR terminated_on > :d)"
    )
    twice = connection.execute(
        f"SELECT resident_id FROM contract WHERE {in_force}"
        " GROUP BY resident_id HAVING count(*) > 1",
        {"d": day},
    ).fetchall()
    assert twice == []
    signed = connection.execute(
        f"SELECT count(*) FROM contract WHERE {in_force}", {"d": day}
    ).fetchone()[0]
    assert signed == data.contracts_in_force > 0  # type: ignore[attr-defined]
    renewed = connection.execute(
        "SELECT count(*) FROM contract WHERE previous_contract_id IS NOT NULL"
    ).fetchone()[0]
    assert renewed > 0
    connection.close()


def test_cache_is_reused(generated: tuple[ModuleType, object]) -> None:
    generate, data = generated
    again = generate.cached_database(
        residents=500,
        villages=5,
        contracts=300,
        seed=11,
        today=TODAY,
        cache_dir=Path(data.path).parent,  # type: ignore[attr-defined]
        log=False,
    )
    assert again == data


FILTERS = [
    ResidentFilter(),
    ResidentFilter(text="3203"),  # every resident: the walk in list order
    ResidentFilter(text="3203", status="all", descending=True),
    ResidentFilter(text="3203", village_id=2),
    ResidentFilter(text="1381"),
    ResidentFilter(text="w"),
    ResidentFilter(text="zh", sort="birth_date"),
    ResidentFilter(text="王"),
    ResidentFilter(population="hypertension"),
    ResidentFilter(population="hypertension", signing="unsigned"),
    ResidentFilter(population="any_key", signing="expiring"),
    ResidentFilter(signing="unsigned", status="all"),
    ResidentFilter(signing="signed"),
    ResidentFilter(status="left"),
    ResidentFilter(village_id=3, sort="household", descending=True),
    ResidentFilter(sort="contract_end"),
]


def test_resident_list_fast_paths_list_what_the_plain_query_lists(
    generated: tuple[ModuleType, object],
) -> None:
    _generate, data = generated
    database = open_database(f"sqlite:///{data.path}")  # type: ignore[attr-defined]
    try:
        with database.read() as session:
            # A name of the data, typed as a user would: Chinese, initials, pinyin.
            name, initials, pinyin, number = session.execute(
                text(
                    "SELECT name, name_initials, name_pinyin, id_number FROM resident"
                    " WHERE id_number IS NOT NULL ORDER BY id LIMIT 1"
                )
            ).one()
        typed = [name, initials, pinyin[:4], number[6:14], name[:1] + "x1"]
        for filters in FILTERS + [ResidentFilter(text=text) for text in typed]:
            query = resident_list(filters, TODAY)
            with database.read() as session:
                count = query.count(session)
                assert count == PagedQuery.count(query, session), filters
                for offset in sorted({0, 7, max(0, count // 2 - 3), max(0, count - 20)}):
                    assert query.fetch(session, offset, 20) == PagedQuery.fetch(
                        query, session, offset, 20
                    ), (filters, offset)
    finally:
        database.dispose()


@pytest.mark.parametrize(
    "filters",
    [
        ResidentFilter(text="3203"),
        ResidentFilter(text="320321", status="all", descending=True),
        ResidentFilter(text="3203", sort="birth_date"),
    ],
)
def test_a_search_too_many_match_lists_the_first_ones_and_says_more(
    generated: tuple[ModuleType, object], monkeypatch: pytest.MonkeyPatch, filters: ResidentFilter
) -> None:
    from familydoc.core import residents

    monkeypatch.setattr(residents, "SEARCH_CAP", 50)
    _generate, data = generated
    database = open_database(f"sqlite:///{data.path}")  # type: ignore[attr-defined]
    try:
        with database.read() as session:
            query = resident_list(filters, TODAY)
            exact = PagedQuery.count(query, session)
            assert exact > 400  # every resident's ID number starts with the county's code
            assert query.count(session) == 50 and query.count_is_at_least()
            first = PagedQuery.fetch(query, session, 0, 50)
            assert query.fetch(session, 0, 256) == first  # the first 50, in list order
            assert query.fetch(session, 40, 20) == first[40:]
            assert query.fetch(session, 50, 20) == []
            few = resident_list(ResidentFilter(text="1381"), TODAY)
            assert few.count(session) == PagedQuery.count(few, session)
            assert not few.count_is_at_least()
    finally:
        database.dispose()
