"""The scenario library: cards with family, difficulty, length, status and best score.

Filter by family with the buttons along the top, search titles as you type, move
between cards with the arrow keys and open one with Enter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

import pygame
import pygame_gui

from engine.wording import plural
from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen, fit
from simulator.app.services import FAMILY_LABELS, AssignedInfo, AttemptInfo, ServiceError
from simulator.app.text import render_lines, wrap

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App

HINT = "Arrows: move · Enter: open · /: search · Esc: sign out (asks first)"
KEYS = (
    "Arrows: move between scenario cards (Up from the first row: to the buttons)",
    "Enter or Space: open the focused scenario's briefing",
    "/: go to the search box; Down from it: to the first card",
    "Tab and Shift+Tab: move between the search box, buttons and cards",
    "Esc: leave the search box; elsewhere, sign out (it asks first)",
)


@dataclass
class Standing:
    """What the trainee has done with one scenario."""

    attempts: int = 0
    completed: int = 0
    in_progress: int = 0
    best: float | None = None
    best_passed: bool | None = None

    def words(self) -> str:
        if self.best is not None:
            verdict = "passed" if self.best_passed else "not passed"
            text = f"Best {self.best:.0f} / 100 ({verdict})"
            if self.in_progress:
                text += " · one in progress"
            return text
        if self.in_progress:
            return "In progress — open to resume"
        if self.completed:
            return f"Completed {self.completed}×, not scored"
        return "Not started"


def standings(attempts: list[AttemptInfo]) -> dict[str, Standing]:
    out: dict[str, Standing] = {}
    for a in attempts:
        st = out.setdefault(a.scenario_id, Standing())
        st.attempts += 1
        if a.status == "completed":
            st.completed += 1
        elif a.status == "in_progress":
            st.in_progress += 1
        if a.overall is not None and (st.best is None or a.overall > st.best):
            st.best, st.best_passed = a.overall, a.passed
    return out


def _open_class_session(app: App) -> int | None:
    """The class session open for the trainee's cohort, if any (the newest)."""
    from simulator.app.screens.classroom import class_service

    try:
        found = class_service(app).open_sessions()
    except ServiceError:
        return None
    return found[0].id if found else None


@dataclass(frozen=True)
class LibraryData:
    """What the library shows from the records, read off the frame loop by :meth:`read`:
    the trainee's attempts, their assignments (soonest due first) and the class session
    open for their cohort; ``error`` says what could not be read."""

    attempts: tuple[AttemptInfo, ...] = ()
    assigned: tuple[AssignedInfo, ...] = ()
    open_class: int | None = None
    error: str = ""

    @classmethod
    def read(cls, app: App) -> LibraryData:
        profile = app.profile
        if profile is None:
            return cls(error="Sign in first: the library shows your records.")
        attempts: tuple[AttemptInfo, ...] = ()
        assigned: tuple[AssignedInfo, ...] = ()
        error = ""
        try:
            attempts = tuple(app.records.attempts(profile))
        except ServiceError as exc:
            error = str(exc)
        try:
            if profile.role == "trainee":
                assigned = tuple(app.records.assigned(profile))
        except ServiceError as exc:
            error = f"{error} Your assignments could not be read: {exc}".strip()
        return cls(attempts, assigned, _open_class_session(app), error)


def open_library(app: App, shown: Callable[[LibraryScreen], None] | None = None) -> None:
    """Make the library the only screen once the trainee's records are read (off the frame
    loop), then ``shown(library)``."""
    app.open(
        "Opening your library…",
        partial(LibraryData.read, app),
        partial(LibraryScreen, app),
        place="reset",
        shown=shown,
    )


class LibraryScreen(Screen):
    hint = HINT
    keys = KEYS
    title = "Scenario library"

    def __init__(self, app: App, data: LibraryData) -> None:
        super().__init__(app)
        self.query = ""
        self.family: str | None = None
        self.scroll = 0
        self.selected_id: str | None = None
        self.data = data
        self.error = data.error
        self.standing = standings(list(data.attempts))
        self.assigned: dict[str, AssignedInfo] = {}
        for a in data.assigned:  # soonest due first
            self.assigned.setdefault(a.scenario_id, a)
        self.open_class = data.open_class

    # ------------------------------------------------------------ data
    def visible(self) -> list[ScenarioFile]:
        q = self.query.strip().lower()
        out = []
        for sf in self.app.catalog.scenarios:
            s = sf.scenario
            if self.family is not None and s.family != self.family:
                continue
            if q and q not in s.title.lower():
                continue
            out.append(sf)
        return sorted(out, key=self._assigned_first)

    def _assigned_first(self, sf: ScenarioFile) -> tuple[int, date]:
        """Assignments first (those still to do before those done, soonest due first), then
        the rest in library order (the sort is stable)."""
        a = self.assigned.get(sf.scenario.id)
        if a is None:
            return (2, date.max)
        return (1 if a.done else 0, a.due_on)

    # ------------------------------------------------------------ layout
    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(0.8)
        bh = self.button_height()
        y = self.header_height() + m
        stops: list[Focusable] = []
        label_w = th.font("bold").size("Search titles")[0] + th.px(0.6)
        search_w = label_w + th.px(14)
        families = [(None, "All"), *FAMILY_LABELS.items()]
        texts = [f"• {lab}" if fam == self.family else lab for fam, lab in families]
        filter_ws = [self.button_width(t) for t in texts]
        compact = sum(filter_ws) + th.px(0.5) * len(filter_ws) > w - 2 * m
        places = [
            *([("Join class session", self.join_class)] if self.open_class else []),
            ("Progress", self.progress),
            ("Settings", self.settings),
            ("Sign out", self.sign_out),
        ]
        widths = [search_w] + [self.button_width(t) for t, _ in places]
        current = "All families" if self.family is None else FAMILY_LABELS[self.family]
        family_text = f"Family: {current}"
        if compact:
            widths.insert(1, self.button_width(family_text))
        rects, y = self.flow(widths, m, w - m, y, bh)
        search_rect = rects.pop(0)
        self.search_label_pos = (search_rect.x, search_rect.y + (bh - th.line_height("bold")) // 2)
        self.search, f = self.entry(
            pygame.Rect(search_rect.x + label_w, search_rect.y, search_rect.width - label_w, bh),
            "Search titles",
            text=self.query,
        )
        stops.append(f)
        if compact:
            _, f = self.button(rects.pop(0), family_text, self.next_family, name="Family filter")
            stops.append(f)
        for rect, (text, action) in zip(rects, places, strict=True):
            _, f = self.button(rect, text, action)
            stops.append(f)
        if not compact:
            rects, y = self.flow(filter_ws, m, w - m, y + th.px(0.4), bh)
            for rect, (fam, label), text in zip(rects, families, texts, strict=True):
                selected = fam == self.family
                _, f = self.button(
                    rect,
                    text,
                    partial(self.set_family, fam),
                    object_id="#toggle_on" if selected else None,
                    name=f"Show {label}",
                )
                stops.append(f)
        y += th.px(0.8)
        self.grid_rect = pygame.Rect(m, y, w - 2 * m - th.px(0.6), h - y - m)
        self._layout_cards()
        self.card_stops = self._card_stops()
        self.focus.set(stops + self.card_stops)
        first = self._card_index(self.selected_id)
        if self.card_stops:
            self.focus.focus(self.card_stops[first if first is not None else 0], announce=False)

    def _layout_cards(self) -> None:
        th = self.theme
        self.cards = self.visible()
        gap = th.px(0.8)
        min_w = th.px(17)
        cols = max(1, (self.grid_rect.width + gap) // (min_w + gap))
        self.cols = cols
        card_w = (self.grid_rect.width - gap * (cols - 1)) // cols
        pad = th.px(0.7)
        inner = card_w - 2 * pad
        title_lines = max(
            [min(3, len(wrap(th.font("bold"), sf.scenario.title, inner))) for sf in self.cards]
            or [1]
        )
        card_h = (
            2 * pad
            + title_lines * th.line_height("bold")
            + th.px(0.3)
            + 2 * th.line_height("small")
            + th.px(0.4)
        )
        self.card_size = (card_w, card_h)
        self.card_pad = pad
        self.title_lines = title_lines
        rows = (len(self.cards) + cols - 1) // cols
        self.content_h = rows * (card_h + gap) - gap if rows else 0
        self.scroll = max(0, min(self.scroll, self.content_h - self.grid_rect.height))

    def _card_stops(self) -> list[Focusable]:
        return [
            Focusable(
                f"{sf.scenario.title}. {self._meta(sf)}. {self._status(sf)}",
                rect=partial(self._card_screen_rect, i),
                activate=partial(self.app.defer, partial(self.open, sf)),
                on_focus=partial(self._card_focused, i),
                clip=lambda: self.grid_rect,
            )
            for i, sf in enumerate(self.cards)
        ]

    def _card_rect(self, i: int) -> pygame.Rect:
        gap = self.theme.px(0.8)
        w, h = self.card_size
        r, c = divmod(i, self.cols)
        return pygame.Rect(c * (w + gap), r * (h + gap), w, h)

    def _card_screen_rect(self, i: int) -> pygame.Rect:
        return self._card_rect(i).move(self.grid_rect.x, self.grid_rect.y - self.scroll)

    def _card_index(self, scenario_id: str | None) -> int | None:
        for i, sf in enumerate(self.cards):
            if sf.scenario.id == scenario_id:
                return i
        return None

    def _card_focused(self, i: int) -> None:
        self.selected_id = self.cards[i].scenario.id
        r = self._card_rect(i)
        margin = self.theme.px(0.5)
        if r.y - margin < self.scroll:
            self.scroll = max(0, r.y - margin)
        elif r.bottom + margin > self.scroll + self.grid_rect.height:
            # show the card's bottom, but never scroll its title out of view (a card taller
            # than the grid, at large text, shows from its top)
            self.scroll = min(r.bottom + margin - self.grid_rect.height, max(0, r.y - margin))

    def _meta(self, sf: ScenarioFile) -> str:
        s = sf.scenario
        return (
            f"{FAMILY_LABELS[s.family]} · {s.difficulty.value.capitalize()} · "
            f"{s.estimated_minutes} min"
        )

    def _status(self, sf: ScenarioFile) -> str:
        words = self.standing.get(sf.scenario.id, Standing()).words()
        a = self.assigned.get(sf.scenario.id)
        return words if a is None else f"{a.words(date.today())} · {words}"

    # ------------------------------------------------------------ actions
    def set_family(self, family: str | None) -> None:
        self.family = family
        self.scroll = 0
        label = "All" if family is None else FAMILY_LABELS[family]
        self.rebuild()
        self.focus.focus_name(f"Show {label}")

    def next_family(self) -> None:
        """The compact family filter: each press shows the next family (then all)."""
        order: list[str | None] = [None, *FAMILY_LABELS]
        self.family = order[(order.index(self.family) + 1) % len(order)]
        self.scroll = 0
        self.rebuild()
        self.focus.focus_name("Family filter")
        current = "all families" if self.family is None else FAMILY_LABELS[self.family]
        self.app.announce(f"Showing {current}")

    def open(self, sf: ScenarioFile) -> None:
        from simulator.app.screens.briefing import open_briefing

        self.selected_id = sf.scenario.id
        open_briefing(self.app, sf)

    def join_class(self) -> None:
        from simulator.app.screens.classroom import show_session

        session_id = self.open_class
        if session_id is None:
            return
        show_session(
            self.app,
            "Joining the class session…",
            lambda service: service.join(session_id),
            projector=False,
            failed="You could not join the class session",
        )

    def progress(self) -> None:
        from simulator.app.screens.progress import open_progress

        open_progress(self.app)

    def settings(self) -> None:
        from simulator.app.screens.settings import SettingsScreen

        self.app.push(SettingsScreen(self.app))

    def ask_sign_out(self) -> None:
        name = self.app.profile.display_name if self.app.profile else "this profile"
        self.app.confirm(
            "Sign out?",
            f"Sign out of {name}? Your records are saved; sign in again to carry on.",
            "Sign out",
            self.sign_out,
        )

    def sign_out(self) -> None:
        from simulator.app.screens.signin import sign_out

        sign_out(self.app)

    # ------------------------------------------------------------ events
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_TEXT_ENTRY_CHANGED and event.ui_element is self.search:
            self.query = self.search.get_text()
            self._refilter()
            return True
        if event.type == pygame.KEYDOWN:
            cur = self.focus.current
            on_card = cur in self.card_stops
            if event.key == pygame.K_SLASH and not self.focus.typing():
                self.focus.focus_name("Search titles")
                return True
            if event.key == pygame.K_ESCAPE:
                if self.focus.typing():
                    self.focus.move(1)
                    return True
                self.app.defer(self.ask_sign_out)
                return True
            if on_card and event.key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN):
                assert cur is not None
                i = self.card_stops.index(cur)
                step = {
                    pygame.K_LEFT: -1,
                    pygame.K_RIGHT: 1,
                    pygame.K_UP: -self.cols,
                    pygame.K_DOWN: self.cols,
                }[event.key]
                j = i + step
                if 0 <= j < len(self.card_stops):
                    self.focus.focus(self.card_stops[j])
                elif j < 0 and event.key == pygame.K_UP:
                    self.focus.move(-1 - i)  # up from the first row: to the filters
                return True
            if self.focus.typing() and event.key == pygame.K_DOWN and self.card_stops:
                self.focus.focus(self.card_stops[0])
                return True
        if event.type == pygame.MOUSEWHEEL and self.grid_rect.collidepoint(pygame.mouse.get_pos()):
            limit = max(0, self.content_h - self.grid_rect.height)
            self.scroll = max(0, min(limit, self.scroll - event.y * self.theme.px(3)))
            return True
        return super().handle(event)

    def _refilter(self) -> None:
        self.scroll = 0
        keep = self.focus.current
        self._layout_cards()
        others = [s for s in self.focus.items if s not in self.card_stops]
        self.card_stops = self._card_stops()
        self.focus.items = others + self.card_stops
        if keep is not None and keep in self.focus.items:
            self.focus.index = self.focus.items.index(keep)

    # ------------------------------------------------------------ drawing
    def draw_content(self, surface: pygame.Surface) -> None:
        th = self.theme
        who = self.app.profile.display_name if self.app.profile else ""
        self.draw_header(surface, f"Scenario library — {who}")
        surface.blit(
            th.font("bold").render("Search titles", True, th.colour("text")), self.search_label_pos
        )
        old = surface.get_clip()
        surface.set_clip(self.grid_rect.inflate(12, 12))
        if not self.cards:
            self._draw_empty(surface)
        for i, sf in enumerate(self.cards):
            r = self._card_screen_rect(i)
            if r.bottom < self.grid_rect.y - 10 or r.y > self.grid_rect.bottom + 10:
                continue
            self._draw_card(surface, sf, r)
        surface.set_clip(old)
        self._draw_scrollbar(surface)

    def _draw_empty(self, surface: pygame.Surface) -> None:
        th = self.theme
        if self.app.catalog.scenarios:
            text = (
                f"No scenario title contains “{self.query}”."
                if self.query
                else ("No scenarios in this family yet.")
            )
        else:
            text = (
                "The library is empty: no scenario files were found. Ask your training "
                "coordinator to install the scenarios."
            )
        if self.app.catalog.problems:
            text += (
                f" {plural(len(self.app.catalog.problems), 'problem')} were found in scenario "
                "files; `parolesim lint` lists them."
            )
        if self.error:
            text += f" {self.error}"
        surf = self.app.text.paragraph(
            th.font("body"), text, th.colour("text"), self.grid_rect.width
        )
        surface.blit(surf, self.grid_rect.topleft)

    def _draw_card(self, surface: pygame.Surface, sf: ScenarioFile, r: pygame.Rect) -> None:
        th = self.theme
        s = sf.scenario
        radius = th.px(0.4)
        selected = self.focus.current is not None and self.focus.current.rect() == r
        pygame.draw.rect(
            surface, th.colour("selected_bg" if selected else "surface"), r, border_radius=radius
        )
        pygame.draw.rect(surface, th.colour("border"), r, 2, border_radius=radius)
        pad = self.card_pad
        inner = r.width - 2 * pad
        key = ("card-title", s.title, inner, self.title_lines, th.name, th.scale)

        def title() -> pygame.Surface:
            lines = wrap(th.font("bold"), s.title, inner)
            if len(lines) > self.title_lines:
                lines = lines[: self.title_lines]
                lines[-1] = fit(th.font("bold"), lines[-1] + "…", inner)
            return render_lines(th.font("bold"), lines, th.colour("text"))

        ts = self.app.text.get(key, title)
        y = r.y + pad
        surface.blit(ts, (r.x + pad, y))
        y += self.title_lines * th.line_height("bold") + th.px(0.3)
        for text, colour in ((self._meta(sf), "muted"), (self._status(sf), "text")):
            line = th.font("small").render(
                fit(th.font("small"), text, inner), True, th.colour(colour)
            )
            surface.blit(line, (r.x + pad, y))
            y += th.line_height("small")

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        th = self.theme
        gr = self.grid_rect
        if self.content_h <= gr.height:
            return
        w = max(6, th.px(0.35))
        track = pygame.Rect(gr.right + w // 2, gr.y, w, gr.height)
        pygame.draw.rect(surface, th.colour("bar_track"), track, border_radius=w // 2)
        h = max(w * 3, gr.height * gr.height // self.content_h)
        y = track.y + (track.height - h) * self.scroll // max(1, self.content_h - gr.height)
        pygame.draw.rect(surface, th.colour("muted"), (track.x, y, w, h), border_radius=w // 2)
