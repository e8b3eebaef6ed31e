"""Small wording helpers for what the simulator says to people."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` with ``word`` in the right number: "1 attempt", "3 attempts", "2 people"."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
