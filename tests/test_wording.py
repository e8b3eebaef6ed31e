"""What the simulator says about counts reads as English, never "attempt(s)"."""

from __future__ import annotations

import re
from pathlib import Path

from engine.wording import plural

ROOT = Path(__file__).resolve().parent.parent


def test_plural_agrees_with_the_number() -> None:
    assert plural(1, "attempt") == "1 attempt"
    assert plural(0, "attempt") == "0 attempts"
    assert plural(3, "person", "people") == "3 people"


def test_no_message_counts_with_a_parenthesised_plural() -> None:
    """A counted word written as 'trainee(s)' reads as a form, not as a sentence to a person."""
    found = []
    for folder in ("engine", "scoring", "simulator"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\}\s+[a-z][\w-]*\(s\)", line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []
