"""Themes: pygame_gui theme files under ``assets/themes`` scaled to the trainee's text size.

One JSON file per theme (normal, high contrast) styles the pygame_gui widgets and also
holds the app's own palette (block ``#palette``) and text styles (blocks ``#text_*``),
so a coordinator restyles everything in one place. Text scale is applied at load by
multiplying every font size in the file, rather than keeping a copy per size.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pygame
import pygame_gui

from engine.resources import bundled_assets
from simulator.errors import CommandError

ASSETS = bundled_assets() or Path.cwd() / "assets"
THEMES_DIR = ASSETS / "themes"
FONT_DIR = Path(pygame_gui.__file__).resolve().parent / "data"
FONT_FILES = {False: "NotoSans-Regular.ttf", True: "NotoSans-Bold.ttf"}
BUNDLED_FONT = "noto_sans"  # the theme files' font name for pygame_gui's own Noto Sans
# The name the app gives pygame_gui for the same files, opened by path (see scale_fonts)
FONT_BY_PATH = "noto_sans_file"
TEXT_STYLES = ("small", "body", "bold", "heading", "title", "huge")
MIN_BODY_PX = 18

Colour = pygame.Color


class ThemeError(CommandError):
    """A theme file that is missing or does not have the blocks the app needs.

    A :class:`CommandError`, so the command line reports it in one line, exit 1.
    """


def theme_path(name: str) -> Path:
    path = THEMES_DIR / f"{name}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in THEMES_DIR.glob("*.json"))) or "none"
        raise ThemeError(f"no theme file {path} (themes available: {known})")
    return path


def scale_fonts(data: Any, scale: float) -> Any:
    """A copy of theme ``data`` with every font ``size`` multiplied by ``scale`` (rounded)."""
    out = copy.deepcopy(data)

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "font":
                    for font in value if isinstance(value, list) else [value]:
                        if isinstance(font, dict) and "size" in font:
                            font["size"] = str(max(1, round(float(font["size"]) * scale)))
                        if isinstance(font, dict) and font.get("name") == BUNDLED_FONT:
                            # by file path: pygame_gui then opens the file for each size
                            # instead of holding its own 0.6 MB copy of it per size. Under
                            # another name: pygame_gui ignores the paths given for a name
                            # it already knows, and it knows "noto_sans" as its default.
                            font["name"] = FONT_BY_PATH
                            font.setdefault("regular_path", str(FONT_DIR / FONT_FILES[False]))
                            font.setdefault("bold_path", str(FONT_DIR / FONT_FILES[True]))
                else:
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(out)
    return out


@dataclass(frozen=True)
class TextStyle:
    size: int
    bold: bool


class Theme:
    """A loaded theme at one text scale: the pygame_gui theme dict, palette and fonts."""

    def __init__(self, name: str, scale: float) -> None:
        self.name = name
        self.scale = scale
        path = theme_path(name)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ThemeError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
        self.data: dict[str, Any] = scale_fonts(raw, scale)
        try:
            colours = self.data["#palette"]["colours"]
        except (KeyError, TypeError):
            raise ThemeError(f"{path}: the block '#palette' with 'colours' is missing") from None
        self.palette: dict[str, Colour] = {k: Colour(v) for k, v in colours.items()}
        self.styles: dict[str, TextStyle] = {}
        for style in TEXT_STYLES:
            try:
                font = self.data[f"#text_{style}"]["font"]
                self.styles[style] = TextStyle(int(font["size"]), font.get("bold") == "1")
            except (KeyError, TypeError, ValueError):
                raise ThemeError(
                    f"{path}: block '#text_{style}' needs a font with a size"
                ) from None
        self._fonts: dict[str, pygame.font.Font] = {}

    @property
    def high_contrast(self) -> bool:
        return self.name == "high_contrast"

    def colour(self, key: str) -> Colour:
        try:
            return self.palette[key]
        except KeyError:
            raise ThemeError(f"theme {self.name!r} has no colour {key!r} in '#palette'") from None

    def font(self, style: str) -> pygame.font.Font:
        """The Noto Sans font for a text style (``body``, ``heading``...) at this scale."""
        f = self._fonts.get(style)
        if f is None:
            st = self.styles[style]
            f = pygame.font.Font(str(FONT_DIR / FONT_FILES[st.bold]), st.size)
            self._fonts[style] = f
        return f

    def line_height(self, style: str = "body") -> int:
        return self.font(style).get_linesize()

    @cached_property
    def em(self) -> int:
        """The body text size in pixels; layouts measure spacing in it."""
        return self.styles["body"].size

    def px(self, n: float) -> int:
        """``n`` body-text units in pixels, for spacing that grows with the text."""
        return max(1, round(n * self.em))
