"""The records server (``parolesim serve``): the store's API over HTTP, one route per call.

Every route but sign-in and the public look-ups (names are not secret, records are) needs a
session token; the server turns the token into the signed-in person and calls the store as
that person, so what a caller may do is decided here, on the server, by the same access
rules the store applies (and audits) everywhere. The workstation never sees a database
credential, and a score is never taken from it: the store derives scores from the events.

The server keeps no state of its own (tokens are signed, see ``tokens.py``), so several
server processes behind a load balancer can share one PostgreSQL database. New record kinds
(review queues, class sessions, votes) are new routes in :func:`routes` beside these.
"""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from simulator.remote import classroom_routes, tokens, wire
from simulator.remote.push import class_events
from simulator.remote.wire import API, TOKEN_HEADER, WORKSTATION_HEADER, dump
from simulator.store import (
    Attempt,
    Cohort,
    Evaluation,
    InvalidRecord,
    PackRef,
    Person,
    Progress,
    Rating,
    ScenarioRef,
    SignInFailed,
    Store,
    StoreError,
)
from simulator.store.audit import AuditEntry
from simulator.store.classbus import PostgresListener
from simulator.store.recording import AttemptRecord
from simulator.store.reviewing import AttemptReview, CalibrationSession, DecisionMark, QueueItem

MAX_BODY = 1_000_000  # bytes; an event or an evaluation is a few kilobytes
SERVER_POOL = 40  # connections kept per process: as many as the threads that run requests
WORKER_DB_ENV = "PAROLESIM_SERVE_DB"  # the database URL ``serve`` hands its worker processes


@dataclass
class Call:
    """One request as a route sees it: who asks, the path, the query and the JSON body."""

    store: Store
    secret: bytes
    token: str | None
    params: Mapping[str, Any]
    query: Mapping[str, str]
    query_lists: Mapping[str, list[str]]
    body: dict[str, Any]
    workstation: str

    def actor_id(self) -> int:
        """The signed-in person's id, from the token alone (no database read)."""
        person_id = tokens.verify(self.secret, self.token) if self.token else None
        if person_id is None:
            raise SignInFailed("not signed in, or the sign-in has expired: sign in again")
        return person_id

    def actor(self) -> Person:
        return self.store.person(self.actor_id())

    def optional_actor(self) -> Person | None:
        return self.actor() if self.token else None

    def int_param(self, name: str) -> int:
        value = self.params[name]
        return int(value)

    def ref(self, name: str) -> str | int:
        """A person or cohort named in the path: an id or a username."""
        value = str(self.params[name])
        return int(value) if value.isascii() and value.isdigit() else value

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        value = self.body.get(key, default)
        if value is None and default is None:
            return None
        if not isinstance(value, kind) or (isinstance(value, bool) and kind in (int, (int,))):
            raise InvalidRecord(f"request field {key!r} has the wrong type: {value!r}")
        return value

    def need(self, key: str, kind: type | tuple[type, ...]) -> Any:
        if key not in self.body:
            raise InvalidRecord(f"request field {key!r} is missing")
        return self.get(key, kind)

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in ("1", "true", "yes")

    def whole(self, name: str, default: int) -> int:
        text = self.query.get(name)
        if text is None:
            return default
        if not (text.isascii() and text.isdigit()) or len(text) > 9:
            raise InvalidRecord(f"{name} must be a whole number up to 999999999, got {text!r}")
        return int(text)


def _ref(value: Any) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidRecord(f"expected a username or an id, got {value!r}")
    return value


def _ratings(call: Call) -> list[Rating]:
    raw = call.need("ratings", list)
    return [wire.load(r, Rating) for r in raw]


# --- routes ------------------------------------------------------------------------------
def sign_in(call: Call) -> Any:
    username = _ref(call.need("username", (str, int)))
    person = call.store.sign_in(username, call.get("password", str))
    return {"token": tokens.issue(call.secret, person.id), "person": dump(person, Person)}


def whoami(call: Call) -> Any:
    return dump(call.actor(), Person)


def person(call: Call) -> Any:
    return dump(call.store.person(call.ref("ref")), Person)


def profiles(call: Call) -> Any:
    return dump(call.store.profiles(call.query.get("role", "trainee")), list[Person])


def needs_setup(call: Call) -> Any:
    return {"needs_setup": call.store.needs_setup()}


def people(call: Call) -> Any:
    found = call.store.people(call.actor(), role=call.query.get("role"))
    return dump(found, list[Person])


def add_person(call: Call) -> Any:
    added = call.store.add_person(
        call.optional_actor(),
        call.need("username", str),
        role=call.get("role", str, "trainee"),
        display_name=call.get("display_name", str, ""),
        password=call.get("password", str),
        email=call.get("email", str),
    )
    return dump(added, Person)


def set_password(call: Call) -> Any:
    call.store.set_password(call.actor(), call.ref("ref"), call.get("password", str))
    return {}


def set_active(call: Call) -> Any:
    found = call.store.set_active(call.actor(), call.ref("ref"), call.need("active", bool))
    return dump(found, Person)


def assign_fto(call: Call) -> Any:
    fto, trainee = _ref(call.need("fto", (str, int))), _ref(call.need("trainee", (str, int)))
    return {"changed": call.store.assign_fto(call.actor(), fto, trainee)}


def add_cohort(call: Call) -> Any:
    cohort = call.store.add_cohort(
        call.actor(), call.need("name", str), call.get("description", str, "")
    )
    return dump(cohort, Cohort)


def cohorts(call: Call) -> Any:
    return dump(call.store.cohorts(call.actor()), list[Cohort])


def cohort(call: Call) -> Any:
    return dump(call.store.cohort(call.actor(), call.ref("ref")), Cohort)


def enrol(call: Call) -> Any:
    changed = call.store.enrol(
        call.actor(),
        call.ref("ref"),
        _ref(call.need("person", (str, int))),
        role=call.get("role", str, "trainee"),
    )
    return {"changed": changed}


def progress(call: Call) -> Any:
    return dump(call.store.progress(call.actor(), call.ref("ref")), Progress)


def audit_log(call: Call) -> Any:
    entries = call.store.audit_log(
        call.actor(), limit=call.whole("limit", 100), denied_only=call.flag("denied")
    )
    return dump(entries, list[AuditEntry])


def record_export(call: Call) -> Any:
    call.store.record_export(
        call.actor(),
        call.need("format", str),
        call.need("attempts", int),
        call.get("detail", dict, {}),
    )
    return {}


def start_attempt(call: Call) -> Any:
    pack = call.get("pack", dict)
    attempt = call.store.attempts.start(
        call.actor(),
        _ref(call.need("trainee", (str, int))),
        wire.load(call.need("scenario", dict), ScenarioRef),
        seed=call.need("seed", int),
        mode=call.get("mode", str, "practice"),
        pack=wire.load(pack, PackRef) if pack is not None else None,
        workstation=call.workstation,
    )
    return dump(attempt, Attempt)


def find_attempts(call: Call) -> Any:
    trainee = call.query.get("trainee")
    found = call.store.attempts.find(
        call.actor(),
        _ref(int(trainee) if trainee and trainee.isdigit() else trainee) if trainee else None,
        status=call.query.get("status"),
    )
    return dump(found, list[Attempt])


def get_attempt(call: Call) -> Any:
    return dump(call.store.attempts.get(call.actor(), call.int_param("id")), Attempt)


def attempt_log(call: Call) -> Any:
    return call.store.attempts.log(
        call.actor(), call.int_param("id"), with_score=call.flag("with_score")
    )


def attempt_report(call: Call) -> Any:
    return {"report": call.store.attempts.report(call.actor(), call.int_param("id"))}


def next_seq(call: Call) -> Any:
    recorder = call.store.attempts.recorder(call.actor(), call.int_param("id"))
    return {"next_seq": recorder.next_seq}


def append_event(call: Call) -> Any:
    # The busiest route: the store reads the person in the append's own transaction.
    expected = call.store.attempts.append(call.actor_id(), call.int_param("id"), call.body)
    return {"next_seq": expected}


def finish_attempt(call: Call) -> Any:
    return dump(call.store.attempts.finish(call.actor(), call.int_param("id")), Attempt)


def abandon_attempt(call: Call) -> Any:
    return dump(call.store.attempts.abandon(call.actor(), call.int_param("id")), Attempt)


def rescore_attempt(call: Call) -> Any:
    return dump(call.store.attempts.rescore(call.actor(), call.int_param("id")), Attempt)


def branch_attempt(call: Call) -> Any:
    child = call.store.attempts.branch(call.actor(), call.int_param("id"), call.need("at_seq", int))
    return dump(child, Attempt)


def records(call: Call) -> Any:
    wanted = call.query_lists.get("trainee")
    found = call.store.attempts.records(
        call.actor(), [_ref(int(t) if t.isdigit() else t) for t in wanted] if wanted else None
    )
    return dump(found, list[AttemptRecord])


def cohort_records(call: Call) -> Any:
    since = call.query.get("since")
    found = call.store.attempts.of_cohort(
        call.actor(),
        call.ref("ref"),
        scenario=call.query.get("scenario") or None,
        since=wire.load(since, date) if since else None,
    )
    return dump(found, list[AttemptRecord])


def create_evaluation(call: Call) -> Any:
    observed = call.get("observed_on", str)
    evaluation = call.store.evaluations.create(
        call.actor(),
        _ref(call.need("trainee", (str, int))),
        _ratings(call),
        kind=call.get("kind", str, "daily"),
        observed_on=wire.load(observed, date) if observed else None,
        summary=call.get("summary", str, ""),
        attempt_id=call.get("attempt_id", int),
    )
    return dump(evaluation, Evaluation)


def update_evaluation(call: Call) -> Any:
    evaluation = call.store.evaluations.update_draft(
        call.actor(), call.int_param("id"), _ratings(call), call.get("summary", str, "")
    )
    return dump(evaluation, Evaluation)


def sign_evaluation(call: Call) -> Any:
    signed = call.store.evaluations.sign(
        call.actor(),
        call.int_param("id"),
        call.get("comment", str, ""),
        step=call.get("step", str),
    )
    return dump(signed, Evaluation)


def amend_evaluation(call: Call) -> Any:
    amended = call.store.evaluations.amend(
        call.actor(),
        call.int_param("id"),
        _ratings(call),
        reason=call.need("reason", str),
        summary=call.get("summary", str),
    )
    return dump(amended, Evaluation)


def get_evaluation(call: Call) -> Any:
    return dump(call.store.evaluations.get(call.actor(), call.int_param("id")), Evaluation)


def find_evaluations(call: Call) -> Any:
    trainee = call.query.get("trainee")
    if not trainee:
        raise InvalidRecord("say whose evaluations: ?trainee=USERNAME")
    found = call.store.evaluations.find(call.actor(), _ref(trainee))
    return dump(found, list[Evaluation])


# --- FTO review and calibration ------------------------------------------------------
def review_queue(call: Call) -> Any:
    found = call.store.reviews.queue(call.actor(), limit=call.whole("limit", 200))
    return dump(found, list[QueueItem])


def review_attempt(call: Call) -> Any:
    return dump(call.store.reviews.attempt(call.actor(), call.int_param("id")), AttemptReview)


def mark_decision(call: Call) -> Any:
    agrees = call.need("agrees", bool)
    mark = call.store.reviews.mark(
        call.actor(),
        call.int_param("id"),
        call.need("decision", int),
        agrees=agrees,
        reason=call.get("reason", str, ""),
    )
    return dump(mark, DecisionMark)


def invite_raters(call: Call) -> Any:
    ftos = [_ref(f) for f in call.need("ftos", list)]
    return call.store.reviews.invite(call.actor(), call.int_param("id"), ftos)


def calibration_rating(call: Call) -> Any:
    raw = call.need("ratings", dict)
    ratings: dict[str, int | str] = {}
    for category, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidRecord(f"{category}: rating {value!r} is not 1-7, 'N.O.' or 'N.R.T.'")
        ratings[str(category)] = value
    session = call.store.reviews.rate(call.actor(), call.int_param("id"), ratings)
    return dump(session, CalibrationSession)


def calibration_sessions(call: Call) -> Any:
    cohort = call.query.get("cohort")
    found = call.store.reviews.calibration(
        call.actor(), cohort=(int(cohort) if cohort and cohort.isdigit() else cohort) or None
    )
    return dump(found, list[CalibrationSession])


def routes() -> list[tuple[str, str, Callable[[Call], Any]]]:
    """Every route as (method, path, handler); the client names the same paths."""
    return [
        ("POST", "/sessions", sign_in),
        ("GET", "/me", whoami),
        ("GET", "/setup", needs_setup),
        ("GET", "/profiles", profiles),
        ("GET", "/people", people),
        ("POST", "/people", add_person),
        ("GET", "/people/{ref}", person),
        ("PUT", "/people/{ref}/password", set_password),
        ("PUT", "/people/{ref}/active", set_active),
        ("POST", "/fto-assignments", assign_fto),
        ("GET", "/cohorts", cohorts),
        ("POST", "/cohorts", add_cohort),
        ("GET", "/cohorts/{ref}", cohort),
        ("POST", "/cohorts/{ref}/members", enrol),
        ("GET", "/cohorts/{ref}/records", cohort_records),
        ("GET", "/progress/{ref}", progress),
        ("GET", "/audit", audit_log),
        ("POST", "/exports", record_export),
        ("GET", "/records", records),
        ("GET", "/attempts", find_attempts),
        ("POST", "/attempts", start_attempt),
        ("GET", "/attempts/{id:int}", get_attempt),
        ("GET", "/attempts/{id:int}/log", attempt_log),
        ("GET", "/attempts/{id:int}/report", attempt_report),
        ("GET", "/attempts/{id:int}/events/next", next_seq),
        ("POST", "/attempts/{id:int}/events", append_event),
        ("POST", "/attempts/{id:int}/finish", finish_attempt),
        ("POST", "/attempts/{id:int}/abandon", abandon_attempt),
        ("POST", "/attempts/{id:int}/rescore", rescore_attempt),
        ("POST", "/attempts/{id:int}/branches", branch_attempt),
        ("GET", "/evaluations", find_evaluations),
        ("POST", "/evaluations", create_evaluation),
        ("GET", "/evaluations/{id:int}", get_evaluation),
        ("PUT", "/evaluations/{id:int}", update_evaluation),
        ("POST", "/evaluations/{id:int}/signatures", sign_evaluation),
        ("POST", "/evaluations/{id:int}/amendments", amend_evaluation),
        ("GET", "/reviews", review_queue),
        ("GET", "/reviews/{id:int}", review_attempt),
        ("POST", "/reviews/{id:int}/marks", mark_decision),
        ("GET", "/calibration", calibration_sessions),
        ("POST", "/calibration/{id:int}/raters", invite_raters),
        ("POST", "/calibration/{id:int}/ratings", calibration_rating),
        *classroom_routes.routes(),
    ]


def _error(exc: StoreError) -> JSONResponse:
    body, status = wire.error_body(exc)
    return JSONResponse(body, status_code=status)


async def _read_body(request: Request) -> dict[str, Any]:
    if request.method in ("GET", "DELETE"):
        return {}
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise InvalidRecord(f"request body over {MAX_BODY} bytes")
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidRecord(f"request body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InvalidRecord("request body must be a JSON object")
    return data


def _endpoint(
    store: Store, secret: bytes, handler: Callable[[Call], Any]
) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        try:
            header = request.headers.get(TOKEN_HEADER, "")
            token = header.removeprefix("Bearer ").strip() or None
            call = Call(
                store=store,
                secret=secret,
                token=token,
                params=request.path_params,
                query=request.query_params,
                query_lists={k: request.query_params.getlist(k) for k in request.query_params},
                body=await _read_body(request),
                workstation=request.headers.get(WORKSTATION_HEADER, "")[:200]
                or (request.client.host if request.client else "unknown"),
            )
            result = await run_in_threadpool(handler, call)
        except StoreError as exc:
            return _error(exc)
        except (ValueError, TypeError) as exc:  # a malformed value in a request
            return _error(InvalidRecord(f"request not understood: {exc}"))
        return JSONResponse(result)

    return endpoint


def create_app(store: Store, secret: bytes, *, owns_store: bool = False) -> Starlette:
    """The ASGI application serving ``store``; tokens are signed with ``secret``. On
    PostgreSQL it listens for other server processes' class-session changes while it runs.
    ``owns_store``: close the store when the server shuts down."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        listener = None
        if store.backend == "postgresql":
            listener = PostgresListener(store.engine, store.classes.bus)
            listener.start()
            await run_in_threadpool(listener.ready.wait, 10.0)
        try:
            yield
        finally:
            if listener is not None:
                await run_in_threadpool(listener.stop)
            if owns_store:
                store.close()

    # Starlette tries every route with a matching path until one also has the method.
    return Starlette(
        routes=[
            *(
                Route(API + path, _endpoint(store, secret, handler), methods=[method])
                for method, path, handler in routes()
            ),
            Route(API + "/class/{id:int}/events", class_events(store, secret), methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def worker_app() -> Starlette:
    """The application of one worker process of ``parolesim serve --workers N``: each opens
    the database named by ``PAROLESIM_SERVE_DB`` (else the usual default) with its own
    connection pool, and signs tokens with the shared ``PAROLESIM_SERVER_SECRET``."""
    store = Store.open(os.environ.get(WORKER_DB_ENV), local_paths=False, pool_size=SERVER_POOL)
    return create_app(store, tokens.server_secret(), owns_store=True)
