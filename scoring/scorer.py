"""The scorer: a session (or its log) + its scenario + a policy pack -> a ScoreReport.

Scoring reads only the decisions of a run (node, choice, facts, timed out,
choices available), its final variables and its ending, collected in a
:class:`Trace`. A trace comes from a live session or from replaying a log, so a
stored run can be re-scored with any pack without touching the scenario.
Arithmetic is exact (integers and fractions) and rounded once, half up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from engine.compile import compile_scenario
from engine.loader import ScenarioFile
from engine.mechanics.client import ClientState
from engine.mechanics.trajectory import client_trajectory
from engine.model import Choice, Decision, Scenario
from engine.session import DecisionRecord, Session, replay
from engine.wording import plural
from scoring import miti, sanctions
from scoring.instrument_panel import instrument_panel
from scoring.miti_globals import Move, estimate_globals
from scoring.pack import PolicyPack
from scoring.packmodel import FTO_CATEGORIES, PassCriteria, Verdict
from scoring.report import (
    UNSCORED,
    BetterChoice,
    CompetencyResult,
    CriticalFailure,
    DecisionResult,
    JudgmentResult,
    PolicyRef,
    ScoreReport,
    ratio_half_up,
    round_half_up,
)
from scoring.rules import (
    Band,
    ChoiceJudgment,
    Judgment,
    credit_of,
    history_key,
    judge_facts,
    without_repeats,
)

MAX_EXAMPLES = 3
REPEAT_FEEDBACK = "Already credited earlier in this run: repeating an action earns nothing more."


# a scored decision is the engine's own record of it (from a live session, a replayed
# log, or a stored score whose facts the engine derived)
TraceDecision = DecisionRecord


@dataclass(frozen=True)
class Trace:
    """What scoring needs from a run."""

    scenario_hash: str
    decisions: tuple[TraceDecision, ...]
    final_vars: Mapping[str, Any]
    ending: Mapping[str, str] | None
    # the client model's talk before the first decision and after each one (else empty)
    talk: tuple[ClientState, ...] = ()


def trace_of(session: Session) -> Trace:
    talk: tuple[ClientState, ...] = ()
    if session.compiled.scenario.client is not None:
        talk = tuple(p.state for p in client_trajectory(session.compiled, session))
    return Trace(
        scenario_hash=session.compiled.hash,
        decisions=tuple(session.decisions),
        final_vars=dict(session.vars),
        ending=session.ending_info(),
        talk=talk,
    )


def _stored_talk(stored: Mapping[str, Any], decisions: int) -> tuple[ClientState, ...] | None:
    """The client's talk from a stored score's MITI panel, if it is complete."""
    panel = stored.get("miti")
    points = panel.get("client_talk") if isinstance(panel, Mapping) else None
    if not isinstance(points, list) or len(points) != decisions + 1:
        return None
    out = []
    for p in points:
        if not isinstance(p, Mapping):
            return None
        values: list[float] = []
        for key in ("change_talk", "sustain_talk", "discord"):
            v = p.get(key)
            if not isinstance(v, int | float) or isinstance(v, bool):
                return None
            values.append(float(v))
        out.append(ClientState(*values))
    return tuple(out)


def trace_from_log(log: Mapping[str, Any], sf: ScenarioFile) -> Trace:
    """Replay a stored log against its scenario (raises engine ReplayError if it diverges)."""
    return trace_of(replay(compile_scenario(sf), log))


def trace_from_stored(log: Mapping[str, Any], sf: ScenarioFile) -> Trace | None:
    """Rebuild a trace from the score stored in a log, without replaying; None if unusable.

    A log written by ``run --score`` carries each decision's available choices and
    the final variables. When the scenario is unchanged (same hash) and the stored
    decisions match the log's events one for one, that is all scoring needs, so a
    large archive can be re-scored with a new pack at a fraction of replay cost.
    """
    stored = log.get("score")
    info = log.get("scenario")
    if not isinstance(stored, Mapping) or not isinstance(info, Mapping):
        return None
    decisions = stored.get("decisions")
    variables = stored.get("variables")
    scenario_info = stored.get("scenario")
    if (
        info.get("hash") != sf.hash
        or not isinstance(scenario_info, Mapping)
        or scenario_info.get("hash") != sf.hash
        or not isinstance(decisions, list)
        or not isinstance(variables, Mapping)
    ):
        return None
    events = [e for e in log.get("events") or [] if e.get("type") in ("chose", "timed_out")]
    if len(events) != len(decisions):
        return None
    out = []
    for ev, d in zip(events, decisions, strict=True):
        node = sf.scenario.nodes.get(str(ev.get("node")))
        timed_out = bool(ev.get("type") == "timed_out")
        if (
            not isinstance(d, Mapping)
            or not isinstance(node, Decision)
            or d.get("node") != ev.get("node")
            or d.get("choice") != ev.get("choice")
            or d.get("timed_out") is not timed_out
            or not isinstance(d.get("available"), list)
        ):
            return None
        choice = next((c for c in node.choices if c.id == ev.get("choice")), None)
        if choice is None:
            return None
        # the stored facts include those the engine derived (searches, plain view, ...);
        # the choice's own facts are only a part of them
        facts = d.get("facts")
        if not isinstance(facts, list) or not set(choice.facts) <= set(facts):
            return None
        if timed_out and facts:
            facts = facts[:-1]  # the scorer appended the pack's timeout fact; it adds it again
        out.append(
            TraceDecision(
                node=str(ev["node"]),
                choice=choice.id,
                facts=tuple(str(f) for f in facts),
                timed_out=timed_out,
                available=tuple(str(a) for a in d["available"]),
                t=float(ev.get("t", 0.0)),
                seq=int(ev.get("seq", -1)),
            )
        )
    ending = log.get("ending")
    talk: tuple[ClientState, ...] = ()
    if sf.scenario.client is not None:
        found = _stored_talk(stored, len(out))
        if found is None:
            return None
        talk = found
    return Trace(
        sf.hash,
        tuple(out),
        dict(variables),
        ending if isinstance(ending, Mapping) else None,
        talk,
    )


def rescore_log(log: Mapping[str, Any], sf: ScenarioFile, pack: PolicyPack) -> ScoreReport:
    """Score a stored log with ``pack``: from its stored score when usable, else by replay."""
    trace = trace_from_stored(log, sf) or trace_from_log(log, sf)
    return score_trace(trace, sf.scenario, pack)


def score_session(
    session_or_log: Session | Mapping[str, Any], scenario_file: ScenarioFile, pack: PolicyPack
) -> ScoreReport:
    """Score a live session or a stored log dict against ``pack``."""
    if isinstance(session_or_log, Session):
        trace = trace_of(session_or_log)
    else:
        trace = trace_from_log(session_or_log, scenario_file)
    return score_trace(trace, scenario_file.scenario, pack)


# ---------------------------------------------------------------- the scoring itself


def _policy_ref(pack: PolicyPack, policy_id: str) -> PolicyRef:
    key = ("policy_ref", policy_id)
    ref = pack.memo.get(key)
    if ref is None:
        p = pack.policies[policy_id]
        ref = pack.memo[key] = PolicyRef(p.id, p.title, " ".join(p.summary.split()), p.source)
    assert isinstance(ref, PolicyRef)
    return ref


def _feedback(j: Judgment) -> str:
    if not j.note:
        return j.rule.rule.feedback
    return f"{j.rule.rule.feedback} Here {j.note}."


def _judgment_result(pack: PolicyPack, j: Judgment) -> JudgmentResult:
    return JudgmentResult(
        fact=j.fact,
        verdict=j.verdict.value,
        competency=j.rule.rule.competency,
        weight=j.weight,
        points=j.points,
        policy=_policy_ref(pack, j.rule.rule.policy),
        feedback=_feedback(j),
        rule=j.rule.location,
    )


def _better_choice(
    pack: PolicyPack,
    node: Decision,
    rec: TraceDecision,
    chosen: ChoiceJudgment,
    prior: set[str],
    band: Band | None,
    credited: frozenset[str],
) -> BetterChoice | None:
    by_id = {c.id: c for c in node.choices}
    best: tuple[tuple[int, Fraction], Choice, ChoiceJudgment] | None = None
    for cid in rec.available:
        if cid == rec.choice and not rec.timed_out:
            continue
        choice = by_id.get(cid)
        if choice is None:
            continue
        cj = _credited(pack, judge_facts(pack, choice.facts, prior, band), credited)
        if not cj.scored:
            continue
        key = cj.sort_key()
        if best is None or key < best[0]:
            best = (key, choice, cj)
    if best is None or best[0] >= chosen.sort_key():
        return None
    _, choice, cj = best
    assert cj.points is not None
    return BetterChoice(
        choice=choice.id,
        text=choice.text,
        verdict=cj.deciding.verdict.value,
        points=round_half_up(cj.points, 1),
        feedback=_feedback(cj.deciding),
    )


@dataclass(frozen=True)
class _Judged:
    """Everything about one decision that depends only on its facts and relevant history."""

    cj: ChoiceJudgment
    text: str
    say: str | None
    verdict: str
    points: float | None
    policy: PolicyRef | None
    feedback: str
    judgments: tuple[JudgmentResult, ...]
    better: BetterChoice | None
    warnings: tuple[str, ...]


def _credited(
    pack: PolicyPack, cj: ChoiceJudgment, credited: frozenset[str], again: bool = False
) -> ChoiceJudgment:
    """``cj`` less credit earned before. The pack's repeatable facts (listening, reflections)
    earn credit at every decision, but not when the very same choice is made again: going
    round a loop back to a decision adds nothing."""
    return without_repeats(cj, credited, frozenset() if again else pack.repeatable_facts)


def _judge_decision(
    pack: PolicyPack,
    node: Decision,
    rec: TraceDecision,
    facts: tuple[str, ...],
    prior: set[str],
    band: Band | None,
    credited: frozenset[str],
    again: bool,
) -> _Judged:
    choice = next((c for c in node.choices if c.id == rec.choice), None)
    judged = judge_facts(pack, facts, prior, band)
    cj = _credited(pack, judged, credited, again)
    repeated = judged.scored and not cj.scored
    better = None
    if not repeated and (cj.verdict is None or cj.verdict.rank >= Verdict.DEVIATION.rank):
        better = _better_choice(pack, node, rec, cj, prior, band, credited)
    warnings = []
    unknown = [f for f in facts if f not in pack.facts]
    if unknown:
        warnings.append(
            f"'{rec.node}' choice '{rec.choice}': facts unknown to the pack: " + ", ".join(unknown)
        )
    if not judged.scored:
        warnings.append(
            f"'{rec.node}' choice '{rec.choice}' carries no fact the pack scores; not judged"
        )
    deciding = cj.deciding if cj.scored else None
    return _Judged(
        cj=cj,
        text=choice.text if choice else rec.choice,
        say=choice.say if choice else None,
        verdict=deciding.verdict.value if deciding else UNSCORED,
        points=round_half_up(cj.points, 1) if cj.points is not None else None,
        policy=_policy_ref(pack, deciding.rule.rule.policy) if deciding else None,
        feedback=(_feedback(deciding) if deciding else REPEAT_FEEDBACK if repeated else ""),
        judgments=tuple(_judgment_result(pack, j) for j in cj.judgments),
        better=better,
        warnings=tuple(warnings),
    )


def _rating(pack: PolicyPack, score: float) -> int:
    ratings = pack.main.scoring.ratings
    return max((r for r, low in ratings.items() if score >= low), default=1)


def score_trace(trace: Trace, scenario: Scenario, pack: PolicyPack) -> ScoreReport:
    """Score a run: verdict per decision, competencies, pass/fail, MITI and sanction panels."""
    severity = sanctions.severity_of(pack, trace.final_vars)
    risk = scenario.case_file.risk_level.value
    priors = sanctions.priors_of(pack, trace.final_vars)
    band = sanctions.band_for(pack, severity, risk, priors)
    timeout_fact = pack.main.scoring.timeout_fact
    prior: set[str] = set()
    credited: set[str] = set()
    made: set[tuple[str, str]] = set()
    decisions: list[DecisionResult] = []
    judged: list[tuple[TraceDecision, ChoiceJudgment]] = []
    warnings: list[str] = []
    for i, rec in enumerate(trace.decisions):
        node = scenario.nodes.get(rec.node)
        if not isinstance(node, Decision):
            warnings.append(f"decision {i + 1} names '{rec.node}', not a decision of this scenario")
            continue
        facts = rec.facts + ((timeout_fact,) if rec.timed_out else ())
        # credit already earned for this choice's facts or its alternatives' facts
        seen_credit = (
            frozenset(credited.intersection(_node_facts(node).union(facts)))
            if credited
            else frozenset()
        )
        again = (rec.node, rec.choice) in made
        if again:
            seen_credit = seen_credit.union(facts)
        made.add((rec.node, rec.choice))
        key = (
            "decision",
            scenario.id,
            rec.node,
            rec.choice,
            rec.timed_out,
            rec.facts,
            rec.available,
            history_key(pack, prior),
            band,
            seen_credit,
            again,
        )
        part = pack.memo.get(key)
        if part is None:
            part = pack.memo[key] = _judge_decision(
                pack, node, rec, facts, prior, band, seen_credit, again
            )
        assert isinstance(part, _Judged)
        warnings.extend(part.warnings)
        decisions.append(
            DecisionResult(
                index=len(decisions),
                node=rec.node,
                prompt=node.prompt,
                choice=rec.choice,
                text=part.text,
                say=part.say,
                facts=facts,
                timed_out=rec.timed_out,
                t=rec.t,
                verdict=part.verdict,
                points=part.points,
                policy=part.policy,
                feedback=part.feedback,
                judgments=part.judgments,
                better_choice=part.better,
                available=rec.available,
            )
        )
        judged.append((rec, part.cj))
        prior.update(facts)
        credited.update(credit_of(part.cj))
    number = {id(rec): i + 1 for i, rec in enumerate(trace.decisions)}
    competencies = _competencies(
        pack,
        [
            *((f"decision {number[id(rec)]}", cj) for rec, cj in judged),
            *(
                (f"decision {number[id(rec)]}, answered in time", cj)
                for rec, cj in _in_time(pack, scenario, trace)
            ),
        ],
    )
    overall = _overall([cj for _, cj in judged])
    critical = tuple(
        CriticalFailure(
            rec.node, rec.choice, j.fact, _policy_ref(pack, j.rule.rule.policy), _feedback(j)
        )
        for rec, cj in judged
        for j in cj.judgments
        if j.verdict is Verdict.CRITICAL
    )
    path = tuple((rec.node, rec.choice, rec.facts) for rec in trace.decisions)
    miti_key = ("miti", scenario.id, path, trace.talk)
    if miti_key not in pack.memo:
        pack.memo[miti_key] = _miti(pack, scenario, trace, _choice_lookup(scenario))
    miti_summary = pack.memo[miti_key]
    sanction = None
    chosen_facts = tuple(rec.facts for rec in trace.decisions)
    if pack.family_uses(scenario.family, "response_matrix") or any(
        f in pack.level_of_fact for facts in chosen_facts for f in facts
    ):
        flags = tuple(
            trace.final_vars.get(n.when_variable) is True
            for n in pack.main.violation_response.notifications
            if n.when_variable
        )
        sanction_key = ("sanction", chosen_facts, severity, risk, priors, flags)
        if sanction_key not in pack.memo:
            pack.memo[sanction_key] = sanctions.assess(pack, chosen_facts, trace.final_vars, risk)
        sanction = pack.memo[sanction_key]
    undone = _undone(scenario, trace)
    reasons = _fail_reasons(
        pack, overall, critical, competencies, any(cj.scored for _, cj in judged), sanction
    )
    reasons.extend(f"the job was left undone: {title}" for title in undone)
    reasons.extend(_miti_reasons(pack, scenario, miti_summary))
    if trace.ending is None:  # a run that stopped part-way is never a pass, whatever its points
        reasons.insert(0, unfinished_reason(len(trace.decisions)))
    return ScoreReport(
        scenario={
            "id": scenario.id,
            "version": scenario.version,
            "hash": trace.scenario_hash,
            "title": scenario.title,
            "family": scenario.family,
        },
        policy={**pack.identity(), "agency": pack.agency},
        outcome=dict(trace.ending) if trace.ending else None,
        overall=overall,
        passed=not reasons,
        fail_reasons=tuple(reasons),
        pass_threshold=float(pack.main.pass_criteria.overall),
        decisions=tuple(decisions),
        competencies=competencies,
        critical_failures=critical,
        miti=miti_summary,
        sanction=sanction,
        instrument=(
            instrument_panel(pack.instrument, trace.final_vars)
            if pack.instrument is not None and scenario.intake is not None
            else None
        ),
        warnings=tuple(warnings),
        variables=dict(trace.final_vars),
        undone=undone,
    )


def _in_time(
    pack: PolicyPack, scenario: Scenario, trace: Trace
) -> list[tuple[TraceDecision, ChoiceJudgment]]:
    """Timed decisions answered in time, as observations of the pack's in-time fact.

    Answering under a running clock is observed in its competency (decision making under
    pressure); it does not change the verdict of what was chosen.
    """
    fact = pack.main.scoring.in_time_fact
    if fact is None:
        return []
    out = []
    for rec in trace.decisions:
        node = scenario.nodes.get(rec.node)
        if isinstance(node, Decision) and node.timeout is not None and not rec.timed_out:
            out.append((rec, judge_facts(pack, (fact,), frozenset())))
    return out


def _node_facts(node: Decision) -> frozenset[str]:
    return frozenset(f for c in node.choices for f in c.facts)


def _undone(scenario: Scenario, trace: Trace) -> tuple[str, ...]:
    """The scenario's requirements that no decision of the run met."""
    if not scenario.requires:
        return ()
    earned = {f for rec in trace.decisions for f in rec.facts}
    return tuple(r.title for r in scenario.requires if earned.isdisjoint(r.facts))


MITI_MEASURE_TITLES = {
    "reflection_to_question": "reflection-to-question ratio",
    "percent_complex_reflections": "percent complex reflections",
    "technical": "technical global (cultivating change talk, softening sustain talk)",
    "relational": "relational global (partnership, empathy)",
}


def _miti_reasons(
    pack: PolicyPack, scenario: Scenario, summary: miti.MitiSummary | None
) -> list[str]:
    """MI scored as MI: in the pack's gated families, each measure must reach 'fair'."""
    gate = pack.main.miti.pass_gate
    if gate is None or scenario.family not in gate.families:
        return []
    if summary is None:
        return ["MITI: the conversation was not coded, so it cannot be rated"]
    th = pack.main.miti.thresholds
    reasons = []
    for name in gate.measures:
        m: miti.Measure = getattr(summary, name)
        fair: float = getattr(th, name).fair
        title = MITI_MEASURE_TITLES[name]
        if m.level == miti.TOO_FEW:
            reasons.append(f"MITI {title}: too few to rate ({m.reason})")
        elif m.value is None:
            reasons.append(f"MITI {title} is undefined ({m.reason}); 'fair' is {fair:g}")
        elif m.level == "below fair":
            unit = "%" if name == "percent_complex_reflections" else ""
            reasons.append(f"MITI {title} {m.value:g}{unit} is below 'fair' ({fair:g}{unit})")
    return reasons


def _competencies(
    pack: PolicyPack, judged: Sequence[tuple[str, ChoiceJudgment]]
) -> tuple[CompetencyResult, ...]:
    """Per competency: its score and suggested rating from every observation (``where``
    names the decision an observation came from)."""
    sums: dict[str, tuple[int, int, int]] = {}
    seen: dict[str, list[str]] = {}
    for where, cj in judged:
        for cid, num, den, count in cj.competency_sums:
            a, b, c = sums.get(cid, (0, 0, 0))
            sums[cid] = (a + num, b + den, c + count)
        for j in cj.judgments:
            seen.setdefault(j.rule.rule.competency, []).append(
                f"{where}: {j.verdict.value} ({j.rule.rule.policy})"
            )
    return tuple(
        _competency(pack, cid, *sums.get(cid, (0, 0, 0)), tuple(seen.get(cid, ())))
        for cid in pack.competencies
    )


def _competency(
    pack: PolicyPack, cid: str, num: int, den: int, count: int, observations: tuple[str, ...]
) -> CompetencyResult:
    key = ("competency", cid, num, den, count, observations)
    found = pack.memo.get(key)
    if found is None:
        comp = pack.competencies[cid]
        score = ratio_half_up(num, den, 1) if den else None
        enough = count >= pack.main.scoring.min_observations
        found = pack.memo[key] = CompetencyResult(
            id=cid,
            title=comp.title,
            fto_category=comp.fto_category,
            fto_title=FTO_CATEGORIES[comp.fto_category],
            score=score,
            rating=_rating(pack, score) if score is not None and enough else None,
            judgments=count,
            min_rating=pack.main.pass_criteria.min_rating.get(cid),
            observations=observations,
            score_rating=_rating(pack, score) if score is not None else None,
        )
    assert isinstance(found, CompetencyResult)
    return found


def _overall(judged: Sequence[ChoiceJudgment]) -> float:
    """Decisions' points weighted by their heaviest rule, in exact integer arithmetic."""
    parts = [(cj.weight, *cj.points_ratio) for cj in judged if cj.scored]
    if not parts:
        return 0.0
    common = math.lcm(*(den for _, _, den in parts))
    num = sum(w * n * (common // d) for w, n, d in parts)
    return ratio_half_up(num, common * sum(w for w, _, _ in parts), 1)


def unfinished_reason(decisions: int) -> str:
    """The fail reason of a run that stopped before reaching an ending."""
    return (
        f"unfinished: the run stopped after {plural(decisions, 'decision')}, before any ending; "
        "only a finished run can pass"
    )


def _fail_reasons(
    pack: PolicyPack,
    overall: float,
    critical: Sequence[CriticalFailure],
    competencies: Sequence[CompetencyResult],
    any_scored: bool,
    sanction: sanctions.SanctionAssessment | None = None,
) -> list[str]:
    pc = pack.main.pass_criteria
    reasons = []
    if not any_scored:
        reasons.append("no decision was scored")
    elif overall < pc.overall:
        reasons.append(f"overall score {overall:g} is below the pass mark of {pc.overall:g}")
    if pc.no_critical:
        for c in critical:
            reasons.append(f"critical failure: {c.policy.id} {c.policy.title} ({c.fact})")
    for comp in competencies:
        # a key competency's minimum holds on whatever was observed, even once
        if (
            comp.min_rating is not None
            and comp.score_rating is not None
            and comp.score_rating < comp.min_rating
        ):
            reasons.append(
                f"{comp.title} scored {comp.score:g} (rating {comp.score_rating}), below the "
                f"minimum rating of {comp.min_rating}"
            )
        elif (
            pc.min_suggested_rating is not None
            and comp.rating is not None
            and comp.rating < pc.min_suggested_rating
        ):
            reasons.append(
                f"{comp.title} suggested {comp.rating}, below {pc.min_suggested_rating} "
                "(minimum acceptable to work alone)"
            )
    if sanction is not None:
        reasons.extend(_sanction_reasons(pc, sanction))
    return reasons


def _sanction_reasons(pc: PassCriteria, sanction: sanctions.SanctionAssessment) -> list[str]:
    """Why a violation response fails the run: out of proportion, or without due process.

    A response outside the band passes the proportionality test only as an override
    (MSDP-7.02): written reasons and supervisor approval, within the override's reach.
    Due process follows the response's track (administrative short jail or revocation).
    """
    reasons = []
    outside = sanction.placement in ("too_lenient", "too_severe")
    if pc.response_in_band and outside and not sanction.override_accepted:
        allowed = ", ".join(sanction.band_titles) or "none"
        priors = f" with {sanction.priors_words}" if sanction.priors else ""
        why = (
            f"{sanction.steps_outside} levels out, beyond the override's reach"
            if sanction.override
            else "no written reasons with supervisor approval for going outside it"
        )
        reasons.append(
            f"response {sanction.placement_words}: {sanction.chosen_title} for a "
            f"{sanction.severity}-severity violation at {sanction.risk} risk{priors} "
            f"(the matrix allows: {allowed}; {why})"
        )
    if pc.due_process_complete:
        missing = [
            s.title
            for s in (*sanction.due_process, *sanction.notifications)
            if s.required and not s.done
        ]
        if missing:
            track = f" ({sanction.track})" if sanction.track else ""
            reasons.append(f"due process{track} or notification incomplete: " + "; ".join(missing))
    return reasons


def _choice_lookup(scenario: Scenario) -> dict[tuple[str, str], Choice]:
    return {
        (nid, c.id): c
        for nid, node in scenario.nodes.items()
        if isinstance(node, Decision)
        for c in node.choices
    }


def _miti(
    pack: PolicyPack,
    scenario: Scenario,
    trace: Trace,
    choices: Mapping[tuple[str, str], Choice],
) -> miti.MitiSummary | None:
    code_of = pack.miti_code_of_fact
    counts: dict[str, int] = {}
    examples: dict[str, list[str]] = {}
    coded = False
    codes: list[tuple[str, ...]] = []
    for rec in trace.decisions:
        line = _line(choices.get((rec.node, rec.choice)), rec.choice)
        # one utterance, one behaviour code (MITI 4.2.1): the first coded fact of the choice
        code = next((code_of[f] for f in rec.facts if f in code_of), None)
        codes.append((code,) if code is not None else ())
        if code is None:
            continue
        coded = True
        counts[code] = counts.get(code, 0) + 1
        quoted = examples.setdefault(code, [])
        if line not in quoted and len(quoted) < MAX_EXAMPLES:
            quoted.append(line)
    always = pack.family_uses(scenario.family, "miti")
    if not coded and not always:
        return None
    estimate = None
    if always or trace.talk:
        moves = [
            Move(_line(choices.get((rec.node, rec.choice)), rec.choice), move_codes)
            for rec, move_codes in zip(trace.decisions, codes, strict=True)
        ]
        estimate = estimate_globals(counts, moves, trace.talk)
    return miti.summarise(
        counts,
        pack.main.miti,
        None,
        examples,
        len(trace.decisions),
        estimate=estimate,
        talk=trace.talk,
    )


def _line(choice: Choice | None, fallback: str) -> str:
    """What the trainee said (or did) with a choice, as the MITI panel quotes it."""
    return (choice.say or choice.text) if choice else fallback
