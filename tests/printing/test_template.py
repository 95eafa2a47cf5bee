"""The editable contract template: overrides, the party order, and mistakes in plain words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.contract_document import load_contract_documents
from familydoc.core.errors import RuleViolation
from familydoc.printing.contract_pdf import render_contracts
from familydoc.printing.template import default_template_path, load_template


def _write(tmp_path: Path, text: str, name: str = "custom.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_template_is_complete_and_valid() -> None:
    template = load_template()
    assert template.source == str(default_template_path())
    assert template.text("document", "title") == "家庭医生签约服务协议书"
    assert template.party_labels() == ("甲方", "乙方")
    assert len(template.clauses) >= 3
    assert load_template("") is not None and load_template("   ").source == template.source


def test_custom_file_overrides_only_what_it_names(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
        [document]
        title = "城乡居民家庭医生签约服务协议"

        [parties]
        first = "institution"

        [[clauses]]
        heading = "双方约定"
        paragraphs = ["{institution_party}为{resident_party}提供服务。"]
        """,
    )
    template = load_template(path)
    assert template.text("document", "title") == "城乡居民家庭医生签约服务协议"
    assert template.text("document", "copy_resident") == "居民留存"  # from the default
    assert template.party_labels() == ("乙方", "甲方")
    assert [c.heading for c in template.clauses] == ["双方约定"]


def test_institution_first_order_is_printed(
    tmp_path: Path, print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> None:
    template = load_template(_write(tmp_path, '[parties]\nfirst = "institution"\n'))
    with print_context.database.read() as session:
        docs = load_contract_documents(session, doctor, [sample_numbers["guardian"]])
    pdf = render_contracts(docs, template=template)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "甲方（签约机构）" in text and "乙方（签约居民）" in text
    assert text.index("甲方（签约机构）") < text.index("乙方（签约居民）")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '[document]\ntitle = "协议 {resident}"\n',
            ["document.title", "{resident}", "{resident_name}"],
        ),
        ('[document]\ntitel = "协议"\n', ["document.titel", "title"]),
        ('[documents]\ntitle = "x"\n', ["documents"]),
        ("[document]\ntitle = 3\n", ["document.title", "text"]),
        ('[document]\ntitle = "协议 {"\n', ["document.title", "brace"]),
        ('[parties]\nfirst = "居民"\n', ["parties.first", "resident", "institution"]),
        ('[document]\ntitle = "未闭合\n', ["writing mistake", "line"]),
        ('[[clauses]]\nheading = "x"\n', ["clauses #1", "heading and paragraphs"]),
        ('[[clauses]]\nheading = "x"\nparagraphs = "y"\n', ["clauses #1.paragraphs", "list"]),
        ('[[clauses]]\nheading = "x"\nparagraphs = ["{oops}"]\n', ["paragraphs #1", "{oops}"]),
        ("format = 2\n", ["format 2", "format 1"]),
        ('document = "x"\n', ["document", "section"]),
    ],
)
def test_mistakes_are_reported_in_plain_words(
    tmp_path: Path, content: str, expected: list[str]
) -> None:
    path = _write(tmp_path, content)
    with pytest.raises(RuleViolation) as caught:
        load_template(path)
    message = str(caught.value)
    assert str(path) in message
    for part in expected:
        assert part in message, message


def test_missing_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(RuleViolation, match="does not exist"):
        load_template(tmp_path / "nowhere.toml")
    path = tmp_path / "gbk.toml"
    path.write_bytes('[document]\ntitle = "协议"\n'.encode("gb18030"))
    with pytest.raises(RuleViolation, match="UTF-8"):
        load_template(path)


def test_literal_braces_may_be_escaped(tmp_path: Path) -> None:
    template = load_template(_write(tmp_path, '[document]\ntitle = "协议 {{一}}"\n'))
    assert template.text("document", "title") == "协议 {{一}}"
