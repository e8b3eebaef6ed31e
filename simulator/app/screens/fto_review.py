"""Attempt review: the run as a timeline of decisions. Each shows what was offered, what
the trainee chose, the pack's verdict and the clause it cites, and the FTO's mark. Enter on
a decision asks agree or override; an override needs a reason, and is stored beside the
automatic verdict, which stays as scored. Also ``parolesim review ATTEMPT``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from simulator.app.fto import FtoService
from simulator.app.screens.form import FormScreen
from simulator.app.screens.fto_home import DocScreen
from simulator.app.screens.message import MessageScreen
from simulator.app.widgets import DocBuilder
from simulator.fto.timeline import offered

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App
    from simulator.store.reviewing import AttemptReview

VERDICT_COLOURS = {"exemplary": "good", "acceptable": "good", "critical": "bad", "violation": "bad"}


class AttemptReviewScreen(DocScreen):
    hint = "Tab: next decision · Enter: agree or override · Page Up/Down: scroll · Esc: back"

    def __init__(
        self,
        app: App,
        service: FtoService,
        review: AttemptReview,
        scenario: ScenarioFile | None,
    ) -> None:
        super().__init__(app)
        self.service = service
        self.review = review
        a = review.attempt
        self.heading = f"Attempt {a.id} — {a.trainee}, {a.scenario.title}"
        self.scenario = scenario  # the version played, if this machine has it

    def buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        return [
            ("Write DOR", self.write_dor, True),
            ("Trends", self.trends, False),
            ("Back", self.app.pop, False),
        ]

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        report = self.review.report
        if report is None:
            b.text("This attempt has no score report, so there are no verdicts to review.")
            return
        passed = "passed" if report.get("passed") else "not passed"
        b.text(f"Score {report.get('overall')} ({passed})", "bold", gap=0.6)
        marks = self.review.latest_marks()
        for n, d in enumerate(report.get("decisions", []), start=1):
            self._decision(b, n, d, marks.get(n))

    def _decision(self, b: DocBuilder, n: int, d: dict[str, Any], mark: Any) -> None:
        policy = d.get("policy") or {}
        verdict = str(d.get("verdict", ""))
        b.heading(f"{n}. {d.get('prompt', '')}", gap=0.2)
        choices = offered(self.scenario, d, self.review.shown_order(n))
        if choices:
            b.labelled(
                "Offered:", "\n".join(f"• {c}" for c in choices), label_style="bold", gap=0.15
            )
        b.labelled("Chose:", str(d.get("text", "")), label_style="bold", gap=0.15)
        cited = f"{policy.get('id', '')} {policy.get('title', '')}".strip() or "no clause"
        b.labelled(
            "Verdict:",
            f"{verdict} — cites {cited}",
            label_style="bold",
            colour=VERDICT_COLOURS.get(verdict, "text"),
            gap=0.15,
        )
        if mark is None:
            said = "not marked yet — Enter to agree or override"
        elif mark.agrees:
            said = f"{mark.fto} agrees"
        else:
            said = f"{mark.fto} OVERRIDES: {mark.reason}"
        b.labelled(
            "FTO:",
            said,
            label_style="bold",
            bg="surface",
            border="border",
            pad=0.3,
            gap=0.6,
            action=partial(self.app.defer, partial(self.ask, n, verdict)),
            name=f"Decision {n}: {verdict}. FTO: {said}",
        )

    def ask(self, n: int, verdict: str) -> None:
        self.app.push(
            MessageScreen(
                self.app,
                f"Decision {n}: {verdict}",
                "Do you agree with the automatic verdict? An override needs a reason; the "
                "automatic verdict stays on record beside it.",
                [
                    ("Agree", partial(self.mark, n, True, "")),
                    ("Override…", partial(self.override, n)),
                    ("Cancel", lambda: None),
                ],
            )
        )

    def override(self, n: int) -> None:
        def submit(values: list[str]) -> str | Callable[[], None]:
            if not values[0].strip():
                return "Write the reason for the override first."
            return partial(self.mark, n, False, values[0])

        self.app.push(
            FormScreen(
                self.app,
                f"Override decision {n}",
                "Why is the automatic verdict wrong here?",
                [("Reason", False)],
                "Override",
                submit,
            )
        )

    def mark(self, n: int, agrees: bool, reason: str) -> None:
        attempt_id = self.review.attempt.id

        def save() -> AttemptReview:
            self.service.mark(attempt_id, n, agrees, reason)
            return self.service.review(attempt_id)

        def saved(review: AttemptReview) -> None:
            self.review = review
            self.rebuild()
            self.app.announce(f"Decision {n} {'agreed' if agrees else 'overridden'}")

        self.app.work(
            "Saving your mark…", save, saved, partial(self.app.show_error, "The mark was not saved")
        )

    def write_dor(self) -> None:
        from simulator.app.screens.fto_dor import DorFormScreen

        a = self.review.attempt
        self.app.open(
            "Preparing the DOR…",
            partial(self.service.new_draft, a.trainee, a.id),
            partial(DorFormScreen, self.app, self.service),
            failed="The DOR cannot be started",
        )

    def trends(self) -> None:
        from simulator.app.screens.fto_trends import open_trends

        open_trends(self.app, self.service, self.review.attempt.trainee)
