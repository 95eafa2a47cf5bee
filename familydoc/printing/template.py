"""The editable wording of the printed contract (a TOML file).

The shipped template is ``resources/templates/contract/default.toml``. An institution
copies it, edits the wording (the 甲方/乙方 order and the rights and obligations differ
between provinces) and names its file in the setting ``printing.template``. The custom
file may hold only the entries it changes; the others come from the default. Every
mistake — a TOML syntax error, an unknown entry, a wrong kind of value, an unknown
``{placeholder}`` or a stray brace — is reported in plain words, naming the entry.
"""

from __future__ import annotations

import copy
import functools
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from familydoc.core.errors import QT_TRANSLATE_NOOP, RuleViolation
from familydoc.core.resources import resource_path

TEMPLATE_FORMAT = 1
PLACEHOLDERS = (
    "resident_party",
    "institution_party",
    "resident_name",
    "contract_number",
    "signed_on",
    "start_date",
    "end_date",
    "institution_name",
    "institution_phone",
    "institution_address",
    "supervision_phone",
    "team_name",
    "team_leader",
    "doctor_name",
    "doctor_title",
    "doctor_phone",
)
# Entries that may use more placeholders than the others.
EXTRA_PLACEHOLDERS = {
    "document.page_footer": ("page", "pages"),
    "sections.self_pay_total": ("self_pay", "self_pay_words"),
}
PARTY_CHOICES = ("resident", "institution")


def default_template_path() -> Path:
    return resource_path("templates", "contract", "default.toml")


def _problem(message: str, **params: Any) -> RuleViolation:
    return RuleViolation(message, **params)


@dataclass(frozen=True)
class Clause:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ContractTemplate:
    """The validated wording; ``text(section, key)`` gives one entry."""

    data: Mapping[str, Any]
    source: str

    def text(self, section: str, key: str) -> str:
        return str(self.data[section][key])

    def labels(self, section: str) -> Mapping[str, str]:
        return self.data[section]

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(
            Clause(str(c["heading"]), tuple(str(p) for p in c["paragraphs"]))
            for c in self.data["clauses"]
        )

    @property
    def resident_first(self) -> bool:
        return self.data["parties"]["first"] == "resident"

    def party_labels(self) -> tuple[str, str]:
        """(label of the resident, label of the institution): e.g. ("甲方", "乙方")."""
        first = self.text("parties", "first_label")
        second = self.text("parties", "second_label")
        return (first, second) if self.resident_first else (second, first)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _problem(
            QT_TRANSLATE_NOOP("Errors", "The contract template {path} cannot be read: {reason}"),
            path=str(path),
            reason=exc.strerror or str(exc),
        ) from exc
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The contract template {path} is not saved as UTF-8. Save it again choosing the"
                " UTF-8 encoding.",
            ),
            path=str(path),
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The contract template {path} has a writing mistake: {reason}. Check quotation"
                " marks and brackets near that line.",
            ),
            path=str(path),
            reason=str(exc),
        ) from exc


def _check_text(path: Path, key: str, value: object) -> None:
    if not isinstance(value, str):
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors", 'In the contract template {path}, {key} must be a text in quotes ("…").'
            ),
            path=str(path),
            key=key,
        )
    allowed = set(PLACEHOLDERS) | set(EXTRA_PLACEHOLDERS.get(key, ()))
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors",
                "In the contract template {path}, {key} has a brace {{ or }} that does not"
                " belong to a placeholder. Write {{{{ or }}}} to print a brace.",
            ),
            path=str(path),
            key=key,
        ) from exc
    for name in fields:
        if name not in allowed:
            raise _problem(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "In the contract template {path}, {key} uses the unknown placeholder"
                    " {{{name}}}. Known placeholders: {known}",
                ),
                path=str(path),
                key=key,
                name=name,
                known=", ".join("{" + p + "}" for p in sorted(allowed)),
            )


def _check_clauses(path: Path, value: object) -> None:
    if not isinstance(value, list) or not value or not all(isinstance(c, dict) for c in value):
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors",
                "In the contract template {path}, clauses must be one or more [[clauses]]"
                " blocks, each with a heading and paragraphs.",
            ),
            path=str(path),
        )
    for number, clause in enumerate(value, start=1):
        where = f"clauses #{number}"
        unknown = sorted(set(clause) - {"heading", "paragraphs"})
        if unknown:
            raise _unknown_entry(path, f"{where}.{unknown[0]}", ["heading", "paragraphs"])
        if "heading" not in clause or "paragraphs" not in clause:
            raise _problem(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "In the contract template {path}, {key} needs both a heading and paragraphs.",
                ),
                path=str(path),
                key=where,
            )
        _check_text(path, f"{where}.heading", clause["heading"])
        paragraphs = clause["paragraphs"]
        if not isinstance(paragraphs, list):
            raise _problem(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    'In the contract template {path}, {key} must be a list of texts: ["…", "…"].',
                ),
                path=str(path),
                key=f"{where}.paragraphs",
            )
        for index, paragraph in enumerate(paragraphs, start=1):
            _check_text(path, f"{where}.paragraphs #{index}", paragraph)


def _unknown_entry(path: Path, key: str, known: list[str]) -> RuleViolation:
    return _problem(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The contract template {path} has an entry {key} that familydoc does not know (a"
            " typing mistake?). Known entries here: {known}",
        ),
        path=str(path),
        key=key,
        known=", ".join(known),
    )


def _merge(path: Path, base: dict[str, Any], custom: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for name, value in custom.items():
        if name not in base:
            raise _unknown_entry(path, name, sorted(base))
        if name == "clauses":
            _check_clauses(path, value)
            merged[name] = value
        elif name == "format":
            if value != TEMPLATE_FORMAT:
                raise _problem(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The contract template {path} is of format {found}; this version of"
                        " familydoc reads format {expected}.",
                    ),
                    path=str(path),
                    found=str(value),
                    expected=str(TEMPLATE_FORMAT),
                )
        elif isinstance(base[name], dict):
            if not isinstance(value, dict):
                raise _problem(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "In the contract template {path}, {key} must be a section: a line"
                        " [{key}] followed by its entries.",
                    ),
                    path=str(path),
                    key=name,
                )
            for key, text in value.items():
                if key not in base[name]:
                    raise _unknown_entry(path, f"{name}.{key}", sorted(base[name]))
                _check_text(path, f"{name}.{key}", text)
                merged[name][key] = text
    if merged["parties"]["first"] not in PARTY_CHOICES:
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors",
                'In the contract template {path}, parties.first must be "resident" or'
                ' "institution".',
            ),
            path=str(path),
        )
    return merged


@functools.cache
def _default_data() -> dict[str, Any]:
    path = default_template_path()
    data = _read_toml(path)
    # The shipped file is checked like a custom one (against itself).
    return _merge(path, data, data)


def load_template(custom: str | Path | None = None) -> ContractTemplate:
    """The default template, or ``custom`` laid over it (validated)."""
    base = _default_data()
    if not custom or not str(custom).strip():
        return ContractTemplate(base, str(default_template_path()))
    path = Path(str(custom).strip()).expanduser()
    if not path.is_file():
        raise _problem(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The contract template {path} named in the setting printing.template does not"
                " exist.",
            ),
            path=str(path),
        )
    return ContractTemplate(_merge(path, base, _read_toml(path)), str(path))


def fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced (the template was validated on loading)."""
    return text.format_map(values)
