"""The scoring-validity analysis as text and as one self-contained HTML page.

The HTML uses the debrief's style and inline SVG charts (no scripts, no network):
per scenario, the pass rate of each policy-blind strategy against the 5% gate,
the distribution of random runs' scores against the pass mark, and each
decision's difficulty against its discrimination.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from engine.wording import plural
from scoring.analyze import MAX_BEST_LONGEST, MAX_NAIVE_PASS, ScenarioAnalysis
from simulator.reports.html import CSS

EXTRA_CSS = """
table.stats { border-collapse: collapse; width: 100%; margin: 8px 0; }
table.stats th, table.stats td { border-bottom: 1px solid var(--line); padding: 4px 8px;
  text-align: left; vertical-align: top; }
table.stats td.n, table.stats th.n { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: var(--exemplary); font-weight: 700; }
.bad { color: var(--violation); font-weight: 700; }
figure { margin: 8px 0 16px; }
figcaption { color: var(--muted); font-size: 13px; }
svg text { font: 12px "DejaVu Sans", Arial, sans-serif; fill: #1d2430; }
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


# ---------------------------------------------------------------- text


def render_analysis_text(results: Sequence[ScenarioAnalysis]) -> str:
    out: list[str] = []
    for a in results:
        failures = a.gate_failures()
        out += [
            f"{a.title} ({a.id}, {a.family}): "
            + ("MEASURES JUDGEMENT" if not failures else "FAILS THE VALIDITY GATE"),
            f"  {'strategy':<52} {'pass':>7} {'mean':>6}",
        ]
        for s in a.strategies:
            flag = "  <- over 5%" if s.pass_rate > MAX_NAIVE_PASS else ""
            out.append(f"  {s.title:<52} {_pct(s.pass_rate):>7} {s.mean_score:>6.1f}{flag}")
        out.append(
            f"  best path: {a.best_path_score:g} "
            f"({'passes' if a.best_path_passed else 'FAILS'}), {len(a.best_path)} decisions"
        )
        p = a.paths
        rng = f"{p.min_score:g}-{p.max_score:g}" if p.min_score is not None else "no finished path"
        shortest = (
            f"{len(p.shortest_pass)} decisions ({' > '.join(p.shortest_pass)})"
            if p.shortest_pass
            else "none"
        )
        out.append(f"  score range ({p.method}, {p.paths} paths): {rng}; shortest pass: {shortest}")
        out.append(
            f"  best option is the longest text in {_pct(a.best_longest_share)} of decisions "
            f"(gate {MAX_BEST_LONGEST:.0%}), first as authored in {_pct(a.best_first_share)} "
            "(options are shuffled when played)"
        )
        adding = [loop for loop in a.loops if loop.adds_points]
        out.append(
            f"  loops: {len(a.loops)} found, {len(adding)} add points"
            + "".join(f"\n    {' > '.join(loop.cycle)}" for loop in adding)
        )
        if a.unscored_choices:
            out.append("  choices no rule scores: " + ", ".join(a.unscored_choices))
        rated = [d for d in a.decisions if d.within_policy is not None]
        hardest = sorted(rated, key=lambda d: d.within_policy or 0.0)[:3]
        if hardest:
            out.append(
                "  hardest decisions (share of random runs within policy): "
                + "; ".join(f"{d.node} {_pct(d.within_policy or 0.0)}" for d in hardest)
            )
        flat = [d.node for d in rated if d.discrimination is not None and d.discrimination <= 0]
        if flat:
            out.append("  decisions that do not discriminate (r <= 0): " + ", ".join(flat))
        out += [f"  ! {f}" for f in failures]
        out.append("")
    failing = sum(1 for a in results if a.gate_failures())
    out.append(
        f"{plural(len(results), 'scenario')} analysed; {failing} fail the validity gate"
        if failing
        else f"{plural(len(results), 'scenario')} analysed; every one measures judgement"
    )
    return "\n".join(out)


# ---------------------------------------------------------------- SVG charts


def _bars(a: ScenarioAnalysis) -> str:
    width, row, left = 640, 26, 300
    height = row * len(a.strategies) + 30
    scale = (width - left - 60) / 1.0
    parts = [
        f'<svg role="img" aria-label="pass rate of each policy-blind strategy" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, s in enumerate(a.strategies):
        y = 10 + i * row
        w = max(1.0, s.pass_rate * scale)
        colour = "#b3261e" if s.pass_rate > MAX_NAIVE_PASS else "#0f6b3a"
        parts.append(f'<text x="0" y="{y + 14}">{_e(s.title)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="18" fill="{colour}"></rect>'
        )
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 14}">{_pct(s.pass_rate)}</text>')
    gate_x = left + MAX_NAIVE_PASS * scale
    parts.append(
        f'<line x1="{gate_x:.1f}" y1="4" x2="{gate_x:.1f}" y2="{height - 14}" '
        'stroke="#1d2430" stroke-dasharray="4 3"></line>'
        f'<text x="{gate_x + 4:.1f}" y="{height - 2}">5% gate</text></svg>'
    )
    return "".join(parts)


def _histogram(a: ScenarioAnalysis, pass_mark: float = 70.0) -> str:
    width, height, pad = 640, 170, 30
    counts = [0] * 10
    for score in a.random_scores:
        counts[min(9, int(score // 10))] += 1
    top = max(counts) or 1
    bar_w = (width - 2 * pad) / 10
    parts = [
        f'<svg role="img" aria-label="scores of random runs" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, n in enumerate(counts):
        h = (height - 2 * pad) * n / top
        x = pad + i * bar_w
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{height - pad - h:.1f}" width="{bar_w - 4:.1f}" '
            f'height="{h:.1f}" fill="#2f6f9f"></rect>'
            f'<text x="{x + bar_w / 2 - 10:.1f}" y="{height - 10}">{i * 10}</text>'
        )
    mark = pad + (width - 2 * pad) * pass_mark / 100
    parts.append(
        f'<line x1="{mark:.1f}" y1="8" x2="{mark:.1f}" y2="{height - pad}" stroke="#b3261e" '
        f'stroke-dasharray="4 3"></line><text x="{mark + 4:.1f}" y="18">pass mark</text></svg>'
    )
    return "".join(parts)


def _scatter(a: ScenarioAnalysis) -> str:
    width, height, pad = 640, 240, 40
    pts = [d for d in a.decisions if d.within_policy is not None and d.discrimination is not None]
    parts = [
        f'<svg role="img" aria-label="difficulty and discrimination of each decision" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - 10}" y2="{height - pad}" '
        'stroke="#5b6473"></line>'
        f'<line x1="{pad}" y1="10" x2="{pad}" y2="{height - pad}" stroke="#5b6473"></line>'
        f'<text x="{width / 2 - 120:.0f}" y="{height - 8}">share of random runs within policy'
        "</text>"
        f'<text x="4" y="{height / 2:.0f}">r</text>'
    ]
    zero_y = 10 + (height - pad - 10) / 2
    parts.append(
        f'<line x1="{pad}" y1="{zero_y:.1f}" x2="{width - 10}" y2="{zero_y:.1f}" '
        'stroke="#d6dae1"></line>'
        f'<text x="{pad - 18}" y="16">1</text>'
        f'<text x="{pad - 18}" y="{zero_y + 4:.1f}">0</text>'
        f'<text x="{pad - 22}" y="{height - pad}">-1</text>'
        f'<text x="{pad - 4}" y="{height - pad + 14}">0%</text>'
        f'<text x="{width - 40}" y="{height - pad + 14}">100%</text>'
    )
    for d in pts:
        x = pad + (width - pad - 10) * (d.within_policy or 0.0)
        y = zero_y - (height - pad - 10) / 2 * (d.discrimination or 0.0)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#9a5b00"><title>{_e(d.node)}: '
            f"{_pct(d.within_policy or 0.0)} within policy, r = {d.discrimination}</title>"
            "</circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- page


def _section(a: ScenarioAnalysis) -> str:
    failures = a.gate_failures()
    verdict = (
        '<p class="ok">Measures judgement: no policy-blind strategy passes more than 5%.</p>'
        if not failures
        else '<p class="bad">Fails the validity gate:</p><ul>'
        + "".join(f"<li>{_e(f)}</li>" for f in failures)
        + "</ul>"
    )
    rows = "".join(
        f"<tr><td>{_e(s.title)}</td><td class='n'>{_pct(s.pass_rate)}</td>"
        f"<td class='n'>{s.passed}/{s.runs}</td><td class='n'>{s.mean_score:g}</td>"
        f"<td>{_e(s.simulator)}</td></tr>"
        for s in a.strategies
    )
    p = a.paths
    shortest = " &gt; ".join(_e(c) for c in p.shortest_pass) if p.shortest_pass else "none"
    decisions = "".join(
        f"<tr><td>{_e(d.node)}</td><td>{_e(d.prompt)}</td><td class='n'>{d.visits}</td>"
        f"<td class='n'>{'' if d.within_policy is None else _pct(d.within_policy)}</td>"
        f"<td class='n'>{'' if d.discrimination is None else d.discrimination}</td></tr>"
        for d in a.decisions
    )
    loops = (
        "".join(
            f"<li>{' &gt; '.join(_e(c) for c in loop.cycle)}: once {loop.once}, twice {loop.twice}"
            f"{' <strong class=bad>adds points</strong>' if loop.adds_points else ''}</li>"
            for loop in a.loops
        )
        or "<li>none</li>"
    )
    return (
        f'<section class="card"><h2>{_e(a.title)}</h2>'
        f'<p class="meta">{_e(a.id)} · {_e(a.family)} · {a.runs} runs per strategy</p>'
        f"{verdict}"
        f"<figure>{_bars(a)}<figcaption>Pass rate of each strategy that knows no policy; the "
        "dashed line is the 5% gate.</figcaption></figure>"
        f'<table class="stats"><tr><th>strategy</th><th class="n">pass rate</th>'
        f'<th class="n">passed</th><th class="n">mean score</th><th>simulator</th></tr>{rows}'
        "</table>"
        f"<p>Best path: <strong>{a.best_path_score:g}</strong> "
        f"({'passes' if a.best_path_passed else 'fails'}), {len(a.best_path)} decisions. "
        f"Score range ({_e(p.method)}, {p.paths} paths): {p.min_score}–{p.max_score}. "
        f"Shortest passing path: {shortest}.</p>"
        f"<p>The best option is the longest text in {_pct(a.best_longest_share)} of decisions "
        f"(gate {MAX_BEST_LONGEST:.0%}) and first as authored in {_pct(a.best_first_share)}.</p>"
        f"<figure>{_histogram(a)}<figcaption>Scores of uniformly random runs.</figcaption>"
        f"</figure><h3>Loops</h3><ul>{loops}</ul>"
        + (
            "<p>Choices no rule scores: " + _e(", ".join(a.unscored_choices)) + "</p>"
            if a.unscored_choices
            else ""
        )
        + f"<h3>Decisions</h3><figure>{_scatter(a)}<figcaption>Each decision: how often random "
        "play is within policy (difficulty) against its correlation with passing "
        "(discrimination).</figcaption></figure>"
        f'<table class="stats"><tr><th>node</th><th>prompt</th><th class="n">visits</th>'
        f'<th class="n">within policy</th><th class="n">discrimination</th></tr>{decisions}'
        "</table></section>"
    )


def render_analysis_html(results: Sequence[ScenarioAnalysis]) -> str:
    failing = sum(1 for a in results if a.gate_failures())
    summary = (
        f"{plural(len(results), 'scenario')}; {failing} fail the validity gate"
        if failing
        else f"{plural(len(results), 'scenario')}; every one measures judgement"
    )
    body = "".join(_section(a) for a in results)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Scoring validity</title><style>{CSS}{EXTRA_CSS}</style></head>"
        f"<body><main><h1>Scoring validity</h1><p class='meta'>{_e(summary)}. A score "
        "measures judgement only if players who know no policy cannot pass.</p>"
        f"{body}</main></body></html>"
    )
