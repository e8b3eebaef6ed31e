"""The Daily Observation Report form. One row per category, prefilled with the simulator's
suggestion (N.O. where the run judged it fewer than three times), with the SEG text for the
chosen value beside it. Left/Right changes a value along 1-7, N.O., N.R.T.; Enter opens the
category's narrative and remedial minutes, with the attempt's decisions offered to quote.
Save as draft, or sign as FTO (after which the trainee acknowledges and a supervisor signs).
Also ``parolesim evaluations new TRAINEE --attempt ID``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from scoring.packmodel import FTO_CATEGORIES
from simulator.app.focus import Focusable
from simulator.app.fto import DorDraft, FtoService
from simulator.app.screens.form import FormScreen
from simulator.app.screens.fto_home import DocScreen
from simulator.app.services import ServiceError
from simulator.app.widgets import Block, DocBuilder
from simulator.fto.dor import needs_narrative, seg_text

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.store import Evaluation

QUOTES_SHOWN = 6


def title_of(category: str) -> str:
    return FTO_CATEGORIES.get(category, category.replace("_", " ").capitalize())


class DorFormScreen(DocScreen):
    hint = "Tab: next · Left/Right: change rating · Enter: narrative · Esc: back"

    def __init__(self, app: App, service: FtoService, draft: DorDraft) -> None:
        super().__init__(app)
        self.service = service
        self.draft = draft
        self.heading = f"Daily Observation Report — {draft.trainee}"
        self.message = ""

    def buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        return [
            ("Save draft", partial(self.save, False), False),
            ("Sign as FTO", partial(self.save, True), True),
            ("Summary…", self.edit_summary, False),
            ("Export PDF", self.export_pdf, False),
            ("Back", self.app.pop, False),
        ]

    def blocks(self, b: DocBuilder, width: int, height: int) -> None:
        d = self.draft
        state = d.evaluation.status.replace("_", " ") if d.evaluation else "new, not saved"
        source = f"attempt {d.attempt_id}" if d.attempt_id else "no attempt"
        b.text(f"Evaluation: {state} · observed in {source}", "bold", gap=0.3)
        if self.message:
            b.text(self.message, "body", "good", gap=0.3)
        b.text(
            "Suggestions come from the simulator (a rating needs at least three observations, "
            "else N.O.). A narrative is required for 1, 2, 6, 7 and N.R.T.",
            "small",
            "muted",
            gap=0.6,
        )
        for index, r in enumerate(d.ratings):
            lines = [seg_text(r.category, r.value)]
            if r.narrative:
                lines.append(f"Narrative: {r.narrative}")
            elif needs_narrative(r.value):
                lines.append("Narrative required — press Enter to write it.")
            if r.remedial_minutes:
                lines.append(f"Remedial training: {r.remedial_minutes} min")
            missing = needs_narrative(r.value) and not r.narrative
            b.add(
                self._row(
                    f"{title_of(r.category)}: {r.value}",
                    "\n".join(lines),
                    "bad" if missing else "text",
                    width,
                    action=partial(self.app.defer, partial(self.edit_text, index)),
                    name=f"Category {title_of(r.category)}",
                )
            )
        if d.summary:
            b.labelled("Summary:", d.summary, label_style="bold", gap=0.4)

    def _row(
        self,
        title: str,
        body: str,
        colour: str,
        width: int,
        *,
        action: Callable[[], None],
        name: str,
    ) -> Block:
        """A category as one focusable box: its title and value over the SEG text, so a
        long category name never runs into the text beside it at any text size."""
        th = self.theme
        pad = th.px(0.35)
        inner = width - 2 * pad
        top = self.app.text.paragraph(th.font("bold"), title, th.colour("text"), inner)
        under = self.app.text.paragraph(th.font("body"), body, th.colour(colour), inner)
        surf = pygame.Surface((inner, top.get_height() + under.get_height()), pygame.SRCALPHA)
        surf.blit(top, (0, 0))
        surf.blit(under, (0, top.get_height()))
        return Block(
            surf, gap=th.px(0.3), pad=pad, bg="surface", border="border", action=action, name=name
        )

    def doc_stops(self) -> list[Focusable]:
        stops = self.doc.focusables()
        for index, stop in enumerate(s for s in stops if s.name.startswith("Category ")):
            stop.on_key = partial(self.on_key, index)
        return stops

    def on_key(self, index: int, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN or event.key not in (pygame.K_LEFT, pygame.K_RIGHT):
            return False
        if self.draft.evaluation is not None and self.draft.evaluation.signatures:
            self.app.announce("Signed: this evaluation can only be amended")
            return True
        self.draft.step(index, 1 if event.key == pygame.K_RIGHT else -1)
        self.rebuild()
        r = self.draft.ratings[index]
        self.app.announce(f"{title_of(r.category)}: {r.value}. {seg_text(r.category, r.value)}")
        return True

    def edit_text(self, index: int) -> None:
        r = self.draft.ratings[index]
        quotes = self.draft.evidence[:QUOTES_SHOWN]
        more = len(self.draft.evidence) - len(quotes)
        note = seg_text(r.category, r.value)
        if quotes:
            note += "\n\nEvidence you may quote:\n" + "\n".join(quotes)
            if more > 0:
                note += f"\n(and {more} more decisions on the review timeline)"

        def submit(values: list[str]) -> str | Callable[[], None]:
            minutes = values[1].strip() or "0"
            if not minutes.isdigit():
                return "Remedial minutes are a whole number, such as 30."
            if needs_narrative(r.value) and not values[0].strip():
                return f"A rating of {r.value} needs a narrative."
            return partial(self._set_text, index, values[0], int(minutes))

        form = FormScreen(
            self.app,
            f"{title_of(r.category)}: {r.value}",
            note,
            [("Narrative", False), ("Remedial training minutes", False)],
            "Keep",
            submit,
        )
        form.values = [r.narrative, str(r.remedial_minutes or "")]
        self.app.push(form)

    def _set_text(self, index: int, narrative: str, minutes: int) -> None:
        self.draft.set_text(index, narrative, minutes)
        self.rebuild()

    def edit_summary(self) -> None:
        def submit(values: list[str]) -> str | Callable[[], None]:
            return partial(self._set_summary, values[0])

        form = FormScreen(self.app, "Summary of the day", "", [("Summary", False)], "Keep", submit)
        form.values = [self.draft.summary]
        self.app.push(form)

    def _set_summary(self, text: str) -> None:
        self.draft.summary = text.strip()
        self.rebuild()

    def export_pdf(self) -> None:
        if self.draft.evaluation is None:
            self.app.show_error("Nothing to print yet", "Save the DOR first, then export it.")
            return
        evaluation_id = self.draft.evaluation.id

        def export() -> Path:
            try:
                return self.service.export_pdf(evaluation_id)
            except OSError as exc:
                raise ServiceError(str(exc)) from None

        def exported(path: Path) -> None:
            self.message = f"Saved to {path}"
            self.rebuild()
            self.app.announce(self.message)

        self.app.work(
            "Exporting the DOR…",
            export,
            exported,
            partial(self.app.show_error, "The DOR could not be exported"),
        )

    def save(self, sign: bool) -> None:
        def saved(evaluation: Evaluation) -> None:
            self.rebuild()
            what = "signed as FTO" if sign else "saved as a draft"
            self.app.announce(f"Evaluation {evaluation.id} {what}")

        self.app.work(
            "Signing the DOR…" if sign else "Saving the DOR…",
            partial(self.service.save, self.draft, sign=sign),
            saved,
            partial(self.app.show_error, "The DOR was not saved"),
        )
