"""The FTO screens' one door to the records: review queue, attempt review, the DOR form and
trends, for the signed-in staff member. Store errors become :class:`ServiceError` with the
store's message, so a refusal reads the same in the app as on the command line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from simulator.app.services import Profile, ServiceError
from simulator.store import Evaluation, InvalidRecord, Rating, StoreError

if TYPE_CHECKING:
    from simulator.app.records import StoreRecords
    from simulator.fto.trends import CategoryTrend
    from simulator.store.reviewing import AttemptReview, QueueItem

T = TypeVar("T")
VALUES: tuple[int | str, ...] = (1, 2, 3, 4, 5, 6, 7, "N.O.", "N.R.T.")


@dataclass
class DorDraft:
    """The DOR form's state: one rating per category, the evidence offered to quote."""

    trainee: str
    attempt_id: int | None
    ratings: list[Rating]
    evidence: list[str]
    summary: str = ""
    evaluation: Evaluation | None = None

    def set_value(self, index: int, value: int | str) -> None:
        r = self.ratings[index]
        self.ratings[index] = Rating(r.category, value, r.narrative, r.remedial_minutes)

    def step(self, index: int, delta: int) -> None:
        """Move a category's value along 1..7, N.O., N.R.T. (Left/Right on the form)."""
        current = self.ratings[index].value
        position = VALUES.index(current) if current in VALUES else 7
        self.set_value(index, VALUES[(position + delta) % len(VALUES)])

    def set_text(self, index: int, narrative: str, remedial: int) -> None:
        r = self.ratings[index]
        self.ratings[index] = Rating(r.category, r.value, narrative.strip(), remedial)


class FtoService:
    def __init__(self, records: StoreRecords, profile: Profile) -> None:
        self.records = records
        self.store = records.store
        self.me = records.actor(profile)

    def _call(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except (InvalidRecord, StoreError) as exc:
            raise ServiceError(str(exc)) from None

    def queue(self) -> list[QueueItem]:
        return self._call(lambda: self.store.reviews.queue(self.me))

    def review(self, attempt_id: int) -> AttemptReview:
        return self._call(lambda: self.store.reviews.attempt(self.me, attempt_id))

    def mark(self, attempt_id: int, decision: int, agrees: bool, reason: str = "") -> None:
        self._call(
            lambda: self.store.reviews.mark(
                self.me, attempt_id, decision, agrees=agrees, reason=reason
            )
        )

    def new_draft(self, trainee: str, attempt_id: int | None) -> DorDraft:
        from simulator.fto.dor import evidence, prefilled_ratings

        report: dict[str, Any] | None = None
        if attempt_id is not None:
            report = self._call(lambda: self.store.attempts.report(self.me, attempt_id))
        ratings = prefilled_ratings(report)
        return DorDraft(trainee, attempt_id, ratings, [e.quote() for e in evidence(report)])

    def save(self, draft: DorDraft, *, sign: bool) -> Evaluation:
        """Save the form as a draft (new or updated) and, with ``sign``, sign it as FTO."""
        from simulator.fto.dor import missing_narratives

        missing = missing_narratives(draft.ratings)
        if missing:
            raise ServiceError(
                "A narrative is needed for ratings of 1, 2, 6, 7 and N.R.T.: "
                + ", ".join(m.replace("_", " ") for m in missing)
                + ". Press Enter on the category to write one."
            )
        if draft.evaluation is None:
            draft.evaluation = self._call(
                lambda: self.store.evaluations.create(
                    self.me,
                    draft.trainee,
                    draft.ratings,
                    summary=draft.summary,
                    attempt_id=draft.attempt_id,
                )
            )
        else:
            evaluation_id = draft.evaluation.id
            draft.evaluation = self._call(
                lambda: self.store.evaluations.update_draft(
                    self.me, evaluation_id, draft.ratings, draft.summary
                )
            )
        if sign:
            evaluation_id = draft.evaluation.id
            draft.evaluation = self._call(
                lambda: self.store.evaluations.sign(self.me, evaluation_id)
            )
        return draft.evaluation

    def awaiting_supervisor(self) -> list[Evaluation]:
        """Evaluations the trainee has acknowledged that this supervisor may sign."""
        if self.me.role not in ("instructor", "admin"):
            return []
        trainees = self._call(lambda: self.store.people(self.me, role="trainee"))
        found: list[Evaluation] = []
        for t in trainees:
            theirs = self._call(partial(self.store.evaluations.find, self.me, t.username))
            found += [e for e in theirs if e.status == "acknowledged" and e.amended_by_id is None]
        return found

    def sign_as_supervisor(self, evaluation_id: int) -> Evaluation:
        return self._call(lambda: self.store.evaluations.sign(self.me, evaluation_id))

    def name(self, person_id: int) -> str:
        return self._call(lambda: self.store.person(person_id)).signature_name

    def export_pdf(self, evaluation_id: int) -> Path:
        """The printable DOR as a PDF in the reports folder (as the debrief's HTML export)."""
        from simulator.app.scorer import reports_dir
        from simulator.fto.printable import as_pdf

        evaluation = self._call(lambda: self.store.evaluations.get(self.me, evaluation_id))
        trainee = self._call(lambda: self.store.person(evaluation.trainee_id))
        fto = self._call(lambda: self.store.person(evaluation.fto_id))
        folder = reports_dir()
        folder.mkdir(parents=True, exist_ok=True)
        day = evaluation.observed_on.isoformat()
        path = folder / f"dor-{evaluation.id}-{trainee.username}-{day}.pdf"
        path.write_bytes(as_pdf(evaluation, trainee.signature_name, fto.signature_name))
        return path

    def trends(self, trainee: str) -> list[CategoryTrend]:
        from simulator.fto.trends import trends

        return trends(self._call(lambda: self.store.evaluations.find(self.me, trainee)))
