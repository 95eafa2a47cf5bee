"""Contract PDF benchmark: one contract warm, and 500 contracts into one PDF.

    python bench/bench_pdf.py            (from the repository, in the project's environment)

Targets (DESIGN.md): one contract PDF <= 50 ms warm; 500 contracts into one PDF <= 15 s.
The figures include reading the contracts from the database (load_contract_documents)
and laying them out (render_contracts). The raw baseline, measured in the same run, is a
bare ReportLab canvas drawing the same text (every string our layout prints, one line
each, same embedded font) with no layout: what the PDF costs before our tables, wrapping
and page numbering. Figures are medians of several runs.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402
from sqlalchemy import select  # noqa: E402

from familydoc.core import auth  # noqa: E402
from familydoc.core.config import Home  # noqa: E402
from familydoc.core.context import AppContext, open_context  # noqa: E402
from familydoc.core.contract_document import (  # noqa: E402
    ContractDocument,
    load_contract_documents,
)
from familydoc.core.demo import create_demo  # noqa: E402
from familydoc.core.models import Contract  # noqa: E402
from familydoc.printing.contract_pdf import render_contracts  # noqa: E402
from familydoc.printing.fonts import choose_font  # noqa: E402
from familydoc.printing.template import load_template  # noqa: E402

RUNS_ONE = 15
RUNS_BATCH = 3
BATCH = 500
DEMO_RESIDENTS = 2000  # about 1,000 contracts


def _texts(doc: ContractDocument) -> list[str]:
    """Every string of the contract, as the raw baseline draws them."""
    template = load_template()
    out = [template.text("document", "title"), doc.number, doc.resident.name]
    person = doc.resident
    out += [person.id_number, person.phone, person.address, person.village]
    out += [doc.institution.name, doc.institution.address, doc.institution.phone]
    out += [doc.team.name, doc.doctor.name, doc.doctor.title, doc.doctor.phone]
    for member in doc.team.members:
        out.append(
            f"{member.name} {member.role} {member.title} {member.institution} {member.phone}"
        )
    for package in doc.packages:
        out.append(f"{package.name} {package.price_fen} {package.self_pay_fen}")
        out += [f"{item.name}（{item.frequency}）" for item in package.items]
    for clause in template.clauses:
        out.append(clause.heading)
        out += list(clause.paragraphs)
    out += [str(v) for v in template.labels("labels").values()]
    return out


def raw_reportlab(docs: list[ContractDocument], font: str) -> bytes:
    """The baseline: a canvas drawing the same strings, one per line, two pages a contract."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=font)
    for doc in docs:
        lines = _texts(doc)
        half = len(lines) // 2
        for page in (lines[:half], lines[half:]):
            canvas.setFont(font, 10.5)
            y = A4[1] - 20 * mm
            for line in page:
                canvas.drawString(18 * mm, y, line[:60])
                y -= 14
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


CPU: dict[str, float] = {}


def _median(runs: int, work: Callable[[], object], name: str = "") -> float:
    """Median wall-clock seconds; the median CPU seconds go to CPU[name] (a busy machine
    inflates the first, not the second)."""
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    if name:
        CPU[name] = statistics.median(cpu)
    return statistics.median(times)


def _report(name: str, figure: float, target: float, baseline: float, unit: str = "s") -> bool:
    ok = figure <= target
    print(
        f"{name:<48} {figure:8.3f} {unit}   target <= {target:g} {unit}   "
        f"ratio to raw {figure / baseline:5.2f}x   {'OK' if ok else 'MISSED'}"
    )
    return ok


def run(context: AppContext) -> int:
    with context.database.read() as session:
        actor = auth.actor_for(session, "wangys")
        numbers = list(session.scalars(select(Contract.number).order_by(Contract.id).limit(BATCH)))
    if len(numbers) < BATCH:
        raise SystemExit(f"the demo data has only {len(numbers)} contracts; need {BATCH}")
    font = choose_font()
    template = load_template()

    def load(wanted: list[str]) -> list[ContractDocument]:
        with context.database.read() as session:
            return load_contract_documents(session, actor, wanted)

    one = numbers[:1]
    first = load(one)
    render_contracts(first, template=template, font=font)  # warm: font registered, caches
    raw_reportlab(first, font.name)

    def one_contract() -> bytes:
        return render_contracts(load(one), template=template, font=font)

    def batch() -> bytes:
        return render_contracts(load(numbers), template=template, font=font)

    docs = load(numbers)
    one_figure = _median(RUNS_ONE, one_contract, "one")
    one_raw = _median(RUNS_ONE, lambda: raw_reportlab(first, font.name))
    batch_figure = _median(RUNS_BATCH, batch, "batch")
    batch_raw = _median(RUNS_BATCH, lambda: raw_reportlab(docs, font.name))
    size_one = len(one_contract())
    batch_bytes = batch()
    print(
        f"contract PDF benchmark, medians ({RUNS_ONE} runs for one, {RUNS_BATCH} for the batch);"
        " raw baseline: a bare ReportLab canvas drawing the same strings in the same run"
    )
    print(
        f"font: {font.name} ({font.path or 'built-in'}; embedded: {font.embedded});"
        f" one contract: {size_one / 1024:.0f} KB;"
        f" {BATCH} contracts: {len(batch_bytes) / 1024 / 1024:.1f} MB"
        f" ({len(batch_bytes) / BATCH / 1024:.1f} KB each)"
    )
    results = [
        _report(
            "one contract PDF, warm (read + lay out)", one_figure * 1000, 50, one_raw * 1000, "ms"
        ),
        _report(f"{BATCH} contracts into one PDF (read + lay out)", batch_figure, 15, batch_raw),
    ]
    print(
        f"CPU time of the same runs (medians): one contract {CPU['one'] * 1000:.1f} ms,"
        f" {BATCH} contracts {CPU['batch']:.2f} s"
    )
    return 0 if all(results) else 1


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="familydoc-bench-pdf-") as folder:
        context = open_context(Home(Path(folder) / "home"))
        try:
            with context.database.unit_of_work() as session:
                create_demo(session, residents=DEMO_RESIDENTS, seed=2026)
            return run(context)
        finally:
            context.close()


if __name__ == "__main__":
    raise SystemExit(main())
