"""What a class session looks like to the people in it: its polls (one per decision, with
the options as shown and the votes once voting closes) and the session as one viewer may
see it. Plain data; :mod:`simulator.store.classroom` makes and changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from simulator.store.errors import InvalidRecord

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class PollOption:
    id: str
    text: str


@dataclass(frozen=True)
class Poll:
    """One decision of a class session and how the class voted on it.

    ``state`` is ``waiting`` (voting not opened), ``open``, ``closed`` or ``played``. While
    voting is open only the number of voters shows; ``votes`` (per option) fill in on close.
    """

    number: int
    node: str
    prompt: str
    options: tuple[PollOption, ...]
    state: str
    voters: int
    votes: dict[str, int]
    hands: dict[str, int]
    played: str | None
    opened_at: datetime | None
    closed_at: datetime | None

    @property
    def distribution(self) -> dict[str, int]:
        """Workstation votes plus show-of-hands counts, per option in shown order (empty
        while voting is open)."""
        if self.state in ("waiting", "open"):
            return {}
        return {o.id: self.votes.get(o.id, 0) + self.hands.get(o.id, 0) for o in self.options}

    @property
    def total(self) -> int:
        return sum(self.distribution.values())

    def leaders(self) -> tuple[str, ...]:
        """The option(s) with the most votes (several on a tie, none without votes)."""
        counts = self.distribution
        top = max(counts.values(), default=0)
        return tuple(k for k, v in counts.items() if v == top) if top else ()

    def letter(self, choice_id: str) -> str:
        for i, option in enumerate(self.options):
            if option.id == choice_id:
                return LETTERS[i]
        return "?"

    def option(self, ref: str) -> PollOption:
        """The option named by its id, its letter (A, B, ...) or its number (1, 2, ...)."""
        text = ref.strip()
        for i, option in enumerate(self.options):
            if text in (option.id, LETTERS[i], LETTERS[i].lower(), str(i + 1)):
                return option
        shown = ", ".join(f"{LETTERS[i]}={o.id}" for i, o in enumerate(self.options))
        raise InvalidRecord(f"decision {self.number} has no option {ref!r}; its options: {shown}")


@dataclass(frozen=True)
class StoryLine:
    speaker: str
    text: str
    kind: str


@dataclass(frozen=True)
class ClassSession:
    """A class session as one viewer may see it (``viewer``: instructor or trainee).

    ``joined`` and ``voted`` (who has voted on the current poll) are filled for the
    instructor only; a trainee sees counts and their own votes (``my_votes``). ``story``
    is filled when asked for; ``report`` (the score) only once the session has ended.
    """

    id: int
    cohort: str
    cohort_id: int
    instructor: str
    attempt_id: int
    scenario_id: str
    scenario_title: str
    status: str
    started_at: datetime
    ended_at: datetime | None
    viewer: str
    joined_count: int
    polls: tuple[Poll, ...]
    joined: tuple[str, ...] = ()
    voted: tuple[str, ...] = ()
    my_votes: dict[int, str] = field(default_factory=dict)
    ending: dict[str, Any] | None = None
    story: tuple[StoryLine, ...] = ()
    report: dict[str, Any] | None = None

    @property
    def current(self) -> Poll | None:
        """The decision the class is on, unless it has been played (or the story ended)."""
        if self.polls and self.polls[-1].state != "played":
            return self.polls[-1]
        return None

    def pulse(self) -> dict[str, Any]:
        """The few figures a projector or workstation watches, for the event stream."""
        poll = self.current
        return {
            "session": self.id,
            "status": self.status,
            "joined": self.joined_count,
            "decision": poll.number if poll else None,
            "poll": poll.state if poll else None,
            "voters": poll.voters if poll else 0,
            "voted": list(self.voted),
            "distribution": poll.distribution if poll else {},
            "decisions_played": sum(1 for p in self.polls if p.state == "played"),
            "story_ended": self.ending is not None,
        }


def counts_of(value: Any) -> dict[str, int]:
    return {str(k): int(v) for k, v in (value or {}).items()}
