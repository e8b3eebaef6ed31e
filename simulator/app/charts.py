"""Pictures made of data: competency bars and the competency trend chart.

Each is drawn once into a surface (then only blitted). Series are told apart by marker
shape and a legend with the same shapes, not by colour alone, and every bar carries
its number in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from simulator.app.text import render_lines, wrap
from simulator.app.theme import Theme

MARKERS = ("circle", "square", "triangle", "diamond", "cross", "ring", "bar", "triangle_down")
COLOURS = 6


def style_of(i: int) -> tuple[str, str]:
    """Marker shape and palette colour of series ``i``: shapes cycle through 8, colours
    through 6, so no two of the first 24 series look alike."""
    return MARKERS[i % len(MARKERS)], f"chart_{(i + i // COLOURS) % COLOURS + 1}"


def draw_marker(
    surface: pygame.Surface,
    kind: str,
    centre: tuple[float, float],
    r: float,
    colour: pygame.Color,
    edge: pygame.Color,
) -> None:
    x, y = centre
    if kind == "circle":
        pygame.draw.circle(surface, colour, (x, y), r)
        pygame.draw.circle(surface, edge, (x, y), r, 1)
    elif kind == "square":
        rect = pygame.Rect(0, 0, r * 1.8, r * 1.8)
        rect.center = (round(x), round(y))
        pygame.draw.rect(surface, colour, rect)
        pygame.draw.rect(surface, edge, rect, 1)
    elif kind == "triangle":
        pts = [(x, y - r * 1.15), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
        pygame.draw.polygon(surface, colour, pts)
        pygame.draw.polygon(surface, edge, pts, 1)
    elif kind == "diamond":
        pts = [(x, y - r * 1.2), (x + r * 1.2, y), (x, y + r * 1.2), (x - r * 1.2, y)]
        pygame.draw.polygon(surface, colour, pts)
        pygame.draw.polygon(surface, edge, pts, 1)
    elif kind == "cross":
        w = max(2, round(r * 0.55))
        pygame.draw.line(surface, colour, (x - r, y - r), (x + r, y + r), w)
        pygame.draw.line(surface, colour, (x - r, y + r), (x + r, y - r), w)
    elif kind == "ring":
        pygame.draw.circle(surface, colour, (x, y), r, max(2, round(r * 0.45)))
    elif kind == "bar":
        rect = pygame.Rect(0, 0, r * 2.2, max(3, r * 0.9))
        rect.center = (round(x), round(y))
        pygame.draw.rect(surface, colour, rect)
        pygame.draw.rect(surface, edge, rect, 1)
    else:  # triangle_down
        pts = [(x, y + r * 1.15), (x + r * 1.1, y - r * 0.8), (x - r * 1.1, y - r * 0.8)]
        pygame.draw.polygon(surface, colour, pts)
        pygame.draw.polygon(surface, edge, pts, 1)


def bar(
    theme: Theme,
    width: int,
    title: str,
    score: float | None,
    note: str,
    *,
    value: str | None = None,
    colour: str = "accent",
    title_style: str = "bold",
) -> pygame.Surface:
    """A labelled bar 0–100 with the value written beside the title (``value`` words it
    otherwise, say as a share; ``colour`` is the fill's palette key)."""
    th = theme
    bold, small = th.font(title_style), th.font("small")
    if value is None:
        value = "not observed" if score is None else f"{score:.0f} / 100"
    right = f"{value}" + (f" · {note}" if note else "")
    rs = small.render(right, True, th.colour("text"))
    ts = _wrapped(bold, title, th.colour("text"), width)
    two_lines = ts.get_width() + rs.get_width() + th.px(1) > width
    bar_h = max(10, th.px(0.6))
    h = ts.get_height() + (rs.get_height() if two_lines else 0) + th.px(0.2) + bar_h
    surf = pygame.Surface((width, h), pygame.SRCALPHA)
    surf.blit(ts, (0, 0))
    y = ts.get_height()
    if two_lines:
        surf.blit(rs, (0, y))
        y += rs.get_height()
    else:
        surf.blit(rs, (width - rs.get_width(), (ts.get_height() - rs.get_height()) // 2))
    y += th.px(0.2)
    track = pygame.Rect(0, y, width, bar_h)
    pygame.draw.rect(surf, th.colour("bar_track"), track, border_radius=bar_h // 2)
    if score is not None:
        fill = track.copy()
        fill.width = max(bar_h, round(width * max(0.0, min(100.0, score)) / 100))
        pygame.draw.rect(surf, th.colour(colour), fill, border_radius=bar_h // 2)
    pygame.draw.rect(surf, th.colour("border"), track, 1, border_radius=bar_h // 2)
    return surf


def trend_chart(
    theme: Theme,
    size: tuple[int, int],
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
) -> pygame.Surface:
    """Lines of 0–100 scores over ``labels`` (one value per label, None where missing),
    with a legend of marker shapes under the plot."""
    th = theme
    w, h = size
    small = th.font("small")
    surf = pygame.Surface((w, h), pygame.SRCALPHA)
    # legend rows first, so the plot gets what is left
    legend: list[tuple[int, int, int]] = []  # (series index, x, y)
    lx, ly = 0, 0
    sw = th.px(2.2)
    row_h = small.get_linesize()
    for i, (title, _) in enumerate(series):
        iw = sw + th.px(0.4) + small.size(title)[0] + th.px(1.2)
        if lx + iw > w and lx > 0:
            lx, ly = 0, ly + row_h
        legend.append((i, lx, ly))
        lx += iw
    legend_h = (ly + row_h) if series else 0
    axis_w = small.size("100")[0] + th.px(0.5)
    plot = pygame.Rect(
        axis_w, th.px(0.5), w - axis_w - th.px(0.8), h - legend_h - row_h - th.px(1.4)
    )
    if plot.height < th.px(3):
        plot.height = th.px(3)
    pygame.draw.rect(surf, th.colour("surface"), plot)
    for v in (0, 25, 50, 75, 100):
        y = plot.bottom - plot.height * v / 100
        pygame.draw.line(surf, th.colour("bar_track"), (plot.x, y), (plot.right, y), 1)
        t = small.render(str(v), True, th.colour("muted"))
        surf.blit(t, (axis_w - th.px(0.3) - t.get_width(), y - t.get_height() / 2))
    pygame.draw.rect(surf, th.colour("border"), plot, 1)
    n = len(labels)

    def xy(j: int, v: float) -> tuple[float, float]:
        x = plot.x + (plot.width * (j + 0.5) / n if n else 0)
        return x, plot.bottom - plot.height * max(0.0, min(100.0, v)) / 100

    step = max(1, math.ceil(n * (small.size("00 Mmm")[0] + th.px(0.5)) / max(1, plot.width)))
    for j, lab in enumerate(labels):
        if j % step == 0:
            t = small.render(lab, True, th.colour("muted"))
            x, _ = xy(j, 0)
            surf.blit(t, (x - t.get_width() / 2, plot.bottom + th.px(0.2)))
    r = max(4, th.px(0.3))
    edge = th.colour("text")
    for i, (_, values) in enumerate(series):
        marker, key = style_of(i)
        colour = th.colour(key)
        pts = [xy(j, v) for j, v in enumerate(values) if v is not None]
        if len(pts) > 1:
            pygame.draw.lines(surf, colour, False, pts, max(2, th.px(0.12)))
        for p in pts:
            draw_marker(surf, marker, p, r, colour, edge)
    top = h - legend_h
    for i, x, y in legend:
        title = series[i][0]
        marker, key = style_of(i)
        colour = th.colour(key)
        cy = top + y + row_h / 2
        pygame.draw.line(surf, colour, (x, cy), (x + sw, cy), max(2, th.px(0.12)))
        draw_marker(surf, marker, (x + sw / 2, cy), r, colour, edge)
        surf.blit(small.render(title, True, th.colour("text")), (x + sw + th.px(0.4), top + y))
    return surf


def _wrapped(font: pygame.font.Font, text: str, colour: pygame.Color, width: int) -> pygame.Surface:
    """``text`` on as many lines as it needs to fit ``width``."""
    return render_lines(font, wrap(font, text, width), colour)


def histogram(
    theme: Theme,
    size: tuple[int, int],
    counts: Sequence[int],
    edges: Sequence[float],
    mark: float | None = None,
) -> pygame.Surface:
    """Bars of ``counts`` over the bins between ``edges`` (0–100), each bar's count written
    above it, the edges written below, and a dashed line at ``mark`` (the pass mark)."""
    th = theme
    w, h = size
    small = th.font("small")
    row_h = small.get_linesize()
    surf = pygame.Surface((w, h), pygame.SRCALPHA)
    pad = small.size("100")[0] // 2 + th.px(0.3)
    plot = pygame.Rect(pad, row_h + th.px(0.4), w - 2 * pad, h - 2 * row_h - th.px(1.0))
    pygame.draw.rect(surf, th.colour("surface"), plot)
    top = max(counts, default=0) or 1
    span = edges[-1] - edges[0]

    def x_of(v: float) -> float:
        return plot.x + plot.width * (v - edges[0]) / span

    for i, n in enumerate(counts):
        x0, x1 = x_of(edges[i]), x_of(edges[i + 1])
        bh = round(plot.height * n / top)
        rect = pygame.Rect(round(x0) + 2, plot.bottom - bh, max(1, round(x1 - x0) - 4), bh)
        if n:
            pygame.draw.rect(surf, th.colour("chart_1"), rect)
            pygame.draw.rect(surf, th.colour("text"), rect, 1)
            label = small.render(str(n), True, th.colour("text"))
            surf.blit(label, ((x0 + x1 - label.get_width()) / 2, rect.y - row_h))
    pygame.draw.rect(surf, th.colour("border"), plot, 1)
    step = max(1, math.ceil(len(edges) * (small.size("100")[0] + th.px(0.6)) / plot.width))
    for i, e in enumerate(edges):
        if i % step:
            continue
        label = small.render(f"{e:g}", True, th.colour("muted"))
        surf.blit(label, (x_of(e) - label.get_width() / 2, plot.bottom + th.px(0.2)))
    if mark is not None:
        x = x_of(mark)
        dash = max(4, th.px(0.3))
        for y in range(plot.y, plot.bottom, 2 * dash):
            pygame.draw.line(
                surf, th.colour("bad"), (x, y), (x, min(plot.bottom, y + dash)), max(2, th.px(0.1))
            )
        label = small.render(f"pass mark {mark:g}", True, th.colour("bad"))
        lx = min(x + th.px(0.3), w - label.get_width())
        surf.blit(label, (lx, 0))
    return surf
