"""Account administration: resets that force a new password, roles, deactivation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from familydoc.core import accounts, auth
from familydoc.core.auth import Actor
from familydoc.core.context import AppContext
from familydoc.core.errors import AuthenticationFailed, PermissionDenied, RuleViolation
from familydoc.core.models import AuditEvent
from tests.core.test_auth import ADMIN_USERNAME, USER_PASSWORD, MakeUser, _login


def _actions(context: AppContext) -> list[tuple[str, dict]]:
    with context.database.read() as session:
        return [
            (event.action, event.changes)
            for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_a_reset_forces_a_new_password_at_the_next_login(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    doctor = make_user("doctor")
    assert not _login(initialised, doctor.username, USER_PASSWORD).must_change_password
    with initialised.database.unit_of_work() as session:
        auth.change_password(session, admin, username=doctor.username, new_password="reset-pass-1")
    result = _login(initialised, doctor.username, "reset-pass-1")
    assert result.actor is not None and result.must_change_password
    with initialised.database.unit_of_work() as session:
        auth.change_password(
            session,
            result.actor,
            username=doctor.username,
            new_password="my-own-pass-2",
            old_password="reset-pass-1",
        )
    again = _login(initialised, doctor.username, "my-own-pass-2")
    assert again.actor is not None and not again.must_change_password


def test_a_new_account_can_be_made_to_change_its_first_password(
    initialised: AppContext, admin: Actor
) -> None:
    with initialised.database.unit_of_work() as session:
        row = auth.create_user(
            session,
            admin,
            username="newclerk",
            display_name="新录入员",
            role="clerk",
            password=USER_PASSWORD,
            must_change_password=True,
        )
    assert row.must_change_password
    assert _login(initialised, "newclerk", USER_PASSWORD).must_change_password


def test_an_administrator_giving_the_old_password_has_it_checked(
    initialised: AppContext, admin: Actor
) -> None:
    with pytest.raises(AuthenticationFailed):
        with initialised.database.unit_of_work() as session:
            auth.change_password(
                session,
                admin,
                username=ADMIN_USERNAME,
                new_password="new-admin-pass-1",
                old_password="wrong-old-one",
            )


def test_role_and_name_change_is_audited_and_keeps_an_administrator(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    make_user("clerk", "luru")
    with initialised.database.unit_of_work() as session:
        row = accounts.update_user(
            session, admin, username="luru", display_name="王录入", role="doctor"
        )
    assert (row.display_name, row.role) == ("王录入", "doctor")
    assert _actions(initialised)[-1] == (
        "user.update",
        {"display_name": ["clerk 测试", "王录入"], "role": ["clerk", "doctor"]},
    )
    with pytest.raises(RuleViolation):
        with initialised.database.unit_of_work() as session:
            accounts.update_user(
                session, admin, username=ADMIN_USERNAME, display_name="管理员", role="clerk"
            )


def test_only_administrators_change_accounts(initialised: AppContext, make_user: MakeUser) -> None:
    supervisor = make_user("supervisor")
    make_user("clerk", "luru")
    for call in (
        lambda s: accounts.update_user(
            s, supervisor, username="luru", display_name="x", role="admin"
        ),
        lambda s: accounts.set_deactivated(s, supervisor, username="luru", deactivated=True),
    ):
        with pytest.raises(PermissionDenied):
            with initialised.database.unit_of_work() as session:
                call(session)


def test_a_deactivated_account_cannot_log_in_until_enabled(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    make_user("doctor", "yisheng")
    with initialised.database.unit_of_work() as session:
        row = accounts.set_deactivated(session, admin, username="yisheng", deactivated=True)
    assert row.deactivated
    refused = _login(initialised, "yisheng", USER_PASSWORD)
    assert refused.actor is None and refused.error is not None
    assert "no longer in use" in refused.error.message
    with initialised.database.unit_of_work() as session:
        accounts.set_deactivated(session, admin, username="yisheng", deactivated=False)
    assert _login(initialised, "yisheng", USER_PASSWORD).actor is not None
    actions = [action for action, _ in _actions(initialised)]
    assert "user.deactivate" in actions and "user.activate" in actions


def test_the_last_administrator_and_oneself_cannot_be_disabled(
    initialised: AppContext, admin: Actor, make_user: MakeUser
) -> None:
    with pytest.raises(RuleViolation):
        with initialised.database.unit_of_work() as session:
            accounts.set_deactivated(session, admin, username=ADMIN_USERNAME, deactivated=True)
    second = make_user("admin", "admin2")
    with initialised.database.unit_of_work() as session:
        accounts.set_deactivated(session, second, username=ADMIN_USERNAME, deactivated=True)
    # admin2 is now the only usable administrator: it cannot be locked.
    with pytest.raises(RuleViolation):
        with initialised.database.unit_of_work() as session:
            auth.set_disabled(session, second, username="admin2", disabled=True)
