"""Colours of the parolesim illustration style and the small maths used to vary them.

The style is calm and flat: muted, slightly warm colours, shade and highlight made by mixing
toward a deep blue-grey ink or a warm paper white rather than toward pure black and white.
``high_contrast`` pushes light colours lighter and dark colours darker for the high-contrast
theme, keeping each colour's hue so the scene still reads the same.
"""

from __future__ import annotations

Color = tuple[int, int, int]

INK: Color = (36, 40, 54)
"""Deep blue-grey used for shade, outlines and facial lines (softer than black)."""
PAPER: Color = (250, 247, 240)
"""Warm white used for highlights."""
HC_EDGE: Color = (12, 12, 18)
"""Outline colour of the high-contrast theme."""


def hexc(code: str) -> Color:
    """``"#a1b2c3"`` -> ``(161, 178, 195)``; raises ``ValueError`` naming the bad code."""
    text = code.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour {code!r} is not of the form '#rrggbb'")
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        raise ValueError(f"colour {code!r} is not of the form '#rrggbb'") from None


def mix(a: Color, b: Color, t: float) -> Color:
    """The colour ``t`` of the way from ``a`` to ``b`` (0 gives ``a``, 1 gives ``b``)."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def shade(c: Color, amount: float = 0.18) -> Color:
    """A darker version of ``c`` for the side of an object turned from the light."""
    return mix(c, INK, amount)


def tint(c: Color, amount: float = 0.18) -> Color:
    """A lighter version of ``c`` for the lit edge of an object."""
    return mix(c, PAPER, amount)


def luminance(c: Color) -> float:
    """Relative luminance 0..1 (Rec. 709 weights on gamma-encoded channels; good enough here)."""
    return (0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]) / 255.0


def high_contrast(c: Color) -> Color:
    """``c`` pushed away from mid-grey: lights toward white, darks toward near-black."""
    lum = luminance(c)
    if lum >= 0.5:
        return mix(c, (255, 255, 255), min(1.0, (lum - 0.5) * 1.5 + 0.15))
    return mix(c, (0, 0, 0), min(0.85, (0.5 - lum) * 1.4 + 0.2))


# Shared colours of the house style, named for what they are used for.
WALL_WARM = hexc("#e6ddd0")
WALL_SAGE = hexc("#c9d1bf")
WALL_BLUE = hexc("#cdd6dc")
WALL_GREY = hexc("#d9d8d3")
FLOOR_WOOD = hexc("#b48d6a")
FLOOR_TILE = hexc("#c8c2b6")
FLOOR_CONCRETE = hexc("#a9a8a2")
WOOD_DARK = hexc("#7b5a43")
WOOD_LIGHT = hexc("#c9a37e")
TERRACOTTA = hexc("#c4795b")
MUSTARD = hexc("#d3a94f")
TEAL = hexc("#4f8584")
SLATE = hexc("#5a6878")
NAVY = hexc("#34435c")
SAGE = hexc("#8fa487")
PLANT = hexc("#6f9a6b")
PLANT_DARK = hexc("#4f7a55")
SKY = hexc("#bcd3df")
SKY_LOW = hexc("#e4ece9")
GLASS = hexc("#a9c4cf")
METAL = hexc("#9aa3a8")
ASPHALT = hexc("#6e7175")
FABRIC_BLUE = hexc("#6f87a0")
FABRIC_ROSE = hexc("#c89f98")
CREAM = hexc("#efe6d6")
