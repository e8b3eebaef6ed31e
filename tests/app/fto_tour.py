"""A keyboard-only tour of the FTO screens: sign in as an FTO, the review queue, an
attempt's timeline with an override, the DOR form (values changed with the arrow keys, a
narrative written, signed) and the trends chart. Run as a program it saves screenshots:

    python -m tests.app.fto_tour OUT_DIR [--scale 100] [--theme normal]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date

from simulator.app.records import StoreRecords
from simulator.app.screens.form import FormScreen
from simulator.app.screens.fto_dor import DorFormScreen
from simulator.app.screens.fto_home import StaffHomeScreen
from simulator.app.screens.fto_review import AttemptReviewScreen
from simulator.app.screens.fto_trends import TrendsScreen
from simulator.app.screens.message import MessageScreen
from simulator.app.screens.signin import SignInScreen
from simulator.store import Rating
from tests.app.driver import Driver
from tests.app.tour_run import screenshots
from tests.fto.play import VISITOR, played

PASSWORD = "fto-tour-pass-1"


def seed(records: StoreRecords) -> int:
    """An academy with FTO Fred Amankwah and his trainee Bob Castellanos, who has finished
    two runs and has one earlier signed DOR; returns the newest attempt's id."""
    store = records.store
    admin = store.add_person(
        None, "rae", role="admin", display_name="Rae Okafor", password=PASSWORD
    )
    fred = store.add_person(
        admin, "fred", role="fto", display_name="Fred Amankwah", password=PASSWORD
    )
    store.add_person(admin, "ines", role="instructor", display_name="Inés Varga", password=PASSWORD)
    store.add_person(admin, "bob", display_name="Bob Castellanos")
    store.assign_fto(admin, "fred", "bob")
    played(store, admin, "bob", VISITOR)
    earlier = store.evaluations.create(
        fred,
        "bob",
        [
            Rating("officer_safety", 3),
            Rating("relationships_with_public", 5),
            Rating("control_of_conflict", 2, "Raised voice at the visitor", 30),
        ],
        observed_on=date(2026, 11, 30),
    )
    store.evaluations.sign(fred, earlier.id)
    return played(store, admin, "bob").id


def fto_tour(d: Driver, attempt_id: int) -> Iterator[str]:
    d.app.reset(SignInScreen(d.app))
    d.frames(2)
    yield "fto-signin"
    d.tab_to("Sign in as Fred Amankwah")
    d.key("RETURN")
    assert isinstance(d.top, FormScreen), type(d.top).__name__  # staff always have a password
    d.type(PASSWORD)
    d.key("RETURN")
    assert isinstance(d.top, StaffHomeScreen), type(d.top).__name__
    yield "fto-home"
    d.tab_to(next(n for n in _names(d) if n.startswith(f"Review attempt {attempt_id}:")))
    d.key("RETURN")
    assert isinstance(d.top, AttemptReviewScreen), type(d.top).__name__
    yield "fto-review"
    d.tab_to(next(n for n in _names(d) if n.startswith("Decision 1:")))
    d.key("RETURN")
    assert isinstance(d.top, MessageScreen), type(d.top).__name__
    d.tab_to("Override…")
    d.key("RETURN")
    assert isinstance(d.top, FormScreen), type(d.top).__name__
    d.type("He read the file at roll call; the choice text undersells it")
    yield "fto-override-form"
    d.key("RETURN")
    assert isinstance(d.top, AttemptReviewScreen), type(d.top).__name__
    yield "fto-review-marked"
    d.tab_to("Write DOR")
    d.key("RETURN")
    assert isinstance(d.top, DorFormScreen), type(d.top).__name__
    yield "fto-dor"
    d.tab_to("Category Officer safety")
    d.key("LEFT")  # 2 -> 1
    yield "fto-dor-needs-narrative"
    d.key("RETURN")
    assert isinstance(d.top, FormScreen), type(d.top).__name__
    d.type("Decision 8: stood still with a gun drawn instead of leaving with his partner.")
    d.key("TAB")
    d.type("45")
    yield "fto-dor-narrative"
    d.key("RETURN")
    assert isinstance(d.top, DorFormScreen), type(d.top).__name__
    d.tab_to("Sign as FTO")
    d.key("RETURN")
    yield "fto-dor-signed"
    d.tab_to("Export PDF")
    d.key("RETURN")
    yield "fto-dor-exported"
    d.key("ESCAPE")
    d.tab_to("Trends")
    d.key("RETURN")
    assert isinstance(d.top, TrendsScreen), type(d.top).__name__
    yield "fto-trends"
    # bob acknowledges (on the command line, say); the admin signs as supervisor in the app
    records = d.app.records
    assert isinstance(records, StoreRecords)
    store = records.store
    signed = store.evaluations.find(store.person("fred"), "bob")[-1]
    store.evaluations.sign(store.person("bob"), signed.id, "Understood; I will practise leaving")
    d.key("ESCAPE")
    d.key("ESCAPE")
    assert isinstance(d.top, StaffHomeScreen), type(d.top).__name__
    d.tab_to("Sign out")
    d.key("RETURN")
    d.tab_to("Sign in as Rae Okafor")
    d.key("RETURN")
    d.type(PASSWORD)
    d.key("RETURN")
    assert isinstance(d.top, StaffHomeScreen), type(d.top).__name__
    yield "supervisor-home"
    d.tab_to(f"Sign DOR {signed.id} of Bob Castellanos (bob) as supervisor")
    d.key("RETURN")
    assert isinstance(d.top, MessageScreen), type(d.top).__name__
    yield "supervisor-confirm"
    d.tab_to("Sign")
    d.key("RETURN")
    assert isinstance(d.top, StaffHomeScreen), type(d.top).__name__
    yield "supervisor-signed"


def _names(d: Driver) -> list[str]:
    return [f.name for f in d.top.focus.items]


def main(argv: list[str] | None = None) -> int:
    return screenshots("python -m tests.app.fto_tour", argv, seed, fto_tour)


if __name__ == "__main__":
    sys.exit(main())
