"""``familydoc print contract``: the PDF, the print count, and the exit codes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from familydoc import cli
from familydoc.core.context import AppContext
from familydoc.core.contract_document import print_counts
from familydoc.core.demo import DEMO_PASSWORD


def _run(context: AppContext, *args: str) -> int:
    return cli.main(["--lang", "en", "--home", str(context.home.path), *args])


@pytest.fixture
def logged_in(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAMILYDOC_PASSWORD", DEMO_PASSWORD)


def test_print_contracts_to_one_pdf(
    print_context: AppContext,
    sample_numbers: dict[str, str],
    logged_in: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    numbers = [sample_numbers["guardian"], sample_numbers["renewal"]]
    output = tmp_path / "out.pdf"
    code = _run(
        print_context,
        "print",
        "contract",
        *numbers,
        "-o",
        str(output),
        "--copies",
        "2",
        "--user",
        "wangys",
    )
    assert code == 0
    assert "2 contract(s) written" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert all(number in text for number in numbers)
    assert "机构留存" in text
    with print_context.database.read() as session:
        assert print_counts(session, numbers) == {n: 1 for n in numbers}
    assert not list(tmp_path.glob("*.part"))


def test_refusals_and_exit_codes(
    print_context: AppContext,
    sample_numbers: dict[str, str],
    logged_in: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    number = sample_numbers["guardian"]
    output = tmp_path / "out.pdf"
    # A clerk may not see full ID numbers: refused, nothing written.
    assert (
        _run(print_context, "print", "contract", number, "-o", str(output), "--user", "luru") == 1
    )
    assert "not allowed" in capsys.readouterr().err
    # An unknown number.
    args = ["print", "contract", "320321110-2099-000001", "-o", str(output), "--user", "wangys"]
    assert _run(print_context, *args) == 1
    assert "320321110-2099-000001" in capsys.readouterr().err
    # A folder that does not exist.
    missing = tmp_path / "no" / "out.pdf"
    assert (
        _run(print_context, "print", "contract", number, "-o", str(missing), "--user", "wangys")
        == 1
    )
    assert "does not exist" in capsys.readouterr().err
    # Usage: no number, no output, bad copies.
    with pytest.raises(SystemExit) as usage:
        _run(print_context, "print", "contract", "-o", str(output))
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:
        _run(print_context, "print", "contract", number, "-o", str(output), "--copies", "3")
    assert usage.value.code == 2
    assert _run(print_context, "print", "contract", number, "-o", str(output)) == 2
    # Wrong password.
    monkeypatch.setenv("FAMILYDOC_PASSWORD", "wrong-password")
    assert (
        _run(print_context, "print", "contract", number, "-o", str(output), "--user", "wangys") == 5
    )
    assert not output.exists()
    with print_context.database.read() as session:
        assert print_counts(session, [number]) == {number: 0}


def test_font_fallback_is_reported(
    print_context: AppContext,
    sample_numbers: dict[str, str],
    logged_in: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from familydoc.printing import fonts

    monkeypatch.setattr(fonts, "candidate_fonts", lambda: [])
    monkeypatch.setattr(fonts, "_chosen", {})
    print_context.config().set("printing.font", str(tmp_path / "missing.ttf"))
    output = tmp_path / "out.pdf"
    number = sample_numbers["guardian"]
    assert (
        _run(print_context, "print", "contract", number, "-o", str(output), "--user", "wangys") == 0
    )
    err = capsys.readouterr().err
    assert "missing.ttf" in err and "not embedded" in err
    assert output.exists()


def test_bad_template_is_reported(
    print_context: AppContext,
    sample_numbers: dict[str, str],
    logged_in: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    template = tmp_path / "mine.toml"
    template.write_text('[document]\ntitle = "{nope}"\n', encoding="utf-8")
    print_context.config().set("printing.template", str(template))
    output = tmp_path / "out.pdf"
    number = sample_numbers["guardian"]
    assert (
        _run(print_context, "print", "contract", number, "-o", str(output), "--user", "wangys") == 1
    )
    assert "{nope}" in capsys.readouterr().err
    assert not output.exists()
