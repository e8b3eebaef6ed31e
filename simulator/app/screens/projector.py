"""The instructor's projector: a class session in large type for the room.

The story so far and the decision sit on the left; the live count of votes on the right
(how many of those who joined have voted, never what they chose while voting is open);
once voting closes each option shows its share as a bar. The instructor plays the majority
or any option; no score shows until the session ends, when the debrief lists each decision
with the option played, its verdict and the class's distribution beside it. Every action
has a key (F1 lists them); K switches to the high-contrast theme for a washed-out projector.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame

from simulator.app.classroom import ClassService, Follower
from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen, fit
from simulator.app.screens.debrief import VERDICT_COLOURS
from simulator.app.services import ServiceError

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.app.theme import Theme
    from simulator.store.classdata import ClassSession, Poll

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KEYS = (
    "V: open voting on this decision",
    "C: close voting (the distribution shows)",
    "H: enter a show-of-hands count",
    "M: play the class's majority",
    "1-9: play option 1-9 (the instructive wrong one, or on a tie)",
    "E: end the session and show the debrief (Page Up/Down, Home, End scroll it)",
    "K: switch between the normal and the high-contrast theme",
    "Tab and arrows: move between the buttons and options; Enter: use it",
    "Esc: leave the projector (the session stays open; end it with E)",
)


def draw_option(
    surface: pygame.Surface,
    theme: Theme,
    rect: pygame.Rect,
    letter: str,
    lines: list[str],
    style: str,
    *,
    marked: bool = False,
) -> int:
    """One option as the room sees it: a lettered badge and its words (``marked``: the
    trainee's own vote, outlined); returns the x where the words start."""
    th = theme
    pygame.draw.rect(surface, th.colour("surface"), rect, border_radius=th.px(0.3))
    edge = th.colour("good") if marked else th.colour("border")
    pygame.draw.rect(surface, edge, rect, th.px(0.2) if marked else 2, border_radius=th.px(0.3))
    badge = pygame.Rect(rect.x + th.px(0.4), rect.y + th.px(0.3), th.px(2.6), th.px(2.6))
    pygame.draw.rect(surface, th.colour("accent"), badge, border_radius=th.px(0.3))
    mark = th.font("title").render(letter, True, th.colour("accent_text"))
    surface.blit(mark, mark.get_rect(center=badge.center))
    tx = badge.right + th.px(0.6)
    font = th.font(style)
    y = rect.y + th.px(0.3)
    for line in lines:
        surface.blit(font.render(line, True, th.colour("text")), (tx, y))
        y += font.get_linesize()
    return tx


class ProjectorScreen(Screen):
    title = "Class session"
    hint = "V open · C close · H hands · M majority · 1-9 play · E end · K contrast · F1 keys"
    keys = KEYS

    def __init__(self, app: App, service: ClassService, view: ClassSession) -> None:
        super().__init__(app)
        self.service = service
        self.view = view
        self.follower = Follower(service, view.id, story=True)
        self.option_rects: list[pygame.Rect] = []
        self.error = ""

    # ------------------------------------------------------------ actions
    def _do(self, label: str, job: Callable[[], ClassSession], said: str) -> None:
        """Change the session off the frame loop (through a records server each change is a
        network call), then show its new state."""

        def done(view: ClassSession) -> None:
            self.view = view
            self.app.announce(said)
            self.follower.poke()
            self.rebuild()

        self.app.work(label, job, done, partial(self.app.show_error, "That did not work"))

    def open_voting(self) -> None:
        self._do(
            "Opening voting…", partial(self.service.open_voting, self.view.id), "Voting is open"
        )

    def close_voting(self) -> None:
        self._do(
            "Closing voting…", partial(self.service.close_voting, self.view.id), "Voting is closed"
        )

    def play(self, choice: str | None) -> None:
        said = "Playing the majority" if choice is None else f"Playing option {choice}"
        self._do("Playing it…", partial(self.service.play, self.view.id, choice), said)

    def end(self) -> None:
        self._do(
            "Ending the session…",
            partial(self.service.end, self.view.id),
            "The session has ended: debrief",
        )

    def hands(self) -> None:
        from simulator.app.screens.form import FormScreen

        poll = self.view.current
        if poll is None:
            return
        fields = [
            (f"{LETTERS[i]}: {fit(self.theme.font('body'), o.text, self.theme.px(30))}", False)
            for i, o in enumerate(poll.options)
        ]

        def submit(values: list[str]) -> str | Callable[[], None]:
            counts: dict[str, int] = {}
            for i, value in enumerate(values):
                text = value.strip() or "0"
                if not text.isdigit():
                    return f"Option {LETTERS[i]}: type a whole number of hands, not {value!r}."
                counts[LETTERS[i]] = int(text)
            try:
                view = self.service.count_hands(self.view.id, counts)
            except ServiceError as exc:
                return str(exc)
            return partial(self._counted, view)

        self.app.push(
            FormScreen(
                self.app,
                f"Show of hands — decision {poll.number}",
                "How many hands for each option? They are added to the workstation votes.",
                fields,
                "Count",
                submit,
            )
        )

    def _counted(self, view: ClassSession) -> None:
        self.view = view
        self.rebuild()

    def contrast(self) -> None:
        settings = self.app.settings
        settings.theme = "normal" if settings.theme == "high_contrast" else "high_contrast"
        self.app.apply_settings()

    def leave(self) -> None:
        self.follower.stop()

    # ------------------------------------------------------------ frame
    def update(self, dt: float) -> None:
        newer = self.follower.take()
        if newer is not None and newer != self.view:
            before = self.view
            self.view = newer
            poll = newer.current
            if poll is not None and (
                before.current is None or before.current.voters != poll.voters
            ):
                self.app.announce(f"{poll.voters} voted")
            self.rebuild()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and not self.focus.typing():
            poll = self.view.current
            keyed: dict[int, Callable[[], None]] = {
                pygame.K_v: self.open_voting,
                pygame.K_c: self.close_voting,
                pygame.K_h: self.hands,
                pygame.K_m: partial(self.play, None),
                pygame.K_e: self.end,
                pygame.K_k: self.contrast,
            }
            if poll is not None:
                for i in range(min(9, len(poll.options))):
                    keyed[pygame.K_1 + i] = partial(self.play, LETTERS[i])
            if self.view.status == "ended":
                keyed = {pygame.K_k: self.contrast}
                step = {
                    pygame.K_PAGEDOWN: 1,
                    pygame.K_PAGEUP: -1,
                    pygame.K_HOME: -99,
                    pygame.K_END: 99,
                }.get(event.key)
                if step is not None:
                    self.debrief_scroll += step * (self.size[1] // 2)
                    self.dirty = True
                    return True
            action = keyed.get(event.key)
            if action is not None:
                self.app.defer(action)
                return True
        return super().handle(event)

    # ------------------------------------------------------------ layout
    def buttons(self) -> list[tuple[str, Callable[[], None], bool]]:
        poll = self.view.current
        if self.view.status == "ended":
            return [("High contrast (K)", self.contrast, False), ("Back", self.app.pop, True)]
        spec: list[tuple[str, Callable[[], None], bool]] = []
        if poll is not None and poll.state == "waiting":
            spec.append(("Open voting (V)", self.open_voting, True))
        if poll is not None and poll.state in ("waiting", "open"):
            spec.append(("Close voting (C)", self.close_voting, poll.state == "open"))
        if poll is not None and poll.state != "played":
            spec.append(("Show of hands (H)", self.hands, False))
        if poll is not None and poll.state == "closed" and len(poll.leaders()) == 1:
            spec.append(("Play majority (M)", partial(self.play, None), True))
        spec.append(("End session (E)", self.end, poll is None))
        spec.append(("High contrast (K)", self.contrast, False))
        return spec

    def build(self) -> None:
        th = self.theme
        w, _h = self.size
        m = th.px(0.8)
        stops, below = self.button_row(self.buttons(), self.header_height() + m)
        self.top_y = below + th.px(0.8)
        self.option_rects = []
        self.option_lines: list[list[str]] = []
        self.debrief_scroll = min(getattr(self, "debrief_scroll", 0), 10**6)
        self.left_scroll = 0
        left_w = int((w - 3 * m) * 0.66)
        self.left_area = pygame.Rect(0, self.top_y, m + left_w + th.px(0.4), _h - self.top_y)
        area_h = _h - m - self.top_y
        poll = self.view.current
        self.story_shown = self._fit_story(left_w, area_h - 4 * th.line_height("title"))
        if poll is not None and self.view.status == "open":
            prompt_h = self._prompt_height(poll, left_w)
            need = 0
            self.option_style = "heading"
            for style in ("heading", "bold"):  # smaller type only when large does not fit
                self.option_style = style
                heights = self._option_heights(poll, left_w, style)
                need = prompt_h + sum(heights) + th.px(0.4) * len(heights)
                if need <= area_h:
                    break
            # the story so far gets the room the decision leaves (the newest lines first)
            self.story_shown = self._fit_story(left_w, area_h - need)
            y = self.top_y + self._story_height() + prompt_h
            for i, (option, oh) in enumerate(zip(poll.options, heights, strict=True)):
                rect = pygame.Rect(m, y, left_w, oh)
                self.option_rects.append(rect)
                stops.append(
                    Focusable(
                        f"Option {LETTERS[i]}: {option.text}",
                        rect=partial(self._on_screen, rect),
                        activate=partial(self.app.defer, partial(self.play, LETTERS[i])),
                        on_focus=partial(self._reveal, rect),
                        clip=lambda: self.left_area,
                    )
                )
                y += oh + th.px(0.4)
        self.focus.set(stops)

    def _on_screen(self, rect: pygame.Rect) -> pygame.Rect:
        return rect.move(0, -self.left_scroll)

    def _reveal(self, rect: pygame.Rect) -> None:
        """Scroll the decision so the focused option is in view (very large text only)."""
        margin = self.theme.px(0.4)
        if rect.bottom - self.left_scroll > self.left_area.bottom - margin:
            self.left_scroll = rect.bottom - self.left_area.bottom + margin
        elif rect.top - self.left_scroll < self.left_area.top:
            self.left_scroll = max(0, rect.top - self.left_area.top)
        self.dirty = True

    def _fit_story(self, width: int, budget: int) -> list[str]:
        """The newest lines of the story that fit in ``budget`` pixels, whole paragraphs."""
        font = self.theme.font("heading")
        shown: list[str] = []
        room = budget - self.theme.px(0.8)
        for text in reversed(self._story_lines()):
            wrapped = self._wrap(font, text, width)
            if (len(shown) + len(wrapped)) * font.get_linesize() > room:
                break
            shown = wrapped + shown
        return shown

    def _text_width(self, poll: Poll, width: int) -> int:
        """Room for an option's words: beside the letter, and left of the bar once shown."""
        th = self.theme
        inner = width - th.px(2.6) - th.px(1.6)
        return int(inner * 0.6) if poll.distribution else inner

    def _option_heights(self, poll: Poll, width: int, style: str) -> list[int]:
        th = self.theme
        font = th.font(style)
        self.option_lines = [
            self._wrap(font, o.text, self._text_width(poll, width)) for o in poll.options
        ]
        extra = th.line_height("bold") if poll.played else 0
        # room for the bar and its count beside the words, once the distribution shows
        least = th.px(3.2)
        if poll.distribution:
            least = max(least, th.line_height("heading") + th.line_height("bold") + th.px(1.0))
        return [
            max(least, len(lines) * font.get_linesize() + th.px(0.6)) + extra
            for lines in self.option_lines
        ]

    def _story_lines(self) -> list[str]:
        lines = []
        for line in self.view.story:
            if line.kind == "ending":
                continue
            who = "" if line.speaker in ("", "narrator") else f"{line.speaker}: "
            lines.append(f"{who}{line.text}")
        return lines[-3:]

    def _story_height(self) -> int:
        if not self.story_shown:
            return 0
        return len(self.story_shown) * self.theme.line_height("heading") + self.theme.px(0.8)

    def _prompt_height(self, poll: Poll, width: int) -> int:
        font = self.theme.font("title")
        return len(self._wrap(font, poll.prompt, width)) * font.get_linesize() + self.theme.px(0.8)

    def _wrap(self, font: pygame.font.Font, text: str, width: int) -> list[str]:
        from simulator.app.text import wrap

        return wrap(font, text, width)

    # ------------------------------------------------------------ drawing
    def draw_content(self, surface: pygame.Surface) -> None:
        view = self.view
        self.draw_header(surface, f"{view.scenario_title} — {view.cohort}")
        if view.status == "ended":
            self._draw_debrief(surface)
            return
        poll = view.current
        th = self.theme
        w, _h = self.size
        m = th.px(0.8)
        left_w = int((w - 3 * m) * 0.66)
        right = pygame.Rect(m * 2 + left_w, self.top_y, w - left_w - 3 * m, th.px(14))
        if poll is not None:
            self._draw_count(surface, right, poll)
        old = surface.get_clip()
        surface.set_clip(self.left_area)
        try:
            self._draw_left(surface, m, left_w)
        finally:
            surface.set_clip(old)

    def _draw_left(self, surface: pygame.Surface, m: int, left_w: int) -> None:
        """The story, the decision and its options (scrolled only at very large text)."""
        view, th = self.view, self.theme
        poll = view.current
        y = self.top_y - self.left_scroll
        font = th.font("heading")
        for line in self.story_shown:
            surface.blit(font.render(line, True, th.colour("muted")), (m, y))
            y += font.get_linesize()
        y += th.px(0.8) if self.story_shown else 0
        if poll is None:
            ending = (view.ending or {}).get("title") or "The story has reached its ending"
            self._draw_lines(surface, [str(ending)], "title", "text", m, y, left_w)
            self._draw_lines(
                surface,
                ["Press E to end the session and show the debrief."],
                "heading",
                "muted",
                m,
                y + th.line_height("title") + th.px(1),
                left_w,
            )
            return
        self._draw_lines(surface, [poll.prompt], "title", "text", m, y, left_w)
        counts = poll.distribution
        top = max(counts.values(), default=0)
        total = sum(counts.values())
        for i, (option, page_rect) in enumerate(zip(poll.options, self.option_rects, strict=False)):
            rect = self._on_screen(page_rect)
            played = poll.played == option.id
            lines = self.option_lines[i] if i < len(self.option_lines) else []
            tx = draw_option(surface, th, rect, LETTERS[i], lines, self.option_style)
            text_w = rect.right - tx - th.px(0.6)
            if counts:
                n = counts.get(option.id, 0)
                bar_x = tx + int(text_w * 0.64)
                bar_w = rect.right - bar_x - th.px(0.6)
                track = pygame.Rect(bar_x, rect.y + th.px(0.5), bar_w, th.line_height("heading"))
                pygame.draw.rect(surface, th.colour("bar_track"), track)
                fill = track.copy()
                fill.width = int(bar_w * n / top) if top else 0
                pygame.draw.rect(surface, th.colour("chart_1" if n == top else "chart_6"), fill)
                share = f"{n}  ({round(100 * n / total)}%)" if total else "0"
                label = th.font("bold").render(share, True, th.colour("text"))
                surface.blit(label, (bar_x, track.bottom + th.px(0.15)))
            if played:
                mark = th.font("bold").render("Played", True, th.colour("good"))
                surface.blit(mark, (tx, rect.bottom - mark.get_height() - th.px(0.2)))

    def _draw_count(self, surface: pygame.Surface, area: pygame.Rect, poll: Poll) -> None:
        th = self.theme
        joined = self.view.joined_count
        state = {
            "waiting": "Voting not open yet",
            "open": "Voting open",
            "closed": "Voting closed",
            "played": "Played",
        }[poll.state]
        y = area.y
        y = self._draw_lines(
            surface, [f"Decision {poll.number}", state], "heading", "text", area.x, y, area.width
        )
        if poll.state == "waiting":
            return
        votes = poll.total if poll.state != "open" else poll.voters
        big = th.font("huge").render(str(votes), True, th.colour("accent"))
        surface.blit(big, (area.x, y + th.px(0.4)))
        y += big.get_height() + th.px(0.6)
        noun = "vote" if votes == 1 else "votes"
        parts = [f"{noun} of {joined} joined" if poll.state == "open" else f"{noun} in all"]
        hands = sum(poll.hands.values())
        if hands:
            parts.append(f"{hands} by show of hands")
        self._draw_lines(surface, parts, "heading", "muted", area.x, y, area.width)

    def _draw_lines(
        self,
        surface: pygame.Surface,
        texts: list[str],
        style: str,
        colour: str,
        x: int,
        y: int,
        width: int,
    ) -> int:
        th = self.theme
        font = th.font(style)
        for text in texts:
            for line in self._wrap(font, text, width):
                surface.blit(font.render(line, True, th.colour(colour)), (x, y))
                y += font.get_linesize()
        return y

    def _draw_debrief(self, surface: pygame.Surface) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        page = self._debrief_page(w - 2 * m - th.px(0.8))
        view_h = h - self.top_y - m
        self.debrief_scroll = max(0, min(self.debrief_scroll, page.get_height() - view_h))
        surface.blit(
            page, (m, self.top_y), pygame.Rect(0, self.debrief_scroll, page.get_width(), view_h)
        )
        if page.get_height() > view_h:  # a scroll bar says there is more
            track = pygame.Rect(w - m - th.px(0.4), self.top_y, th.px(0.4), view_h)
            pygame.draw.rect(surface, th.colour("bar_track"), track)
            thumb_h = max(th.px(1), view_h * view_h // page.get_height())
            top = self.top_y + (view_h - thumb_h) * self.debrief_scroll // max(
                1, page.get_height() - view_h
            )
            pygame.draw.rect(surface, th.colour("accent"), (track.x, top, track.width, thumb_h))

    def _debrief_page(self, width: int) -> pygame.Surface:
        """The whole debrief on one transparent page (it scrolls with Page Up/Down)."""
        th = self.theme
        lines: list[tuple[str, str, str, int]] = []
        report = self.view.report or {}
        if "overall" in report:
            verdict = "passed" if report.get("passed") else "not passed"
            head = f"Debrief — the class's run: {report['overall']:.0f} / 100, {verdict}"
        else:
            head = "Debrief — the session ended before the story did; it is not scored"
        lines.append((head, "title", "text", 0))
        decisions = report.get("decisions", [])
        indent = th.px(1)
        for poll in self.view.polls:
            judged = decisions[poll.number - 1] if poll.number <= len(decisions) else {}
            verdict = str(judged.get("verdict", ""))
            policy = (judged.get("policy") or {}).get("id", "")
            played = next((o for o in poll.options if o.id == poll.played), None)
            lines.append((f"{poll.number}. {poll.prompt}", "bold", "text", 0))
            said = f"Played {poll.letter(poll.played or '')}: {played.text if played else '-'}"
            if verdict:
                said += f" — {verdict}" + (f" ({policy})" if policy else "")
            lines.append((said, "body", VERDICT_COLOURS.get(verdict, "text"), indent))
            counts = poll.distribution
            spread = (
                "  ·  ".join(f"{poll.letter(k)} {v}" for k, v in counts.items())
                if sum(counts.values())
                else "no votes taken"
            )
            lines.append((f"Class: {spread}", "body", "muted", indent))
        pieces: list[tuple[pygame.Surface, int, int]] = []
        y = 0
        for text, style, colour, left in lines:
            font = th.font(style)
            for line in self._wrap(font, text, width - left):
                pieces.append((font.render(line, True, th.colour(colour)), left, y))
                y += font.get_linesize()
            y += th.px(0.5) if style == "title" else th.px(0.15 if style == "bold" else 0.1)
        page = pygame.Surface((width, max(1, y)), pygame.SRCALPHA)
        for piece, x, top in pieces:
            page.blit(piece, (x, top))
        return page
