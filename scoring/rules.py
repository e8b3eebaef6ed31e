"""Turning one choice's facts into verdicts, rule by rule.

For each fact on a choice the pack's rules for that fact are tried in the order
written; the first whose conditions hold is applied. ``after`` and ``not_after``
look at the facts seen earlier in the run together with this choice's own facts;
``with`` and ``without`` look only at this choice. A ``by_matrix`` rule is judged
by how far the response level sits from the matrix band for the run, and by whether
the same choice documents an override (:func:`scoring.sanctions.matrix_verdict`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

from scoring.pack import PackRule, PolicyPack
from scoring.packmodel import BY_MATRIX, Verdict
from scoring.sanctions import Band as Band
from scoring.sanctions import matrix_verdict as matrix_verdict


@dataclass(frozen=True)
class Judgment:
    """A verdict for one fact, the rule that gave it, and the points it earns."""

    fact: str
    verdict: Verdict
    rule: PackRule
    points: int
    note: str = ""

    @property
    def weight(self) -> int:
        return self.rule.rule.weight


@dataclass(frozen=True)
class ChoiceJudgment:
    """All judgments of one choice, with its overall verdict and points."""

    judgments: tuple[Judgment, ...]

    @property
    def scored(self) -> bool:
        return bool(self.judgments)

    @property
    def verdict(self) -> Verdict | None:
        return self.deciding.verdict if self.judgments else None

    @cached_property
    def deciding(self) -> Judgment:
        """The judgment a decision cites and whose verdict it takes.

        Any deviation or worse decides (the worst, then the heaviest, then the first),
        so a good fact never hides a bad one. A choice with no fault cites its best
        judgment, so thorough preparation reads as exemplary, not merely acceptable.
        """
        faults = [j for j in self.judgments if j.verdict.rank >= Verdict.DEVIATION.rank]
        if faults:
            return min(faults, key=lambda j: (-j.verdict.rank, -j.weight))
        return min(self.judgments, key=lambda j: (j.verdict.rank, -j.weight))

    @cached_property
    def points(self) -> Fraction | None:
        """The points of the judgment the decision takes: its worst fault, else its best.

        Padding a faulty choice with good facts cannot lift it, and adding a required
        step to a good choice cannot lower it.
        """
        if not self.judgments:
            return None
        return Fraction(self.deciding.points)

    @cached_property
    def weight(self) -> int:
        """How much the decision counts in the overall score: its deciding rule's weight."""
        return self.deciding.weight if self.judgments else 0

    @cached_property
    def points_ratio(self) -> tuple[int, int]:
        """The decision's points as (numerator, denominator) integers."""
        return (self.deciding.points, 1) if self.judgments else (0, 1)

    @cached_property
    def competency_sums(self) -> tuple[tuple[str, int, int, int], ...]:
        """Per competency: (id, sum of points x weight, sum of weights, judgments)."""
        sums: dict[str, tuple[int, int, int]] = {}
        for j in self.judgments:
            cid = j.rule.rule.competency
            a, b, c = sums.get(cid, (0, 0, 0))
            sums[cid] = (a + j.points * j.weight, b + j.weight, c + 1)
        return tuple((cid, *v) for cid, v in sums.items())

    def sort_key(self) -> tuple[int, Fraction]:
        """Smaller is better: verdict rank first, then more points."""
        if not self.judgments:
            return (len(Verdict), Fraction(0))
        return (self.deciding.verdict.rank, -(self.points or Fraction(0)))


def _applies(r: PackRule, here: Set[str], seen: Set[str]) -> bool:
    rule = r.rule
    return (
        all(f in seen for f in rule.after)
        and not any(f in seen for f in rule.not_after)
        and all(f in here for f in rule.with_)
        and not any(f in here for f in rule.without)
    )


def history_key(pack: PolicyPack, prior: Set[str]) -> frozenset[str]:
    """The part of the run's history that any rule of ``pack`` can react to."""
    return pack.history_facts.intersection(prior) if prior else frozenset()


def judge_facts(
    pack: PolicyPack, facts: Sequence[str], prior: Set[str], band: Band | None = None
) -> ChoiceJudgment:
    """Judge one choice's ``facts`` given the facts seen earlier in the run.

    Results are remembered on the pack: the same facts after the same relevant
    history always give the same judgment, which makes re-scoring many runs cheap.
    """
    key = ("judge", tuple(facts), history_key(pack, prior), band)
    found = pack.memo.get(key)
    if found is None:
        found = pack.memo[key] = _judge(pack, facts, prior, band)
    assert isinstance(found, ChoiceJudgment)
    return found


def _judge(
    pack: PolicyPack, facts: Sequence[str], prior: Set[str], band: Band | None
) -> ChoiceJudgment:
    here = frozenset(facts)
    seen = here | prior if prior else here
    points = pack.main.scoring.verdict_points
    out: list[Judgment] = []
    done: set[str] = set()
    for fact in facts:
        if fact in done:
            continue
        done.add(fact)
        for r in pack.rules_by_fact.get(fact, ()):
            if not _applies(r, here, seen):
                continue
            note = ""
            if r.rule.verdict == BY_MATRIX:
                verdict, note = matrix_verdict(pack, pack.level_of_fact[fact], band, here)
            else:
                verdict = Verdict(r.rule.verdict)
            out.append(Judgment(fact, verdict, r, points[verdict], note))
            break
    return ChoiceJudgment(tuple(out))


def without_repeats(cj: ChoiceJudgment, credited: Set[str], repeatable: Set[str]) -> ChoiceJudgment:
    """``cj`` without credit already earned earlier in the run.

    A fact judged exemplary or acceptable earns credit once per run (unless the pack lists
    it as repeatable), so going round a loop adds nothing; faults count every time.
    """
    if not credited:
        return cj
    kept = tuple(
        j
        for j in cj.judgments
        if j.verdict.rank > Verdict.ACCEPTABLE.rank
        or j.fact not in credited
        or j.fact in repeatable
    )
    return cj if len(kept) == len(cj.judgments) else ChoiceJudgment(kept)


def credit_of(cj: ChoiceJudgment) -> set[str]:
    """The facts ``cj`` earned credit for (judged exemplary or acceptable)."""
    return {j.fact for j in cj.judgments if j.verdict.rank <= Verdict.ACCEPTABLE.rank}


def unscored_facts(pack: PolicyPack, facts: Iterable[str]) -> list[str]:
    """Facts on a choice that no rule of ``pack`` scores."""
    return [f for f in facts if f not in pack.rules_by_fact]
