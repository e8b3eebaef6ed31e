"""A briefing does not give away its twist.

The briefing (the library card's title, the summary, the learning objectives and the
case file) tells the trainee what a real officer would know before the contact. What
the contact reveals - a weapon that comes into the room, a visitor on the couch, a
crisis that unfolds, the seeded truth behind a result - is met in play. Two checks
keep it that way:

* a scenario declares its ``twists:``, each with the words that name it; every term
  must occur in the play text (so the declaration stays true as the story changes)
  and none may occur in the briefing;
* whatever a scenario declares, the briefing may not describe the seeded variation
  itself ("changes from run to run: a shotgun, a pistol or only shells"), since an
  officer at the door does not know the menu of what the draw can bring.

Both report warnings at the line of the offending text, with the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from engine.loader import ScenarioFile
from engine.problems import Problem, Severity
from engine.yamlload import PathKey, dotted

#: Scenario keys the trainee reads before the run starts.
BRIEFING_KEYS = ("title", "summary", "objectives", "case_file")
#: Scenario keys that only authors and the engine read: neither briefing nor play. Every
#: other key (nodes, and any mechanic's section: places, caseload, an intake instrument...)
#: is text the trainee can meet in play.
AUTHOR_KEYS = frozenset(
    {
        "schema_version",
        "id",
        "version",
        "family",
        "difficulty",
        "estimated_minutes",
        "policy_pack",
        "setting",
        "persona",
        "variables",
        "reactions",
        "interrupts",
        "requires",
        "twists",
        "start",
    }
)
#: Wording that tells the trainee what the seed can draw, rather than what the file says.
SEED_MENU = re.compile(
    r"\b(?:(?:from|between) runs?(?: to runs?)?|run to run|each run|every run|"
    r"in some runs|some runs)\b",
    re.IGNORECASE,
)


def strings(value: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string in raw YAML data, with its path (keys and list positions)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from strings(item, (*path, i))


def term_pattern(term: str) -> re.Pattern[str]:
    """A whole-word, any-case match for a term (so 'gun' does not match 'begun')."""
    return re.compile(rf"(?<!\w){re.escape(term.strip())}(?!\w)", re.IGNORECASE)


def briefing_strings(sf: ScenarioFile) -> list[tuple[PathKey, str]]:
    """The briefing's text as written in the file, each with its path for a line number."""
    data = sf.document.data if isinstance(sf.document.data, dict) else {}
    return [pair for key in BRIEFING_KEYS if key in data for pair in strings(data[key], (key,))]


def play_text(sf: ScenarioFile) -> str:
    """All the text the trainee can meet in play, joined: narration, prompts, choices,
    replies and endings, and whatever text a mechanic's section holds (rooms and items,
    a caseload's alerts, an interview's answers)."""
    data = sf.document.data if isinstance(sf.document.data, dict) else {}
    skip = AUTHOR_KEYS.union(BRIEFING_KEYS)
    return "\n".join(
        text for key, value in data.items() if key not in skip for _, text in strings(value)
    )


def check_twists(sf: ScenarioFile) -> list[Problem]:
    """Warnings where the briefing names a declared twist or lists what the seed can draw,
    and where a declared term never occurs in play (a stale declaration)."""
    problems: list[Problem] = []

    def warn(path: PathKey, message: str) -> None:
        problems.append(Problem(sf.file, sf.line_of(path), dotted(path), message, Severity.WARNING))

    briefing = briefing_strings(sf)
    play = play_text(sf)
    for i, twist in enumerate(sf.scenario.twists):
        for j, term in enumerate(twist.terms):
            pattern = term_pattern(term)
            if not pattern.search(play):
                warn(
                    ("twists", i, "terms", j),
                    f"twist term {term!r} never occurs in the play text; name words the "
                    "trainee meets in a node, or drop the term",
                )
            for path, text in briefing:
                if pattern.search(text):
                    warn(
                        path,
                        f"the briefing gives away a twist ({twist.what}: {term!r}); say what "
                        "the officer knows before the contact and let play reveal the rest",
                    )
    for path, text in briefing:
        found = SEED_MENU.search(text)
        if found:
            warn(
                path,
                f"the briefing describes the seeded variation ({found.group(0)!r}); an officer "
                "does not know what the draw will bring: describe what the file says instead",
            )
    return problems
