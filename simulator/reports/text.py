"""Plain-text debriefs: the score report, a pack's manual, and a MITI summary.

Verdicts are shown as an icon character and a word, never by colour alone, so
the text reads the same on a terminal, in a log file or on paper.
"""

from __future__ import annotations

import textwrap

from engine.wording import plural
from scoring.instrument_panel import instrument_lines, panel_lines
from scoring.miti import CODES, MitiSummary
from scoring.pack import PolicyPack
from scoring.packmodel import FTO_CATEGORIES, MITI_CODES, VERDICT_ICONS, Verdict
from scoring.report import UNSCORED, CompetencyResult, ScoreReport
from scoring.sanctions import SanctionAssessment

WIDTH = 88
BAR = 20


def quoted(text: str) -> str:
    """Text in quotation marks: as written when an option already opens with its own
    (written sentences do), in curly marks when it holds a quotation of its own."""
    if text[:1] in '"“':
        return text
    return f"“{text}”" if '"' in text else f'"{text}"'


def verdict_label(verdict: str) -> str:
    """``"△ DEVIATION"``: an icon and the word, for every verdict."""
    if verdict == UNSCORED:
        return "? NOT SCORED"
    return f"{VERDICT_ICONS[Verdict(verdict)]} {verdict.upper()}"


def _wrap(text: str, indent: str, width: int = WIDTH) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent
    )


_wrap_to = _wrap


def fit_lines(lines: list[str], width: int) -> list[str]:
    """Lines laid out for a fixed width, re-wrapped to ``width`` columns where longer
    (a narrow terminal), keeping each line's indent."""
    out: list[str] = []
    for line in lines:
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out += textwrap.wrap(
            line.strip(),
            max(20, width),
            initial_indent=indent,
            subsequent_indent=indent + "  ",
        ) or [line]
    return out


def _clock(t: float) -> str:
    whole = int(t)
    return f"{whole // 60}:{whole % 60:02d}"


def bar(score: float | None, width: int = BAR) -> str:
    if score is None:
        return "[" + " " * width + "]"
    filled = int(score * width // 100)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def rating_words(c: CompetencyResult) -> str:
    if c.rating is None:
        if c.judgments:
            seen = "; ".join(c.observations)
            return f"N.O. (too few observations to rate: {seen})"
        return "not observed (N.O.)"
    words = f"rating {c.rating}"
    if c.min_rating is not None and c.rating < c.min_rating:
        words += f", below the minimum of {c.min_rating}"
    return words


def render_text(report: ScoreReport, width: int = WIDTH) -> str:
    """The whole debrief as plain text, wrapped to ``width`` columns."""

    def _wrap(text: str, indent: str) -> list[str]:
        return _wrap_to(text, indent, width)

    s, p = report.scenario, report.policy
    out = [
        f"DEBRIEF: {s['title']} ({s['id']} {s['version']})",
        f"Judged against: {p['agency']}, pack {p['id']} {p['version']} (hash {p['hash'][:12]})",
    ]
    if report.outcome:
        out.append(f"Ending: {report.outcome['title']} ({report.outcome['outcome']})")
    result = (
        "PASSED" if report.passed else "NOT PASSED" if report.outcome else "UNFINISHED, NOT PASSED"
    )
    out += [
        "",
        f"RESULT: {result}, overall {report.overall:g} / 100 (pass mark {report.pass_threshold:g})",
    ]
    out += [f"  - {r}" for r in report.fail_reasons]
    if report.critical_failures:
        out += ["", "CRITICAL FAILURES (each fails the run whatever the points)"]
        for cf in report.critical_failures:
            out.append(
                f"  {VERDICT_ICONS[Verdict.CRITICAL]} {cf.policy.id} {cf.policy.title}: {cf.fact}"
            )
            out += _wrap(cf.feedback, "    ")
    out += ["", "DECISIONS"]
    for d in report.decisions:
        out.append(f"{d.index + 1:>3}. {verdict_label(d.verdict)}  [{d.node}, {_clock(d.t)}]")
        out += _wrap(d.prompt, "     ")
        chose = (
            f"Time ran out; the default was taken: {quoted(d.text)}"
            if d.timed_out
            else f"You chose: {quoted(d.text)}"
        )
        out += _wrap(chose, "     ")
        if d.say:
            out += _wrap(f"You said: {quoted(d.say)}", "     ")
        if d.policy:
            out.append(f"     Cited: {d.policy.id} {d.policy.title}")
            out += _wrap(d.policy.text, "       ")
            out += _wrap(f"Why: {d.feedback}", "     ")
        else:
            out.append("     No rule of this pack judges this choice.")
        if d.better_choice:
            b = d.better_choice
            out += _wrap(
                f"Better: {verdict_label(b.verdict)} {quoted(b.text)} - {b.feedback}", "     "
            )
        if len(d.judgments) > 1:
            also = "; ".join(
                f"{verdict_label(j.verdict).lower()} {j.fact} ({j.policy.id})" for j in d.judgments
            )
            out += _wrap(f"All facts judged: {also}", "     ")
    out += ["", "COMPETENCIES (suggested DOR rating 1-7; 4 = minimum acceptable to work alone)"]
    for c in report.competencies:
        if c.score is None:
            continue
        out.append(f"  {c.title[:44]:<44} {bar(c.score)} {c.score:5.1f}  {rating_words(c)}")
        out.append(f"  {'':<44} DOR category: {c.fto_title}")
    unobserved = [c.title for c in report.competencies if c.score is None]
    if unobserved:
        out += _wrap("Not observed (N.O.): " + "; ".join(unobserved), "  ")
    if report.miti is not None:
        out += ["", *miti_lines(report.miti, width)]
    if report.sanction is not None:
        out += ["", *sanction_lines(report.sanction)]
    if report.instrument is not None:
        out += ["", *panel_lines(report.instrument)]
    if report.warnings:
        out += ["", "NOTES"]
        for w in report.warnings:
            out += _wrap(w, "  - ")
    return "\n".join(fit_lines(out, width)) + "\n"


def miti_lines(m: MitiSummary, width: int = WIDTH) -> list[str]:
    def _wrap(text: str, indent: str) -> list[str]:
        return _wrap_to(text, indent, width)

    out = ["MITI 4.2.1 SUMMARY"]
    est = " (estimated)" if m.estimate is not None else ""
    cells = [f"{MITI_CODES[c]:<26}{m.counts.get(c, 0):>4}" for c in CODES]
    half = (len(cells) + 1) // 2
    for left, right in zip(cells[:half], [*cells[half:], ""][:half], strict=True):
        out.append(f"  {left}      {right}".rstrip())
    out += [
        f"  % complex reflections: {m.percent_complex_reflections.describe('%')}",
        f"  reflection-to-question ratio: {m.reflection_to_question.describe(':1')}",
        f"  MI-adherent (Seek + Affirm + Emphasize): {m.adherent}",
        f"  MI non-adherent (Confront + Persuade): {m.non_adherent}",
        f"  Persuade with Permission counts as: {m.persuade_with_permission.replace('_', '-')}",
        f"  Technical global{est}: {m.technical.describe()}",
        f"  Relational global{est}: {m.relational.describe()}",
    ]
    if m.estimate is not None:
        out.append("  Estimated global ratings (1-5, from your codes and the client's talk):")
        for g in m.estimate.ratings:
            talk = f", client's talk {g.talk:g}" if g.talk is not None else ""
            out.append(f"    {g.title}: {g.rating} (behaviour {g.behaviour:g}{talk})")
            if g.example:
                effect = f" ({g.example_effect})" if g.example_effect else ""
                out += _wrap(f'e.g. "{g.example}"{effect}', "      ")
    if m.examples:
        out.append("  Your own lines, by code:")
        for code in CODES:
            for line in m.examples.get(code, []):
                out += _wrap(f'{MITI_CODES[code]}: "{line}"', "    ")
    return out


def sanction_lines(a: SanctionAssessment) -> list[str]:
    out = ["SANCTION ASSESSMENT"]
    cell = f"severity {a.severity or 'not recorded'} x risk {a.risk or 'unknown'}"
    band = f"levels {a.band[0]}-{a.band[1]}" if a.band else "no band"
    if a.priors:
        cell += f" with {a.priors_words}"
    out.append(f"  Matrix cell: {cell}: allowed {band}")
    for title in a.band_titles:
        out.append(f"    - {title}")
    chosen = f"level {a.chosen_level}: {a.chosen_title}" if a.chosen_level else "none"
    out.append(f"  Your response: {chosen}")
    out.append(f"  Assessment: {a.placement_words.upper()}")
    if a.steps_outside:
        out.append(f"    ({plural(a.steps_outside, 'level')} outside the band)")
    if a.need_responses:
        needs = ", ".join(f.removeprefix("response_").replace("_", " ") for f in a.need_responses)
        out.append(f"  Referrals to meet a need (no sanction level): {needs}")
    required = [s for s in a.due_process if s.required]
    if required:
        state = "complete" if a.due_process_complete else "INCOMPLETE"
        out.append(f"  Due process, {a.track}: {state}")
        for s in required:
            out.append(f"    [{'x' if s.done else ' '}] {s.title}")
    else:
        out.append("  Due process: not required for this response level")
    for s in a.notifications:
        if s.required:
            out.append(f"  Notification [{'x' if s.done else ' '}] {s.title}")
    out.append(
        f"  Incentives used: {len(a.incentives)}; sanctions: {a.sanctions_count} "
        f"(target {a.positive_to_negative_target}:1 positive to negative)"
    )
    return out


def render_miti_text(m: MitiSummary, pack: PolicyPack, uncoded: int) -> str:
    th = pack.main.miti.thresholds
    lines = miti_lines(m)
    lines.insert(1, f"  utterances: {m.utterances} ({uncoded} uncoded)")
    lines += [
        "",
        f"Thresholds (pack {pack.id} {pack.version}; provisional expert opinion, MITI 4.2.1):",
        f"  %CR fair {th.percent_complex_reflections.fair:g} good "
        f"{th.percent_complex_reflections.good:g}; R:Q fair {th.reflection_to_question.fair:g} "
        f"good {th.reflection_to_question.good:g}; Technical fair {th.technical.fair:g} good "
        f"{th.technical.good:g}; Relational fair {th.relational.fair:g} "
        f"good {th.relational.good:g}",
    ]
    return "\n".join(lines) + "\n"


def render_policies_text(pack: PolicyPack) -> str:
    main = pack.main
    out = [
        f"{pack.agency}: {main.title}",
        f"pack {pack.id} {pack.version} (hash {pack.hash[:12]}); {len(pack.policies)} policies, "
        f"{len(pack.facts)} facts, {len(pack.rules)} rules",
        "",
        *_wrap(main.disclaimer, ""),
        "",
        "POLICIES",
    ]
    for p in pack.policies.values():
        out.append(f"  {p.id}  {p.title}")
        out += _wrap(p.summary, "      ")
        out += _wrap(f"Source: {p.source}", "      ")
    out += ["", "COMPETENCIES (-> field-training DOR category)"]
    for c in pack.competencies.values():
        out.append(f"  {c.id:<26} {c.title} -> {FTO_CATEGORIES[c.fto_category]}")
    pc = main.pass_criteria
    mins = ", ".join(f"{k} >= {v}" for k, v in pc.min_rating.items()) or "none"
    out += [
        "",
        f"PASS: overall >= {pc.overall:g}; "
        f"no critical failure: {'yes' if pc.no_critical else 'no'}; "
        f"minimum ratings: {mins}",
    ]
    vr = main.violation_response
    out += ["", f"VIOLATION RESPONSE MATRIX (severity from variable '{vr.severity_variable}')"]
    for lvl in vr.levels:
        out.append(f"  level {lvl.level}: {lvl.title}")
    risks = ("low", "moderate", "high")
    out.append(f"  {'severity / risk':<16}" + "".join(f"{r:>12}" for r in risks))
    for sev, row in vr.matrix.items():
        cells = "".join(f"{row[r][0]:>9}-{row[r][1]:<2}" for r in risks)  # type: ignore[index]
        out.append(f"  {sev:<16}{cells}")
    out.append(
        f"  Incentives ({vr.incentives.positive_to_negative}:1 target): "
        + ", ".join(vr.incentives.facts)
    )
    if pack.instrument is not None:
        out.append("")
        for text in instrument_lines(pack.instrument):
            body = text.lstrip(" ")
            out += _wrap(body, " " * (len(text) - len(body)))
    return "\n".join(out) + "\n"
