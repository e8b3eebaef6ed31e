"""The records server's routes for the academy classroom: scenarios assigned to cohorts,
and class sessions (start, join, vote, open and close voting, show of hands, play, end,
export). Each calls the store as the signed-in person, like every other route; the event
stream of a class session is ``push.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from simulator.remote import wire
from simulator.remote.wire import dump
from simulator.store.assigning import Assignment, TraineeAssignment
from simulator.store.classdata import ClassSession

if TYPE_CHECKING:
    from simulator.remote.server import Call


def _ref(value: Any) -> str | int:
    from simulator.remote.server import _ref as ref

    return ref(value)


# --- assignments -----------------------------------------------------------------------
def assign(call: Call) -> Any:
    found = call.store.assignments.assign(
        call.actor(),
        call.ref("ref"),
        call.need("scenario", str),
        wire.load(call.need("due_on", str), date),
        note=call.get("note", str, ""),
    )
    return dump(found, Assignment)


def cohort_assignments(call: Call) -> Any:
    found = call.store.assignments.for_cohort(call.actor(), call.ref("ref"))
    return dump(found, list[Assignment])


def trainee_assignments(call: Call) -> Any:
    found = call.store.assignments.for_trainee(call.actor(), call.ref("ref"))
    return dump(found, list[TraineeAssignment])


def withdraw_assignment(call: Call) -> Any:
    return dump(call.store.assignments.withdraw(call.actor(), call.int_param("id")), Assignment)


# --- class sessions ----------------------------------------------------------------------
def _class(view: ClassSession) -> Any:
    return dump(view, ClassSession)


def open_classes(call: Call) -> Any:
    return dump(call.store.classes.open_sessions(call.actor()), list[ClassSession])


def start_class(call: Call) -> Any:
    view = call.store.classes.start(
        call.actor(),
        _ref(call.need("cohort", (str, int))),
        call.need("scenario", str),
        seed=call.need("seed", int),
        workstation=call.workstation,
    )
    return _class(view)


def class_state(call: Call) -> Any:
    return _class(
        call.store.classes.state(call.actor(), call.int_param("id"), story=call.flag("story"))
    )


def join_class(call: Call) -> Any:
    return _class(call.store.classes.join(call.actor(), call.int_param("id")))


def class_vote(call: Call) -> Any:
    return _class(
        call.store.classes.vote(call.actor(), call.int_param("id"), call.need("choice", str))
    )


def open_voting(call: Call) -> Any:
    return _class(call.store.classes.open_voting(call.actor(), call.int_param("id")))


def close_voting(call: Call) -> Any:
    return _class(call.store.classes.close_voting(call.actor(), call.int_param("id")))


def count_hands(call: Call) -> Any:
    raw = call.need("counts", dict)
    return _class(call.store.classes.count_hands(call.actor(), call.int_param("id"), raw))


def play_class(call: Call) -> Any:
    view = call.store.classes.play(call.actor(), call.int_param("id"), call.get("choice", str))
    return _class(view)


def end_class(call: Call) -> Any:
    return _class(call.store.classes.end(call.actor(), call.int_param("id")))


def export_class(call: Call) -> Any:
    return call.store.classes.export(call.actor(), call.int_param("id"))


def routes() -> list[tuple[str, str, Callable[[Call], Any]]]:
    """The classroom's routes as (method, path, handler), beside the server's own."""
    return [
        ("GET", "/cohorts/{ref}/assignments", cohort_assignments),
        ("POST", "/cohorts/{ref}/assignments", assign),
        ("DELETE", "/assignments/{id:int}", withdraw_assignment),
        ("GET", "/people/{ref}/assignments", trainee_assignments),
        ("GET", "/classes", open_classes),
        ("POST", "/classes", start_class),
        ("GET", "/classes/{id:int}", class_state),
        ("POST", "/classes/{id:int}/participants", join_class),
        ("POST", "/classes/{id:int}/votes", class_vote),
        ("POST", "/classes/{id:int}/voting", open_voting),
        ("POST", "/classes/{id:int}/closing", close_voting),
        ("POST", "/classes/{id:int}/hands", count_hands),
        ("POST", "/classes/{id:int}/plays", play_class),
        ("POST", "/classes/{id:int}/end", end_class),
        ("GET", "/classes/{id:int}/export", export_class),
    ]
