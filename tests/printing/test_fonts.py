"""Finding the document font: the setting, the machine's TrueType fonts, the fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from familydoc.printing import fonts


def test_machine_font_is_truetype_and_registered_once() -> None:
    first = fonts.choose_font()
    assert fonts.choose_font() is first
    if not first.embedded:
        pytest.skip("no TrueType Chinese font on this machine (fonts-wqy-microhei)")
    assert Path(first.path).suffix.lower() in (".ttf", ".ttc")
    assert fonts.font_notices(first) == []


def test_setting_names_a_missing_file(tmp_path: Path) -> None:
    choice = fonts.choose_font(str(tmp_path / "nofont.ttc"), candidates=[])
    assert not choice.embedded
    messages = [notice.render() for notice in fonts.font_notices(choice)]
    assert any("nofont.ttc" in m and "printing.font" in m for m in messages)
    assert any("not embedded" in m for m in messages)


def test_setting_names_a_file_that_is_no_truetype_font(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.ttf"
    bogus.write_bytes(b"not a font at all" * 10)
    machine = fonts.choose_font()
    candidates = [Path(machine.path)] if machine.embedded else []
    choice = fonts.choose_font(str(bogus), candidates=candidates)
    assert choice.problem and "bogus.ttf" in choice.problem
    assert choice.embedded == machine.embedded
    if machine.embedded:  # the machine's font stands in, and the user is told
        assert choice.path == machine.path
        assert "bogus.ttf" in fonts.font_notices(choice)[0].render()


def test_opentype_cff_fonts_are_skipped() -> None:
    cff = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not cff.exists():
        pytest.skip("no Noto Sans CJK (OpenType/CFF) font here to try")
    choice = fonts.choose_font(str(cff), candidates=[])
    assert not choice.embedded
    assert "postscript" in choice.problem.lower()


def test_setting_with_a_collection_index(tmp_path: Path) -> None:
    machine = fonts.choose_font()
    if not machine.embedded or not machine.path.lower().endswith(".ttc"):
        pytest.skip("no TrueType collection (.ttc) here")
    choice = fonts.choose_font(f"{machine.path}#0", candidates=[])
    assert choice.embedded and choice.subfont_index == 0 and not choice.problem
