"""Residents service: the validator shared by form and import, lifecycle, households, search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from familydoc.core import residents as R
from familydoc.core.auth import Actor, create_user
from familydoc.core.config import Home
from familydoc.core.context import AppContext, open_context
from familydoc.core.errors import NotFound, PermissionDenied, RuleViolation
from familydoc.core.idnumber import build as build_id
from familydoc.core.models import AuditEvent, Contract, Household, Resident, Team, Village
from familydoc.core.setup import initialise

TODAY = dt.date(2026, 11, 24)
ZHANG_SAN = build_id("110105", dt.date(1949, 12, 31), 2)  # a woman born 1949-12-31


@pytest.fixture
def context(tmp_path) -> Iterator[AppContext]:
    context = open_context(Home(tmp_path / "home"))
    with context.database.unit_of_work() as session:
        initialise(
            session,
            institution_code="320321110",
            institution_name="青山镇卫生院",
            admin_username="admin",
            admin_password="admin-pass-1",
        )
        session.add_all(
            [
                Village(code="320321110201", name="青山村"),
                Village(code="320321110202", name="河湾村"),
                Village(code="320321110203", name="河湾村"),
            ]
        )
    yield context
    context.close()


def _actor(context: AppContext, role: str) -> Actor:
    with context.database.unit_of_work() as session:
        admin = Actor(1, "admin", "admin", "admin")
        if role == "admin":
            return admin
        row = create_user(
            session, admin, username=role, display_name=role, role=role, password="password-123"
        )
        return Actor(row.id, row.username, row.display_name, row.role)


@pytest.fixture
def clerk(context: AppContext) -> Actor:
    return _actor(context, "clerk")


def zhang(**changes: object) -> R.ResidentInput:
    data = R.ResidentInput(
        name="张三",
        id_number=ZHANG_SAN,
        phone="13812345678",
        village="320321110201",
        household_number="20100001",
        relation_to_head="户主",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def register(context: AppContext, actor: Actor, data: R.ResidentInput) -> R.ResidentDetail:
    with context.database.unit_of_work() as session:
        return R.register(session, actor, data, today=TODAY)


def problems_of(context: AppContext, data: R.ResidentInput) -> dict[str, str]:
    with context.database.read() as session:
        checked, problems = R.check(session, data, today=TODAY)
    assert (checked is None) == bool(problems)
    return {p.field: p.error.render() for p in problems}


def test_register_takes_birth_date_and_sex_from_the_id_number(
    context: AppContext, clerk: Actor
) -> None:
    detail = register(
        context,
        clerk,
        zhang(
            id_number=" １１０１０５１９４９１２３１０００２x ".replace(
                "０００２x",
                ZHANG_SAN[-4:]
                .lower()
                .translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            )
        ),
    )
    assert detail.birth_date == dt.date(1949, 12, 31)
    assert detail.sex == "F"
    assert detail.age == 76
    assert detail.id_number == ZHANG_SAN[:6] + "********" + ZHANG_SAN[-4:]
    assert detail.phone == "138****5678"
    assert "elderly_65" in detail.populations
    with context.database.read() as session:
        stored = session.scalar(select(Resident))
        assert stored is not None
        assert stored.id_number == ZHANG_SAN
        assert (stored.name_pinyin, stored.name_initials) == ("zhangsan", "zs")
        household = session.get(Household, stored.household_id)
        assert household is not None and household.number == "20100001"
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "resident.create"))
        assert event is not None and event.user_id == clerk.user_id
        assert event.changes["id_number"] == ZHANG_SAN[:6] + "********" + ZHANG_SAN[-4:]
        assert event.changes["phone"] == "138****5678"


def test_second_resident_with_the_same_number_points_to_the_first(
    context: AppContext, clerk: Actor
) -> None:
    first = register(context, clerk, zhang())
    with pytest.raises(R.InvalidResident) as refused:
        register(context, clerk, zhang(name="李四"))
    message = refused.value.problems[0].error.render()
    assert "张三" in message and "青山村" in message and str(first.id) in message
    with context.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Resident)) == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "name is missing"),
        ({"id_number": "1.10105E+17"}, "id_number", "Excel"),
        ({"id_number": ZHANG_SAN[:15] + "000"}, "id_number", "15 digits"),
        (
            {"id_number": ZHANG_SAN[:-1] + ("1" if ZHANG_SAN[-1] != "1" else "2")},
            "id_number",
            "check digit",
        ),
        ({"phone": "1381234567"}, "phone", "11-digit"),
        ({"village": "没有这个村"}, "village", "no village"),
        ({"village": "河湾村"}, "village", "Several villages"),
        ({"sex": "男"}, "sex", "does not match"),
        ({"birth_date": dt.date(1950, 1, 1)}, "birth_date", "does not match"),
        ({"tags": frozenset({"flu"})}, "tags", "Unknown key population"),
        ({"lacks_capacity": True}, "guardian_name", "guardian"),
        ({"moved_in_on": dt.date(1900, 1, 1)}, "moved_in_on", "move-in date"),
    ],
)
def test_each_rule_names_its_field(
    context: AppContext, changes: dict, field: str, words: str
) -> None:
    problems = problems_of(context, zhang(**changes))
    assert field in problems
    assert words in problems[field]


def test_newborn_without_id_number_needs_birth_date_sex_and_guardian(
    context: AppContext, clerk: Actor
) -> None:
    problems = problems_of(context, zhang(id_number="", name="张小宝"))
    assert {"sex", "birth_date", "guardian_name"} <= problems.keys()
    detail = register(
        context,
        clerk,
        zhang(
            id_number="",
            name="张小宝",
            sex="男",
            birth_date=dt.date(2026, 10, 1),
            guardian_name="张三",
            guardian_relation="母亲",
            guardian_phone="13812345678",
            relation_to_head="子",
        ),
    )
    assert detail.age == 0 and detail.populations == ("child_0_6",)
    assert detail.id_number == ""


def test_age_groups_are_computed_not_stored(context: AppContext, clerk: Actor) -> None:
    detail = register(context, clerk, zhang(tags=frozenset({"elderly_65", "diabetes"})))
    assert detail.tags == ("diabetes",)
    assert set(detail.populations) == {"elderly_65", "diabetes"}


def test_update_keeps_masked_values_and_audits_changes(context: AppContext, clerk: Actor) -> None:
    detail = register(context, clerk, zhang())
    with context.database.read() as session:
        form = R.editable_input(session, clerk, detail.id)
    assert form.id_number == detail.id_number  # a clerk edits with masked values
    form.address = "青山村3组8号"
    with context.database.unit_of_work() as session:
        R.update(session, clerk, detail.id, form, today=TODAY)
    with context.database.read() as session:
        stored = session.get(Resident, detail.id)
        assert stored is not None
        assert stored.id_number == ZHANG_SAN and stored.phone == "13812345678"
        assert stored.address == "青山村3组8号"
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == "resident.update"))
        assert event is not None and set(event.changes) == {"address"}


def test_only_supervisors_and_admins_reveal_and_it_is_audited(
    context: AppContext, clerk: Actor
) -> None:
    detail = register(context, clerk, zhang())
    doctor = _actor(context, "doctor")
    supervisor = _actor(context, "supervisor")
    for refused in (clerk, doctor):
        with context.database.unit_of_work() as session, pytest.raises(PermissionDenied):
            R.get_detail(session, refused, detail.id, reveal=True)
    with context.database.unit_of_work() as session:
        full = R.get_detail(session, supervisor, detail.id, reveal=True)
    assert full.id_number == ZHANG_SAN and full.phone == "13812345678"
    with context.database.read() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "resident.reveal")
            )
            == 1
        )


def test_leaving_and_coming_back_never_deletes(context: AppContext, clerk: Actor) -> None:
    detail = register(context, clerk, zhang())
    with context.database.unit_of_work() as session, pytest.raises(RuleViolation):
        R.mark_left(
            session,
            clerk,
            detail.id,
            on=TODAY + dt.timedelta(days=1),
            reason="moved_out",
            today=TODAY,
        )
    with context.database.unit_of_work() as session:
        left = R.mark_left(
            session,
            clerk,
            detail.id,
            on=dt.date(2026, 6, 1),
            reason="deceased",
            note="病故",
            today=TODAY,
        )
    assert left.left_on == dt.date(2026, 6, 1) and left.left_reason == "deceased"
    listed = R.resident_list(R.ResidentFilter(), today=TODAY)
    before = R.resident_list(R.ResidentFilter(), today=dt.date(2026, 5, 31))
    gone = R.resident_list(R.ResidentFilter(status="left"), today=TODAY)
    with context.database.read() as session:
        assert listed.count(session) == 0  # left the list of residents living here
        assert before.count(session) == 1  # but counts for days before leaving
        assert gone.count(session) == 1
    with context.database.unit_of_work() as session:
        back = R.bring_back(session, clerk, detail.id, today=TODAY)
    assert back.left_on is None
    with context.database.unit_of_work() as session, pytest.raises(RuleViolation):
        R.bring_back(session, clerk, detail.id, today=TODAY)


def test_move_between_households_follows_the_village(context: AppContext, clerk: Actor) -> None:
    zhang_detail = register(context, clerk, zhang())
    li = register(
        context,
        clerk,
        zhang(
            name="李四",
            id_number=build_id("320321", dt.date(1980, 5, 5), 11),
            phone="",
            village="320321110202",
            household_number="20200009",
        ),
    )
    with context.database.unit_of_work() as session:
        moved = R.move_to_household(
            session, clerk, zhang_detail.id, li.household_id, "配偶", today=TODAY
        )
    assert moved.village_code == "320321110202" and moved.relation_to_head == "配偶"
    with context.database.read() as session:
        house = R.household_detail(session, clerk, li.household_id, today=TODAY)
        assert {m.name for m in house.members} == {"张三", "李四"}
        with pytest.raises(NotFound):
            R.move_to_household(session, clerk, zhang_detail.id, 9999, "子")


def _signed(context: AppContext, resident_id: int, start: dt.date, end: dt.date) -> None:
    with context.database.unit_of_work() as session:
        team = Team(name="一队", institution_id=1)
        session.add(team)
        session.flush()
        from familydoc.core.models import Doctor

        doctor = Doctor(name="王医生", institution_id=1)
        session.add(doctor)
        session.flush()
        session.add(
            Contract(
                number=f"X-{resident_id}",
                year=start.year,
                sequence=resident_id,
                resident_id=resident_id,
                team_id=team.id,
                doctor_id=doctor.id,
                signed_on=start,
                start_date=start,
                end_date=end,
            )
        )


def test_search_and_filters(context: AppContext, clerk: Actor) -> None:
    zhang_detail = register(context, clerk, zhang())
    register(
        context,
        clerk,
        zhang(
            name="张珊珊",
            id_number=build_id("320321", dt.date(2022, 2, 2), 12),
            phone="15900001111",
            household_number="20100002",
            health_record_no="HR3203219",
        ),
    )
    register(
        context,
        clerk,
        zhang(
            name="王建国",
            id_number=build_id("320321", dt.date(1970, 7, 7), 13),
            phone="",
            village="320321110202",
            household_number="20200001",
            tags=frozenset({"hypertension"}),
        ),
    )
    _signed(context, zhang_detail.id, TODAY - dt.timedelta(days=340), TODAY + dt.timedelta(days=24))

    def names(**filters: object) -> set[str]:
        query = R.resident_list(R.ResidentFilter(**filters), today=TODAY)
        with context.database.read() as session:
            rows = query.fetch(session, 0, 100)
            assert query.count(session) == len(rows)
        return {row[1] for row in rows}

    assert names(text="zs") == {"张三", "张珊珊"}
    assert names(text="zhangsan") == {"张三"}
    assert names(text="ZHANGSHAN") == {"张珊珊"}
    assert names(text="张") == {"张三", "张珊珊"}
    assert names(text="建国") == set()  # Chinese matches from the start of the name
    assert names(text="王建国") == {"王建国"}
    assert names(text="0000111") == {"张珊珊"}  # phone digits anywhere
    assert names(text="19491231") == {"张三"}  # ID digits anywhere
    assert names(text="123") == set()  # fewer than 4 digits find nobody
    assert names(text="HR32") == {"张珊珊"}  # health record number
    assert names(text="  ") == {"张三", "张珊珊", "王建国"}
    assert names(population="elderly_65") == {"张三"}
    assert names(population="child_0_6") == {"张珊珊"}
    assert names(population="hypertension") == {"王建国"}
    assert names(population="any_key") == {"张三", "张珊珊", "王建国"}
    assert names(signing="signed") == {"张三"}
    assert names(signing="expiring") == {"张三"}
    assert names(signing="unsigned") == {"张珊珊", "王建国"}
    with context.database.read() as session:
        village = session.scalar(select(Village.id).where(Village.code == "320321110202"))
    assert names(village_id=village) == {"王建国"}
    ordered = R.resident_list(R.ResidentFilter(sort="birth_date", descending=True), today=TODAY)
    with context.database.read() as session:
        assert [row[1] for row in ordered.fetch(session, 0, 10)] == ["张珊珊", "王建国", "张三"]
        masked = R.resident_list(R.ResidentFilter(text="zhangsan"), today=TODAY).fetch(
            session, 0, 1
        )
    assert masked[0][4] == ZHANG_SAN[:6] + "********" + ZHANG_SAN[-4:]
    assert masked[0][5] == "138****5678"


def test_search_index_follows_edits(context: AppContext, clerk: Actor) -> None:
    detail = register(context, clerk, zhang())
    with context.database.read() as session:
        form = R.editable_input(
            session, Actor(1, "admin", "admin", "admin"), detail.id, reveal=False
        )
    form.phone = "13700002222"
    with context.database.unit_of_work() as session:
        R.update(session, clerk, detail.id, form, today=TODAY)
    query = R.resident_list(R.ResidentFilter(text="00002222"), today=TODAY)
    with context.database.read() as session:
        assert query.count(session) == 1


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)  # read-only use
@given(text=st.text(alphabet="张三李四zs0123456789 *?[]\"'%_-", max_size=12))
def test_any_search_text_is_safe(context: AppContext, text: str) -> None:
    query = R.resident_list(R.ResidentFilter(text=text), today=TODAY)
    with context.database.read() as session:
        assert query.count(session) >= 0
