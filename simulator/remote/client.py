"""The workstation's side of a records server: :class:`RecordsClient` has the same interface
as :class:`~simulator.store.Store` (``simulator.store.records.Records``), so the app and every
command work unchanged with ``--server URL`` or ``PAROLESIM_SERVER``.

Signing in gets a session token from the server; each later call sends the token of the
person acting, and the server decides what that person may do. Events are sent one by one
and each is acknowledged before the engine goes on; a lost answer is retried safely, since
the server skips an event it already holds.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from types import TracebackType
from typing import Any

import httpx

from simulator.remote import wire
from simulator.remote.classroom_client import RemoteAssignments, RemoteClasses
from simulator.remote.wire import API, TOKEN_HEADER, WORKSTATION_HEADER
from simulator.store.accounts import Person
from simulator.store.attempts import Attempt, PackRef, ScenarioRef
from simulator.store.audit import WORKSTATION, AuditEntry
from simulator.store.cohorts import Cohort
from simulator.store.errors import InvalidRecord, SignInFailed, StoreUnavailable
from simulator.store.evaluations import Evaluation, Rating
from simulator.store.progress import Progress
from simulator.store.recording import AttemptRecord, EventLike
from simulator.store.records import PersonRef
from simulator.store.reviewing import AttemptReview, CalibrationSession, DecisionMark, QueueItem

SERVER_ENV = "PAROLESIM_SERVER"
TIMEOUT = 30.0
RETRIES = 3


def _ref(ref: PersonRef) -> str | int:
    return ref.id if isinstance(ref, Person) else ref


class RecordsClient:
    """The records, kept by the server at ``url`` (``http://host:port``)."""

    def __init__(self, url: str, *, timeout: float = TIMEOUT) -> None:
        if not url.startswith(("http://", "https://")):
            raise StoreUnavailable(
                f"records server {url!r} is not an http:// or https:// address "
                "(for example http://records.academy.example:8470)"
            )
        self.url = url.rstrip("/")
        self._http = httpx.Client(
            base_url=self.url + API,
            timeout=timeout,
            headers={WORKSTATION_HEADER: WORKSTATION},
        )
        self._tokens: dict[int, str] = {}
        self.attempts = RemoteAttempts(self)
        self.evaluations = RemoteEvaluations(self)
        self.reviews = RemoteReviews(self)
        self.assignments = RemoteAssignments(self)
        self.classes = RemoteClasses(self)

    # --- plumbing ---------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        actor: Person | None = None,
        *,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        retries: int = 1,
    ) -> Any:
        headers = {}
        if actor is not None:
            token = self._tokens.get(actor.id)
            if token is None:
                raise SignInFailed(f"{actor.username} is not signed in to {self.url}")
            headers[TOKEN_HEADER] = f"Bearer {token}"
        for attempt in range(retries):
            try:
                answer = self._http.request(method, path, json=body, params=params, headers=headers)
                break
            except httpx.TransportError as exc:
                if attempt + 1 >= retries:
                    raise StoreUnavailable(
                        f"cannot reach the records server {self.url} ({exc}); check the "
                        "address and that `parolesim serve` is running there"
                    ) from None
                time.sleep(0.2 * (attempt + 1))
        try:
            data = answer.json()
        except ValueError:
            data = None
        if answer.status_code >= 400:
            raise wire.error_from(data, answer.status_code, self.url)
        return data

    def stream(self, path: str, actor: Person) -> Iterator[dict[str, Any]]:
        """The JSON data of each server-sent event at ``path``, as they arrive."""
        token = self._tokens.get(actor.id)
        if token is None:
            raise SignInFailed(f"{actor.username} is not signed in to {self.url}")
        headers = {TOKEN_HEADER: f"Bearer {token}", "Accept": "text/event-stream"}
        timeout = httpx.Timeout(TIMEOUT, read=None)
        try:
            with self._http.stream("GET", path, headers=headers, timeout=timeout) as answer:
                if answer.status_code >= 400:
                    answer.read()
                    try:
                        data = answer.json()
                    except ValueError:
                        data = None
                    raise wire.error_from(data, answer.status_code, self.url)
                for line in answer.iter_lines():
                    if line.startswith("data:"):
                        yield json.loads(line[5:].strip())
        except httpx.TransportError as exc:
            raise StoreUnavailable(
                f"lost the records server {self.url}'s event stream ({exc})"
            ) from None

    # --- about the records --------------------------------------------------------------
    @property
    def location(self) -> str:
        return self.url

    @property
    def backend(self) -> str:
        return "server"

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> RecordsClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # --- people -----------------------------------------------------------------------
    def sign_in(self, ref: str | int, password: str | None = None) -> Person:
        data = self.call("POST", "/sessions", body={"username": ref, "password": password})
        person: Person = wire.load(data["person"], Person)
        self._tokens[person.id] = str(data["token"])
        return person

    def person(self, ref: PersonRef) -> Person:
        found: Person = wire.load(self.call("GET", f"/people/{_ref(ref)}"), Person)
        return found

    def profiles(self, role: str = "trainee") -> list[Person]:
        found: list[Person] = wire.load(
            self.call("GET", "/profiles", params={"role": role}), list[Person]
        )
        return found

    def needs_setup(self) -> bool:
        return bool(self.call("GET", "/setup")["needs_setup"])

    def add_person(
        self,
        actor: Person | None,
        username: str,
        *,
        role: str = "trainee",
        display_name: str = "",
        password: str | None = None,
        email: str | None = None,
    ) -> Person:
        body = {
            "username": username,
            "role": role,
            "display_name": display_name,
            "password": password,
            "email": email,
        }
        added: Person = wire.load(self.call("POST", "/people", actor, body=body), Person)
        return added

    def set_password(self, actor: Person, ref: PersonRef, password: str | None) -> None:
        self.call("PUT", f"/people/{_ref(ref)}/password", actor, body={"password": password})

    def set_active(self, actor: Person, ref: PersonRef, active: bool) -> Person:
        data = self.call("PUT", f"/people/{_ref(ref)}/active", actor, body={"active": active})
        found: Person = wire.load(data, Person)
        return found

    def people(self, actor: Person, *, role: str | None = None) -> list[Person]:
        params = {"role": role} if role else None
        found: list[Person] = wire.load(
            self.call("GET", "/people", actor, params=params), list[Person]
        )
        return found

    def assign_fto(self, actor: Person, fto: PersonRef, trainee: PersonRef) -> bool:
        body = {"fto": _ref(fto), "trainee": _ref(trainee)}
        return bool(self.call("POST", "/fto-assignments", actor, body=body)["changed"])

    # --- cohorts ----------------------------------------------------------------------
    def add_cohort(self, actor: Person, name: str, description: str = "") -> Cohort:
        body = {"name": name, "description": description}
        found: Cohort = wire.load(self.call("POST", "/cohorts", actor, body=body), Cohort)
        return found

    def enrol(
        self, actor: Person, cohort: str | int, person: PersonRef, *, role: str = "trainee"
    ) -> bool:
        body = {"person": _ref(person), "role": role}
        return bool(self.call("POST", f"/cohorts/{cohort}/members", actor, body=body)["changed"])

    def cohorts(self, actor: Person) -> list[Cohort]:
        found: list[Cohort] = wire.load(self.call("GET", "/cohorts", actor), list[Cohort])
        return found

    def cohort(self, actor: Person, ref: str | int) -> Cohort:
        found: Cohort = wire.load(self.call("GET", f"/cohorts/{ref}", actor), Cohort)
        return found

    # --- progress and audit -----------------------------------------------------------
    def progress(self, actor: Person, trainee: PersonRef) -> Progress:
        found: Progress = wire.load(self.call("GET", f"/progress/{_ref(trainee)}", actor), Progress)
        return found

    def audit_log(
        self, actor: Person, *, limit: int = 100, denied_only: bool = False
    ) -> list[AuditEntry]:
        params = {"limit": limit, "denied": "true" if denied_only else "false"}
        found: list[AuditEntry] = wire.load(
            self.call("GET", "/audit", actor, params=params), list[AuditEntry]
        )
        return found

    def record_export(self, actor: Person, fmt: str, attempts: int, detail: dict[str, Any]) -> None:
        body = {"format": fmt, "attempts": attempts, "detail": detail}
        self.call("POST", "/exports", actor, body=body)


class RemoteRecorder:
    """The engine's ``on_event`` for an attempt kept by the server: each event is sent and
    acknowledged before the call returns; events the server already holds are skipped."""

    def __init__(self, client: RecordsClient, actor: Person, attempt_id: int, next_seq: int):
        self._client, self._actor = client, actor
        self.attempt_id = attempt_id
        self.next_seq = next_seq

    def __call__(self, event: EventLike | Mapping[str, Any]) -> None:
        self.append(event)

    def append(self, event: EventLike | Mapping[str, Any]) -> None:
        data = dict(event) if isinstance(event, Mapping) else event.to_dict()
        seq = data.get("seq")
        if isinstance(seq, int) and seq < self.next_seq:
            return
        if seq != self.next_seq:
            raise InvalidRecord(
                f"attempt {self.attempt_id} expected event {self.next_seq} next but got "
                f"{seq!r}; resume the attempt to continue from what is recorded"
            )
        answer = self._client.call(
            "POST",
            f"/attempts/{self.attempt_id}/events",
            self._actor,
            body=data,
            retries=RETRIES,
        )
        self.next_seq = int(answer["next_seq"])


class RemoteAttempts:
    def __init__(self, client: RecordsClient) -> None:
        self._c = client

    def _attempt(self, data: Any) -> Attempt:
        found: Attempt = wire.load(data, Attempt)
        return found

    def start(
        self,
        actor: Person,
        trainee: PersonRef,
        scenario: ScenarioRef,
        *,
        seed: int,
        mode: str = "practice",
        pack: PackRef | None = None,
        workstation: str = WORKSTATION,
    ) -> Attempt:
        body = {
            "trainee": _ref(trainee),
            "scenario": wire.dump(scenario, ScenarioRef),
            "seed": seed,
            "mode": mode,
            "pack": wire.dump(pack, PackRef) if pack else None,
        }
        return self._attempt(self._c.call("POST", "/attempts", actor, body=body))

    def recorder(self, actor: Person, attempt_id: int) -> RemoteRecorder:
        answer = self._c.call("GET", f"/attempts/{attempt_id}/events/next", actor)
        return RemoteRecorder(self._c, actor, attempt_id, int(answer["next_seq"]))

    def finish(self, actor: Person, attempt_id: int) -> Attempt:
        return self._attempt(self._c.call("POST", f"/attempts/{attempt_id}/finish", actor))

    def abandon(self, actor: Person, attempt_id: int) -> Attempt:
        return self._attempt(self._c.call("POST", f"/attempts/{attempt_id}/abandon", actor))

    def rescore(self, actor: Person, attempt_id: int) -> Attempt:
        return self._attempt(self._c.call("POST", f"/attempts/{attempt_id}/rescore", actor))

    def branch(self, actor: Person, attempt_id: int, at_seq: int) -> Attempt:
        body = {"at_seq": at_seq}
        return self._attempt(
            self._c.call("POST", f"/attempts/{attempt_id}/branches", actor, body=body)
        )

    def get(self, actor: Person, attempt_id: int) -> Attempt:
        return self._attempt(self._c.call("GET", f"/attempts/{attempt_id}", actor))

    def log(self, actor: Person, attempt_id: int, *, with_score: bool = False) -> dict[str, Any]:
        params = {"with_score": "true" if with_score else "false"}
        found: dict[str, Any] = self._c.call(
            "GET", f"/attempts/{attempt_id}/log", actor, params=params
        )
        return found

    def report(self, actor: Person, attempt_id: int) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._c.call("GET", f"/attempts/{attempt_id}/report", actor)[
            "report"
        ]
        return found

    def find(
        self, actor: Person, trainee: PersonRef | None = None, *, status: str | None = None
    ) -> list[Attempt]:
        params: dict[str, Any] = {}
        if trainee is not None:
            params["trainee"] = _ref(trainee)
        if status is not None:
            params["status"] = status
        found: list[Attempt] = wire.load(
            self._c.call("GET", "/attempts", actor, params=params), list[Attempt]
        )
        return found

    def records(
        self, actor: Person, trainees: Sequence[PersonRef] | None = None
    ) -> list[AttemptRecord]:
        params = {"trainee": [_ref(t) for t in trainees]} if trainees is not None else None
        if trainees is not None and not trainees:
            return []
        found: list[AttemptRecord] = wire.load(
            self._c.call("GET", "/records", actor, params=params), list[AttemptRecord]
        )
        return found

    def of_cohort(
        self,
        actor: Person,
        cohort: str | int,
        *,
        scenario: str | None = None,
        since: date | None = None,
    ) -> list[AttemptRecord]:
        params = {"scenario": scenario, "since": since.isoformat() if since else None}
        found: list[AttemptRecord] = wire.load(
            self._c.call(
                "GET",
                f"/cohorts/{cohort}/records",
                actor,
                params={k: v for k, v in params.items() if v},
            ),
            list[AttemptRecord],
        )
        return found

    def unfinished(self, actor: Person, trainee: PersonRef) -> list[Attempt]:
        return self.find(actor, trainee, status="in_progress")


class RemoteEvaluations:
    def __init__(self, client: RecordsClient) -> None:
        self._c = client

    def _evaluation(self, data: Any) -> Evaluation:
        found: Evaluation = wire.load(data, Evaluation)
        return found

    @staticmethod
    def _ratings(ratings: Sequence[Rating]) -> list[Any]:
        return [wire.dump(r, Rating) for r in ratings]

    def create(
        self,
        actor: Person,
        trainee: PersonRef,
        ratings: Sequence[Rating],
        *,
        kind: str = "daily",
        observed_on: date | None = None,
        summary: str = "",
        attempt_id: int | None = None,
    ) -> Evaluation:
        body = {
            "trainee": _ref(trainee),
            "ratings": self._ratings(ratings),
            "kind": kind,
            "observed_on": observed_on.isoformat() if observed_on else None,
            "summary": summary,
            "attempt_id": attempt_id,
        }
        return self._evaluation(self._c.call("POST", "/evaluations", actor, body=body))

    def update_draft(
        self, actor: Person, evaluation_id: int, ratings: Sequence[Rating], summary: str
    ) -> Evaluation:
        body = {"ratings": self._ratings(ratings), "summary": summary}
        return self._evaluation(
            self._c.call("PUT", f"/evaluations/{evaluation_id}", actor, body=body)
        )

    def sign(
        self, actor: Person, evaluation_id: int, comment: str = "", *, step: str | None = None
    ) -> Evaluation:
        return self._evaluation(
            self._c.call(
                "POST",
                f"/evaluations/{evaluation_id}/signatures",
                actor,
                body={"comment": comment, "step": step},
            )
        )

    def amend(
        self,
        actor: Person,
        evaluation_id: int,
        ratings: Sequence[Rating],
        *,
        reason: str,
        summary: str | None = None,
    ) -> Evaluation:
        body = {"ratings": self._ratings(ratings), "reason": reason, "summary": summary}
        return self._evaluation(
            self._c.call("POST", f"/evaluations/{evaluation_id}/amendments", actor, body=body)
        )

    def get(self, actor: Person, evaluation_id: int) -> Evaluation:
        return self._evaluation(self._c.call("GET", f"/evaluations/{evaluation_id}", actor))

    def find(self, actor: Person, trainee: PersonRef) -> list[Evaluation]:
        found: list[Evaluation] = wire.load(
            self._c.call("GET", "/evaluations", actor, params={"trainee": _ref(trainee)}),
            list[Evaluation],
        )
        return found


class RemoteReviews:
    """The FTO review queue, decision marks and calibration, through the server."""

    def __init__(self, client: RecordsClient) -> None:
        self._c = client

    def queue(self, actor: Person, *, limit: int = 200) -> list[QueueItem]:
        found: list[QueueItem] = wire.load(
            self._c.call("GET", "/reviews", actor, params={"limit": limit}), list[QueueItem]
        )
        return found

    def attempt(self, actor: Person, attempt_id: int) -> AttemptReview:
        found: AttemptReview = wire.load(
            self._c.call("GET", f"/reviews/{attempt_id}", actor), AttemptReview
        )
        return found

    def mark(
        self, actor: Person, attempt_id: int, decision: int, *, agrees: bool, reason: str = ""
    ) -> DecisionMark:
        body = {"decision": decision, "agrees": agrees, "reason": reason}
        found: DecisionMark = wire.load(
            self._c.call("POST", f"/reviews/{attempt_id}/marks", actor, body=body), DecisionMark
        )
        return found

    def invite(self, actor: Person, attempt_id: int, ftos: Sequence[PersonRef]) -> list[str]:
        body = {"ftos": [_ref(f) for f in ftos]}
        added: list[str] = self._c.call(
            "POST", f"/calibration/{attempt_id}/raters", actor, body=body
        )
        return added

    def rate(
        self, actor: Person, attempt_id: int, ratings: Mapping[str, int | str]
    ) -> CalibrationSession:
        found: CalibrationSession = wire.load(
            self._c.call(
                "POST", f"/calibration/{attempt_id}/ratings", actor, body={"ratings": ratings}
            ),
            CalibrationSession,
        )
        return found

    def calibration(
        self, actor: Person, *, cohort: str | int | None = None
    ) -> list[CalibrationSession]:
        params = {"cohort": cohort} if cohort is not None else None
        found: list[CalibrationSession] = wire.load(
            self._c.call("GET", "/calibration", actor, params=params), list[CalibrationSession]
        )
        return found
