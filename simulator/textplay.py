"""Play a scenario in the terminal: plain text that also works with a screen reader."""

from __future__ import annotations

import secrets
import select
import shutil
import sys
import textwrap
import time
from collections.abc import Callable
from typing import TextIO

from engine.compile import compile_scenario
from engine.loader import ScenarioFile
from engine.mechanics import caseload_board as board
from engine.mechanics.intake import instrument_of
from engine.model import CaseFile, Scenario
from engine.problems import ContentError
from engine.session import Event, Session
from scoring.instrument_panel import instrument_lines

HELP = "Type a number and Enter. 'c' shows the case file, 'n TEXT' adds a note, 'q' stops."
DASHBOARD_HELP = (
    "'d' shows the caseload dashboard; 'd SORT FILTER' sorts and filters it "
    f"(sorts: {', '.join(board.SORTS)}; filters: {', '.join(board.FILTERS)}); "
    "'d all' lists everyone."
)


def case_file_text(s: Scenario) -> str:
    """The case file as plain text, in the order an officer reads it."""
    cf: CaseFile = s.case_file
    p = cf.person
    out = [
        f"CASE FILE — {p.name}, {p.age} ({p.pronouns})",
        f"Offence: {cf.offence}",
    ]
    if cf.sentence:
        out.append(f"Sentence: {cf.sentence}")
    out.append(f"Released: {cf.release_date}    Risk level: {cf.risk_level.value}")
    if cf.supervision_level:
        out.append(f"Supervision: {cf.supervision_level}")
    if cf.address:
        out.append(f"Address: {cf.address}")
    if cf.employment:
        out.append(f"Employment: {cf.employment}")
    if p.description:
        out.append(p.description)
    a = cf.assessment
    score = f", score {a.score}" if a.score is not None else ""
    out.append(f"Assessment: {a.instrument}{score}")
    if a.needs:
        out.append("  Needs: " + "; ".join(a.needs))
    if a.strengths:
        out.append("  Strengths: " + "; ".join(a.strengths))
    inst = instrument_of(s)
    if inst is not None:  # an intake: the instrument the trainee rates with
        out.extend(instrument_lines(inst))
    out.append("Conditions (standard):")
    out.extend(f"  - {c.text}" for c in cf.conditions.standard)
    if cf.conditions.special:
        out.append("Conditions (special):")
        out.extend(f"  - {c.text}" for c in cf.conditions.special)
    if cf.history:
        out.append("History:")
        out.extend(f"  - {h}" for h in cf.history)
    if cf.household:
        out.append("Household:")
        out.extend(
            f"  - {m.name} ({m.relation}){': ' + m.notes if m.notes else ''}" for m in cf.household
        )
    if cf.recent_notes:
        out.append("Recent notes:")
        out.extend(f"  - {n}" for n in cf.recent_notes)
    return "\n".join(out)


def dashboard_text(
    session: Session, args: list[str] | tuple[str, ...] = (), width: int = 88
) -> str:
    """The caseload dashboard for the terminal: its figures and a compact table, sorted
    and filtered by ``args`` (a sort and/or a filter word; 'all' with no limit)."""
    s = session.compiled.scenario
    sort = next((a for a in args if a in board.SORTS), "priority")
    only = next((a for a in args if a in board.FILTERS), "all")
    unknown = [a for a in args if a not in board.SORTS and a not in board.FILTERS]
    if unknown:
        return (
            f"Unknown dashboard word {unknown[0]!r}: sorts are {', '.join(board.SORTS)}; "
            f"filters are {', '.join(board.FILTERS)}."
        )
    rows = board.arrange(board.rows(s, session.seed, session.vars), sort, only)
    limit = len(rows) if "all" in args else 15
    head = f"CASELOAD DASHBOARD — sorted by {board.SORTS[sort]}; showing {board.FILTERS[only]}"
    return "\n".join(
        (
            head,
            board.describe(s, session.seed, session.vars),
            board.table(rows, limit, width),
            "* a supervision level above the assessed risk",
        )
    )


def _read_line(stream: TextIO, timeout: float | None) -> str | None:
    """A line from ``stream``; None at end of input; '' when ``timeout`` seconds pass."""
    if timeout is not None:
        try:
            ready, _, _ = select.select([stream], [], [], timeout)
        except (OSError, ValueError):
            ready = [stream]  # not selectable (e.g. a test's StringIO): read at once
        if not ready:
            return ""
    line = stream.readline()
    return None if line == "" else line.rstrip("\n")


def terminal_width() -> int:
    """Columns to wrap to: the terminal's width (88 when not a terminal), 40 at least."""
    return max(40, min(120, shutil.get_terminal_size((88, 24)).columns - 1))


def wrap_block(text: str, width: int) -> str:
    """Each line of ``text`` wrapped to ``width``, keeping its indent (list items hang)."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip())]
        hang = indent + ("    " if line.lstrip()[:3].rstrip(".").isdigit() else "  ")
        out += textwrap.wrap(line.strip(), width, initial_indent=indent, subsequent_indent=hang)
    return "\n".join(out)


def debrief_text(session: Session, width: int) -> str:
    """The same debrief the app shows (verdicts, cited clauses, better choices,
    competencies, pass reasons), scored by the scenario's policy pack."""
    from scoring.pack import find_pack, load_pack
    from scoring.scorer import score_session
    from simulator.reports.text import render_text

    sf = session.compiled.file
    try:
        pack = load_pack(find_pack(sf.scenario.policy_pack))
    except ContentError as exc:
        why = exc.problems[0].message if exc.problems else "it could not be loaded"
        return (
            f"This run could not be scored: the policy pack '{sf.scenario.policy_pack}' "
            f"is not usable ({why})."
        )
    return render_text(score_session(session, sf, pack), width)


class TextPlayer:
    """Drives a session from a text stream and writes what happens to another."""

    def __init__(
        self, session: Session, out: TextIO, inp: TextIO, width: int | None = None
    ) -> None:
        self.session = session
        self.out = out
        self.inp = inp
        self.shown = 0
        self.width = width or terminal_width()

    def say(self, text: str = "") -> None:
        self.out.write(wrap_block(text, self.width) + "\n")
        self.out.flush()

    def flush_transcript(self) -> None:
        s = self.session.compiled.scenario
        for line in self.session.transcript[self.shown :]:
            if line.kind == "officer":
                self.say(f'You: "{line.text}"')
            elif line.kind == "action":
                self.say(f"[{line.text}]")
            elif line.kind == "ending":
                self.say(f"\n=== {line.text} ===")
            elif line.speaker == "narrator":
                self.say(line.text)
            else:
                who = (
                    "Your partner"
                    if line.speaker == "partner"
                    else s.cast.get(line.speaker, line.speaker)
                )
                self.say(f'{who}: "{line.text}"')
        self.shown = len(self.session.transcript)

    stopped_by_trainee = False  # 'q' typed: a choice, not a failure (exit 0)

    def play(self) -> int:
        """Play until the end or until the trainee stops.

        0 when an ending was reached or the trainee typed 'q'; 1 when input ran out.
        """
        s = self.session.compiled.scenario
        self.say(f"{s.title}\n{s.summary}\n")
        self.say("Learning objectives:")
        for o in s.objectives:
            self.say(f"  - {o}")
        self.say("\n" + case_file_text(s) + "\n")
        if self.session.extra_time is None:
            self.say("Timing: no timer on timed decisions (your attempt records this).")
        elif self.session.extra_time != 1.0:
            self.say(
                f"Timing: {self.session.extra_time:g} times the time on timed decisions "
                "(your attempt records this)."
            )
        self.say(HELP + "\n")
        if s.caseload is not None:
            self.say(DASHBOARD_HELP + "\n")
            self.out.write(dashboard_text(self.session, (), self.width) + "\n\n")
        while not self.session.ended:
            self.flush_transcript()
            if not self.ask():
                self.say("Stopped before the end.")
                return 0 if self.stopped_by_trainee else 1
        self.flush_transcript()
        ending = self.session.ending
        if ending is not None and ending.summary:
            self.say(ending.summary)
        self.say("")
        self.out.write(debrief_text(self.session, self.width))
        self.out.flush()
        return 0

    def ask(self) -> bool:
        session = self.session
        node = session.node
        choices = session.available_choices()
        prompt = getattr(node, "prompt", "")
        self.say(f"\n{prompt}")
        for i, c in enumerate(choices, 1):
            self.say(f"  {i}. {c.text}")
        limit = session.timeout_seconds
        deadline = time.monotonic() + limit if limit is not None else None
        if limit is not None:
            self.say(f"  (timed: {limit:g} seconds — if you do not answer, time runs out)")
        elif getattr(node, "timeout", None) is not None:
            self.say("  (a timed decision; your timer is off, so take the time you need)")
        while True:
            self.out.write("> ")
            self.out.flush()
            remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
            line = _read_line(self.inp, remaining)
            if line is None:
                return False
            if line == "" and deadline is not None and time.monotonic() >= deadline:
                self.say("\nTime is up.")
                session.time_out()
                return True
            answer = line.strip()
            if answer in ("q", "quit"):
                self.stopped_by_trainee = True
                return False
            if answer in ("c", "case"):
                self.say(case_file_text(session.compiled.scenario))
                if session.compiled.scenario.caseload is not None:  # the file's Caseload part
                    self.out.write(dashboard_text(session, (), self.width) + "\n")
                continue
            words = answer.split()
            if words and words[0] == "d" and session.compiled.scenario.caseload is not None:
                self.out.write(dashboard_text(session, words[1:], self.width) + "\n")
                continue
            if answer.startswith("n "):
                session.note(answer[2:].strip())
                self.say("Note added.")
                continue
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                session.choose(choices[int(answer) - 1].id)
                return True
            self.say(f"Please type a number from 1 to {len(choices)}. {HELP}")


def play_text(
    sf: ScenarioFile,
    *,
    seed: int | None = None,
    out: TextIO | None = None,
    inp: TextIO | None = None,
    on_event: Callable[[Event], None] | None = None,
    session: Session | None = None,
    extra_time: float | None = 1.0,
    width: int | None = None,
) -> int:
    """Play ``sf`` in the terminal (or continue ``session``), then print the debrief.

    ``extra_time`` multiplies timed decisions' limits (None: no timer). Returns 0 when
    an ending was reached or the trainee chose to stop ('q'), and 1 when the input ended
    first.
    """
    if session is None:
        seed = secrets.randbelow(2**31) if seed is None else seed
        session = Session.start(
            compile_scenario(sf), seed, on_event=on_event, extra_time=extra_time
        )
    player = TextPlayer(session, out or sys.stdout, inp or sys.stdin, width)
    return player.play()
