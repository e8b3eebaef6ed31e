"""Pause (Esc during play): the countdown stops; resume, restart, change settings or leave.

Leaving keeps the attempt in progress: every choice is already recorded, so the next
start offers to resume it exactly where it was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.app import services
from simulator.app.screens.message import MessageScreen

if TYPE_CHECKING:
    from simulator.app.main import App
    from simulator.app.screens.play import PlayScreen


class PauseScreen(MessageScreen):
    def __init__(self, app: App, play: PlayScreen) -> None:
        self.play = play
        super().__init__(
            app,
            "Paused",
            "The countdown has stopped. Everything you have done so far is saved.",
            [
                ("Resume", lambda: None),
                ("Restart from the beginning", self.confirm_restart),
                ("Settings", self.settings),
                ("Save and quit to the library", self.save_and_quit),
                ("Close parolesim", app.quit),
            ],
            vertical=True,
            escape=0,
        )

    def settings(self) -> None:
        from simulator.app.screens.settings import SettingsScreen

        self.app.push(PauseScreen(self.app, self.play))
        self.app.push(SettingsScreen(self.app))

    def save_and_quit(self) -> None:
        from simulator.app.screens.library import open_library

        self.app.run = None
        open_library(self.app)

    def confirm_restart(self) -> None:
        self.app.push(
            MessageScreen(
                self.app,
                "Restart this scenario?",
                "This attempt is set aside (it stays in your records as abandoned) and a new "
                "attempt starts from the beginning.",
                [("Restart", self.restart), ("Cancel", lambda: None)],
            )
        )

    def restart(self) -> None:
        from simulator.app.screens.play import PlayScreen

        run = self.play.run

        def begin() -> services.Run:
            self.app.records.abandon(run.profile, run.attempt.id)
            return services.start_run(
                self.app.records, run.profile, run.sf, run.mode, run.session.extra_time
            )

        def started(new: services.Run) -> None:
            self.app.run = new
            # the Play screen under this pause is replaced by a fresh one
            while self.app.stack and self.app.top is not self.play:
                self.app.pop()
            self.app.replace(PlayScreen(self.app, new))

        self.app.work(
            "Starting again…",
            begin,
            started,
            lambda msg: self.app.show_error("The scenario could not restart", msg),
        )
