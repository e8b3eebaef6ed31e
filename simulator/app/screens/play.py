"""Play: the scene, the conversation so far, the person's face, and the choices.

The screen asks the engine what is happening (transcript, node, available choices,
variables for the portrait's mood) and sends back only what the trainee picks, or a
time-out when a timed decision's countdown runs out. Each transcript line is rendered
once into a cached block; new lines are appended without re-laying out the old ones.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame

from simulator.app import art, dashboard, services
from simulator.app.casefile import CaseFilePanel
from simulator.app.screens.base import Screen, fit
from simulator.app.screens.play_parts import line_block, play_layout, spoken
from simulator.app.widgets import Block, DocBuilder, DocView

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.app.services import Run

HINT = "1–9 choose · C or Tab: case file · Esc: pause"
KEYS = (
    "1 to 9: take that choice",
    "Up/Down: move between the choices; Enter or Space: take the focused one",
    "Tab or C: open or close the case file; Left/Right: its tabs",
    "S and F on the Caseload tab: change the dashboard's sort and filter",
    "Page Up/Page Down, Home/End: scroll the conversation (or the open case file)",
    "Esc: close the case file; else pause (resume, restart, settings, leave)",
)
DIGITS = {getattr(pygame, f"K_{i}"): i for i in range(1, 10)}
DIGITS.update({getattr(pygame, f"K_KP{i}"): i for i in range(1, 10)})


class PlayScreen(Screen):
    """One run of a scenario, from its first line to its ending."""

    hint = HINT
    keys = KEYS
    back_on_escape = False

    def __init__(self, app: App, run: Run) -> None:
        super().__init__(app)
        self.run = run
        self.session = run.session
        self.scenario = run.sf.scenario
        self.case_open = False
        self.case_tab = "person"
        self.board = dashboard.DashboardState()
        self.remaining: float | None = None
        self.limit: float | None = None
        self.decision_key: tuple[str, int] | None = None
        self.spoken_lines = 0
        self.report: dict[str, object] | None = None
        self.finish_error = ""
        self._blocks_for: list[Block] = []
        self.drawn: services.Stage | None = None  # what the scene last showed (tests read it)
        # the window's pixels under the countdown bar as last drawn in full: where, at what
        # window size, and the pixels (``draw_changes`` restores them each frame)
        self.under_countdown: tuple[pygame.Rect, tuple[int, int], pygame.Surface] | None = None
        # the first transcript line to show on opening: the start, or after a resume the
        # trainee's last choice, so the screen opens where they left off
        mine = [i for i, ln in enumerate(self.session.transcript) if ln.speaker == "officer"]
        self.unread_from = mine[-1] if mine else 0
        self._start_decision()

    # ------------------------------------------------------------ layout
    def build(self) -> None:
        th = self.theme
        self.layout = play_layout(th, self.size, self.header_height())
        self.scene_rect = self.layout.scene  # chat arrangement: may shrink to fit the choices
        self.transcript = DocView(th, self.layout.transcript, name="transcript")
        self._blocks_for = []
        self._sync_transcript(scroll=False)
        self.case = CaseFilePanel(
            th,
            self.app.text,
            self.scenario,
            self.layout.case,
            self.case_tab,
            on_tab=self._on_tab,
            dashboard=self._write_dashboard if self.scenario.caseload is not None else None,
        )
        self._layout_decision()
        self._refresh_focus()
        self._show_unread()

    def _on_tab(self, tab: str) -> None:
        self.case_tab = tab

    def _write_dashboard(self, b: DocBuilder) -> None:
        dashboard.write(
            b, self.session, self.board, partial(self._board, "sort"), partial(self._board, "only")
        )

    def _board(self, what: str, step: int = 1) -> None:
        """Change the dashboard's sort or filter, show it, and say what it now shows."""
        if what == "sort":
            self.board.cycle_sort(step)
        else:
            self.board.cycle_filter(step)
        self.case.refresh()
        self.dirty = True
        self.app.announce(self.board.said())

    def _layout_decision(self) -> None:
        """The countdown's place, and the prompt and choices (or the ending) as blocks."""
        th = self.theme
        lay = self.layout
        timed = self.limit is not None and not self.session.ended
        bar_h = th.line_height("bold") + th.px(0.4)
        if lay.decide is None:  # chat: the countdown takes the right of the title bar
            head = self.header_height()
            cw = th.font("bold").size("Hurry — 000 s left")[0] + th.px(1.5)
            self.countdown_rect = pygame.Rect(
                self.size[0] - cw - th.px(0.5), th.px(0.3), cw, head - th.px(0.6) if timed else 0
            )
            width = self.transcript.rect.width
        else:
            r = lay.decide
            self.countdown_rect = pygame.Rect(r.x, r.y, r.width, bar_h if timed else 0)
            y = r.y + (bar_h + th.px(0.6) if timed else 0)
            self.choices = DocView(
                th, pygame.Rect(r.x, y, r.width - th.px(0.6), r.bottom - y), name="choices"
            )
            width = self.choices.rect.width
        b = DocBuilder(th, self.app.text, width)
        if self.session.ended:
            self._ending_blocks(b)
        else:
            b.text(services.prompt(self.session), "bold", gap=0.5)
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
                    action=partial(self.choose, choice.id),
                    name=f"Choice {i}: {choice.text}",
                )
        if lay.decide is None:
            self._fit_chat(b.blocks)
        self.choices.set_blocks(b.blocks)

    def _fit_chat(self, blocks: list[Block]) -> None:
        """Cramped windows and large text: the scene banner, the conversation, and below
        them the prompt with at least two choices (or the ending's buttons) always in view.
        The banner gives up its height first, then the conversation, down to two lines."""
        th = self.theme
        lay = self.layout
        m = th.px(0.8)
        probe = DocView(th, pygame.Rect(0, 0, self.transcript.rect.width, 1 << 20))
        probe.set_blocks(blocks)
        actions = [blk for blk in probe.blocks if blk.action is not None]
        anchor = actions[min(1, len(actions) - 1)] if actions else probe.blocks[-1]
        need = anchor.y + anchor.height + th.px(0.5)
        whole = probe.content_height + th.px(0.5)
        top, bottom = lay.scene.y, self.size[1] - m
        two_lines = 2 * th.line_height("body")
        room = bottom - top - 2 * m
        banner = max(0, min(lay.scene.height, room - need - two_lines))
        if banner < th.px(4):
            banner = 0  # too small to show anything: the conversation has the room
        rest = room - banner
        # the conversation keeps two lines, or one when that is what two choices need
        keep = two_lines if rest - need >= two_lines else th.line_height("body")
        decide_h = min(max(need, min(whole, rest // 2)), rest - keep)
        self.scene_rect = pygame.Rect(lay.scene.x, top, lay.scene.width, banner)
        tr_top = top + (banner + m if banner else 0)
        self.transcript.rect = pygame.Rect(
            lay.transcript.x, tr_top, lay.transcript.width, bottom - decide_h - m - tr_top
        )
        self.transcript.offset = self.transcript._clamp(self.transcript.offset)
        self.choices = DocView(
            th,
            pygame.Rect(lay.transcript.x, bottom - decide_h, lay.transcript.width, decide_h),
            name="choices",
        )

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
        b.button("See your debrief", self.open_debrief, primary=True)
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
            self.limit = limit  # with the extra time this attempt was started with
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
        self.dirty = True
        self.unread_from = len(self._blocks_for)
        self._start_decision()
        if self.session.ended:
            self._finish(then=None)
        self._sync_transcript(scroll=False)
        if self.case.tab == "caseload":
            self.case.refresh()  # alerts arrive and hours are spent as the run goes on
        self._layout_decision()
        self.focus.set([])
        self._refresh_focus()
        self._show_unread()
        self._speak_new()

    def _finish(self, then: Callable[[], None] | None) -> None:
        """Score the run and close its attempt, off the frame loop; then ``then``."""

        def scored(report: dict[str, object]) -> None:
            self.report = report
            if then is not None:
                then()

        def failed(message: str) -> None:
            self.finish_error = message
            self.dirty = True
            if self.app.top is self:
                self._layout_decision()
                self._refresh_focus()

        self.app.work("Scoring your run…", lambda: self.app.finish_run(self.run), scored, failed)

    def _sync_transcript(self, *, scroll: bool) -> None:
        lines = self.session.transcript
        if len(self._blocks_for) >= len(lines):
            return
        width = self.transcript.rect.width
        first = len(self._blocks_for)
        new = [
            line_block(
                self.theme,
                self.app.text,
                self.session,
                lines[i],
                width,
                timed_out=i > 0
                and lines[i - 1].kind == "action"
                and lines[i - 1].speaker == "narrator",
            )
            for i in range(first, len(lines))
        ]
        self._blocks_for.extend(new)
        self.transcript.extend(new)
        if scroll:
            self._show_unread()

    def _show_unread(self) -> None:
        """Show what the last decision brought from its first line when it does not all fit
        (so it is read from the start, speaker's name in view), else scroll to the end; in
        the chat arrangement the end is the choices."""
        view = self.transcript
        if 0 <= self.unread_from < len(self._blocks_for):
            first = self._blocks_for[self.unread_from]
            if view.content_height - first.y > view.rect.height:
                view.scroll(first.y - view.offset)
                return
        view.scroll_to_end()

    def _speak_new(self) -> None:
        new = self.session.transcript[self.spoken_lines :]
        self.spoken_lines = len(self.session.transcript)
        if self.app.speech.enabled:
            self.app.announce(spoken(self.session, new))

    def enter(self) -> None:
        if self.spoken_lines == 0:
            self._speak_new()

    # ------------------------------------------------------------ navigation
    def open_debrief(self) -> None:
        from simulator.app.screens.debrief import DebriefScreen, decision_seqs

        if self.report is None:  # scoring failed before: try again, then open it
            self.finish_error = ""
            self._finish(then=self.open_debrief)
            return
        run, report = self.run, self.report

        def shown(_debrief: DebriefScreen) -> None:
            self.app.run = None

        self.app.open(
            "Opening your debrief…",
            partial(decision_seqs, self.app, run.attempt),
            partial(DebriefScreen, self.app, run.attempt, report, run.sf),
            place="replace",
            shown=shown,
        )

    def back_to_library(self) -> None:
        from simulator.app.screens.library import open_library

        self.app.run = None
        open_library(self.app)

    def toggle_case(self) -> None:
        self.case_open = not self.case_open
        self.app.announce(self.case.spoken() if self.case_open else "Case file closed")

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
        if self.case_open and self.case.tab == "caseload" and key in (pygame.K_s, pygame.K_f):
            back = -1 if event.mod & pygame.KMOD_SHIFT else 1
            self._board("sort" if key == pygame.K_s else "only", back)
            return True
        if self.case_open and key in (pygame.K_LEFT, pygame.K_RIGHT):
            self.case.cycle(1 if key == pygame.K_RIGHT else -1)
            self.app.announce(self.case.spoken())
            return True
        if key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END):
            return (self.case.doc if self.case_open else self.transcript).handle_scroll_key(event)
        if key in (pygame.K_UP, pygame.K_DOWN):
            cur = self.focus.current
            if cur is not None and not self.choices.rect.contains(cur.rect()):
                # first bring the focused choice into view (it may be below the new lines)
                block = next((b for b in self.choices.blocks if b.name == cur.name), None)
                if block is not None:
                    self.choices.ensure_visible(block)
                    return True
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
        lay = self.layout
        timed_chat = lay.decide is None and self.countdown_rect.height > 0
        reserve = self.countdown_rect.width + self.theme.px(1) if timed_chat else 0
        self.draw_header(surface, self.scenario.title, reserve)
        if self.case_open:
            self.case.draw(surface)
        else:
            self._draw_scene(surface)
        cur = self.focus.current
        selected = next(
            (b for b in self.choices.blocks if cur is not None and b.name == cur.name), None
        )
        if not self.case_open:
            self.transcript.draw(surface)
        if lay.decide is not None or not self.case_open:
            self.choices.draw(surface, selected=selected)
        if lay.mode != "wide" and not (self.case_open and lay.decide is None):
            r = self.choices.rect
            y = r.y - th.px(0.4)
            pygame.draw.line(surface, th.colour("border"), (r.x, y), (r.right, y), 2)

    def draw_live(self, surface: pygame.Surface) -> None:
        self._draw_countdown(surface)

    def _countdown_strip(self, surface: pygame.Surface) -> pygame.Rect:
        return self.countdown_rect.inflate(4, 4).clip(surface.get_rect())

    def keep_under_live(self, surface: pygame.Surface) -> None:
        """Keep the pixels under the countdown bar (a strip, not the window)."""
        r = self._countdown_strip(surface)
        self.under_countdown = (
            (r, surface.get_size(), surface.subsurface(r).copy())
            if r.width > 0 and r.height > 0
            else None
        )

    def draw_changes(self, surface: pygame.Surface) -> list[pygame.Rect] | None:
        """While a countdown runs, only its bar changes: restore that strip from the
        pixels kept under it and draw the bar again (a few thousand pixels, not the window)."""
        kept = self.under_countdown
        r = self._countdown_strip(surface)
        if self.dirty or kept is None or kept[:2] != (r, surface.get_size()):
            return None if r.width > 0 and r.height > 0 else []
        surface.blit(kept[2], r.topleft)
        self._draw_countdown(surface)
        return [r]

    def _draw_scene(self, surface: pygame.Surface) -> None:
        """The setting and the people in it, exactly as the nodes declare them (who is
        present, who sits); the case file's person shows their mood."""
        th = self.theme
        r = self.scene_rect
        st = services.stage(self.session)
        self.drawn = st
        if r.height <= 0:
            return
        hc = th.high_contrast
        surface.blit(art.scene(st.setting, r.size, hc), r.topleft)
        pygame.draw.rect(surface, th.colour("border"), r, 2)
        if not st.present:
            return  # e.g. in the car before the visit: the scene alone
        person = services.person_key(self.session)
        mood = art.mood(*services.mood_levels(self.session))  # drawn on a change, not per frame
        ph = int(r.height * 0.92)
        pw = ph * 5 // 6
        old = surface.get_clip()
        surface.set_clip(r)
        x = r.right - th.px(0.5)
        placed = []
        for who in st.present[:3]:  # the case file's person first, on the right
            feel = mood if who == person else art.Mood.CALM
            pic = art.cast_portrait(self.scenario, who, person, feel, (pw, ph), hc)
            drop = int(ph * 0.22) if who in st.sitting else 0  # seated: lower in the frame
            x -= pic.get_width()
            placed.append((pic, (x, r.bottom - ph + drop)))
            x += pic.get_width() // 3  # the next person a little behind, overlapping
        for pic, pos in reversed(placed):  # back to front: the case file's person in front
            surface.blit(pic, pos)
        surface.set_clip(old)
        if person not in st.present:
            return
        name = self.scenario.case_file.person.name
        font = th.font("bold")
        room = r.width - pw - th.px(1.5)
        caption = f"{name} looks {mood.value}"
        if font.size(caption)[0] > room:
            caption = fit(font, f"Looks {mood.value}", max(room, r.width // 2))
        key = ("caption", caption, th.name, th.scale)
        cs = self.app.text.get(key, lambda: font.render(caption, True, th.colour("text")))
        pad = th.px(0.25)
        y = r.y if self.layout.mode == "chat" else r.bottom - cs.get_height() - 2 * pad
        box = pygame.Rect(r.x, y, cs.get_width() + 4 * pad, cs.get_height() + 2 * pad)
        pygame.draw.rect(surface, th.colour("surface"), box)
        pygame.draw.rect(surface, th.colour("border"), box, 1)
        surface.blit(cs, (box.x + 2 * pad, box.y + pad))

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
        if self.layout.decide is None:
            label = f"Hurry — {secs} s left" if urgent else f"{secs} s left"
        else:
            label = f"Hurry — {secs} s left" if urgent else f"Timed decision: {secs} s left"
        ts = th.font("bold").render(label, True, th.colour("text"))
        plate = ts.get_rect(midleft=(r.x + th.px(0.5), r.centery)).inflate(th.px(0.5), 4)
        pygame.draw.rect(surface, th.colour("surface"), plate, border_radius=th.px(0.2))
        surface.blit(ts, (plate.x + th.px(0.25), plate.y + 2))
