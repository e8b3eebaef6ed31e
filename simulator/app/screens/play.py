"""Play: the scene, the conversation so far, the person's face, and the choices.

The screen asks the engine what is happening (transcript, node, available choices,
variables for the portrait's mood) and sends back only what the trainee picks, or a
time-out when a timed decision's countdown runs out. Each transcript line is rendered
once into a cached block; new lines are appended without re-laying out the old ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from engine.session import TranscriptLine
from simulator.app import art, services
from simulator.app.casefile import CaseFilePanel
from simulator.app.screens.base import Screen, fit
from simulator.app.widgets import Block, DocBuilder, DocView

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.app.services import Run

HINT = "1–9 choose · C or Tab: case file · Esc: pause"
DIGITS = {getattr(pygame, f"K_{i}"): i for i in range(1, 10)}
DIGITS.update({getattr(pygame, f"K_KP{i}"): i for i in range(1, 10)})


class PlayScreen(Screen):
    """One run of a scenario, from its first line to its ending."""

    hint = HINT
    back_on_escape = False

    def __init__(self, app: App, run: Run) -> None:
        super().__init__(app)
        self.run = run
        self.session = run.session
        self.scenario = run.sf.scenario
        self.case_open = False
        self.case_tab = "person"
        self.remaining: float | None = None
        self.limit: float | None = None
        self.decision_key: tuple[str, int] | None = None
        self.spoken_lines = 0
        self.report: dict[str, object] | None = None
        self.finish_error = ""
        self._blocks_for: list[Block] = []
        self.unread_from = 0  # first transcript line the latest decision added
        self.wide = True
        self._start_decision()

    # ------------------------------------------------------------ layout
    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        top = self.header_height() + m
        wide = w >= th.em * 56
        self.wide = wide
        if wide:
            left_w = int(w * 0.58) - m
            left = pygame.Rect(m, top, left_w, h - top - m)
            right = pygame.Rect(left.right + m * 2, top, w - left.right - m * 3, h - top - m)
            scene_h = min(left.width * 9 // 16, int(left.height * 0.5))
            self.scene_rect = pygame.Rect(left.x, left.y, left.width, scene_h)
            self.transcript_rect = pygame.Rect(
                left.x,
                self.scene_rect.bottom + m,
                left.width - th.px(0.6),
                left.bottom - self.scene_rect.bottom - m,
            )
            self.case_rect = left
            self.decide_rect = right
        else:
            upper_h = int((h - top - m) * 0.4)
            scene_w = min(int(w * 0.38), upper_h * 16 // 9)
            self.scene_rect = pygame.Rect(m, top, scene_w, upper_h)
            self.transcript_rect = pygame.Rect(
                self.scene_rect.right + m,
                top,
                w - self.scene_rect.right - m * 2 - th.px(0.6),
                upper_h,
            )
            self.case_rect = pygame.Rect(m, top, w - 2 * m, upper_h)
            self.decide_rect = pygame.Rect(
                m, top + upper_h + m, w - 2 * m, h - top - upper_h - 2 * m
            )
        self.transcript = DocView(th, self.transcript_rect, name="transcript")
        self._blocks_for = []
        self._sync_transcript(scroll=True)
        self.case = CaseFilePanel(
            th, self.app.text, self.scenario, self.case_rect, self.case_tab, on_tab=self._on_tab
        )
        self._layout_decision()
        self._refresh_focus()

    def _on_tab(self, tab: str) -> None:
        self.case_tab = tab

    def _layout_decision(self) -> None:
        th = self.theme
        r = self.decide_rect
        y = r.y
        self.countdown_rect = pygame.Rect(r.x, y, r.width, 0)
        if self.limit is not None and not self.session.ended:
            self.countdown_rect.height = th.line_height("bold") + th.px(0.4)
            y = self.countdown_rect.bottom + th.px(0.6)
        self.prompt_y = y
        text = services.prompt(self.session) if not self.session.ended else ""
        self.prompt_surf = (
            self.app.text.paragraph(th.font("bold"), text, th.colour("text"), r.width)
            if text
            else None
        )
        if self.prompt_surf is not None:
            y += self.prompt_surf.get_height() + th.px(0.6)
        choices_rect = pygame.Rect(r.x, y, r.width - th.px(0.6), r.bottom - y)
        self.choices = DocView(th, choices_rect, name="choices")
        b = DocBuilder(th, self.app.text, choices_rect.width)
        if self.session.ended:
            self._ending_blocks(b)
        else:
            for i, choice in enumerate(self.session.available_choices()[:9], 1):
                b.labelled(
                    f"{i}",
                    choice.text,
                    label_style="bold",
                    label_width=th.px(1.6),
                    bg="surface",
                    border="border",
                    pad=0.45,
                    gap=0.45,
                    action=lambda cid=choice.id: self.choose(cid),  # type: ignore[misc]
                    name=f"Choice {i}: {choice.text}",
                )
        self.choices.set_blocks(b.blocks)

    def _ending_blocks(self, b: DocBuilder) -> None:
        ending = self.session.ending
        if ending is None:
            return
        b.text("The scenario has ended.", "bold", gap=0.3)
        b.text(ending.title, "heading", gap=0.4)
        if ending.summary:
            b.text(ending.summary, gap=0.8)
        if self.finish_error:
            b.text(self.finish_error, "bold", "bad", gap=0.8)
        b.button("See your debrief", self.open_debrief)
        b.button("Back to the library", self.back_to_library)

    def _refresh_focus(self) -> None:
        """Up/Down move through the choices (or the ending's buttons); the case file tabs
        are switched with Left/Right, and the transcript scrolls with Page Up/Down."""
        keep = self.focus.current.name if self.focus.current else None
        self.focus.set(self.choices.focusables(), keep=keep)

    # ------------------------------------------------------------ engine
    def _start_decision(self) -> None:
        s = self.session
        limit = s.timeout_seconds
        key = (s.node_id, len(s.decisions))
        if key != self.decision_key:
            self.decision_key = key
            self.limit = None if limit is None else limit * self.app.settings.extra_time
            self.remaining = self.limit

    def choose(self, choice_id: str) -> None:
        if self.session.ended:
            return
        self.session.choose(choice_id)
        self._after_decision()

    def time_out(self) -> None:
        if self.session.ended or self.session.timeout_seconds is None:
            return
        self.session.time_out()
        self._after_decision()

    def _after_decision(self) -> None:
        self.unread_from = len(self._blocks_for)
        self._start_decision()
        if self.session.ended:
            self._finish()
        self._sync_transcript(scroll=True)
        self._layout_decision()
        self.focus.set([])
        self._refresh_focus()
        self._speak_new()

    def _finish(self) -> None:
        try:
            self.report = self.app.finish_run(self.run)
        except services.ServiceError as exc:
            self.finish_error = str(exc)

    def _sync_transcript(self, *, scroll: bool) -> None:
        lines = self.session.transcript
        if len(self._blocks_for) >= len(lines):
            return
        width = self.transcript.rect.width
        new = [self._line_block(line, width) for line in lines[len(self._blocks_for) :]]
        self._blocks_for.extend(new)
        self.transcript.extend(new)
        if scroll:
            self._show_unread()

    def _show_unread(self) -> None:
        """Scroll to the end, unless what the last decision brought does not fit: then to its
        first line, so it is read from the start with the speaker's name in view."""
        view = self.transcript
        if 0 < self.unread_from < len(self._blocks_for):
            first = self._blocks_for[self.unread_from]
            if view.content_height - first.y > view.rect.height:
                view.scroll(first.y - view.offset)
                return
        view.scroll_to_end()

    def _line_block(self, line: TranscriptLine, width: int) -> Block:
        th = self.theme
        cache = self.app.text
        gap = th.px(0.45)
        if line.kind == "ending":
            surf = cache.labelled(
                th.font("bold"),
                "Ending:",
                th.colour("text"),
                th.font("heading"),
                line.text,
                th.colour("text"),
                width,
            )
            return Block(surf, gap=gap)
        if line.kind == "action" and line.speaker == "narrator":  # "Time ran out."
            surf = cache.paragraph(th.font("bold"), line.text, th.colour("warn"), width)
            return Block(surf, gap=gap)
        if line.kind == "action":
            surf = cache.labelled(
                th.font("bold"),
                "You chose:",
                th.colour("muted"),
                th.font("body"),
                line.text,
                th.colour("muted"),
                width,
            )
            return Block(surf, gap=gap)
        if line.speaker == "narrator":
            surf = cache.paragraph(th.font("body"), line.text, th.colour("muted"), width)
            return Block(surf, gap=gap)
        who = services.speaker_name(self.session, line.speaker)
        pad = th.px(0.35)
        if line.speaker == "officer":
            surf = cache.labelled(
                th.font("bold"),
                f"{who}:",
                th.colour("accent"),
                th.font("body"),
                line.text,
                th.colour("text"),
                width - 2 * pad,
            )
            return Block(surf, gap=gap, pad=pad, bg="officer_bg")
        surf = cache.labelled(
            th.font("bold"),
            f"{who}:",
            th.colour("text"),
            th.font("body"),
            line.text,
            th.colour("text"),
            width - 2 * pad,
        )
        return Block(surf, gap=gap, pad=pad)

    def _speak_new(self) -> None:
        if not self.app.speech.enabled:
            self.spoken_lines = len(self.session.transcript)
            return
        parts = []
        for line in self.session.transcript[self.spoken_lines :]:
            if line.speaker in ("narrator",) or line.kind in ("action", "ending"):
                parts.append(line.text)
            else:
                parts.append(
                    f"{services.speaker_name(self.session, line.speaker)} says: {line.text}"
                )
        self.spoken_lines = len(self.session.transcript)
        if not self.session.ended:
            parts.append(services.prompt(self.session))
            for i, c in enumerate(self.session.available_choices()[:9], 1):
                parts.append(f"{i}: {c.text}")
        self.app.announce(" ".join(parts))

    def enter(self) -> None:
        if self.spoken_lines == 0:
            self._speak_new()

    # ------------------------------------------------------------ navigation
    def open_debrief(self) -> None:
        from simulator.app.screens.debrief import DebriefScreen

        if self.report is None:
            self._finish()
        if self.report is not None:
            self.app.replace(DebriefScreen(self.app, self.run.attempt, self.report, self.run.sf))
            self.app.run = None

    def back_to_library(self) -> None:
        from simulator.app.screens.library import LibraryScreen

        self.app.run = None
        self.app.reset(LibraryScreen(self.app))

    def toggle_case(self) -> None:
        self.case_open = not self.case_open
        tab = self.case.label()
        self.app.announce(f"Case file, {tab} tab" if self.case_open else "Case file closed")

    def pause(self) -> None:
        from simulator.app.screens.pause import PauseScreen

        self.app.push(PauseScreen(self.app, self))

    # ------------------------------------------------------------ frame
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN:
            return self._key(event)
        if event.type == pygame.MOUSEWHEEL:
            mouse = pygame.mouse.get_pos()
            if self.case_open and self.case.handle(event, mouse):
                return True
            return self.transcript.handle_wheel(event, mouse) or self.choices.handle_wheel(
                event, mouse
            )
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if self.case_open and self.case.handle(event, event.pos):
                return True
            return self.focus.click(event.pos)
        return False

    def _key(self, event: pygame.event.Event) -> bool:
        key = event.key
        if key == pygame.K_ESCAPE:
            if self.case_open:
                self.toggle_case()
            else:
                self.app.defer(self.pause)
            return True
        if key in (pygame.K_TAB, pygame.K_c):
            self.toggle_case()
            return True
        if key in DIGITS:
            index = DIGITS[key] - 1
            choices = [] if self.session.ended else self.session.available_choices()
            if index < len(choices):
                cid = choices[index].id
                self.app.defer(lambda: self.choose(cid))
            return True
        if self.case_open and key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.case.cycle(1 if key == pygame.K_RIGHT else -1)
            self.app.announce(f"{self.case.label()} tab")
            return True
        if key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END):
            return (self.case.doc if self.case_open else self.transcript).handle_scroll_key(event)
        if key in (pygame.K_UP, pygame.K_DOWN):
            self.focus.move(-1 if key == pygame.K_UP else 1)
            return True
        return self.focus.handle_key(event)

    def update(self, dt: float) -> None:
        if self.remaining is None or self.session.ended:
            return
        self.remaining -= dt
        if self.remaining <= 0:
            self.remaining = 0
            self.time_out()

    def animating(self) -> bool:
        return self.remaining is not None and not self.session.ended

    def draw_content(self, surface: pygame.Surface) -> None:
        th = self.theme
        self.draw_header(surface, self.scenario.title)
        if self.case_open:
            self.case.draw(surface)
        else:
            self._draw_scene(surface)
            self.transcript.draw(surface)
        self._draw_countdown(surface)
        if self.prompt_surf is not None:
            surface.blit(self.prompt_surf, (self.decide_rect.x, self.prompt_y))
        cur = self.focus.current
        selected = next(
            (b for b in self.choices.blocks if cur is not None and b.name == cur.name), None
        )
        self.choices.draw(surface, selected=selected)
        if not self.wide:
            pygame.draw.line(
                surface,
                th.colour("border"),
                (self.decide_rect.x, self.decide_rect.y - th.px(0.4)),
                (self.decide_rect.right, self.decide_rect.y - th.px(0.4)),
                2,
            )

    def _draw_scene(self, surface: pygame.Surface) -> None:
        th = self.theme
        r = self.scene_rect
        hc = th.high_contrast
        surface.blit(art.scene(services.scene_key(self.session), r.size, hc), r.topleft)
        levels = services.mood_levels(self.session)
        mood = art.mood(*levels)
        ph = int(r.height * 0.92)
        portrait = art.portrait(self.scenario, mood, (ph * 5 // 6, ph), hc)
        surface.blit(portrait, (r.right - portrait.get_width() - th.px(0.5), r.bottom - ph))
        name = self.scenario.case_file.person.name
        font = th.font("bold")
        caption = f"{name} looks {mood.value}"
        if font.size(caption)[0] > r.width - th.px(1):
            caption = fit(font, f"Looks {mood.value}", r.width - th.px(1))
        cs = font.render(caption, True, th.colour("text"))
        box = pygame.Rect(
            r.x,
            r.bottom - cs.get_height() - th.px(0.5),
            cs.get_width() + th.px(1),
            cs.get_height() + th.px(0.5),
        )
        pygame.draw.rect(surface, th.colour("surface"), box)
        pygame.draw.rect(surface, th.colour("border"), box, 1)
        surface.blit(cs, (box.x + th.px(0.5), box.y + th.px(0.25)))
        pygame.draw.rect(surface, th.colour("border"), r, 2)

    def _draw_countdown(self, surface: pygame.Surface) -> None:
        if self.limit is None or self.remaining is None or self.session.ended:
            return
        th = self.theme
        r = self.countdown_rect
        secs = max(0, int(self.remaining + 0.999))
        urgent = self.remaining <= min(5.0, self.limit * 0.34)
        pygame.draw.rect(surface, th.colour("bar_track"), r, border_radius=th.px(0.3))
        frac = max(0.0, min(1.0, self.remaining / self.limit))
        fill = r.copy()
        fill.width = int(r.width * frac)
        pygame.draw.rect(
            surface, th.colour("warn" if urgent else "accent"), fill, border_radius=th.px(0.3)
        )
        pygame.draw.rect(surface, th.colour("border"), r, 2, border_radius=th.px(0.3))
        label = f"Hurry — {secs} s left" if urgent else f"Timed decision: {secs} s left"
        ts = th.font("bold").render(label, True, th.colour("text"))
        plate = ts.get_rect(midleft=(r.x + th.px(0.5), r.centery)).inflate(th.px(0.5), 4)
        pygame.draw.rect(surface, th.colour("surface"), plate, border_radius=th.px(0.2))
        surface.blit(ts, (plate.x + th.px(0.25), plate.y + 2))
