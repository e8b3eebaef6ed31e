"""The debrief as one self-contained HTML file: inline CSS, no scripts, no network.

Sections: result banner, critical failures, the timeline of decisions (verdict
as icon and word, cited policy text, the better choice), competency bars, the
MITI panel and the sanction panel. ``@media print`` keeps it clean on paper.
"""

from __future__ import annotations

from html import escape
from typing import Any

from engine.wording import plural
from scoring.instrument_panel import by_domain, totals_words
from scoring.miti import CODES, Measure, MitiSummary
from scoring.packmodel import MITI_CODES, VERDICT_ICONS, Verdict
from scoring.report import UNSCORED, DecisionResult, ScoreReport
from scoring.sanctions import SanctionAssessment

CSS = """
:root { --ink:#1d2430; --muted:#5b6473; --line:#d6dae1; --bg:#f6f7f9; --card:#fff;
  --exemplary:#0f6b3a; --acceptable:#2f6f9f; --deviation:#9a5b00; --violation:#b3261e;
  --critical:#6d0a0a; --unscored:#5b6473; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 15px/1.5 "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 12px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 2px 0 6px; }
.meta { color: var(--muted); margin: 0; }
.banner { display:flex; gap:20px; align-items:center; margin-top:18px; padding:16px 20px;
  border-radius:10px; background:var(--card); border:2px solid var(--line); }
.banner.pass { border-color: var(--exemplary); }
.banner.fail { border-color: var(--violation); }
.banner .big { font-size: 40px; font-weight: 700; min-width: 120px; }
.banner .word { font-size: 20px; font-weight: 700; }
.banner ul { margin: 6px 0 0; padding-left: 20px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px;
  padding: 14px 18px; margin: 10px 0; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
li.decision { position: relative; background: var(--card); border: 1px solid var(--line);
  border-left: 8px solid var(--v); border-radius: 10px; padding: 12px 16px; margin: 12px 0; }
.badge { display:inline-block; font-weight:700; color:#fff; background:var(--v);
  border-radius: 999px; padding: 1px 12px; font-size: 13px; letter-spacing: .04em; }
.when { color: var(--muted); font-size: 13px; margin-left: 8px; }
.num { color: var(--muted); font-weight: 700; margin-right: 6px; }
.chose { margin: 4px 0; }
.said { margin: 4px 0; font-style: italic; color: #33404f; }
blockquote.policy { margin: 8px 0; padding: 8px 12px; background: #f1f4f8;
  border-left: 4px solid #8b97a8; border-radius: 4px; }
blockquote.policy cite { display:block; color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.why { margin: 6px 0; }
.better { margin-top: 8px; padding: 8px 12px; border: 1px dashed var(--exemplary);
  border-radius: 6px; background: #f2faf5; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.facts { font-size: 13px; margin-top: 6px; }
.facts td, .facts th { padding: 3px 6px; }
.bar { position: relative; height: 16px; background: #e7eaef; border-radius: 8px; min-width: 180px;
  overflow: hidden; border: 1px solid #c9ced6; }
.bar span { position:absolute; left:0; top:0; bottom:0; background: #3b6ea5; }
.bar i { position:absolute; top:-2px; bottom:-2px; width:2px; background: var(--ink); }
.no { color: var(--muted); font-style: italic; }
.below { color: var(--violation); font-weight: 700; }
.grid { display:grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.matrix { table-layout: fixed; }
.matrix td, .matrix th { text-align:center; }
.matrix td.here { outline: 3px solid var(--ink); outline-offset: -3px; font-weight: 700;
  background: #fff7d6; }
.check { font-family: "DejaVu Sans", sans-serif; }
footer { color: var(--muted); font-size: 12.5px; margin-top: 36px;
  border-top: 1px solid var(--line); padding-top: 10px; }
@media print {
  body { background: #fff; font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  li.decision, .card, .banner, tr { break-inside: avoid; }
  h2 { break-after: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .grid { grid-template-columns: 1fr 1fr; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _label(verdict: str) -> str:
    if verdict == UNSCORED:
        return "? Not scored"
    return f"{VERDICT_ICONS[Verdict(verdict)]} {verdict.capitalize()}"


def _var(verdict: str) -> str:
    return f"--v:var(--{verdict})"


def _clock(t: float) -> str:
    whole = int(t)
    return f"{whole // 60}:{whole % 60:02d}"


def _decision(d: DecisionResult) -> str:
    parts = [
        f'<li class="decision" id="decision-{d.index + 1}" style="{_var(d.verdict)}">',
        f'<span class="num">{d.index + 1}.</span><span class="badge">{_e(_label(d.verdict))}</span>'
        f'<span class="when">at {_clock(d.t)} · node {_e(d.node)}</span>',
        f"<h3>{_e(d.prompt)}</h3>",
        f'<p class="chose"><strong>You chose:</strong> {_e(d.text)}'
        + (" <em>(time ran out)</em>" if d.timed_out else "")
        + "</p>",
    ]
    if d.say:
        parts.append(f'<p class="said">You said: “{_e(d.say)}”</p>')
    if d.policy:
        parts.append(
            f'<blockquote class="policy"><strong>{_e(d.policy.id)} {_e(d.policy.title)}.</strong> '
            f"{_e(d.policy.text)}<cite>{_e(d.policy.source)}</cite></blockquote>"
        )
        parts.append(f'<p class="why"><strong>Why:</strong> {_e(d.feedback)}</p>')
    else:
        parts.append('<p class="no">No rule of this pack judges this choice.</p>')
    if d.better_choice:
        b = d.better_choice
        parts.append(
            f'<div class="better"><strong>Better choice ({_e(_label(b.verdict))}):</strong> '
            f"{_e(b.text)}<br>{_e(b.feedback)}</div>"
        )
    if len(d.judgments) > 1:
        rows = "".join(
            f"<tr><td>{_e(_label(j.verdict))}</td><td><code>{_e(j.fact)}</code></td>"
            f"<td>{_e(j.policy.id)}</td><td>{_e(j.competency)}</td></tr>"
            for j in d.judgments
        )
        parts.append(
            '<table class="facts"><tr><th>verdict</th><th>fact</th><th>policy</th>'
            f"<th>competency</th></tr>{rows}</table>"
        )
    parts.append("</li>")
    return "".join(parts)


def _competencies(report: ScoreReport) -> str:
    rows = []
    threshold = report.pass_threshold
    for c in report.competencies:
        if c.score is None:
            continue
        bar = (
            f'<div class="bar" role="img" aria-label="{c.score:g} of 100">'
            f'<span style="width:{c.score:g}%"></span><i style="left:{threshold:g}%"></i></div>'
        )
        rating = f"{c.rating}"
        if c.rating is None:
            seen = "; ".join(c.observations)
            rating = (
                f'N.O.<br><small title="{_e(seen)}">seen {c.judgments}x: too few to rate</small>'
            )
        elif c.min_rating is not None and c.rating < c.min_rating:
            rating = f'<span class="below">✗ {c.rating} (min {c.min_rating})</span>'
        rows.append(
            f"<tr><td><strong>{_e(c.title)}</strong><br><small>{_e(c.fto_title)}</small></td>"
            f'<td style="width:40%">{bar}</td><td class="n">{c.score:g}</td>'
            f'<td class="n">{rating}</td></tr>'
        )
    unobserved = [c.title for c in report.competencies if c.score is None]
    rest = (
        f'<p class="meta">Not observed in this run (N.O.): {_e("; ".join(unobserved))}.</p>'
        if unobserved
        else ""
    )
    return (
        "<h2>Competencies</h2>"
        f'<p class="meta">Suggested Daily Observation Report rating 1–7 (4 = minimum acceptable to '
        f"work alone). The black tick on each bar marks the pass mark of {threshold:g}.</p>"
        '<table><tr><th>competency (DOR category)</th><th>score</th><th class="n">/100</th>'
        f'<th class="n">rating</th></tr>{"".join(rows)}</table>{rest}'
    )


def _measure(m: Measure, unit: str = "") -> str:
    if m.value is None:
        return f'<span class="no">{_e(m.level)}: {_e(m.reason)}</span>'
    icon = {"good": "★", "fair": "✓", "below fair": "✗"}.get(m.level, "")
    return f"{m.value:g}{unit} <strong>{icon} {_e(m.level)}</strong>"


def _miti(m: MitiSummary) -> str:
    est = " (estimated)" if m.estimate is not None else ""
    counts = "".join(
        f'<tr><td>{_e(MITI_CODES[c])}</td><td class="n">{m.counts.get(c, 0)}</td></tr>'
        for c in CODES
    )
    metrics = [
        ("% complex reflections", _measure(m.percent_complex_reflections, "%")),
        ("Reflection : question", _measure(m.reflection_to_question, " : 1")),
        ("MI-adherent (Seek + Affirm + Emphasize)", str(m.adherent)),
        ("MI non-adherent (Confront + Persuade)", str(m.non_adherent)),
        ("Persuade with Permission counts as", _e(m.persuade_with_permission.replace("_", "-"))),
        (f"Technical global{est}", _measure(m.technical)),
        (f"Relational global{est}", _measure(m.relational)),
    ]
    if m.estimate is not None:
        for g in m.estimate.ratings:
            talk = f", client's talk {g.talk:g}" if g.talk is not None else ""
            metrics.append(
                (f"{_e(g.title)} (estimated)", f"{g.rating} (behaviour {g.behaviour:g}{talk})")
            )
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in metrics)
    examples = "".join(
        f"<li><strong>{_e(MITI_CODES[c])}:</strong> “{_e(line)}”</li>"
        for c in CODES
        for line in m.examples.get(c, [])
    )
    if m.estimate is not None:
        examples += "".join(
            f"<li><strong>{_e(g.title)}:</strong> “{_e(g.example)}”"
            + (f" <em>({_e(g.example_effect)})</em>" if g.example_effect else "")
            + "</li>"
            for g in m.estimate.ratings
            if g.example
        )
    ex = f"<h3>Your own lines</h3><ul>{examples}</ul>" if examples else ""
    return (
        '<h2>Motivational interviewing (MITI 4.2.1)</h2><div class="card"><div class="grid">'
        f"<table><tr><th>behaviour code</th><th class='n'>count</th></tr>{counts}</table>"
        f"<table><tr><th>summary</th><th>value</th></tr>{rows}</table></div>{ex}</div>"
    )


def _sanction(a: SanctionAssessment) -> str:
    risks = ("low", "moderate", "high")
    matrix = a.matrix
    table = ""
    if matrix:
        head = "".join(f"<th>risk {r}</th>" for r in risks)
        body = ""
        for sev in ("low", "medium", "high"):
            cells = ""
            for r in risks:
                lo, hi = matrix[sev][r]
                here = sev == a.severity and r == a.risk
                mark = " ◆ this case" if here else ""
                cls = ' class="here"' if here else ""
                cells += f"<td{cls}>levels {lo}–{hi}{mark}</td>"
            body += f"<tr><th>severity {sev}</th>{cells}</tr>"
        table = f'<table class="matrix"><tr><th></th>{head}</tr>{body}</table>'
    chosen = f"level {a.chosen_level}: {_e(a.chosen_title)}" if a.chosen_level else "none chosen"
    icon = {"within": "✓", "too_lenient": "✗", "too_severe": "✗"}.get(a.placement, "?")
    if a.override_accepted:
        icon = "✓"
    steps = "".join(
        f'<li class="check">{"☑" if s.done else "☐"} {_e(s.title)}'
        f"{'' if s.done else ' <strong>(missing)</strong>'}</li>"
        for s in a.due_process
        if s.required
    )
    due = (
        f"<h3>Due process, {_e(a.track or 'not required')}: "
        f"{'complete' if a.due_process_complete else 'INCOMPLETE'}</h3><ul>{steps}</ul>"
        if steps
        else "<p>Due process steps are not required at this response level.</p>"
    )
    notes = "".join(
        f'<li class="check">{"☑" if s.done else "☐"} {_e(s.title)}</li>'
        for s in a.notifications
        if s.required
    )
    notes_html = f"<h3>Notifications</h3><ul>{notes}</ul>" if notes else ""
    allowed = "".join(f"<li>{_e(t)}</li>" for t in a.band_titles)
    return (
        '<h2>Sanction assessment</h2><div class="card">'
        f"<p>Severity <strong>{_e(a.severity or 'not recorded')}</strong> × risk "
        f"<strong>{_e(a.risk or 'unknown')}</strong>"
        + (f", {_e(a.priors_words)}" if a.priors else "")
        + f". Allowed responses:</p><ul>{allowed}</ul>"
        f"{table}<p>Your response: <strong>{chosen}</strong> — "
        f"<strong>{icon} {_e(a.placement_words)}</strong>"
        + (f" ({plural(a.steps_outside, 'level')} outside the band)" if a.steps_outside else "")
        + "</p>"
        + (
            "<p>Referrals to meet a need (no sanction level): "
            + _e(", ".join(f.removeprefix("response_").replace("_", " ") for f in a.need_responses))
            + "</p>"
            if a.need_responses
            else ""
        )
        + f"{due}{notes_html}<p>Incentives used: {len(a.incentives)}; sanctions: "
        f"{a.sanctions_count} (target {a.positive_to_negative_target}:1 positive to negative).</p>"
        "</div>"
    )


def _instrument(panel: dict[str, Any]) -> str:
    """The intake assessment: each item's key beside the trainee's rating."""
    domains = "".join(
        f"<h3>{_e(domain)}</h3><ul>" + "".join(f"<li>{_e(w)}</li>" for w in items) + "</ul>"
        for domain, items in by_domain(panel)
    )
    return (
        f'<h2>Assessment: {_e(str(panel["instrument"]))}</h2><div class="card">{domains}'
        f"<p><strong>Total:</strong> {_e(totals_words(panel))}</p></div>"
    )


def render_html(report: ScoreReport) -> str:
    """The whole debrief page as one string."""
    s, p = report.scenario, report.policy
    word = (
        "✓ PASSED"
        if report.passed
        else "✗ NOT PASSED"
        if report.outcome
        else "✗ UNFINISHED, NOT PASSED"
    )
    reasons = "".join(f"<li>{_e(r)}</li>" for r in report.fail_reasons)
    ending = (
        f" · Ending: {_e(report.outcome['title'])} ({_e(report.outcome['outcome'])})"
        if report.outcome
        else ""
    )
    body = [
        f"<h1>Debrief: {_e(s['title'])}</h1>",
        f'<p class="meta">Scenario {_e(s["id"])} {_e(s["version"])} · family '
        f"{_e(s['family'].replace('_', ' '))}{ending}</p>",
        f'<p class="meta">Judged against {_e(p["agency"])}, policy pack {_e(p["id"])} '
        f"{_e(p['version'])}</p>",
        f'<section class="banner {"pass" if report.passed else "fail"}">'
        f'<div class="big">{report.overall:g}</div><div><div class="word">{word}</div>'
        f"<div>Overall score out of 100; pass mark {report.pass_threshold:g}.</div>"
        + (f"<ul>{reasons}</ul>" if reasons else "")
        + "</div></section>",
    ]
    if report.critical_failures:
        items = "".join(
            f"<li><strong>‼ {_e(c.policy.id)} {_e(c.policy.title)}</strong> ({_e(c.fact)}): "
            f"{_e(c.feedback)}</li>"
            for c in report.critical_failures
        )
        body.append(
            '<h2>Critical failures</h2><div class="card" style="border:2px solid var(--critical)">'
            f"<p>Each of these fails the run whatever the points.</p><ul>{items}</ul></div>"
        )
    body.append("<h2>Timeline of decisions</h2>")
    body.append('<ol class="timeline">' + "".join(_decision(d) for d in report.decisions) + "</ol>")
    body.append(_competencies(report))
    if report.miti is not None:
        body.append(_miti(report.miti))
    if report.sanction is not None:
        body.append(_sanction(report.sanction))
    if report.instrument is not None:
        body.append(_instrument(report.instrument.to_dict()))
    if report.warnings:
        body.append(
            "<h2>Notes</h2><ul>" + "".join(f"<li>{_e(w)}</li>" for w in report.warnings) + "</ul>"
        )
    body.append(
        f"<footer>{_e(p['agency'])} is fictional; its manual is a training model, not legal "
        f"advice. Scenario hash {_e(s['hash'][:16])} · policy pack hash {_e(p['hash'][:16])}."
        "</footer>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Debrief: {_e(s['title'])}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
