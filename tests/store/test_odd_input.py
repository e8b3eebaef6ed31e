"""Odd user ids and numbers get a plain message, never a traceback."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.store import Store


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["progress", "--user", "²"], 1, "cannot sign in as '²'"),
        (["progress", "--user", "99999999999999999999999"], 1, "cannot sign in"),
        (["audit", "--user", "rae", "--limit", "99999999999999999999"], 2, "whole number"),
        (["audit", "--user", "rae", "--limit", "-3"], 2, "whole number"),
        (["db", "check", "--sample", "x"], 2, "whole number"),
    ],
)
def test_odd_ids_and_numbers_are_explained(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    said: str,
) -> None:
    db = str(tmp_path / "records.sqlite3")
    with Store.open(db) as store:
        store.add_person(None, "alice")
    with pytest.raises(SystemExit) if code == 2 else nullcontext():
        assert main(["--db", db, *args]) == code
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err
