"""Settings: text size (100–200 %), theme, read-aloud, extra time, full screen.

Every change takes effect at once (the screen is rebuilt at the new size or theme so
the trainee sees the result) and is saved for the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen
from simulator.app.settings import EXTRA_TIME, TEXT_SCALES

if TYPE_CHECKING:
    from simulator.app.main import App

HINT = "Tab or arrows: move · Enter: choose · Esc: back"
Option = tuple[str, str, bool, Callable[[], None]]  # text, focus name, selected, action


class SettingsScreen(Screen):
    hint = HINT
    title = "Settings"

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.rows: list[tuple[str, pygame.Surface | None, tuple[int, int]]] = []

    def options(self) -> list[tuple[str, str, list[Option]]]:
        st = self.app.settings
        speech = self.app.speech
        scale = st.text_scale
        rows: list[tuple[str, str, list[Option]]] = [
            (
                f"Text size: {scale} %",
                "From 100 % to 200 % in steps of 10 %.",
                [
                    ("Smaller", "Smaller text", False, lambda: self.set_scale(-10)),
                    ("Larger", "Larger text", False, lambda: self.set_scale(10)),
                    ("Reset to 100 %", "Reset text size", False, lambda: self.set_scale(0)),
                ],
            ),
            (
                "Theme",
                "High contrast uses white and yellow on black with thicker edges.",
                [
                    (
                        "Normal",
                        "Normal theme",
                        st.theme == "normal",
                        lambda: self.set_theme("normal"),
                    ),
                    (
                        "High contrast",
                        "High contrast theme",
                        st.theme == "high_contrast",
                        lambda: self.set_theme("high_contrast"),
                    ),
                ],
            ),
        ]
        if speech.available:
            rows.append(
                (
                    "Read aloud",
                    "Reads new lines, choices and focused items with espeak-ng.",
                    [
                        ("Off", "Read aloud off", not st.read_aloud, lambda: self.set_read(False)),
                        ("On", "Read aloud on", st.read_aloud, lambda: self.set_read(True)),
                    ],
                )
            )
        else:
            rows.append(
                ("Read aloud", "Not available: espeak-ng is not installed on this computer.", [])
            )
        labels = {1.0: "Standard", 1.5: "50 % more", 2.0: "Double"}
        rows.append(
            (
                "Time on timed decisions",
                "Extra time for reading, added to every countdown.",
                [
                    (
                        labels[v],
                        f"Time: {labels[v]}",
                        st.extra_time == v,
                        lambda v=v: self.set_extra(v),
                    )
                    for v in EXTRA_TIME
                ],
            )
        )  # type: ignore[misc]
        rows.append(
            (
                "Full screen",
                "F11 switches at any time.",
                [
                    (
                        "Off",
                        "Full screen off",
                        not st.fullscreen,
                        lambda: self.set_fullscreen(False),
                    ),
                    ("On", "Full screen on", st.fullscreen, lambda: self.set_fullscreen(True)),
                ],
            )
        )
        return rows

    def build(self) -> None:
        th = self.theme
        w, h = self.size
        m = th.px(1.2)
        bh = self.button_height()
        y = self.header_height() + m
        label_w = max(th.font("bold").size(r[0])[0] for r in self.options()) + th.px(1.5)
        stacked = label_w > w * 0.4
        stops: list[Focusable] = []
        self.rows = []
        for title, note, opts in self.options():
            self.rows.append((title, None, (m, y + (bh - th.line_height("bold")) // 2)))
            x = m if stacked else m + label_w
            if stacked:
                y += th.line_height("bold") + th.px(0.3)
            for text, name, selected, action in opts:
                shown = f"• {text}" if selected else text
                bw = self.button_width(shown)
                if x + bw > w - m and x > (m if stacked else m + label_w):
                    x = m if stacked else m + label_w
                    y += bh + th.px(0.4)
                _, f = self.button(
                    pygame.Rect(x, y, bw, bh),
                    shown,
                    action,
                    name=name,
                    object_id="#toggle_on" if selected else None,
                )
                stops.append(f)
                x += bw + th.px(0.5)
            if opts:
                y += bh + th.px(0.3)
            surf = self.app.text.paragraph(
                th.font("small"), note, th.colour("muted"), w - (m if stacked else m + label_w) - m
            )
            self.rows.append(("", surf, (m if stacked else m + label_w, y)))
            y += surf.get_height() + th.px(1.0)
        bw = self.button_width("Back")
        _, f = self.button(
            pygame.Rect(m, min(y, h - bh - m), bw, bh), "Back", self.app.pop, primary=True
        )
        stops.append(f)
        self.focus.set(stops)

    # ------------------------------------------------------------ changes
    def _apply(self, focus: str) -> None:
        self.app.apply_settings()
        self.rebuild()
        self.focus.focus_name(focus)

    def set_scale(self, step: int) -> None:
        st = self.app.settings
        values = list(TEXT_SCALES)
        new = 100 if step == 0 else st.text_scale + step
        st.text_scale = min(values[-1], max(values[0], new))
        self._apply(
            "Smaller text" if step < 0 else "Larger text" if step > 0 else "Reset text size"
        )
        self.app.announce(f"Text size {st.text_scale} percent")

    def set_theme(self, name: str) -> None:
        self.app.settings.theme = name
        self._apply("Normal theme" if name == "normal" else "High contrast theme")

    def set_read(self, on: bool) -> None:
        self.app.settings.read_aloud = on
        self._apply("Read aloud on" if on else "Read aloud off")
        self.app.announce("Read aloud is on")

    def set_extra(self, value: float) -> None:
        self.app.settings.extra_time = value
        labels = {1.0: "Standard", 1.5: "50 % more", 2.0: "Double"}
        self._apply(f"Time: {labels[value]}")

    def set_fullscreen(self, on: bool) -> None:
        if on != self.app.settings.fullscreen:
            self.app.toggle_fullscreen()
            self.focus.focus_name("Full screen on" if on else "Full screen off")

    def draw_content(self, surface: pygame.Surface) -> None:
        th = self.theme
        self.draw_header(surface, "Settings")
        for title, surf, pos in self.rows:
            if surf is None:
                surface.blit(th.font("bold").render(title, True, th.colour("text")), pos)
            else:
                surface.blit(surf, pos)
