"""MITI 4.2.1 summary scores from behaviour counts and global ratings.

The same arithmetic serves a simulated conversation (codes come from the facts
of the trainee's choices) and a real session an MI coach coded by hand
(:func:`read_coded_csv`). Ratios with a zero denominator are reported as
undefined with the reason, never as a number made up to fill the gap.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from engine.mechanics.client import ClientState
from engine.wording import plural
from scoring.miti_globals import GlobalEstimate, talk_value
from scoring.packmodel import MITI_CODES, Miti, Threshold
from scoring.report import round_half_up

CODES: tuple[str, ...] = tuple(MITI_CODES)
ABBREVIATIONS: dict[str, str] = {
    "GI": "giving_information",
    "Persuade": "persuade",
    "PwP": "persuade_with_permission",
    "Q": "question",
    "SR": "simple_reflection",
    "CR": "complex_reflection",
    "AF": "affirm",
    "Seek": "seeking_collaboration",
    "Emphasize": "emphasizing_autonomy",
    "Confront": "confront",
}
_ALIASES: dict[str, str] = {}
for _code, _name in MITI_CODES.items():
    _ALIASES[_code] = _code
    _ALIASES[_name.lower().replace(" ", "_")] = _code
for _abbr, _code in ABBREVIATIONS.items():
    _ALIASES[_abbr.lower()] = _code
_ALIASES.update(
    {
        "emphasise": "emphasizing_autonomy",
        "emphasising_autonomy": "emphasizing_autonomy",
        "aff": "affirm",
        "persuasion_with_permission": "persuade_with_permission",
    }
)
GLOBALS = ("cultivating_change_talk", "softening_sustain_talk", "partnership", "empathy")
PwpTreatment = Literal["neither", "adherent", "non_adherent"]
Level = Literal["good", "fair", "below fair", "undefined", "not rated", "too few to rate"]
TOO_FEW: Level = "too few to rate"


def code_for(name: str) -> str | None:
    """The MITI code a name or abbreviation stands for ("CR", "Complex Reflection"), or None."""
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    return _ALIASES.get(key)


@dataclass(frozen=True)
class Measure:
    """One summary figure with its fair/good standing, or why it is undefined."""

    value: float | None
    level: Level
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "level": self.level, "reason": self.reason}

    def describe(self, unit: str = "") -> str:
        if self.value is None:
            return f"{self.level}: {self.reason}" if self.reason else self.level
        return f"{self.value:g}{unit} ({self.level})"


def _level(value: float, t: Threshold) -> Level:
    if value >= t.good:
        return "good"
    if value >= t.fair:
        return "fair"
    return "below fair"


@dataclass(frozen=True)
class MitiSummary:
    counts: dict[str, int]
    utterances: int
    percent_complex_reflections: Measure
    reflection_to_question: Measure
    technical: Measure
    relational: Measure
    adherent: int
    non_adherent: int
    persuade_with_permission: PwpTreatment
    globals: dict[str, int | None]
    examples: dict[str, list[str]] = field(default_factory=dict)
    # set when the globals are estimated from a simulated run (scoring.miti_globals)
    estimate: GlobalEstimate | None = None
    # the client's talk before the first decision and after each one (client model runs)
    talk: tuple[ClientState, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "counts": {c: self.counts.get(c, 0) for c in CODES},
            "utterances": self.utterances,
            "percent_complex_reflections": self.percent_complex_reflections.to_dict(),
            "reflection_to_question": self.reflection_to_question.to_dict(),
            "technical": self.technical.to_dict(),
            "relational": self.relational.to_dict(),
            "mi_adherent": self.adherent,
            "mi_non_adherent": self.non_adherent,
            "persuade_with_permission_counts_as": self.persuade_with_permission,
            "globals": {g: self.globals.get(g) for g in GLOBALS},
            "examples": {c: list(self.examples[c]) for c in CODES if self.examples.get(c)},
            "globals_estimate": self.estimate.to_dict() if self.estimate is not None else None,
            "client_talk": [
                {
                    "change_talk": talk_value(t.change_talk),
                    "sustain_talk": talk_value(t.sustain_talk),
                    "discord": talk_value(t.discord),
                }
                for t in self.talk
            ],
        }


def summarise(
    counts: dict[str, int],
    settings: Miti,
    globals_: dict[str, int | None] | None = None,
    examples: dict[str, list[str]] | None = None,
    utterances: int | None = None,
    estimate: GlobalEstimate | None = None,
    talk: tuple[ClientState, ...] = (),
) -> MitiSummary:
    """Compute the MITI summary scores from code counts and optional global ratings.

    Without ``globals_``, an ``estimate`` (scoring.miti_globals) supplies them.
    """
    if globals_ is None and estimate is not None:
        globals_ = estimate.as_globals()
    c = {code: counts.get(code, 0) for code in CODES}
    th = settings.thresholds
    refl = c["simple_reflection"] + c["complex_reflection"]
    if refl == 0:
        pcr = Measure(None, "undefined", "no reflections coded")
    else:
        v = round_half_up(Fraction(100 * c["complex_reflection"], refl), 1)
        pcr = Measure(v, _level(v, th.percent_complex_reflections))
    if c["question"] == 0:
        reason = "no questions coded" if refl else "no questions or reflections coded"
        rq = Measure(None, "undefined", reason)
    else:
        v = round_half_up(Fraction(refl, c["question"]), 2)
        rq = Measure(v, _level(v, th.reflection_to_question))
    g = {name: (globals_ or {}).get(name) for name in GLOBALS}
    technical = _pair(g["cultivating_change_talk"], g["softening_sustain_talk"], th.technical)
    relational = _pair(g["partnership"], g["empathy"], th.relational)
    coded = sum(c.values())
    least = settings.minimum
    if coded < least.coded:
        why = f"{plural(coded, 'coded utterance')}; at least {least.coded} are needed to rate"
        pcr = rq = technical = relational = Measure(None, TOO_FEW, why)
    elif refl + c["question"] < least.reflections_and_questions:
        why = (
            f"{refl + c['question']} reflections and questions together; at least "
            f"{least.reflections_and_questions} are needed to rate the ratios"
        )
        pcr = rq = Measure(None, TOO_FEW, why)
    pwp = settings.persuade_with_permission
    adherent = c["seeking_collaboration"] + c["affirm"] + c["emphasizing_autonomy"]
    non_adherent = c["confront"] + c["persuade"]
    if pwp == "adherent":
        adherent += c["persuade_with_permission"]
    elif pwp == "non_adherent":
        non_adherent += c["persuade_with_permission"]
    return MitiSummary(
        counts=c,
        utterances=sum(c.values()) if utterances is None else utterances,
        percent_complex_reflections=pcr,
        reflection_to_question=rq,
        technical=technical,
        relational=relational,
        adherent=adherent,
        non_adherent=non_adherent,
        persuade_with_permission=pwp,
        globals=g,
        examples=examples or {},
        estimate=estimate,
        talk=talk,
    )


def _pair(a: int | None, b: int | None, t: Threshold) -> Measure:
    if a is None or b is None:
        return Measure(None, "not rated", "global ratings not given")
    v = round_half_up(Fraction(a + b, 2), 1)
    return Measure(v, _level(v, t))


# ---------------------------------------------------------------- coded CSV files


class MitiCsvError(Exception):
    """A coded-session CSV that cannot be read; names the line and what was expected."""


@dataclass(frozen=True)
class CodedSession:
    counts: dict[str, int]
    globals: dict[str, int | None]
    utterances: int
    uncoded: int


MAX_CSV_BYTES = 8 * 1024 * 1024  # a coded hour-long session is well under 1 MiB


def read_coded_csv(path: str | Path) -> CodedSession:
    try:
        if Path(path).stat().st_size > MAX_CSV_BYTES:
            raise MitiCsvError(
                f"{path}: the file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MiB; "
                "a coded session is one row per utterance, so this is not one"
            )
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MitiCsvError(f"{path}: cannot read file: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise MitiCsvError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
    return parse_coded_csv(text, str(path))


def _csv_rows(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """``(line, cells)`` for each row; a row that is not plain CSV is refused, never guessed.

    An unbalanced quote would make the reader swallow the following lines into one
    cell and silently merge or drop utterances, so a row must stay on its own line.
    """
    reader = csv.reader(io.StringIO(text), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise MitiCsvError(
                f"{name}:{start}: not a readable CSV row ({exc}); check the quotes on this line"
            ) from None
        if reader.line_num > start:
            raise MitiCsvError(
                f"{name}:{start}: a quoted cell runs on to line {reader.line_num} "
                "(an unbalanced quote?); close the quote or remove it"
            )
        yield start, row


def parse_coded_csv(text: str, name: str = "<csv>") -> CodedSession:
    """Parse a coded session: a ``code`` column, optional global-rating columns."""
    rows = _csv_rows(text, name)
    try:
        _, header = next(rows)
    except StopIteration:
        raise MitiCsvError(
            f"{name}: the file is empty; expected a header with a 'code' column"
        ) from None
    columns = [h.strip().lower() for h in header]
    if "code" not in columns:
        raise MitiCsvError(
            f"{name}:1: the header has no 'code' column (found: {', '.join(header)})"
        )
    code_col = columns.index("code")
    global_cols = {g: columns.index(g) for g in GLOBALS if g in columns}
    counts = dict.fromkeys(CODES, 0)
    globals_: dict[str, int | None] = dict.fromkeys(GLOBALS)
    utterances = uncoded = 0
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        utterances += 1
        cell = row[code_col].strip() if code_col < len(row) else ""
        if not cell:
            uncoded += 1
        for part in (p.strip() for p in cell.split(";")):
            if not part:
                continue
            code = code_for(part)
            if code is None:
                known = ", ".join(ABBREVIATIONS)
                raise MitiCsvError(
                    f"{name}:{line}: unknown MITI code '{part}'; use a MITI 4.2.1 name or one "
                    f"of {known}"
                )
            counts[code] += 1
        for g, col in global_cols.items():
            raw = row[col].strip() if col < len(row) else ""
            if not raw:
                continue
            if raw not in {"1", "2", "3", "4", "5"}:
                raise MitiCsvError(f"{name}:{line}: {g} must be a whole number 1-5, got '{raw}'")
            value = int(raw)
            if globals_[g] is not None and globals_[g] != value:
                raise MitiCsvError(
                    f"{name}:{line}: {g} is {value} here but {globals_[g]} on an earlier row; "
                    "global ratings are one per session"
                )
            globals_[g] = value
    return CodedSession(counts, globals_, utterances, uncoded)
