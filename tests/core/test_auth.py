"""Accounts, logging in, locks, permissions and the audit events of account services."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from familydoc.core import audit_log, auth, setup
from familydoc.core.auth import Actor, Permission
from familydoc.core.context import AppContext
from familydoc.core.db import open_database
from familydoc.core.errors import (
    AuthenticationFailed,
    NotFound,
    PermissionDenied,
    RuleViolation,
)
from familydoc.core.models import AuditEvent, User, utcnow

ROLES = ("admin", "supervisor", "doctor", "clerk")
# The accounts of the ``initialised`` and ``make_user`` fixtures (tests/conftest.py).
ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "admin-pass-1"
USER_PASSWORD = "user-pass-1"
MakeUser = Callable[..., Actor]


def _events(context: AppContext, action: str | None = None) -> list[AuditEvent]:
    with context.database.read() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        events = list(session.scalars(query))
        session.expunge_all()  # keep the loaded values after the read's rollback
        return events


def _user(context: AppContext, username: str) -> User:
    with context.database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def _login(
    context: AppContext, username: str, password: str, now: dt.datetime | None = None
) -> auth.LoginResult:
    with context.database.unit_of_work() as session:
        return auth.authenticate(session, username, password, now=now)


def _dump(path: Path) -> str:
    """Every row of every table, as SQL text (reads the WAL too)."""
    connection = sqlite3.connect(path)
    try:
        return "\n".join(connection.iterdump())
    finally:
        connection.close()


def _assert_recent_utc(moment: dt.datetime) -> None:
    assert moment.tzinfo is not None
    assert moment.utcoffset() == dt.timedelta(0)
    assert abs(utcnow() - moment) < dt.timedelta(minutes=1)


# --- storing passwords ------------------------------------------------------------------------


def test_password_is_stored_as_argon2id_and_never_in_clear(
    initialised: AppContext, make_user: MakeUser
) -> None:
    secret = "Very-Secret-Passw0rd"
    make_user("doctor", "wangys", password=secret)
    user = _user(initialised, "wangys")
    assert user.password_hash.startswith("$argon2id$")
    assert secret not in user.password_hash
    assert _user(initialised, ADMIN_USERNAME).password_hash.startswith("$argon2id$")
    dump = _dump(initialised.home.database_file)
    assert "INSERT INTO" in dump and "wangys" in dump  # the dump holds the rows
    assert secret not in dump
    assert ADMIN_PASSWORD not in dump
    for event in _events(initialised):
        assert secret not in str(event.changes)
        assert "password_hash" not in event.changes


def test_hasher_parameters_are_not_weaker_than_owasp() -> None:
    hasher = auth._hasher
    assert hasher.type.name == "ID"
    assert hasher.memory_cost >= 19 * 1024  # KiB
    assert hasher.time_cost >= 2


def test_short_password_and_bad_names_are_refused(initialised: AppContext, admin: Actor) -> None:
    bad = (
        {"username": "new1", "password": "short", "role": "clerk"},
        {"username": "with space", "password": USER_PASSWORD, "role": "clerk"},
        {"username": "", "password": USER_PASSWORD, "role": "clerk"},
        {"username": "new2", "password": USER_PASSWORD, "role": "superuser"},
        {"username": ADMIN_USERNAME, "password": USER_PASSWORD, "role": "clerk"},
    )
    for values in bad:
        with pytest.raises(RuleViolation):
            with initialised.database.unit_of_work() as session:
                auth.create_user(session, admin, display_name="x", **values)
    with initialised.database.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


# --- logging in -------------------------------------------------------------------------------


def test_login_success_is_audited(initialised: AppContext) -> None:
    result = _login(initialised, ADMIN_USERNAME, ADMIN_PASSWORD)
    assert result.error is None
    assert result.actor is not None
    assert (result.actor.username, result.actor.role) == (ADMIN_USERNAME, "admin")
    [event] = _events(initialised, "login")
    assert event.username == ADMIN_USERNAME
    assert event.user_id == result.actor.user_id
    _assert_recent_utc(event.occurred_at)
    user = _user(initialised, ADMIN_USERNAME)
    assert user.last_login_at is not None
    _assert_recent_utc(user.last_login_at)


def test_failed_login_is_audited_and_committed(initialised: AppContext) -> None:
    result = _login(initialised, ADMIN_USERNAME, "wrong-password")
    assert result.actor is None
    assert isinstance(result.error, AuthenticationFailed)
    assert result.error.exit_code == 5
    # The unit of work committed although the login failed: the event and the count stay.
    [event] = _events(initialised, "login.failed")
    assert event.username == ADMIN_USERNAME
    assert event.changes == {"reason": "wrong_password"}
    assert "wrong-password" not in str(event.changes)
    assert _user(initialised, ADMIN_USERNAME).failed_logins == 1
    assert _events(initialised, "login") == []


def test_unknown_user_is_audited(initialised: AppContext) -> None:
    result = _login(initialised, "  nobody  ", "whatever-1")
    assert result.actor is None
    assert isinstance(result.error, AuthenticationFailed)
    [event] = _events(initialised, "login.failed")
    assert event.username == "nobody"
    assert event.user_id is None
    assert event.changes == {"reason": "unknown_user"}
    # Same message as a wrong password: the screen does not tell which names exist.
    wrong = _login(initialised, ADMIN_USERNAME, "wrong-password")
    assert str(wrong.error) == str(result.error)


def test_five_wrong_passwords_lock_for_fifteen_minutes(
    initialised: AppContext, home_url: str
) -> None:
    start = utcnow()
    for _ in range(5):
        result = _login(initialised, ADMIN_USERNAME, "wrong-password", now=start)
        assert result.actor is None
    assert "locked" in str(result.error)
    user = _user(initialised, ADMIN_USERNAME)
    assert user.locked_until == start + dt.timedelta(minutes=15)
    assert len(_events(initialised, "user.auto_lock")) == 1

    # Locked even with the right password.
    locked = _login(
        initialised, ADMIN_USERNAME, ADMIN_PASSWORD, now=start + dt.timedelta(minutes=1)
    )
    assert locked.actor is None
    assert "locked" in str(locked.error)
    assert _events(initialised, "login.failed")[-1].changes == {"reason": "locked"}

    # A restart (a new engine on the same file) does not forget the lock.
    initialised.close()
    restarted = open_database(home_url)
    try:
        with restarted.unit_of_work() as session:
            again = auth.authenticate(
                session, ADMIN_USERNAME, ADMIN_PASSWORD, now=start + dt.timedelta(minutes=14)
            )
        assert again.actor is None
        with restarted.unit_of_work() as session:
            later = auth.authenticate(
                session,
                ADMIN_USERNAME,
                ADMIN_PASSWORD,
                now=start + dt.timedelta(minutes=15, seconds=1),
            )
        assert later.actor is not None
        with restarted.read() as session:
            user = session.scalar(select(User).where(User.username == ADMIN_USERNAME))
            assert user is not None
            assert user.locked_until is None
            assert user.failed_logins == 0
    finally:
        restarted.dispose()


def test_four_wrong_passwords_do_not_lock(initialised: AppContext) -> None:
    for _ in range(4):
        _login(initialised, ADMIN_USERNAME, "wrong-password")
    assert _user(initialised, ADMIN_USERNAME).locked_until is None
    assert _login(initialised, ADMIN_USERNAME, ADMIN_PASSWORD).actor is not None
    assert _user(initialised, ADMIN_USERNAME).failed_logins == 0


def test_admin_unlock_clears_a_failed_login_lock(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    clerk = make_user("clerk")
    for _ in range(5):
        _login(initialised, clerk.username, "wrong-password")
    assert _login(initialised, clerk.username, USER_PASSWORD).actor is None
    with initialised.database.unit_of_work() as session:
        row = auth.set_disabled(session, admin, username=clerk.username, disabled=False)
    assert row.locked_until is None and row.failed_logins == 0 and not row.disabled
    assert _login(initialised, clerk.username, USER_PASSWORD).actor is not None


def test_disabled_account_cannot_log_in(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    doctor = make_user("doctor")
    with initialised.database.unit_of_work() as session:
        auth.set_disabled(session, admin, username=doctor.username, disabled=True)
    result = _login(initialised, doctor.username, USER_PASSWORD)
    assert result.actor is None
    assert isinstance(result.error, AuthenticationFailed)
    assert _events(initialised, "login.failed")[-1].changes == {"reason": "disabled"}
    with initialised.database.read() as session:
        with pytest.raises(AuthenticationFailed):
            auth.actor_for(session, doctor.username)


def test_the_last_admin_cannot_be_locked(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    with pytest.raises(RuleViolation, match="last administrator"):
        with initialised.database.unit_of_work() as session:
            auth.set_disabled(session, admin, username=ADMIN_USERNAME, disabled=True)
    assert not _user(initialised, ADMIN_USERNAME).disabled
    # With a second (active) administrator the first one can be locked.
    make_user("admin", "admin2")
    with initialised.database.unit_of_work() as session:
        auth.set_disabled(session, admin, username=ADMIN_USERNAME, disabled=True)
    assert _user(initialised, ADMIN_USERNAME).disabled


def test_unlocking_an_unknown_user_is_not_found(initialised: AppContext, admin: Actor) -> None:
    with pytest.raises(NotFound):
        with initialised.database.unit_of_work() as session:
            auth.set_disabled(session, admin, username="ghost", disabled=False)


# --- permissions ------------------------------------------------------------------------------


def _actor(role: str) -> Actor:
    return Actor(user_id=1, username=f"{role}-user", display_name=role, role=role)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("clerk", False), ("doctor", True), ("supervisor", True), ("admin", True)],
)
def test_who_signs_and_ends_contracts(role: str, allowed: bool) -> None:
    for permission in (Permission.SIGN_CONTRACT, Permission.END_CONTRACT):
        if allowed:
            auth.require(_actor(role), permission)
        else:
            with pytest.raises(PermissionDenied, match=f"{role}-user"):
                auth.require(_actor(role), permission)


@pytest.mark.parametrize(
    ("permission", "roles"),
    [
        (Permission.VIEW_UNMASKED, {"supervisor", "admin"}),
        (Permission.EXPORT_UNMASKED, {"supervisor", "admin"}),
        (Permission.MANAGE_USERS, {"admin"}),
        (Permission.RESTORE_BACKUP, {"admin"}),
        (Permission.VIEW_AUDIT, {"supervisor", "admin"}),
        (Permission.VIEW_RESIDENTS, set(ROLES)),
    ],
)
def test_permission_holders(permission: Permission, roles: set[str]) -> None:
    assert {role for role in ROLES if _actor(role).can(permission)} == roles
    for role in set(ROLES) - roles:
        with pytest.raises(PermissionDenied):
            auth.require(_actor(role), permission)


def test_unknown_role_may_do_nothing() -> None:
    assert not any(_actor("intruder").can(permission) for permission in Permission)


def test_non_admins_cannot_manage_accounts(initialised: AppContext, make_user: MakeUser) -> None:
    actors = [make_user(role) for role in ("supervisor", "doctor", "clerk")]
    with initialised.database.read() as session:
        users_before = session.scalar(select(func.count()).select_from(User))
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    for actor in actors:
        calls = (
            lambda s, a=actor: auth.create_user(
                s, a, username="sneaky", display_name="x", role="admin", password=USER_PASSWORD
            ),
            lambda s, a=actor: auth.list_users(s, a),
            lambda s, a=actor: auth.set_disabled(s, a, username=ADMIN_USERNAME, disabled=True),
            lambda s, a=actor: auth.set_disabled(s, a, username="clerk1", disabled=False),
            lambda s, a=actor: auth.change_password(
                s, a, username=ADMIN_USERNAME, new_password="taken-over-1"
            ),
        )
        for call in calls:
            with pytest.raises(PermissionDenied):
                with initialised.database.unit_of_work() as session:
                    call(session)
    with initialised.database.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == users_before
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
        assert session.scalar(select(User.username).where(User.username == "sneaky")) is None
    assert not _user(initialised, ADMIN_USERNAME).disabled
    assert _login(initialised, ADMIN_USERNAME, ADMIN_PASSWORD).actor is not None


def test_admin_lists_users(initialised: AppContext, admin: Actor, make_user: MakeUser) -> None:
    make_user("clerk", "luru")
    with initialised.database.read() as session:
        rows = auth.list_users(session, admin)
    assert [(row.username, row.role) for row in rows] == [("admin", "admin"), ("luru", "clerk")]


def test_first_admin_only_through_initialise(initialised: AppContext) -> None:
    with pytest.raises(PermissionDenied):
        with initialised.database.unit_of_work() as session:
            auth.create_user(
                session,
                None,
                username="second",
                display_name="x",
                role="admin",
                password=USER_PASSWORD,
            )


def test_own_password_change_needs_the_old_password(
    initialised: AppContext, make_user: MakeUser
) -> None:
    doctor = make_user("doctor")
    for old in (None, "not-the-old-one"):
        with pytest.raises(AuthenticationFailed):
            with initialised.database.unit_of_work() as session:
                auth.change_password(
                    session,
                    doctor,
                    username=doctor.username,
                    new_password="new-pass-123",
                    old_password=old,
                )
    assert _events(initialised, "user.password") == []
    with initialised.database.unit_of_work() as session:
        auth.change_password(
            session,
            doctor,
            username=doctor.username,
            new_password="new-pass-123",
            old_password=USER_PASSWORD,
        )
    assert _login(initialised, doctor.username, USER_PASSWORD).actor is None
    assert _login(initialised, doctor.username, "new-pass-123").actor is not None


def test_audit_log_is_refused_to_clerk_and_doctor(
    initialised: AppContext, make_user: MakeUser
) -> None:
    for role in ("clerk", "doctor"):
        actor = make_user(role)
        with initialised.database.read() as session:
            with pytest.raises(PermissionDenied):
                audit_log.audit_query(session, actor)
    supervisor = make_user("supervisor")
    with initialised.database.read() as session:
        listing = audit_log.audit_query(session, supervisor)
        assert listing.count(session) > 0
        newest = listing.fetch(session, 0, 1)[0]
    assert newest[listing.columns.index("action")] == "user.create"


# --- audit events of the write services ---------------------------------------------------


def test_initialise_is_audited(initialised: AppContext) -> None:
    events = _events(initialised)
    assert [(e.action, e.entity_type) for e in events] == [
        ("user.create", "user"),
        ("institution.create", "institution"),
        ("service_package.create", "service_package"),
    ]
    admin_user = _user(initialised, ADMIN_USERNAME)
    for event in events:
        assert event.user_id == admin_user.id
        assert event.username == ADMIN_USERNAME
        assert event.entity_id is not None
        assert event.workstation
        _assert_recent_utc(event.occurred_at)
    assert events[0].changes == {"username": "admin", "display_name": "admin", "role": "admin"}
    assert events[1].changes == {"code": "320321110", "name": "测试镇卫生院"}
    with initialised.database.read() as session:
        institution = setup.home_institution(session)
    assert institution is not None
    assert events[1].entity_id == str(institution.id)


def test_initialise_twice_is_refused(initialised: AppContext) -> None:
    with pytest.raises(RuleViolation, match="already belongs"):
        with initialised.database.unit_of_work() as session:
            setup.initialise(
                session,
                institution_code="999",
                institution_name="另一个",
                admin_username="other",
                admin_password=USER_PASSWORD,
            )
    with initialised.database.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


def test_create_user_is_audited(initialised: AppContext, admin: Actor) -> None:
    with initialised.database.unit_of_work() as session:
        row = auth.create_user(
            session,
            admin,
            username="luru",
            display_name="赵小燕",
            role="clerk",
            password="clerk-secret-9",
        )
    [event] = _events(initialised, "user.create")[1:]
    assert (event.user_id, event.username) == (admin.user_id, admin.username)
    assert (event.entity_type, event.entity_id) == ("user", str(row.id))
    assert event.changes == {"username": "luru", "display_name": "赵小燕", "role": "clerk"}
    _assert_recent_utc(event.occurred_at)
    assert "clerk-secret-9" not in _dump(initialised.home.database_file)


def test_change_password_is_audited_masked(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    clerk = make_user("clerk")
    with initialised.database.unit_of_work() as session:
        auth.change_password(session, admin, username=clerk.username, new_password="brand-new-77")
    [event] = _events(initialised, "user.password")
    assert (event.user_id, event.username) == (admin.user_id, admin.username)
    assert (event.entity_type, event.entity_id) == ("user", str(clerk.user_id))
    # An administrator setting another user's password is a reset: a new one at next login.
    assert event.changes == {"password": "********", "must_change_password": True}
    _assert_recent_utc(event.occurred_at)
    assert "brand-new-77" not in _dump(initialised.home.database_file)


def test_set_disabled_is_audited(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    clerk = make_user("clerk")
    with initialised.database.unit_of_work() as session:
        auth.set_disabled(session, admin, username=clerk.username, disabled=True)
    with initialised.database.unit_of_work() as session:
        auth.set_disabled(session, admin, username=clerk.username, disabled=False)
    locked, unlocked = _events(initialised, "user.lock") + _events(initialised, "user.unlock")
    for event, change in ((locked, [False, True]), (unlocked, [True, False])):
        assert (event.user_id, event.username) == (admin.user_id, admin.username)
        assert (event.entity_type, event.entity_id) == ("user", str(clerk.user_id))
        assert event.changes == {"disabled": change}
        _assert_recent_utc(event.occurred_at)


def test_audit_time_is_stored_as_utc(initialised: AppContext) -> None:
    connection = sqlite3.connect(initialised.home.database_file)
    try:
        raw = connection.execute("SELECT occurred_at FROM audit_event LIMIT 1").fetchone()[0]
    finally:
        connection.close()
    stored = dt.datetime.fromisoformat(raw)
    assert stored.tzinfo is None
    assert abs(stored.replace(tzinfo=dt.UTC) - utcnow()) < dt.timedelta(minutes=1)


@pytest.fixture
def home_url(initialised: AppContext) -> str:
    return initialised.home.database_url
