"""Themes: readable sizes at every scale, enough contrast, one file per theme scaled at load."""

from __future__ import annotations

import json

import pygame
import pytest

from simulator.app.settings import TEXT_SCALES, THEMES
from simulator.app.text import TextCache, wrap
from simulator.app.theme import MIN_BODY_PX, THEMES_DIR, Theme, ThemeError, scale_fonts


def luminance(c: pygame.Color) -> float:
    def chan(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    return 0.2126 * chan(c.r) + 0.7152 * chan(c.g) + 0.0722 * chan(c.b)


def contrast(a: pygame.Color, b: pygame.Color) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# (text colour, background) pairs the app draws; WCAG AA asks 4.5:1 for body text
PAIRS = [
    ("text", "background"),
    ("text", "surface"),
    ("muted", "background"),
    ("muted", "surface"),
    ("header_text", "header"),
    ("accent_text", "accent"),
    ("text", "selected_bg"),
    ("text", "officer_bg"),
    ("accent", "officer_bg"),
    ("accent", "surface"),
    ("good", "surface"),
    ("bad", "surface"),
    ("warn", "background"),
    ("critical", "surface"),
    ("text", "bar_track"),
    ("badge_text", "good"),
    ("badge_text", "bad"),
    ("text", "surface_alt"),
]
# shapes that carry meaning (bars, outlines, the focus ring's dark edge): WCAG asks 3:1
GRAPHICS = [
    ("accent", "bar_track"),
    ("warn", "bar_track"),
    ("border", "background"),
    ("border", "surface"),
    ("good", "background"),
    ("bad", "background"),
]


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.parametrize(("fg", "bg"), PAIRS)
def test_text_colours_have_at_least_aa_contrast(name: str, fg: str, bg: str) -> None:
    th = Theme(name, 1.0)
    ratio = contrast(th.colour(fg), th.colour(bg))
    assert ratio >= 4.5, f"{name}: {fg} on {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.parametrize(("fg", "bg"), GRAPHICS)
def test_meaningful_shapes_stand_out_at_three_to_one(name: str, fg: str, bg: str) -> None:
    th = Theme(name, 1.0)
    ratio = contrast(th.colour(fg), th.colour(bg))
    assert ratio >= 3, f"{name}: {fg} on {bg} is {ratio:.2f}:1"


@pytest.mark.parametrize("name", THEMES)
@pytest.mark.parametrize("under", ["background", "surface", "accent", "selected_bg", "header"])
def test_the_focus_ring_shows_on_everything_it_can_surround(name: str, under: str) -> None:
    th = Theme(name, 1.0)
    band, edge = th.colour("focus"), th.colour("focus_outline")
    assert max(contrast(band, th.colour(under)), contrast(edge, th.colour(under))) >= 3
    assert contrast(band, edge) >= 3  # the band and its edge tell apart from each other


@pytest.mark.parametrize("name", THEMES)
def test_high_contrast_theme_reaches_seven_to_one_for_body_text(name: str) -> None:
    th = Theme(name, 1.0)
    if th.high_contrast:
        assert contrast(th.colour("text"), th.colour("background")) >= 7


@pytest.mark.parametrize("name", THEMES)
def test_no_text_style_is_smaller_than_18_px_at_100_percent(name: str) -> None:
    th = Theme(name, 1.0)
    assert min(s.size for s in th.styles.values()) >= MIN_BODY_PX
    data = json.loads((THEMES_DIR / f"{name}.json").read_text())
    widget_sizes = [
        int(b["font"]["size"])
        for b in data.values()
        if isinstance(b, dict) and isinstance(b.get("font"), dict)
    ]
    assert min(widget_sizes) >= MIN_BODY_PX


@pytest.mark.parametrize("scale", TEXT_SCALES)
def test_every_font_size_in_the_theme_file_is_scaled_at_load(scale: int) -> None:
    th = Theme("normal", scale / 100)
    raw = json.loads((THEMES_DIR / "normal.json").read_text())
    assert th.styles["body"].size == round(int(raw["#text_body"]["font"]["size"]) * scale / 100)
    assert th.data["button"]["font"]["size"] == str(round(20 * scale / 100))
    assert raw["button"]["font"]["size"] == "20"  # the file itself is never changed


def test_scaling_reaches_fonts_in_lists_and_nested_blocks() -> None:
    data = {
        "a": {"font": [{"name": "x", "size": "10"}, {"name": "y", "size": "12"}]},
        "b": {"inner": {"font": {"size": "8"}}},
    }
    scaled = scale_fonts(data, 1.5)
    assert [f["size"] for f in scaled["a"]["font"]] == ["15", "18"]
    assert scaled["b"]["inner"]["font"]["size"] == "12"


def test_an_unknown_theme_names_the_ones_available() -> None:
    with pytest.raises(ThemeError, match="high_contrast, normal"):
        Theme("sepia", 1.0)


def test_wrapped_lines_never_exceed_the_width_and_keep_every_word() -> None:
    pygame.font.init()
    font = Theme("normal", 1.0).font("body")
    text = (
        "Report to your parole officer as directed, and tell them about any change of "
        "address within 48 hours. Supercalifragilisticexpialidociousness happens."
    )
    for width in (60, 150, 400, 1200):
        lines = wrap(font, text, width)
        assert all(font.size(line)[0] <= width for line in lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_a_label_shares_its_first_line_with_the_text() -> None:
    pygame.font.init()
    font = Theme("normal", 1.0).font("body")
    lines = wrap(font, "short words here and there", 300, first_width=120)
    assert font.size(lines[0])[0] <= 120
    assert all(font.size(line)[0] <= 300 for line in lines[1:])


def test_cached_paragraphs_are_rendered_once() -> None:
    pygame.font.init()
    font = Theme("normal", 1.0).font("body")
    cache = TextCache()
    first = cache.paragraph(font, "Tyler Brandt: It's Tyler.", (0, 0, 0), 500)
    again = cache.paragraph(font, "Tyler Brandt: It's Tyler.", (0, 0, 0), 500)
    assert first is again and cache.misses == 1 and cache.hits == 1
