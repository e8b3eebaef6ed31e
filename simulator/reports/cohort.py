"""The cohort report (``parolesim cohort-report``) as text and as one self-contained HTML page.

The HTML uses the debrief's style and inline SVG charts (no scripts, no network): the
score distribution against the pass mark, first against latest attempts, the most-missed
policies and, per decision, how the cohort's choices spread over the options, each
option coloured by its verdict and labelled in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from engine.wording import plural
from simulator.analytics.cohort import (
    EDGES,
    Change,
    CohortAnalytics,
    DecisionSpread,
    Missed,
    ScenarioAnalytics,
    ScoreSpread,
)
from simulator.reports.analyze import EXTRA_CSS
from simulator.reports.html import CSS

VERDICT_COLOURS = {
    "exemplary": "#0f6b3a",
    "acceptable": "#2f6f9f",
    "deviation": "#9a5b00",
    "violation": "#b3261e",
    "critical": "#6d0a0a",
}
NOT_CHOSEN = "#c9ced6"
COHORT_CSS = """
figure svg { max-width: 100%; height: auto; }
.legend span { display:inline-block; margin-right: 14px; font-size: 13px; }
.legend i { display:inline-block; width: 12px; height: 12px; margin-right: 4px;
  vertical-align: -1px; border-radius: 2px; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.0f}%"


def num(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def filters(a: CohortAnalytics) -> str:
    parts = []
    if a.scenario:
        parts.append(f"scenario {a.scenario}")
    if a.since:
        parts.append(f"attempts since {a.since.isoformat()}")
    return ", ".join(parts) or "all scenarios, all dates"


def change_words(c: Change) -> str:
    if not c.pairs:
        return "no trainee has two attempts of one scenario yet"
    return (
        f"{plural(c.pairs, 'trainee-scenario pair')}: "
        f"mean {num(c.first_mean)} -> {num(c.latest_mean)} "
        f"({c.mean_change or 0:+.1f}); {c.improved} improved, {c.unchanged} unchanged, "
        f"{c.worse} worse; pass rate {pct(c.first_pass_rate)} -> {pct(c.latest_pass_rate)}"
    )


def scores_words(s: ScoreSpread) -> str:
    if not s.count:
        return "no scored attempts"
    return (
        f"{plural(s.count, 'attempt')}: mean {num(s.mean)}, median {num(s.median)}, "
        f"sd {num(s.sd)}, range {num(s.low)}-{num(s.high)}; pass rate {pct(s.pass_rate)}"
    )


# ---------------------------------------------------------------- text


def _missed_lines(title: str, rows: Sequence[Missed]) -> list[str]:
    if not rows:
        return [f"{title}: none missed"]
    out = [f"{title}:"]
    for m in rows:
        extra = f", mean score {num(m.mean_score)}" if m.mean_score is not None else ""
        out.append(
            f"  {m.id:<18} {m.title[:44]:<44} missed {m.missed} of {m.judged} ({pct(m.rate)})"
            + extra
        )
    return out


def _decision_lines(d: DecisionSpread) -> list[str]:
    out = [
        f"  {d.node}: {d.prompt}",
        f"    reached {d.reached}x, within policy {pct(d.within)}"
        + (f", {d.timed_out} timed out" if d.timed_out else ""),
    ]
    for o in d.options:
        verdict = o.verdict or "not chosen"
        out.append(
            f"    {o.count:>3} {pct(o.share):>5}  {_short(o.text, 70)}  [{o.choice}, {verdict}]"
        )
    return out


def _summary(a: CohortAnalytics) -> str:
    return (
        f"{plural(len(a.trainees), 'trainee')}, {len(a.active)} with scored attempts, "
        f"{plural(a.attempts, 'attempt')}"
    )


EMPTY = "no completed, scored attempts match: nothing to aggregate yet"


def render_cohort_text(a: CohortAnalytics) -> str:
    head = f"Cohort {a.cohort} ({filters(a)}): {_summary(a)}"
    if not a.attempts:
        return f"{head}\n{EMPTY}"
    out = [
        head,
        f"scores: {scores_words(a.scores)}",
        "  "
        + "  ".join(
            f"{int(EDGES[i])}-{int(EDGES[i + 1])}:{n}" for i, n in enumerate(a.scores.bins)
        ),
        f"first -> latest: {change_words(a.change)}",
        *_missed_lines("most-missed policies", a.policies),
        *_missed_lines("most-missed competencies", a.competencies),
    ]
    for s in a.scenarios:
        out += [
            "",
            f"{s.title} ({s.id}): {plural(s.attempts, 'attempt')} "
            f"by {plural(s.trainees, 'trainee')}",
            f"  scores: {scores_words(s.scores)}",
            f"  first -> latest: {change_words(s.change)}",
        ]
        for d in s.decisions:
            out += _decision_lines(d)
    return "\n".join(out)


# ---------------------------------------------------------------- SVG charts


def histogram_svg(s: ScoreSpread, label: str = "scores") -> str:
    width, height, pad = 640, 180, 30
    top = max(s.bins) or 1
    bar_w = (width - 2 * pad) / len(s.bins)
    parts = [
        f'<svg role="img" aria-label="{_e(label)}: {_e(scores_words(s))}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, n in enumerate(s.bins):
        h = (height - 2 * pad - 10) * n / top
        x = pad + i * bar_w
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{height - pad - h:.1f}" width="{bar_w - 4:.1f}" '
            f'height="{h:.1f}" fill="#2f6f9f"><title>{int(EDGES[i])}-{int(EDGES[i + 1])}: '
            f"{n}</title></rect>"
        )
        if n:
            parts.append(
                f'<text x="{x + bar_w / 2 - 4:.1f}" y="{height - pad - h - 4:.1f}">{n}</text>'
            )
    for i, edge in enumerate(EDGES):
        x = pad + i * bar_w
        parts.append(
            f'<line x1="{x:.1f}" y1="{height - pad}" x2="{x:.1f}" y2="{height - pad + 4}" '
            f'stroke="#5b6473"></line><text x="{x - 7:.1f}" y="{height - 10}">{int(edge)}</text>'
        )
    if s.pass_mark is not None:
        mark = pad + (width - 2 * pad) * s.pass_mark / 100
        parts.append(
            f'<line x1="{mark:.1f}" y1="8" x2="{mark:.1f}" y2="{height - pad}" '
            f'stroke="#b3261e" stroke-dasharray="4 3"></line>'
            f'<text x="{mark + 4:.1f}" y="18">pass mark {s.pass_mark:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def change_svg(c: Change) -> str:
    """First and latest mean score as two bars with the change written beside them."""
    width, row, left = 640, 30, 150
    rows = [("first attempts", c.first_mean), ("latest attempts", c.latest_mean)]
    height = row * len(rows) + 24
    scale = (width - left - 80) / 100
    parts = [
        f'<svg role="img" aria-label="first against latest attempts: {_e(change_words(c))}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, (name, value) in enumerate(rows):
        y = 6 + i * row
        w = max(1.0, (value or 0) * scale)
        colour = "#8b97a8" if i == 0 else "#0f6b3a"
        parts.append(
            f'<text x="0" y="{y + 15}">{name}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="20" fill="{colour}"></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 15}">{num(value)}</text>'
        )
    parts.append(
        f'<text x="{left}" y="{height - 4}">change {c.mean_change or 0:+.1f} over '
        f"{plural(c.pairs, 'pair')}</text></svg>"
    )
    return "".join(parts)


def missed_svg(rows: Sequence[Missed], what: str) -> str:
    width, row, left = 640, 26, 300
    height = row * len(rows) + 12
    scale = width - left - 90
    parts = [
        f'<svg role="img" aria-label="most-missed {what}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
    ]
    for i, m in enumerate(rows):
        y = 6 + i * row
        w = max(1.0, m.rate * scale)
        name = m.title if what == "competencies" else f"{m.id} {m.title}"
        parts.append(
            f'<text x="0" y="{y + 14}">{_e(_short(name, 44))}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="18" fill="#b3261e"></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 14}">{pct(m.rate)} ({m.missed}/{m.judged})'
            "</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def spread_svg(d: DecisionSpread) -> str:
    """One bar per option, its length the share who chose it, coloured by its verdict."""
    width, row, left = 880, 24, 370
    height = row * len(d.options) + 8
    scale = width - left - 190  # room for "12 · 100% · acceptable" after a full bar
    parts = [
        f'<svg role="img" aria-label="how the cohort chose at {_e(d.node)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, o in enumerate(d.options):
        y = 4 + i * row
        w = max(1.0, o.share * scale)
        colour = VERDICT_COLOURS.get(o.verdict or "", NOT_CHOSEN)
        text = _short(o.text, 54)
        parts.append(
            f'<text x="0" y="{y + 14}"><title>{_e(o.text)}</title>{_e(text)}</text>'
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="16" fill="{colour}"></rect>'
            f'<text x="{left + w + 6:.1f}" y="{y + 13}">{o.count} · {pct(o.share)} · '
            f"{_e(o.verdict or 'not chosen')}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- page


def _missed_table(rows: Sequence[Missed], what: str) -> str:
    if not rows:
        return f"<p>No {what} missed.</p>"
    scored = what == "competencies"
    body = "".join(
        f"<tr><td>{_e(m.id)}</td><td>{_e(m.title)}</td><td class='n'>{m.missed}</td>"
        f"<td class='n'>{m.judged}</td><td class='n'>{pct(m.rate)}</td>"
        + (f"<td class='n'>{num(m.mean_score)}</td>" if scored else "")
        + "</tr>"
        for m in rows
    )
    return (
        f"<figure>{missed_svg(rows, what)}<figcaption>Share of judgements against each of the "
        f"most-missed {what} that were a deviation, violation or critical.</figcaption></figure>"
        '<table class="stats"><tr><th>id</th><th>title</th><th class="n">missed</th>'
        '<th class="n">judged</th><th class="n">rate</th>'
        + ('<th class="n">mean score</th>' if scored else "")
        + f"</tr>{body}</table>"
    )


def _legend() -> str:
    items = [*VERDICT_COLOURS.items(), ("not chosen", NOT_CHOSEN)]
    return (
        '<p class="legend">'
        + "".join(f'<span><i style="background:{c}"></i>{_e(v)}</span>' for v, c in items)
        + "</p>"
    )


def _decision(d: DecisionSpread) -> str:
    timed = f", {d.timed_out} timed out" if d.timed_out else ""
    return (
        f'<div class="card"><h3>{_e(d.prompt or d.node)}</h3>'
        f'<p class="meta">{_e(d.node)} · reached {d.reached}× · within policy '
        f"{pct(d.within)}{timed}</p><figure>{spread_svg(d)}</figure></div>"
    )


def _scenario(s: ScenarioAnalytics) -> str:
    return (
        f'<section><h2>{_e(s.title)}</h2><p class="meta">{_e(s.id)} · '
        f"{plural(s.attempts, 'attempt')} by {plural(s.trainees, 'trainee')}</p>"
        f"<p>{_e(scores_words(s.scores))}.</p>"
        f"<figure>{histogram_svg(s.scores, label=s.title)}<figcaption>Scores of the cohort's "
        "attempts; the dashed line is the pass mark.</figcaption></figure>"
        f"<p>First against latest: {_e(change_words(s.change))}.</p>"
        f"<h3>How the cohort chose</h3>{_legend()}"
        + "".join(_decision(d) for d in s.decisions)
        + "</section>"
    )


def render_cohort_html(a: CohortAnalytics) -> str:
    summary = f"{_summary(a)}; {filters(a)}"
    change = (
        f"<figure>{change_svg(a.change)}<figcaption>Mean score of each trainee's first and "
        "latest attempt of a scenario.</figcaption></figure>"
        if a.change.pairs
        else ""
    )
    head = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Cohort report: {_e(a.cohort)}</title>"
        f"<style>{CSS}{EXTRA_CSS}{COHORT_CSS}</style></head><body><main>"
        f"<h1>Cohort report: {_e(a.cohort)}</h1><p class='meta'>{_e(summary)}. Model State "
        "Division of Parole training records; the policy is a training model.</p>"
    )
    if not a.attempts:
        return f"{head}<p>{EMPTY.capitalize()}.</p></main></body></html>"
    return (
        f"{head}<h2>Scores</h2><p>{_e(scores_words(a.scores))}.</p>"
        f"<figure>{histogram_svg(a.scores)}<figcaption>Scores of every counted attempt; the "
        "dashed line is the pass mark.</figcaption></figure>"
        f"<h2>First against latest attempt</h2><p>{_e(change_words(a.change))}.</p>{change}"
        f"<h2>Most-missed policies</h2>{_missed_table(a.policies, 'policies')}"
        f"<h2>Most-missed competencies</h2>{_missed_table(a.competencies, 'competencies')}"
        + "".join(_scenario(s) for s in a.scenarios)
        + "<footer>Only completed, scored attempts count (class sessions do not); a "
        "branched attempt counts only the decisions it took itself.</footer></main></body></html>"
    )
