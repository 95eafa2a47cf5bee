"""Residents and households: register, edit, leave and return, move, find.

``check`` is the one validator of resident data, shared by the form and the
importers, so a row refused in a file is refused for the same reason in the
form. Residents are never deleted: they leave with a date and a reason.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    Boolean,
    Integer,
    Select,
    and_,
    column,
    exists,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from familydoc.core import audit
from familydoc.core.auth import Actor, Permission, require
from familydoc.core.coverage import (
    ContractState,
    chain_end_on,
    contract_states,
    count_in_state,
    covered_on,
    ending_within,
    presigned_from,
    presigned_on,
    unsigned_on,
)
from familydoc.core.errors import QT_TRANSLATE_NOOP, NotFound, RuleViolation
from familydoc.core.idnumber import validate as validate_id_number
from familydoc.core.masking import mask_id_number, mask_phone
from familydoc.core.models import (
    AGE_POPULATIONS,
    KEY_POPULATIONS,
    LEAVE_REASONS,
    SEXES,
    TAG_CODES,
    Household,
    Resident,
    ResidentTag,
    Village,
)
from familydoc.core.names import pinyin_keys
from familydoc.core.queries import PagedQuery

RELATIONS = (
    "户主",
    "配偶",
    "子",
    "女",
    "父亲",
    "母亲",
    "孙子",
    "孙女",
    "兄弟",
    "姐妹",
    "儿媳",
    "女婿",
    "其他",
)
INSURANCE_TYPES = ("城乡居民医保", "职工医保", "其他", "无")
GUARDIAN_RELATIONS = ("父亲", "母亲", "配偶", "子女", "祖父母", "兄弟姐妹", "其他监护人")
EXPIRING_DAYS = 30
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Age in full years on ``day``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year - years, day=28)


def age_populations(birth_date: dt.date, day: dt.date) -> tuple[str, ...]:
    age = age_on(birth_date, day)
    found = []
    if age >= 65:
        found.append("elderly_65")
    if 0 <= age <= 6:
        found.append("child_0_6")
    return tuple(found)


def clean_text(value: object) -> str:
    """NFKC (full-width to ASCII), trimmed, inner runs of spaces made one."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return " ".join(text.split())


_SPACE_BY_CJK = re.compile(r"(?<=[\u3400-\u9fff]) | (?=[\u3400-\u9fff])")


def clean_name(value: object) -> str:
    """Like ``clean_text``, and no spaces next to Chinese characters (张　三 is 张三)."""
    return _SPACE_BY_CJK.sub("", clean_text(value))


def clean_phone(value: object) -> str:
    text = clean_text(value)
    return re.sub(r"[\s\-()（）]", "", text)


@dataclass
class ResidentInput:
    """What a form or an import row says about a resident, before checking."""

    name: str = ""
    id_number: str = ""
    sex: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    village: str = ""  # village code (12 digits) or name
    household_number: str = ""
    relation_to_head: str = ""
    address: str = ""
    health_record_no: str = ""
    insurance_type: str = ""
    tags: frozenset[str] = frozenset()
    lacks_capacity: bool = False
    guardian_name: str = ""
    guardian_relation: str = ""
    guardian_id_number: str = ""
    guardian_phone: str = ""
    moved_in_on: dt.date | None = None


@dataclass(frozen=True)
class Problem:
    """One reason a field is refused; ``error`` renders it in the user's language."""

    field: str
    value: str
    error: RuleViolation


class InvalidResident(RuleViolation):
    """The data of a resident breaks one or more rules; ``problems`` says which."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0].error
        super().__init__(first.message, translate_params=first.translate_params, **first.params)


@dataclass(frozen=True)
class CheckedResident:
    """Resident data that passed ``check``: normalised and ready to store."""

    name: str
    id_number: str | None
    sex: str
    birth_date: dt.date
    phone: str | None
    village_id: int
    household_number: str | None
    relation_to_head: str | None
    address: str | None
    health_record_no: str | None
    insurance_type: str | None
    tags: frozenset[str]
    lacks_capacity: bool
    guardian_name: str | None
    guardian_relation: str | None
    guardian_id_number: str | None
    guardian_phone: str | None
    moved_in_on: dt.date | None
    existing_id: int | None = None  # the resident already holding this ID number


def _problem(
    problems: list[Problem], field_name: str, raw: object, message: str, **params: Any
) -> None:
    problems.append(
        Problem(field_name, "" if raw is None else str(raw), RuleViolation(message, **params))
    )


class VillageLookup:
    """Village codes and names of the database, loaded once per check run."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(Village.id, Village.code, Village.name)).all()
        self.by_code = {code: vid for vid, code, _ in rows}
        by_name: dict[str, list[int]] = {}
        for vid, _, name in rows:
            by_name.setdefault(name, []).append(vid)
        self.by_name = by_name

    def find(self, text: str) -> int | list[int] | None:
        if text in self.by_code:
            return self.by_code[text]
        found = self.by_name.get(text)
        if found is None:
            return None
        return found[0] if len(found) == 1 else found


def check(
    session: Session,
    data: ResidentInput,
    *,
    today: dt.date | None = None,
    villages: VillageLookup | None = None,
    allow_existing: bool = False,
    resident_id: int | None = None,
    holders: Callable[[str], tuple[int, str, str] | None] | None = None,
) -> tuple[CheckedResident | None, list[Problem]]:
    """Normalise and validate; returns the checked data or the list of problems.

    ``allow_existing`` (imports) lets a known ID number through as an update of
    that resident; otherwise a second resident with the same number is refused.
    ``resident_id`` is the resident being edited (its own number is no conflict).
    ``holders`` (imports) answers who holds an ID number, as (resident id, name,
    village name), from a map loaded once instead of one query per row.
    """
    today = today or dt.date.today()
    villages = villages or VillageLookup(session)
    problems: list[Problem] = []

    name = clean_name(data.name)
    if not name:
        _problem(problems, "name", data.name, QT_TRANSLATE_NOOP("Errors", "The name is missing."))
    elif len(name) > 50:
        _problem(
            problems,
            "name",
            data.name,
            QT_TRANSLATE_NOOP("Errors", "The name is longer than 50 characters."),
        )

    sex = clean_text(data.sex).upper()
    sex = {"男": "M", "女": "F", "MALE": "M", "FEMALE": "F"}.get(sex, sex)
    birth = data.birth_date
    id_number: str | None = None
    raw_id = clean_text(data.id_number)
    existing_id: int | None = None
    if raw_id:
        try:
            info = validate_id_number(raw_id)
        except RuleViolation as error:
            problems.append(Problem("id_number", raw_id, error))
        else:
            id_number = info.number
            if sex and sex != info.sex:
                _problem(
                    problems,
                    "sex",
                    data.sex,
                    QT_TRANSLATE_NOOP(
                        "Errors", "The sex does not match the ID number, which says {sex}."
                    ),
                    sex="男" if info.sex == "M" else "女",
                )
            if birth and birth != info.birth_date:
                _problem(
                    problems,
                    "birth_date",
                    birth,
                    QT_TRANSLATE_NOOP(
                        "Errors", "The birth date does not match the ID number, which says {date}."
                    ),
                    date=info.birth_date.isoformat(),
                )
            sex, birth = info.sex, info.birth_date
            holder = (
                holders(id_number)
                if holders is not None
                else session.execute(
                    select(Resident.id, Resident.name, Village.name)
                    .join(Village, Village.id == Resident.village_id)
                    .where(Resident.id_number == id_number)
                ).first()
            )
            if holder is not None and holder[0] != resident_id:
                if allow_existing and resident_id is None:
                    existing_id = holder[0]
                else:
                    _problem(
                        problems,
                        "id_number",
                        raw_id,
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "This ID number is already registered: {name} of {village}"
                            " (resident no. {id}).",
                        ),
                        name=holder[1],
                        village=holder[2],
                        id=holder[0],
                    )
    else:
        if sex not in SEXES:
            _problem(
                problems,
                "sex",
                data.sex,
                QT_TRANSLATE_NOOP(
                    "Errors", "Without an ID number, the sex (男 or 女) must be given."
                ),
            )
        if birth is None:
            _problem(
                problems,
                "birth_date",
                "",
                QT_TRANSLATE_NOOP("Errors", "Without an ID number, the birth date must be given."),
            )
    if birth is not None and birth > today:
        _problem(
            problems,
            "birth_date",
            birth,
            QT_TRANSLATE_NOOP("Errors", "The birth date is in the future."),
        )

    phone = clean_phone(data.phone)
    if phone and not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        _problem(
            problems,
            "phone",
            data.phone,
            QT_TRANSLATE_NOOP(
                "Errors",
                "The phone number {value} is neither an 11-digit mobile number nor a"
                " landline with its area code.",
            ),
            value=data.phone,
        )

    village_text = clean_text(data.village)
    village_id: int | None = None
    if not village_text:
        _problem(problems, "village", "", QT_TRANSLATE_NOOP("Errors", "The village is missing."))
    else:
        found = villages.find(village_text)
        if found is None:
            _problem(
                problems,
                "village",
                village_text,
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no village {value}: use its 12-digit code or its exact name.",
                ),
                value=village_text,
            )
        elif isinstance(found, list):
            _problem(
                problems,
                "village",
                village_text,
                QT_TRANSLATE_NOOP(
                    "Errors", "Several villages are called {value}: use the village code."
                ),
                value=village_text,
            )
        else:
            village_id = found

    unknown_tags = sorted(set(data.tags) - set(KEY_POPULATIONS))
    if unknown_tags:
        _problem(
            problems,
            "tags",
            ",".join(unknown_tags),
            QT_TRANSLATE_NOOP("Errors", "Unknown key population: {value}."),
            value=",".join(unknown_tags),
        )
    tags = frozenset(t for t in data.tags if t in TAG_CODES)  # age-based ones are computed

    guardian_name = clean_name(data.guardian_name)
    guardian_phone = clean_phone(data.guardian_phone)
    guardian_id: str | None = None
    if clean_text(data.guardian_id_number):
        try:
            guardian_id = validate_id_number(data.guardian_id_number).number
        except RuleViolation as error:
            problems.append(Problem("guardian_id_number", data.guardian_id_number, error))
    if guardian_phone and not (_MOBILE.match(guardian_phone) or _LANDLINE.match(guardian_phone)):
        _problem(
            problems,
            "guardian_phone",
            data.guardian_phone,
            QT_TRANSLATE_NOOP(
                "Errors",
                "The phone number {value} is neither an 11-digit mobile number nor a"
                " landline with its area code.",
            ),
            value=data.guardian_phone,
        )
    needs_guardian = data.lacks_capacity or not raw_id
    if needs_guardian and not guardian_name:
        _problem(
            problems,
            "guardian_name",
            "",
            QT_TRANSLATE_NOOP(
                "Errors",
                "A resident without an ID number or lacking capacity needs a guardian:"
                " enter the guardian's name and phone.",
            ),
        )
    if needs_guardian and guardian_name and not guardian_phone:
        _problem(
            problems,
            "guardian_phone",
            "",
            QT_TRANSLATE_NOOP("Errors", "Enter the guardian's phone number."),
        )

    moved_in = data.moved_in_on
    if moved_in is not None and (moved_in > today or (birth and moved_in < birth)):
        _problem(
            problems,
            "moved_in_on",
            moved_in,
            QT_TRANSLATE_NOOP(
                "Errors", "The move-in date must lie between the birth date and today."
            ),
        )

    if problems:
        return None, problems
    assert birth is not None and village_id is not None
    return CheckedResident(
        name=name,
        id_number=id_number,
        sex=sex,
        birth_date=birth,
        phone=phone or None,
        village_id=village_id,
        household_number=clean_text(data.household_number) or None,
        relation_to_head=clean_text(data.relation_to_head) or None,
        address=clean_text(data.address) or None,
        health_record_no=clean_text(data.health_record_no) or None,
        insurance_type=clean_text(data.insurance_type) or None,
        tags=tags,
        lacks_capacity=bool(data.lacks_capacity),
        guardian_name=guardian_name or None,
        guardian_relation=clean_text(data.guardian_relation) or None,
        guardian_id_number=guardian_id,
        guardian_phone=guardian_phone or None,
        moved_in_on=moved_in,
        existing_id=existing_id,
    ), []


_STORED_FIELDS = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "phone",
    "village_id",
    "relation_to_head",
    "address",
    "health_record_no",
    "insurance_type",
    "lacks_capacity",
    "guardian_name",
    "guardian_relation",
    "guardian_id_number",
    "guardian_phone",
    "moved_in_on",
)


def household_for(
    session: Session, village_id: int, number: str | None, address: str | None = None
) -> int | None:
    """The id of household ``number`` of the village, created when new."""
    if not number:
        return None
    household_id = session.scalar(
        select(Household.id).where(Household.village_id == village_id, Household.number == number)
    )
    if household_id is None:
        household = Household(village_id=village_id, number=number, address=address)
        session.add(household)
        session.flush()
        household_id = household.id
    return household_id


def apply(session: Session, resident: Resident, checked: CheckedResident) -> dict[str, Any]:
    """Write checked data into a resident row; returns the changed fields as (old, new)."""
    changes: dict[str, Any] = {}
    for name in _STORED_FIELDS:
        new = getattr(checked, name)
        old = getattr(resident, name, None)
        if old != new:
            changes[name] = (old, new)
            setattr(resident, name, new)
    if "name" in changes or not resident.name_pinyin:
        resident.name_pinyin, resident.name_initials = pinyin_keys(checked.name)
    household_id = household_for(
        session, checked.village_id, checked.household_number, checked.address
    )
    if household_id != resident.household_id:
        changes["household"] = (resident.household_id, household_id)
        resident.household_id = household_id
    old_tags = {tag.tag for tag in resident.tags}
    if old_tags != set(checked.tags):
        changes["tags"] = (sorted(old_tags), sorted(checked.tags))
        resident.tags = [ResidentTag(tag=tag) for tag in sorted(checked.tags)]
    return changes


@dataclass(frozen=True)
class ResidentDetail:
    """A resident shaped for the detail view; personal values masked unless revealed."""

    id: int
    name: str
    id_number: str
    sex: str
    birth_date: dt.date
    age: int
    phone: str
    village_id: int
    village_code: str
    village_name: str
    household_id: int | None
    household_number: str
    relation_to_head: str
    address: str
    health_record_no: str
    insurance_type: str
    tags: tuple[str, ...]
    populations: tuple[str, ...]  # tags plus the age-based populations of today
    lacks_capacity: bool
    guardian_name: str
    guardian_relation: str
    guardian_id_number: str
    guardian_phone: str
    moved_in_on: dt.date | None
    left_on: dt.date | None
    left_reason: str | None
    left_note: str
    contract: ContractState | None
    revealed: bool = False

    def as_input(self) -> ResidentInput:
        """The form's starting values (only meaningful when revealed)."""
        return ResidentInput(
            name=self.name,
            id_number=self.id_number,
            sex=self.sex,
            birth_date=self.birth_date,
            phone=self.phone,
            village=self.village_code,
            household_number=self.household_number,
            relation_to_head=self.relation_to_head,
            address=self.address,
            health_record_no=self.health_record_no,
            insurance_type=self.insurance_type,
            tags=frozenset(self.tags),
            lacks_capacity=self.lacks_capacity,
            guardian_name=self.guardian_name,
            guardian_relation=self.guardian_relation,
            guardian_id_number=self.guardian_id_number,
            guardian_phone=self.guardian_phone,
            moved_in_on=self.moved_in_on,
        )


def _current_contract(session: Session, resident_id: int, today: dt.date) -> ContractState | None:
    return contract_states(session, (resident_id,), today, EXPIRING_DAYS).get(resident_id)


def _get(session: Session, resident_id: int) -> Resident:
    resident = session.get(Resident, resident_id)
    if resident is None:
        raise NotFound(
            QT_TRANSLATE_NOOP("Errors", "There is no resident no. {id}."), id=resident_id
        )
    return resident


def _opened(
    session: Session, actor: Actor, resident_id: int, reveal: bool
) -> tuple[Resident, Village, Household | None]:
    """The resident with village and household, for a view or a form; a reveal of the
    full numbers is for roles allowed to see them, and audited."""
    if reveal:
        require(actor, Permission.VIEW_UNMASKED)
    resident = _get(session, resident_id)
    village = session.get(Village, resident.village_id)
    household = session.get(Household, resident.household_id) if resident.household_id else None
    assert village is not None
    if reveal:
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="resident.reveal",
            entity_type="resident",
            entity_id=resident.id,
        )
    return resident, village, household


def get_detail(
    session: Session,
    actor: Actor,
    resident_id: int,
    *,
    reveal: bool = False,
    today: dt.date | None = None,
) -> ResidentDetail:
    """The resident for the detail view; ``reveal`` (supervisors, admins) is audited."""
    require(actor, Permission.VIEW_RESIDENTS)
    today = today or dt.date.today()
    resident, village, household = _opened(session, actor, resident_id, reveal)

    def shown(value: str | None, mask: Any) -> str:
        return (value or "") if reveal else mask(value)

    tags = tuple(sorted(tag.tag for tag in resident.tags))
    return ResidentDetail(
        id=resident.id,
        name=resident.name,
        id_number=shown(resident.id_number, mask_id_number),
        sex=resident.sex,
        birth_date=resident.birth_date,
        age=age_on(resident.birth_date, today),
        phone=shown(resident.phone, mask_phone),
        village_id=village.id,
        village_code=village.code,
        village_name=village.name,
        household_id=resident.household_id,
        household_number=household.number if household else "",
        relation_to_head=resident.relation_to_head or "",
        address=resident.address or "",
        health_record_no=resident.health_record_no or "",
        insurance_type=resident.insurance_type or "",
        tags=tags,
        populations=age_populations(resident.birth_date, today) + tags,
        lacks_capacity=resident.lacks_capacity,
        guardian_name=resident.guardian_name or "",
        guardian_relation=resident.guardian_relation or "",
        guardian_id_number=shown(resident.guardian_id_number, mask_id_number),
        guardian_phone=shown(resident.guardian_phone, mask_phone),
        moved_in_on=resident.moved_in_on,
        left_on=resident.left_on,
        left_reason=resident.left_reason,
        left_note=resident.left_note or "",
        contract=_current_contract(session, resident.id, today),
        revealed=reveal,
    )


_MASKABLE = (
    ("id_number", mask_id_number),
    ("phone", mask_phone),
    ("guardian_id_number", mask_id_number),
    ("guardian_phone", mask_phone),
)


def editable_input(
    session: Session, actor: Actor, resident_id: int, *, reveal: bool = False
) -> ResidentInput:
    """The values for the edit form.

    ID numbers and phones come masked unless ``reveal`` is asked by a role that may
    see them (audited); ``update`` keeps a value that comes back still masked.
    """
    require(actor, Permission.EDIT_RESIDENTS)
    resident, village, household = _opened(session, actor, resident_id, reveal)
    personal = {
        name: (getattr(resident, name) or "") if reveal else mask(getattr(resident, name))
        for name, mask in _MASKABLE
    }
    return ResidentInput(
        name=resident.name,
        sex=resident.sex,
        birth_date=resident.birth_date,
        village=village.code,
        household_number=household.number if household else "",
        relation_to_head=resident.relation_to_head or "",
        address=resident.address or "",
        health_record_no=resident.health_record_no or "",
        insurance_type=resident.insurance_type or "",
        tags=frozenset(tag.tag for tag in resident.tags),
        lacks_capacity=resident.lacks_capacity,
        guardian_name=resident.guardian_name or "",
        guardian_relation=resident.guardian_relation or "",
        moved_in_on=resident.moved_in_on,
        **personal,
    )


def _unmask_unchanged(resident: Resident, data: ResidentInput) -> ResidentInput:
    """A personal value sent back exactly as its mask means "keep what is stored"."""
    kept = {}
    for name, mask in _MASKABLE:
        stored = getattr(resident, name)
        if stored and getattr(data, name) == mask(stored):
            kept[name] = stored
    return replace(data, **kept) if kept else data


def register(
    session: Session, actor: Actor, data: ResidentInput, today: dt.date | None = None
) -> ResidentDetail:
    require(actor, Permission.EDIT_RESIDENTS)
    checked, problems = check(session, data, today=today)
    if problems:
        raise InvalidResident(problems)
    assert checked is not None
    resident = Resident(tags=[])
    session.add(resident)
    changes = apply(session, resident, checked)
    session.flush()
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="resident.create",
        entity_type="resident",
        entity_id=resident.id,
        changes={k: v[1] for k, v in changes.items()},
    )
    return get_detail(session, actor, resident.id, today=today)


def update(
    session: Session,
    actor: Actor,
    resident_id: int,
    data: ResidentInput,
    today: dt.date | None = None,
) -> ResidentDetail:
    require(actor, Permission.EDIT_RESIDENTS)
    resident = _get(session, resident_id)
    data = _unmask_unchanged(resident, data)
    checked, problems = check(session, data, today=today, resident_id=resident_id)
    if problems:
        raise InvalidResident(problems)
    assert checked is not None
    changes = apply(session, resident, checked)
    if changes:
        audit.record(
            session,
            user_id=actor.user_id,
            username=actor.username,
            action="resident.update",
            entity_type="resident",
            entity_id=resident.id,
            changes=changes,
        )
    return get_detail(session, actor, resident.id, today=today)


def mark_left(
    session: Session,
    actor: Actor,
    resident_id: int,
    *,
    on: dt.date,
    reason: str,
    note: str = "",
    today: dt.date | None = None,
) -> ResidentDetail:
    """The resident moved out or died on ``on``: they leave denominators from that day."""
    require(actor, Permission.EDIT_RESIDENTS)
    today = today or dt.date.today()
    if reason not in LEAVE_REASONS:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Choose moved out or deceased."))
    resident = _get(session, resident_id)
    if resident.left_on is not None:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "{name} is already marked as moved out or deceased."),
            name=resident.name,
        )
    if on > today or on < resident.birth_date:
        raise RuleViolation(
            QT_TRANSLATE_NOOP("Errors", "The date must lie between the birth date and today.")
        )
    resident.left_on, resident.left_reason = on, reason
    resident.left_note = clean_text(note) or None
    # Their contract in force (and any starting later) ends that day with the same reason.
    from familydoc.core.contracts import end_for_leaving  # contracts imports this module

    ended = end_for_leaving(session, actor, resident.id, on, reason, note)
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="resident.leave",
        entity_type="resident",
        entity_id=resident.id,
        changes={
            "left_on": on,
            "left_reason": reason,
            "left_note": resident.left_note,
            "contracts_ended": ended,
        },
    )
    return get_detail(session, actor, resident.id, today=today)


def bring_back(
    session: Session, actor: Actor, resident_id: int, today: dt.date | None = None
) -> ResidentDetail:
    """Undo a move-out or death recorded by mistake (or a resident who came back)."""
    require(actor, Permission.EDIT_RESIDENTS)
    resident = _get(session, resident_id)
    if resident.left_on is None:
        raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "{name} has not left."), name=resident.name)
    before = (resident.left_on, resident.left_reason)
    resident.left_on = resident.left_reason = resident.left_note = None
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="resident.return",
        entity_type="resident",
        entity_id=resident.id,
        changes={"left_on": (before[0], None), "left_reason": (before[1], None)},
    )
    return get_detail(session, actor, resident.id, today=today)


def move_to_household(
    session: Session,
    actor: Actor,
    resident_id: int,
    household_id: int,
    relation: str,
    today: dt.date | None = None,
) -> ResidentDetail:
    """Move a resident into another household (of any village: the village follows)."""
    require(actor, Permission.EDIT_RESIDENTS)
    resident = _get(session, resident_id)
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such household."))
    changes: dict[str, Any] = {
        "household": (resident.household_id, household.id),
        "relation_to_head": (resident.relation_to_head, clean_text(relation) or None),
    }
    if resident.village_id != household.village_id:
        changes["village_id"] = (resident.village_id, household.village_id)
        resident.village_id = household.village_id
    resident.household_id = household.id
    resident.relation_to_head = clean_text(relation) or None
    audit.record(
        session,
        user_id=actor.user_id,
        username=actor.username,
        action="resident.move_household",
        entity_type="resident",
        entity_id=resident.id,
        changes=changes,
    )
    return get_detail(session, actor, resident.id, today=today)


@dataclass(frozen=True)
class HouseholdMember:
    id: int
    name: str
    sex: str
    age: int
    relation: str
    id_number: str  # masked
    status: str  # active / moved_out / deceased
    contract: ContractState | None


@dataclass(frozen=True)
class HouseholdDetail:
    id: int
    number: str
    village_code: str
    village_name: str
    address: str
    head: str | None
    members: tuple[HouseholdMember, ...]


def household_detail(
    session: Session, actor: Actor, household_id: int, today: dt.date | None = None
) -> HouseholdDetail:
    require(actor, Permission.VIEW_RESIDENTS)
    today = today or dt.date.today()
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(QT_TRANSLATE_NOOP("Errors", "There is no such household."))
    village = session.get(Village, household.village_id)
    assert village is not None
    contracts = contract_states(
        session,
        session.scalars(select(Resident.id).where(Resident.household_id == household_id)),
        today,
        EXPIRING_DAYS,
    )
    members = []
    for resident in session.scalars(
        select(Resident)
        .where(Resident.household_id == household_id)
        .order_by((Resident.relation_to_head != "户主"), Resident.birth_date)
    ):
        members.append(
            HouseholdMember(
                id=resident.id,
                name=resident.name,
                sex=resident.sex,
                age=age_on(resident.birth_date, today),
                relation=resident.relation_to_head or "",
                id_number=mask_id_number(resident.id_number),
                status=resident.left_reason or "active",
                contract=contracts.get(resident.id),
            )
        )
    head = next((m.name for m in members if m.relation == "户主"), None)
    return HouseholdDetail(
        household.id,
        household.number,
        village.code,
        village.name,
        household.address or "",
        head,
        tuple(members),
    )


def village_choices(session: Session) -> list[tuple[int, str, str]]:
    """(id, code, name) of every village, in code order, for pickers and filters."""
    return [
        tuple(row)
        for row in session.execute(  # type: ignore[misc]
            select(Village.id, Village.code, Village.name).order_by(Village.code)
        )
    ]


def find_households(
    session: Session, text: str, limit: int = 20
) -> list[tuple[int, str, str, str]]:
    """Households whose number starts with ``text``: (id, number, village name, head name)."""
    head = (
        select(Resident.name)
        .where(Resident.household_id == Household.id, Resident.relation_to_head == "户主")
        .correlate(Household)
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Household.id, Household.number, Village.name, head)
        .join(Village, Village.id == Household.village_id)
        .where(Household.number.startswith(clean_text(text)))
        .order_by(Household.number)
        .limit(limit)
    ).all()
    return [(r[0], r[1], r[2], r[3] or "") for r in rows]


# --- finding residents ------------------------------------------------------------------

# signed: covered on the day; unsigned: neither covered nor signed ahead (未签约);
# presigned: not covered, a contract signed ahead starts later (已预签);
# expiring: covered and the coverage (the whole chain of renewals) ends within 30 days.
SIGNING_FILTERS = ("signed", "unsigned", "presigned", "expiring")
STATUS_FILTERS = ("active", "left", "all")
SORT_KEYS = ("name", "sex", "birth_date", "village", "household", "status", "contract_end", "id")


@dataclass(frozen=True)
class ResidentFilter:
    text: str = ""
    village_id: int | None = None
    population: str | None = None  # a key-population code or "any_key"
    signing: str | None = None  # one of SIGNING_FILTERS
    status: str = "active"  # active / left / all
    sort: str = "name"
    descending: bool = False

    def with_(self, **changes: Any) -> ResidentFilter:
        return replace(self, **changes)


_CJK = re.compile(r"[\u3400-\u9fff]")


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[\]])", r"[\1]", text)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True)
class _Search:
    """The search box text: a resident is found when one of ``alternatives`` holds.

    Each alternative has an index of its own; ``digits`` is set for a query of
    digits only, which ``_digits_condition`` answers row by row exactly as the
    trigram index does (used when most residents match, see ``ResidentPages``).
    """

    alternatives: tuple[Any, ...]
    fts: str | None = None  # the text looked up in the trigram index (the last alternative)
    digits: str | None = None

    def with_fts(self, condition: Any) -> tuple[Any, ...]:
        """The alternatives with the trigram lookup replaced by ``condition``."""
        return (*self.alternatives[:-1], condition) if self.fts else self.alternatives


def _parse_search(text: str) -> _Search | None:
    query = clean_text(text).replace(" ", "")
    if not query:
        return None
    if query.isdigit():
        if len(query) < 4:
            return _Search((Resident.id.is_(None),))  # too short to mean anything: find nobody
        return _Search((_fts(query),), fts=query, digits=query)
    if query.isascii() and query.isalpha():
        lowered = query.lower()
        pattern = _glob_escape(lowered) + "*"
        # Initials and full pinyin begin with the same letter (``pinyin_keys``), so the
        # initials may also be looked for in the name-order index, already in list order.
        initials = and_(
            Resident.name_initials.op("GLOB")(pattern),
            Resident.name_pinyin.op("GLOB")(lowered[0] + "*"),
        )
        return _Search((initials, Resident.name_pinyin.op("GLOB")(pattern)))
    conditions = []
    if _CJK.search(query):
        conditions.append(Resident.name.op("GLOB")(_glob_escape(query) + "*"))
    if len(query) >= 3:
        conditions.append(_fts(query))
        return _Search(tuple(conditions), fts=query)
    return _Search(tuple(conditions) or (Resident.id.is_(None),))


def search_condition(text: str) -> Any | None:
    """SQL condition for the search box, or None when the text finds nothing to search for.

    Digits (4 or more) match anywhere in ID numbers, phones and record numbers;
    letters match the start of the full pinyin or of the initials (``zs``,
    ``zhangsan``); Chinese matches the start of the name, and anywhere once three
    characters are typed; anything of three characters or more also matches
    anywhere through the trigram index.
    """
    search = _parse_search(text)
    return None if search is None else or_(*search.alternatives)


def _digits_condition(digits: str) -> Any:
    """Row by row, the residents the trigram index finds for a query of digits only.

    The index holds name, pinyin, initials, ID number, phone and record number
    separated by spaces; pinyin and initials hold letters only, so digits can
    only be found inside the name, ID number, phone or record number.
    """
    return or_(
        *(
            func.instr(column_, digits) > 0
            for column_ in (
                Resident.name,
                Resident.id_number,
                Resident.phone,
                Resident.health_record_no,
            )
        )
    )


def _fts_count(digits_or_text: str) -> Any:
    return sql_text(
        "SELECT count(*) FROM resident_search WHERE resident_search MATCH :phrase"
    ).bindparams(phrase=_fts_phrase(digits_or_text))


def _fts_rowids(text: str, limit: int) -> Any:
    """SQL: the residents the trigram index finds for ``text``, at most ``limit``."""
    return sql_text(
        "SELECT rowid FROM resident_search WHERE resident_search MATCH :phrase LIMIT :limit"
    ).bindparams(phrase=_fts_phrase(text), limit=limit)


def _listed(ids: list[int]) -> Any:
    """SQL condition: the resident is one of ``ids`` (one JSON parameter, not one per id)."""
    return Resident.id.in_(
        sql_text("SELECT value FROM json_each(:ids)")
        .bindparams(ids=json.dumps(ids))
        .columns(column("value", Integer))
    )


def _fts(query: str) -> Any:
    return Resident.id.in_(
        sql_text("SELECT rowid FROM resident_search WHERE resident_search MATCH :phrase")
        .bindparams(phrase=_fts_phrase(query))
        .columns(column("rowid", Integer))
    )


def population_condition(code: str, day: dt.date) -> Any:
    if code == "elderly_65":
        return Resident.birth_date <= years_before(day, 65)
    if code == "child_0_6":
        return Resident.birth_date > years_before(day, 7)
    if code == "any_key":
        return or_(
            *(population_condition(c, day) for c in AGE_POPULATIONS),
            exists().where(ResidentTag.resident_id == Resident.id),
        )
    if code in TAG_CODES:
        return exists().where(ResidentTag.resident_id == Resident.id, ResidentTag.tag == code)
    raise RuleViolation(QT_TRANSLATE_NOOP("Errors", "Unknown key population: {value}."), value=code)


def signing_condition(signing: str, day: dt.date, resident_id: Any = Resident.id) -> Any:
    """SQL condition for a ``SIGNING_FILTERS`` value on ``day`` (see ``core.coverage``)."""
    if signing == "signed":
        return covered_on(day, resident_id)
    if signing == "unsigned":
        return unsigned_on(day, resident_id)
    if signing == "presigned":
        return presigned_on(day, resident_id)
    if signing == "expiring":
        return ending_within(day, EXPIRING_DAYS, resident_id)
    raise RuleViolation(
        QT_TRANSLATE_NOOP("Errors", "Unknown signing filter: {value}."), value=signing
    )


RESIDENT_LIST_COLUMNS = (
    "id",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "phone",
    "village",
    "household",
    "status",
    "contract_end",  # the end of the coverage (the chain of renewals); None: not covered
    "household_id",
    "presigned_from",  # not covered: the start of a contract signed ahead
)


def resident_list(filters: ResidentFilter, today: dt.date | None = None) -> PagedQuery:
    """The resident list for the filters: counted, sorted and paged in SQL (``ResidentPages``)."""
    today = today or dt.date.today()
    contract_end = chain_end_on(today)
    status = func.coalesce(Resident.left_reason, "active")
    columns_select = (
        select(
            Resident.id,
            Resident.name,
            Resident.sex,
            Resident.birth_date,
            Resident.id_number,
            Resident.phone,
            Village.name,
            Household.number,
            status,
            contract_end,
            Resident.household_id,
            presigned_from(today),
        )
        .join(Village, Village.id == Resident.village_id)
        .outerjoin(Household, Household.id == Resident.household_id)
    )
    search = _parse_search(filters.text)
    conditions = []  # all but the search text
    if filters.village_id is not None:
        conditions.append(Resident.village_id == filters.village_id)
    if filters.population:
        conditions.append(population_condition(filters.population, today))
    if filters.status == "active":
        conditions.append(or_(Resident.left_on.is_(None), Resident.left_on > today))
    elif filters.status == "left":
        conditions.append(and_(Resident.left_on.is_not(None), Resident.left_on <= today))
    if filters.signing is not None:
        conditions.append(signing_condition(filters.signing, today))
    every = ([or_(*search.alternatives)] if search else []) + conditions
    base = columns_select.where(and_(*every)) if every else columns_select
    sort_columns = {
        "name": Resident.name_pinyin,
        "sex": Resident.sex,
        "birth_date": Resident.birth_date,
        "village": Village.code,
        "household": Household.number,
        "status": status,
        "contract_end": contract_end,
        "id": Resident.id,
    }
    column = sort_columns.get(filters.sort, Resident.name_pinyin)
    order = (
        column.desc() if filters.descending else column.asc(),
        Resident.id.desc() if filters.descending else Resident.id.asc(),
    )

    def shape(row: Any) -> tuple[Any, ...]:
        values = list(row)
        values[4] = mask_id_number(values[4])
        values[5] = mask_phone(values[5])
        return tuple(values)

    return ResidentPages(
        RESIDENT_LIST_COLUMNS,
        base,
        order,
        shape,
        columns_select=columns_select,
        filters=filters,
        today=today,
        search=search,
        conditions=tuple(conditions),
        sort_key=column,
    )


@dataclass
class ResidentPages(PagedQuery):
    """The resident list, read without touching the rows it does not show.

    ``base`` and ``order_by`` say what the list is; this class reads it faster
    with the covering indexes of migration 0006 (at 200,000 residents a row read
    from the table costs about a microsecond, an index entry a few hundredths):

    - a page first finds the ids of its rows, in list order, from indexes, then
      reads the columns (and the contract subquery) of those rows only;
    - a page nearer the end than the start is read backwards from the end;
    - the search alternatives are disjoint branches (UNION ALL), each read from
      its own index, instead of an OR that reads the table for every match;
    - digits that many residents match (typing an ID number from its start) are
      tested row by row while walking the list in order, which stops after a page,
      instead of sorting every match of the trigram index;
    - the usual counts come from the tag, contract and search tables, minus the
      few residents who left, instead of testing every resident.
    """

    columns_select: Select[Any]
    filters: ResidentFilter
    today: dt.date
    search: _Search | None
    conditions: tuple[Any, ...]
    sort_key: Any
    _found: list[list[int] | None] = field(default_factory=list, repr=False, compare=False)
    _capped: list[bool] = field(default_factory=list, repr=False, compare=False)

    def count_is_at_least(self) -> bool:
        return bool(self._capped)

    def count(self, session: Session) -> int:
        capped = self._capped_count(session)
        if capped is not None:
            return capped
        fast = self._fast_count(session)
        if fast is not None:
            return fast
        branches = _disjoint(self._alternatives(session))
        return sum(
            int(
                session.scalar(
                    select(func.count()).select_from(Resident).where(*self.conditions, *branch)
                )
                or 0
            )
            for branch in (branches or [()])
        )

    def fetch(self, session: Session, offset: int, limit: int) -> list[tuple[Any, ...]]:
        offset = max(0, offset)
        if limit <= 0:
            return []
        if self._capped:  # the list is the first SEARCH_CAP matches, read forwards
            limit = min(limit, SEARCH_CAP - offset)
            if limit <= 0:
                return []
        backwards = False
        if offset >= limit and not self._capped:  # past the first page: is the end nearer?
            total = self.count(session)
            if offset >= total:
                return []
            if total - offset < offset + limit:
                end = min(total, offset + limit)
                offset, limit, backwards = total - end, end - offset, True
        ids = self._page_ids(session, offset, limit, self.filters.descending != backwards)
        if backwards:
            ids.reverse()
        if not ids:
            return []
        found = {
            row[0]: row for row in session.execute(self.columns_select.where(Resident.id.in_(ids)))
        }
        return [self.shape(found[i]) for i in ids if i in found]

    def _page_ids(self, session: Session, offset: int, limit: int, descending: bool) -> list[int]:
        branches = _disjoint(self._alternatives(session))

        def direction(expression: Any) -> Any:
            return expression.desc() if descending else expression.asc()

        if len(branches) <= 1:
            ids = self._joined(select(Resident.id)).where(*self.conditions, *(branches or [()])[0])
            ids = ids.order_by(direction(self.sort_key), direction(Resident.id))
        else:  # ordered as a whole, SQLite merges the branches, each read in list order
            both = union_all(
                *(
                    self._joined(
                        select(Resident.id.label("id"), self.sort_key.label("sort_key"))
                    ).where(*self.conditions, *branch)
                    for branch in branches
                )
            )
            ids = both.order_by(
                direction(both.selected_columns.sort_key), direction(both.selected_columns.id)
            )
        return list(session.scalars(ids.offset(offset).limit(limit)))

    def _joined(self, statement: Select[Any]) -> Select[Any]:
        if self.filters.sort == "village":
            return statement.join(Village, Village.id == Resident.village_id)
        if self.filters.sort == "household":
            return statement.outerjoin(Household, Household.id == Resident.household_id)
        return statement

    def _alternatives(self, session: Session) -> tuple[Any, ...]:
        """The search alternatives, the trigram lookup answered the cheapest way.

        A lookup that finds few residents is run once and its ids listed (a phrase
        of common trigrams, such as a village code, costs the same to find ten rows
        as ten thousand). One that finds many cannot be listed: sorting its matches
        costs a table read per match, while walking the list in order, testing each
        row, stops after a page; for digits ``_digits_condition`` is that test. The
        walk wins past ``sqrt(PAGE_HINT * residents)`` matches.
        """
        if self.search is None:
            return ()
        if self.search.fts is None:
            return self.search.alternatives
        found = self._trigram_matches(session)
        if found is not None:
            return self.search.with_fts(_listed(found))
        if self.search.digits is not None:
            return self.search.with_fts(_digits_condition(self.search.digits))
        return self.search.alternatives

    def _trigram_matches(self, session: Session) -> list[int] | None:
        """Residents the trigram index finds, or None when more than are worth listing."""
        assert self.search is not None and self.search.fts is not None
        if not self._found:
            most = self._most(session)
            ids = list(session.scalars(_fts_rowids(self.search.fts, most + 1)))
            self._found.append(ids if len(ids) <= most else None)
        return self._found[0]

    def _capped_count(self, session: Session) -> int | None:
        """For digits that too many residents match (an ID number typed from its start,
        where every resident of the county matches ``3203``), a lower bound.

        Counting every match costs a walk of the whole trigram index (50 ms and more at
        200,000 residents) for a list nobody scrolls through; the list shows the first
        ``SEARCH_CAP`` in order and says there are more, so typing on narrows it.
        """
        if self._capped:
            return SEARCH_CAP
        f = self.filters
        if (
            self.search is None
            or self.search.digits is None
            or f.village_id is not None
            or f.population
            or f.signing
            or f.status not in ("active", "all")
            or self._trigram_matches(session) is not None
        ):
            return None
        # More than ``most`` residents match; those who left can only lower that by
        # the few who left (a small partial index) and also match.
        left = 0
        if f.status == "active":
            left = int(
                session.scalar(
                    select(func.count())
                    .select_from(Resident)
                    .where(Resident.left_on <= self.today, _digits_condition(self.search.digits))
                )
                or 0
            )
        most = self._most(session)
        if most + 1 - left < SEARCH_CAP:
            return None
        self._capped.append(True)
        return SEARCH_CAP

    def _most(self, session: Session) -> int:
        residents = int(session.scalar(select(func.max(Resident.id))) or 0)
        return max(1, math.ceil(math.sqrt(PAGE_HINT * residents)))

    def _fast_count(self, session: Session) -> int | None:
        """Counts that need not test every resident, or None for the general count.

        At most one contract of a resident is in force on a day (the database
        refuses overlaps) and foreign keys hold, so residents signed on a day are
        the contracts in force that day and members of a population are its tag
        rows; the residents who left (a small partial index) are subtracted.
        """
        f = self.filters
        if f.village_id is not None or f.status not in ("active", "all"):
            return None
        day = self.today
        living = f.status == "active"
        gone = Resident.left_on <= day  # not living here on the day

        def counted(statement: Select[Any]) -> Any:
            return statement.scalar_subquery()

        if self.search is not None:
            digits = self.search.digits
            if digits is None or f.population or f.signing:
                return None
            listed = self._trigram_matches(session)
            found = len(listed) if listed is not None else int(session.scalar(_fts_count(digits)))
            if living and found:
                found -= int(
                    session.scalar(
                        select(func.count())
                        .select_from(Resident)
                        .where(gone, _digits_condition(digits))
                    )
                    or 0
                )
            return found
        tag = f.population
        if tag is not None and tag not in TAG_CODES:
            return None

        def tagged(resident_id: Any) -> Any:
            return exists().where(ResidentTag.resident_id == resident_id, ResidentTag.tag == tag)

        figures = []
        if tag is None:
            figures.append(select(func.count()).select_from(Resident))
            figures.append(select(func.count()).select_from(Resident).where(gone))
        else:
            figures.append(
                select(func.count()).select_from(ResidentTag).where(ResidentTag.tag == tag)
            )
            figures.append(
                select(func.count()).select_from(Resident).where(gone, tagged(Resident.id))
            )
        # unsigned = everyone - covered - pre-signed (the three are disjoint)
        kinds = {"signed": "covered", "expiring": "ending", "presigned": "presigned"}
        states: tuple[str, ...] = ()
        if f.signing == "unsigned":
            states = ("covered", "presigned")
        elif f.signing is not None:
            states = (kinds[f.signing],)
        also_tagged = [tagged(Resident.id)] if tag is not None else []
        for state in states:
            filter_name = {"covered": "signed", "ending": "expiring"}.get(state, state)
            if tag is None:
                figures.append(count_in_state(state, day, EXPIRING_DAYS))
            else:
                figures.append(
                    select(func.count())
                    .select_from(ResidentTag)
                    .where(
                        ResidentTag.tag == tag,
                        signing_condition(filter_name, day, ResidentTag.resident_id),
                    )
                )
            figures.append(
                select(func.count())
                .select_from(Resident)
                .where(gone, signing_condition(filter_name, day, Resident.id), *also_tagged)
            )
        values = [int(v or 0) for v in session.execute(select(*map(counted, figures))).one()]
        everyone = values[0] - (values[1] if living else 0)
        if f.signing is None:
            return everyone
        held = [values[i] - (values[i + 1] if living else 0) for i in range(2, len(values), 2)]
        return everyone - sum(held) if f.signing == "unsigned" else held[0]


PAGE_HINT = 256  # rows of the first page the list asks for with the count
SEARCH_CAP = 2000  # a search box list of more residents says "more than" (_capped_count)


def _disjoint(alternatives: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Branch i: alternative i holds and none before it, so branch counts add up."""
    return [
        (
            alternative,
            *(~func.coalesce(earlier, False, type_=Boolean) for earlier in alternatives[:index]),
        )
        for index, alternative in enumerate(alternatives)
    ]
