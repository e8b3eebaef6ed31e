"""Sign-in: pick your trainee profile (with its password, if it has one) or create one.

After signing in, an attempt left unfinished (window closed, power lost) is offered
for resume before the library opens.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

import pygame

from simulator.app import art, services
from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen
from simulator.app.screens.form import FormScreen
from simulator.app.screens.message import MessageScreen
from simulator.app.services import Profile, ServiceError
from simulator.app.widgets import DocBuilder, DocView
from simulator.store.passwords import MIN_LENGTH

if TYPE_CHECKING:
    from engine.loader import ScenarioFile
    from simulator.app.main import App

ROLE_LABELS = {"fto": "FTO", "instructor": "instructor", "admin": "administrator"}
HINT = "Up/Down or Tab: move · Enter: choose · Esc: quit (asks first)"
KEYS = (
    "Up/Down or Tab, Shift+Tab: move between profiles and buttons",
    "Enter or Space: sign in as the focused profile, or press the focused button",
    "Esc: quit parolesim (it asks first)",
)


def read_profiles(app: App) -> tuple[list[Profile], str]:
    """The people on the sign-in list, or none and why they could not be read."""
    try:
        return app.records.profiles(), ""
    except ServiceError as exc:
        return [], str(exc)


def sign_out(app: App) -> None:
    """Back to the sign-in list, read off the frame loop (a network call through a records
    server); nothing signed in stays behind."""
    app.profile = None
    app.open(
        "Signing out…",
        partial(read_profiles, app),
        lambda found: SignInScreen(app, profiles=found),
        place="reset",
    )


class SignInScreen(Screen):
    hint = HINT
    keys = KEYS
    back_on_escape = False

    def __init__(
        self,
        app: App,
        then_scenario: str | None = None,
        profiles: tuple[list[Profile], str] | None = None,
    ) -> None:
        """``profiles``: the list read already, with the reason it is empty if it could
        not be read (see :func:`read_profiles`); without it the list is read here, as the
        window first opens, before there is anything to freeze."""
        super().__init__(app)
        self.then_scenario = then_scenario
        self.profiles, self.error = profiles if profiles is not None else read_profiles(app)

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(1.2)
        y = self.header_height() + m
        bh = self.button_height()
        roomy = h - y > th.px(20)
        logo_h = min(th.px(5.5), h // 6) if roomy else th.line_height("title")
        self.logo_pos = (m, y)
        self.logo_size = (logo_h, logo_h)
        tx = m + logo_h + th.px(1)
        self.welcome = self.app.text.paragraph(
            th.font("title"), "Officer training", th.colour("text"), w - tx - m
        )
        sub = (
            "Model State Division of Parole. Practise home visits, de-escalation, violation "
            "decisions and motivational interviewing."
        )
        self.welcome_sub = (
            self.app.text.paragraph(th.font("body"), sub, th.colour("muted"), w - tx - m)
            if roomy
            else pygame.Surface((1, 1), pygame.SRCALPHA)
        )
        self.welcome_pos = (tx, y)
        text_h = self.welcome.get_height() + (self.welcome_sub.get_height() if roomy else 0)
        y += max(logo_h, text_h) + th.px(1 if roomy else 0.5)
        self.list_title_pos = (m, y)
        y += th.line_height("heading") + th.px(0.4)
        list_w = min(w - 2 * m, th.px(30))
        buttons = (
            ("New profile", self.new_profile, not self.profiles),
            ("Settings", self.settings, False),
            ("Quit", self.app.quit, False),
        )
        rects, rows_h = self.flow([self.button_width(t) for t, _, _ in buttons], m, w - m, 0, bh)
        bottom = h - m - rows_h - th.px(0.8)
        self.doc = DocView(th, pygame.Rect(m, y, list_w, bottom - y), name="profiles")
        b = DocBuilder(th, self.app.text, list_w - th.px(0.8))
        for p in self.profiles:
            note = "password" if p.has_password else "no password"
            if p.role != "trainee":
                note = f"{ROLE_LABELS.get(p.role, p.role)}, {note}"
            b.labelled(
                p.display_name,
                f"({note})",
                label_style="bold",
                colour="muted",
                bg="surface",
                border="border",
                pad=0.45,
                gap=0.4,
                action=partial(self.pick, p),
                name=f"Sign in as {p.display_name}",
            )
        if not self.profiles:
            b.text(
                self.error or "No profiles yet on this computer. Create one to begin.",
                "body",
                "bad" if self.error else "text",
            )
        self.doc.set_blocks(b.blocks)
        stops: list[Focusable] = self.doc.focusables()
        for rect, (text, action, primary) in zip(rects, buttons, strict=True):
            _, f = self.button(rect.move(0, bottom + th.px(0.8)), text, action, primary=primary)
            stops.append(f)
        last = self.app.settings.last_profile
        self.focus.set(stops)
        for p in self.profiles:
            if p.username == last:
                self.focus.focus_name(f"Sign in as {p.display_name}")

    # ------------------------------------------------------------ actions
    def pick(self, profile: Profile) -> None:
        if profile.has_password:
            self.app.push(
                FormScreen(
                    self.app,
                    f"Sign in as {profile.display_name}",
                    "",
                    [("Password", True)],
                    "Sign in",
                    lambda v: self._sign_in(profile, v[0]),
                    busy="Signing in…",
                )
            )
            return
        self.app.work("Signing in…", lambda: self._sign_in(profile, None), self._after_sign_in)

    def _after_sign_in(self, result: str | Callable[[], None]) -> None:
        if isinstance(result, str):
            self.app.show_error("Sign-in failed", result)
        else:
            result()

    def _sign_in(self, profile: Profile, password: str | None) -> str | Callable[[], None]:
        try:
            me = self.app.records.sign_in(profile, password)
            self._load_for(me)
        except ServiceError as exc:
            return str(exc)
        return lambda: self.signed_in(me)

    def _load_for(self, me: Profile) -> None:
        """What the library needs, read on the worker thread (the scenario files)."""
        self.app.catalog.scenarios  # noqa: B018  (loads the library once)
        # the library and the modules stay for the whole run: keep them out of every
        # later collection (gc.freeze moves them to a generation no collection scans)
        gc.freeze()

    def new_profile(self) -> None:
        self.app.push(
            FormScreen(
                self.app,
                "New trainee profile",
                "Your name as your instructor knows it. A password is optional; it keeps others "
                f"on this computer from using your profile. If you set one, it needs at least "
                f"{MIN_LENGTH} characters.",
                [("Your name", False), ("Password (optional)", True)],
                "Create profile",
                self._create,
                busy="Creating your profile…",
            )
        )

    def _create(self, values: list[str]) -> str | Callable[[], None]:
        name, password = values[0].strip(), values[1]
        if not name:
            return "Type your name first."
        try:
            created = self.app.records.create_profile(name, password or None)
            me = self.app.records.sign_in(created, password or None)
            self._load_for(me)
        except ServiceError as exc:
            return str(exc)
        return lambda: self.signed_in(me)

    def signed_in(self, me: Profile) -> None:
        from simulator.app.screens.library import LibraryScreen, open_library

        self.app.profile = me
        self.app.settings.last_profile = me.username
        self.app.apply_settings()
        if me.role != "trainee":
            from simulator.app.screens.fto_home import open_home

            open_home(self.app)
            return

        def shown(library: LibraryScreen) -> None:
            offer = partial(self._offer_resume, me, library.data.attempts)
            if self.then_scenario:
                self._open_scenario(self.then_scenario, then=offer)
            else:
                offer()

        open_library(self.app, shown)

    def _open_scenario(self, ref: str, then: Callable[[], None]) -> None:
        """Open the briefing of the scenario named on the command line (read from its file
        off the frame loop when the library does not have it), then ``then()``."""
        from engine.library import find
        from engine.problems import ContentError
        from simulator.app.screens.briefing import BriefingScreen, unfinished_attempts

        catalog = self.app.catalog

        def load() -> tuple[ScenarioFile, list[services.AttemptInfo]]:
            try:
                sf = catalog.by_id(ref)
            except ServiceError:
                try:
                    sf = find(ref)
                except ContentError as exc:
                    raise ServiceError("; ".join(p.message for p in exc.problems)) from None
                catalog.add(sf)
            return sf, unfinished_attempts(self.app, sf)

        def show(found: tuple[ScenarioFile, list[services.AttemptInfo]]) -> None:
            self.app.push(BriefingScreen(self.app, *found))
            then()

        def failed(message: str) -> None:
            self.app.show_error("That scenario cannot be opened", message)
            then()

        self.app.work("Opening the briefing…", load, show, failed)

    def _offer_resume(self, me: Profile, attempts: Sequence[services.AttemptInfo]) -> None:
        waiting = [a for a in attempts if a.status == "in_progress"]
        if not waiting:
            return
        a = waiting[-1]
        mode = services.MODE_LABELS.get(a.mode, a.mode).lower()
        others = len(waiting) - 1
        more = {0: "", 1: " You have one other unfinished attempt too; its card says so."}.get(
            others, f" You have {others} other unfinished attempts too; their cards say so."
        )
        self.app.push(
            MessageScreen(
                self.app,
                "Pick up where you left off?",
                f"Your {mode} attempt at “{a.scenario_title}”, started "
                f"{a.started_at.astimezone():%d %b %Y at %H:%M}, was not finished. "
                f"Everything up to your last choice was saved.{more}",
                [
                    ("Resume it", lambda: self._resume(me, a)),
                    ("Set it aside", lambda: self._abandon(me, a)),
                    ("Not now", lambda: None),
                ],
            )
        )

    def _resume(self, me: Profile, attempt: services.AttemptInfo) -> None:
        from simulator.app.screens.play import PlayScreen

        def opened(run: services.Run) -> None:
            self.app.run = run
            self.app.push(PlayScreen(self.app, run))

        self.app.work(
            "Opening your attempt…",
            lambda: services.resume_run(self.app.records, self.app.catalog, me, attempt),
            opened,
            lambda msg: self.app.show_error("The attempt could not be resumed", msg),
        )

    def _abandon(self, me: Profile, attempt: services.AttemptInfo) -> None:
        self.app.work(
            "Setting the attempt aside…",
            partial(self.app.records.abandon, me, attempt.id),
            lambda _: None,
            partial(self.app.show_error, "The attempt could not be set aside"),
        )

    def ask_quit(self) -> None:
        self.app.confirm(
            "Quit parolesim?",
            "Your records are saved. You can open parolesim again at any time.",
            "Quit",
            self.app.quit,
        )

    def settings(self) -> None:
        from simulator.app.screens.settings import SettingsScreen

        self.app.push(SettingsScreen(self.app))

    def read_aloud(self) -> str:
        cur = self.focus.current
        focused = f" Focused: {cur.name}." if cur is not None else ""
        return (
            "Sign in. Officer training, Model State Division of Parole. Choose your profile. "
            f"{self.doc.spoken()}{focused}"
        )

    # ------------------------------------------------------------ events and drawing
    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            self.app.defer(self.ask_quit)
            return True
        if event.type == pygame.MOUSEWHEEL:
            return self.doc.handle_wheel(event, pygame.mouse.get_pos())
        return super().handle(event)

    def draw_content(self, surface: pygame.Surface) -> None:
        th = self.theme
        self.draw_header(surface, "parolesim")
        surface.blit(art.logo(self.logo_size, th.high_contrast), self.logo_pos)
        x, y = self.welcome_pos
        surface.blit(self.welcome, (x, y))
        surface.blit(self.welcome_sub, (x, y + self.welcome.get_height()))
        surface.blit(
            th.font("heading").render("Choose your profile", True, th.colour("text")),
            self.list_title_pos,
        )
        cur = self.focus.current
        selected = next(
            (b for b in self.doc.blocks if cur is not None and b.name == cur.name), None
        )
        self.doc.draw(surface, selected=selected)
