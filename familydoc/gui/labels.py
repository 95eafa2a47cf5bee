"""Display labels of the stored codes, translated at the moment they are shown."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication

from familydoc.core.auth import ROLE_LABELS
from familydoc.core.vocabulary import CONTEXT, TERMINATION_LABELS

translate = QCoreApplication.translate


def sex(code: str | None) -> str:
    return {"M": translate("Labels", "Male"), "F": translate("Labels", "Female")}.get(
        code or "", ""
    )


def resident_status(code: str | None) -> str:
    return {
        "active": translate("Labels", "Living here"),
        "moved_out": translate("Labels", "Moved out"),
        "deceased": translate("Labels", "Deceased"),
    }.get(code or "", code or "")


def contract_status(code: str | None) -> str:
    return {
        "in_force": translate("Labels", "In force"),
        "ending_soon": translate("Labels", "Ending within 30 days"),
        "not_started": translate("Labels", "Not started"),
        "expired": translate("Labels", "Expired"),
        "terminated": translate("Labels", "Terminated"),
    }.get(code or "", code or "")


def team_role(code: str) -> str:
    return {
        "general_practitioner": translate("Labels", "General practitioner"),
        "nurse": translate("Labels", "Nurse"),
        "public_health": translate("Labels", "Public-health physician"),
        "village_doctor": translate("Labels", "Village doctor"),
        "specialist": translate("Labels", "Specialist (partner hospital)"),
    }.get(code, code)


def denominator_source(code: str) -> str:
    return {
        "population": translate("Labels", "Official population"),
        "registered": translate("Labels", "Registered residents"),
        "mixed": translate("Labels", "Official population and registered residents"),
        "capacity": translate("Labels", "Capacity"),
    }.get(code, code)


def role(code: str) -> str:
    return QCoreApplication.translate("Roles", ROLE_LABELS.get(code, code))


def date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def local_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def audit_action(code: str) -> str:
    return {
        "login": translate("Labels", "Logged in"),
        "login.failed": translate("Labels", "Login failed"),
        "user.create": translate("Labels", "Account created"),
        "user.password": translate("Labels", "Password changed"),
        "user.lock": translate("Labels", "Account locked"),
        "user.unlock": translate("Labels", "Account unlocked"),
        "user.auto_lock": translate("Labels", "Locked after wrong passwords"),
        "institution.create": translate("Labels", "Institution created"),
        "service_package.create": translate("Labels", "Service package created"),
        "demo.create": translate("Labels", "Demo data created"),
        "backup.create": translate("Labels", "Backup made"),
        "backup.restore": translate("Labels", "Backup restored"),
        "audit.export": translate("Labels", "Audit log exported"),
        "contract.sign": translate("Labels", "Contract signed"),
        "contract.renew": translate("Labels", "Contract renewed"),
        "contract.end": translate("Labels", "Contract ended"),
        "contract.change_team": translate("Labels", "Team changed"),
        "contract.over_capacity": translate("Labels", "Signing past capacity approved"),
        "contract.import": translate("Labels", "Contracts imported"),
        "doctor.create": translate("Labels", "Doctor added"),
        "doctor.update": translate("Labels", "Doctor changed"),
        "team.create": translate("Labels", "Team created"),
        "team.update": translate("Labels", "Team changed"),
        "institution.update": translate("Labels", "Institution changed"),
        "service_package.version": translate("Labels", "New package version"),
        "service_package.retire": translate("Labels", "Package no longer offered"),
    }.get(code, code)


def entity_type(code: str) -> str:
    return {
        "user": translate("Labels", "User account"),
        "institution": translate("Labels", "Institution"),
        "service_package": translate("Labels", "Service package"),
        "resident": translate("Labels", "Resident"),
        "contract": translate("Labels", "Contract"),
        "database": translate("Labels", "Database"),
        "audit_event": translate("Labels", "Audit log"),
        "doctor": translate("Labels", "Doctor"),
        "team": translate("Labels", "Team"),
    }.get(code, code)


def signing_method(code: str | None) -> str:
    return {
        "in_person": translate("Labels", "In person"),
        "guardian": translate("Labels", "By a guardian"),
    }.get(code or "", code or "")


def termination_reason(code: str | None) -> str:
    """Why a contract ended: the one table of ``familydoc.core.vocabulary``."""
    label = TERMINATION_LABELS.get(code or "")
    return translate(CONTEXT, label.source) if label else (code or "")


def package_kind(code: str) -> str:
    return {
        "basic": translate("Labels", "Basic (free)"),
        "personalised": translate("Labels", "Personalised"),
    }.get(code, code)


def institution_kind(code: str) -> str:
    return {
        "township_centre": translate("Labels", "Township health centre"),
        "village_clinic": translate("Labels", "Village clinic"),
        "county_hospital": translate("Labels", "Partner county hospital"),
    }.get(code, code)


def backup_kind(code: str) -> str:
    return {
        "auto": translate("Labels", "Automatic"),
        "manual": translate("Labels", "Made by hand"),
        "pre-restore": translate("Labels", "Kept before a restore"),
        "pre-upgrade": translate("Labels", "Kept before an upgrade"),
    }.get(code, code)


def population(code: str) -> str:
    """The Chinese labels of DESIGN.md for the key populations."""
    return {
        "elderly_65": translate("Labels", "Aged 65 and over"),
        "child_0_6": translate("Labels", "Children aged 0-6"),
        "maternal": translate("Labels", "Pregnant and postpartum women"),
        "hypertension": translate("Labels", "Hypertension"),
        "diabetes": translate("Labels", "Type 2 diabetes"),
        "severe_mental": translate("Labels", "Severe mental disorder"),
        "tuberculosis": translate("Labels", "Tuberculosis"),
        "disabled": translate("Labels", "Disabled"),
        "poverty": translate("Labels", "Lifted out of poverty / low income"),
        "family_planning_special": translate("Labels", "Family-planning special family"),
        "any_key": translate("Labels", "Any key population"),
    }.get(code, code)
