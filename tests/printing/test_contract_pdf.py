"""The printed contract read back: Chinese text, embedded font, reprints, copies, QR code."""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from familydoc.core import auth
from familydoc.core.context import AppContext
from familydoc.core.contract_document import ContractDocument, load_contract_documents
from familydoc.printing.contract_pdf import (
    chinese_date,
    render_contracts,
    rmb_uppercase,
    section_number,
    yuan,
)
from familydoc.printing.fonts import FALLBACK_FONT, choose_font, font_notices
from familydoc.printing.qr import parse_qr_payload, qr_payload

REPO_ROOT = Path(__file__).resolve().parents[2]
A4_POINTS = (595.2756, 841.8898)


def _documents(
    context: AppContext, actor: auth.Actor, numbers: list[str]
) -> list[ContractDocument]:
    with context.database.read() as session:
        return load_contract_documents(session, actor, numbers)


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _needs_truetype() -> None:
    if not choose_font().embedded:
        pytest.skip(
            "no TrueType Chinese font on this machine (Debian: apt-get install"
            " fonts-wqy-microhei); the PDF falls back to the unembedded STSong-Light"
        )


@pytest.fixture
def docs(
    print_context: AppContext, doctor: auth.Actor, sample_numbers: dict[str, str]
) -> list[ContractDocument]:
    return _documents(
        print_context,
        doctor,
        [sample_numbers["packages"], sample_numbers["guardian"], sample_numbers["renewal"]],
    )


def test_pdf_reads_back_with_name_number_and_team_in_chinese(
    docs: list[ContractDocument],
) -> None:
    doc = docs[0]
    pdf = render_contracts([doc])
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(_text(pdf))
    assert doc.resident.name in text
    assert doc.number in text
    assert doc.team.name in text
    assert "家庭医生签约服务协议书" in text
    assert doc.resident.id_number in text
    for package in doc.packages:
        assert package.name in text
    assert yuan(doc.total_fen) in text
    assert "甲方（签约居民）" in text and "乙方（签约机构）" in text
    assert "盖章" in text
    assert len(reader.pages) == 2  # fits two A4 pages, signatures included
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.01)
    assert "第 2 页 / 共 2 页" in _text(pdf)[1]


def test_font_is_embedded_as_a_subset(docs: list[ContractDocument]) -> None:
    _needs_truetype()
    pdf = render_contracts(docs[:1])
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert "+" in name, f"{name} is not a subset"
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, f"{name} is not embedded"
    assert not font_notices(choose_font())


def test_reprint_is_byte_identical_in_this_and_another_process(
    docs: list[ContractDocument],
) -> None:
    first = render_contracts(docs[:1])
    render_contracts(docs[1:])  # other contracts in between change nothing
    assert render_contracts(docs[:1]) == first
    assert render_contracts(docs, copies=2) == render_contracts(docs, copies=2)

    # A fresh interpreter (fonts registered anew, other object ids) gives the same bytes.
    script = textwrap.dedent(
        """
        import pickle, sys
        from familydoc.printing.contract_pdf import render_contracts
        sys.stdout.buffer.write(render_contracts(pickle.loads(sys.stdin.buffer.read())))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run(
        [sys.executable, "-c", script],
        input=pickle.dumps(docs[:1]),
        capture_output=True,
        env=env,
        check=True,
        timeout=120,
    )
    assert result.stdout == first


def test_two_copies_are_labelled_and_numbered_per_copy(docs: list[ContractDocument]) -> None:
    pdf = render_contracts(docs[:2], copies=2)
    pages = _text(pdf)
    one = len(PdfReader(io.BytesIO(render_contracts(docs[:1]))).pages)
    two = len(PdfReader(io.BytesIO(render_contracts(docs[1:2]))).pages)
    assert len(pages) == 2 * (one + two)
    labels = ["居民留存"] * one + ["机构留存"] * one + ["居民留存"] * two + ["机构留存"] * two
    for page, label in zip(pages, labels, strict=True):
        assert label in page
    assert f"第 1 页 / 共 {one} 页" in pages[one]  # the second copy counts again from 1
    assert docs[1].number in pages[2 * one]


def test_guardian_contract_has_guardian_data_and_signature_line(
    docs: list[ContractDocument],
) -> None:
    guardian = docs[1]
    assert guardian.guardian is not None
    text = "".join(_text(render_contracts([guardian])))
    assert guardian.guardian.name in text
    assert guardian.guardian.id_number in text
    assert "监护人签字" in text
    assert "监护人代签" in text


def test_renewal_names_the_previous_contract(docs: list[ContractDocument]) -> None:
    renewal = docs[2]
    text = "".join(_text(render_contracts([renewal])))
    assert f"{renewal.previous_number}" in text


def test_progress_is_reported_per_copy(docs: list[ContractDocument]) -> None:
    seen: list[tuple[int, int]] = []
    render_contracts(docs, copies=2, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]


def test_qr_code_on_the_page_decodes_to_the_contract_number(
    qapp: object, qtbot: object, docs: list[ContractDocument]
) -> None:
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
    from PySide6.QtGui import QImage
    from PySide6.QtPdf import QPdfDocument

    doc = docs[0]
    pdf = render_contracts([doc], copies=2)
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    qtbot.waitUntil(lambda: document.status() == QPdfDocument.Status.Ready)  # type: ignore[attr-defined]
    decoded = []
    for page in (0, 2):  # the first page of each copy
        points = document.pagePointSize(page)
        image = document.render(page, QSize(round(points.width() * 2), round(points.height() * 2)))
        rgba = image.convertToFormat(QImage.Format.Format_RGBA8888)
        page_image = Image.frombuffer(
            "RGBA",
            (rgba.width(), rgba.height()),
            bytes(rgba.constBits()),
            "raw",
            "RGBA",
            rgba.bytesPerLine(),
            1,
        )
        # QtPdf leaves the paper transparent: put it on white, as a printer would.
        picture = Image.new("RGBA", page_image.size, "white")
        picture.alpha_composite(page_image)
        results = zxingcpp.read_barcodes(picture)
        assert len(results) == 1
        decoded.append(results[0].text)
    document.close()
    assert decoded == [qr_payload(doc.number)] * 2
    assert parse_qr_payload(decoded[0]) == doc.number


def test_qr_payload_format_and_checksum() -> None:
    payload = qr_payload("320321110-2026-000123")
    assert payload.startswith("FD1|320321110-2026-000123|")
    assert len(payload.rsplit("|", 1)[1]) == 8
    assert parse_qr_payload(payload) == "320321110-2026-000123"
    with pytest.raises(ValueError):
        parse_qr_payload(payload.replace("000123", "000124"))
    with pytest.raises(ValueError):
        parse_qr_payload("FD9|x|00000000")
    with pytest.raises(ValueError):
        qr_payload("a|b")


def test_without_truetype_font_it_falls_back_and_says_so(docs: list[ContractDocument]) -> None:
    fallback = choose_font("", candidates=[])
    assert fallback.name == FALLBACK_FONT and not fallback.embedded
    notices = font_notices(fallback)
    assert notices and "printing.font" in notices[0].render()
    pdf = render_contracts(docs[:1], font=fallback)
    assert pdf.startswith(b"%PDF")


def test_number_and_date_helpers() -> None:
    assert chinese_date(None) == ""
    assert [section_number(n) for n in (1, 9, 10, 11, 20, 23)] == [
        "一",
        "九",
        "十",
        "十一",
        "二十",
        "二十三",
    ]
    assert yuan(0) == "0.00" and yuan(123456) == "1,234.56"
    assert rmb_uppercase(0) == "零元整"
    assert rmb_uppercase(4000) == "肆拾元整"
    assert rmb_uppercase(12000) == "壹佰贰拾元整"
    assert rmb_uppercase(100500) == "壹仟零伍元整"
    assert rmb_uppercase(1000000) == "壹万元整"
    assert rmb_uppercase(10050000) == "壹拾万零伍佰元整"
    assert rmb_uppercase(1234) == "壹拾贰元叁角肆分"
    assert rmb_uppercase(1204) == "壹拾贰元零肆分"
    assert rmb_uppercase(50) == "伍角"


def test_nothing_to_print_is_refused(docs: list[ContractDocument]) -> None:
    with pytest.raises(ValueError):
        render_contracts([])
    with pytest.raises(ValueError):
        render_contracts(docs, copies=3)
