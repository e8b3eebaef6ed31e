"""Settings: text size (100–200 %), theme, read-aloud, extra time, full screen.

Every change takes effect at once (the screen is rebuilt at the new size or theme so
the trainee sees the result) and is saved for the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import pygame

from simulator.app.focus import Focusable
from simulator.app.screens.base import Screen, ScrollPage, fit
from simulator.app.settings import EXTRA_TIME, EXTRA_TIME_LABELS, TEXT_SCALES

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
        labels = EXTRA_TIME_LABELS
        rows.append(
            (
                "Time on timed decisions",
                "Extra time for reading, added to every countdown, or no countdown at all. "
                "Your attempts record the choice so grading knows.",
                [
                    (
                        labels[v],
                        f"Time: {labels[v]}",
                        st.extra_time == v,
                        partial(self.set_extra, v),
                    )
                    for v in EXTRA_TIME
                ],
            )
        )
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
        top = self.header_height() + th.px(0.8)
        back_y = h - m - bh
        # a line above Back is kept for the cue that says when settings are out of view
        cue_h = th.line_height("bold") + th.px(0.4)
        self.cue_y = back_y - th.px(0.3) - cue_h
        self.page = ScrollPage(pygame.Rect(0, top, w, self.cue_y - th.px(0.3) - top))
        label_w = max(th.font("bold").size(r[0])[0] for r in self.options()) + th.px(1.5)
        stacked = label_w > w * 0.4
        x0 = m if stacked else m + label_w
        stops: list[Focusable] = []
        self.rows = []
        y = 0
        for title, note, opts in self.options():
            self.rows.append((title, None, (m, y + (bh - th.line_height("bold")) // 2)))
            if stacked:
                y += th.line_height("bold") + th.px(0.6)  # room for the focus ring below the label
            texts = [f"• {t}" if selected else t for t, _, selected, _ in opts]
            rects, bottom = self.flow([self.button_width(t) for t in texts], x0, w - m, y, bh)
            for rect, text, (_, name, selected, action) in zip(rects, texts, opts, strict=True):
                button, f = self.button(
                    rect,
                    text,
                    action,
                    name=name,
                    object_id="#toggle_on" if selected else None,
                )
                self.page.add(button, rect)
                f.on_focus = partial(self.page.reveal, pygame.Rect(0, y, w, bottom - y))
                f.clip = partial(getattr, self.page, "viewport")
                stops.append(f)
            y = (bottom + th.px(0.3)) if opts else y
            surf = self.app.text.paragraph(th.font("small"), note, th.colour("muted"), w - x0 - m)
            self.rows.append(("", surf, (x0, y)))
            y += surf.get_height() + th.px(1.0)
        self.page.height = y
        self.page.place()
        bw = self.button_width("Back")
        _, f = self.button(pygame.Rect(m, back_y, bw, bh), "Back", self.app.pop, primary=True)
        stops.append(f)
        self.focus.set(stops)

    def more(self) -> tuple[bool, bool]:
        """Whether settings are hidden above and below the visible part of the page."""
        view = self.page.viewport
        return self.page.offset > 0, self.page.offset + view.height < self.page.height

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEWHEEL:
            self.page.scroll(-event.y * self.theme.px(2))
            return True
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            step = self.page.viewport.height * 3 // 4
            self.page.scroll(-step if event.key == pygame.K_PAGEUP else step)
            return True
        return super().handle(event)

    # ------------------------------------------------------------ changes
    def _apply(self, focus: str) -> None:
        if not self.app.apply_settings():
            self.rebuild()
        self.focus.focus_name(focus)

    def set_scale(self, step: int) -> None:
        st = self.app.settings
        values = list(TEXT_SCALES)
        new = 100 if step == 0 else st.text_scale + step
        if step and not values[0] <= new <= values[-1]:
            limit = "smallest" if step < 0 else "largest"
            self.app.announce(f"Text size is already the {limit}: {st.text_scale} percent")
            return
        st.text_scale = new
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
        self._apply(f"Time: {EXTRA_TIME_LABELS[value]}")

    def set_fullscreen(self, on: bool) -> None:
        if on != self.app.settings.fullscreen:
            self.app.toggle_fullscreen()
            self.focus.focus_name("Full screen on" if on else "Full screen off")

    def draw_content(self, surface: pygame.Surface) -> None:
        th = self.theme
        self.draw_header(surface, "Settings")
        view = self.page.viewport
        old = surface.get_clip()
        surface.set_clip(view)
        for title, surf, (x, y) in self.rows:
            pos = (x, y + view.y - self.page.offset)
            if surf is None:
                label = self.app.text.paragraph(th.font("bold"), title, th.colour("text"), view.w)
                surface.blit(label, pos)
            else:
                surface.blit(surf, pos)
        surface.set_clip(old)
        above, below = self.more()
        if above or below:
            text = {
                (False, True): "More settings below: Tab or Page Down",
                (True, True): "More settings above and below: Tab, Page Up/Down",
                (True, False): "More settings above: Shift+Tab or Page Up",
            }[(above, below)]
            self._cue(surface, text)

    def _cue(self, surface: pygame.Surface, text: str) -> None:
        """A line under the settings that says, in words, that more are out of view."""
        th = self.theme
        view = self.page.viewport
        m = th.px(1.2)
        label = self.app.text.paragraph(
            th.font("bold"),
            fit(th.font("bold"), text, view.w - 3 * m),
            th.colour("text"),
            view.w,
        )
        pygame.draw.line(
            surface, th.colour("border"), (m, self.cue_y), (view.right - m, self.cue_y), 2
        )
        # an arrow drawn beside the words (the font has no arrow glyphs)
        a = th.px(0.8)
        y = self.cue_y + th.px(0.2) + label.get_height() // 2
        down = "below" in text and "above" not in text
        tip, base = (y + a // 2, y - a // 2) if down else (y - a // 2, y + a // 2)
        pygame.draw.polygon(
            surface, th.colour("text"), [(m, base), (m + a, base), (m + a // 2, tip)]
        )
        surface.blit(label, (m + a + th.px(0.5), self.cue_y + th.px(0.2)))
