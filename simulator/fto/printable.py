"""A Daily Observation Report as a page to print or file: plain text, HTML or PDF.

Each page shows the ratings with their SEG text, narratives, remedial minutes, every
signature with who signed and when (UTC), and the amendment chain (what this evaluation
corrects and what corrected it, with the reason).
"""

from __future__ import annotations

from html import escape

from scoring.packmodel import FTO_CATEGORIES
from simulator.fto.dor import seg_text
from simulator.store.evaluations import Evaluation

AGENCY = "Model State Division of Parole"
STEP_TITLES = {"fto": "Field training officer", "trainee": "Trainee", "supervisor": "Supervisor"}


def _title(category: str) -> str:
    return FTO_CATEGORIES.get(category, category.replace("_", " ").capitalize())


def chain_lines(evaluation: Evaluation) -> list[str]:
    lines = []
    if evaluation.amends_id is not None:
        lines.append(f"Amends evaluation {evaluation.amends_id}. Reason: {evaluation.amend_reason}")
    if evaluation.amended_by_id is not None:
        lines.append(
            f"Superseded by evaluation {evaluation.amended_by_id} (this record stays as signed)."
        )
    return lines


def signature_lines(evaluation: Evaluation) -> list[str]:
    signed = {s.step: s for s in evaluation.signatures}
    lines = []
    for step, title in STEP_TITLES.items():
        s = signed.get(step)
        if s is None:
            lines.append(f"{title}: not signed")
        else:
            note = f' - "{s.comment}"' if s.comment else ""
            lines.append(f"{title}: {s.person}, {s.signed_at:%Y-%m-%d %H:%M:%S} UTC{note}")
    return lines


def header_lines(evaluation: Evaluation, trainee: str, fto: str) -> list[str]:
    attempt = f", attempt {evaluation.attempt_id}" if evaluation.attempt_id else ""
    return [
        f"{AGENCY} - {evaluation.kind.capitalize()} Observation Report no. {evaluation.id}",
        f"Trainee: {trainee}   FTO: {fto}   Observed: {evaluation.observed_on.isoformat()}"
        f"{attempt}",
        f"Status: {evaluation.status.replace('_', ' ').replace('fto', 'FTO')}",
    ]


def as_text(evaluation: Evaluation, trainee: str, fto: str) -> str:
    out = [*header_lines(evaluation, trainee, fto), ""]
    out += chain_lines(evaluation)
    for r in evaluation.ratings:
        remedial = f"  remedial: {r.remedial_minutes} min" if r.remedial_minutes else ""
        out.append(f"{_title(r.category)}: {r.value}{remedial}")
        out.append(f"    SEG {seg_text(r.category, r.value)}")
        if r.narrative:
            out.append(f"    Narrative: {r.narrative}")
    if evaluation.summary:
        out += ["", f"Summary: {evaluation.summary}"]
    out += ["", "Signatures", *(f"  {line}" for line in signature_lines(evaluation))]
    return "\n".join(out) + "\n"


def as_html(evaluation: Evaluation, trainee: str, fto: str) -> str:
    head = header_lines(evaluation, trainee, fto)
    rows = "\n".join(
        "<tr><th scope='row'>{}</th><td class='value'>{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td></tr>".format(
            escape(_title(r.category)),
            escape(str(r.value)),
            escape(seg_text(r.category, r.value)),
            escape(r.narrative),
            r.remedial_minutes or "",
        )
        for r in evaluation.ratings
    )
    chain = "".join(f"<p class='chain'>{escape(line)}</p>" for line in chain_lines(evaluation))
    signatures = "".join(f"<li>{escape(line)}</li>" for line in signature_lines(evaluation))
    summary = f"<h2>Summary</h2><p>{escape(evaluation.summary)}</p>" if evaluation.summary else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(head[0])}</title>
<style>
body {{ font: 12pt/1.4 sans-serif; color: #000; background: #fff; margin: 2em; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #000; padding: 4px 6px; text-align: left; vertical-align: top; }}
td.value {{ font-weight: bold; text-align: center; }}
.chain {{ font-weight: bold; }}
@media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{escape(head[0])}</h1>
<p>{escape(head[1])}<br>{escape(head[2])}</p>
{chain}
<table><thead><tr><th>Category</th><th>Rating</th><th>SEG</th><th>Narrative</th>
<th>Remedial min</th></tr></thead>
<tbody>
{rows}
</tbody></table>
{summary}
<h2>Signatures</h2><ul>{signatures}</ul>
</body></html>
"""


def as_pdf(evaluation: Evaluation, trainee: str, fto: str) -> bytes:
    """The DOR as a PDF (fpdf2: pure Python, maintained, no browser or system library)."""
    from fpdf import FPDF

    pdf = FPDF(format="Letter")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    head = header_lines(evaluation, trainee, fto)
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(width, 7, _latin(head[0]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in [*head[1:], *chain_lines(evaluation)]:
        pdf.multi_cell(width, 5, _latin(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for r in evaluation.ratings:
        pdf.set_font("Helvetica", "B", 10)
        remedial = f"   (remedial training {r.remedial_minutes} min)" if r.remedial_minutes else ""
        pdf.multi_cell(
            width,
            5,
            _latin(f"{_title(r.category)}: {r.value}{remedial}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(
            width,
            4.5,
            _latin(f"SEG {seg_text(r.category, r.value)}"),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        if r.narrative:
            pdf.multi_cell(
                width, 4.5, _latin(f"Narrative: {r.narrative}"), new_x="LMARGIN", new_y="NEXT"
            )
        pdf.ln(1.5)
    if evaluation.summary:
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(
            width, 5, _latin(f"Summary: {evaluation.summary}"), new_x="LMARGIN", new_y="NEXT"
        )
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(width, 6, "Signatures", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for line in signature_lines(evaluation):
        pdf.multi_cell(width, 5, _latin(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _latin(text: str) -> str:
    """The PDF core fonts cover Latin-1; anything else is shown as a close stand-in."""
    table = {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
    return "".join(table.get(ch, ch) for ch in text).encode("latin-1", "replace").decode("latin-1")


def render(evaluation: Evaluation, trainee: str, fto: str, fmt: str) -> str | bytes:
    if fmt == "html":
        return as_html(evaluation, trainee, fto)
    if fmt == "pdf":
        return as_pdf(evaluation, trainee, fto)
    return as_text(evaluation, trainee, fto)
