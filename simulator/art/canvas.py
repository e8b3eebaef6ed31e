"""A drawing surface in resolution-independent design units, antialiased by supersampling.

Scenes are drawn on a 160 x 90 design grid and portraits on 100 x 120; a ``Canvas`` maps that
grid onto the requested pixel size (covering it for scenes, fitting it for portraits), draws at
``ss`` times the final resolution with plain ``pygame.draw`` polygons and smooth-scales down at
the end, which gives clean antialiased edges for every shape at any size. A transform stack
(translate, rotate, scale) lets a portrait lean or tilt its head by moving whole groups of
shapes. In the high-contrast theme every colour is pushed apart and filled shapes get a dark
outline, so shapes are told apart by edge as well as by colour.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Literal

import numpy as np
import pygame

from simulator.art.cache import MB, SurfaceCache
from simulator.art.palette import HC_EDGE, Color, high_contrast, mix

Point = tuple[float, float]
Affine = tuple[float, float, float, float, float, float]
_IDENTITY: Affine = (1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def _compose(outer: Affine, inner: Affine) -> Affine:
    """The transform applying ``inner`` first, then ``outer``."""
    a, b, c, d, e, f = outer
    g, h, i, j, k, m = inner
    return (
        a * g + b * j,
        a * h + b * k,
        a * i + b * m + c,
        d * g + e * j,
        d * h + e * k,
        d * i + e * m + f,
    )


def check_size(size: tuple[int, int]) -> tuple[int, int]:
    """``size`` as two positive ints, or ``ValueError`` saying what was expected."""
    try:
        w, h = int(size[0]), int(size[1])
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"size must be (width, height) in pixels, got {size!r}") from None
    if w <= 0 or h <= 0 or len(size) != 2:
        raise ValueError(f"size must be two positive pixel counts (width, height), got {size!r}")
    return w, h


def bezier(p0: Point, p1: Point, p2: Point, steps: int = 12) -> list[Point]:
    """Points along the quadratic Bezier curve from ``p0`` to ``p2`` pulled toward ``p1``."""
    out = []
    for n in range(steps + 1):
        t = n / steps
        u = 1 - t
        out.append(
            (
                u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1],
            )
        )
    return out


def ellipse_points(
    cx: float, cy: float, rx: float, ry: float, n: int = 40, a0: float = 0.0, a1: float = 360.0
) -> list[Point]:
    """``n`` + 1 points on the arc from angle ``a0`` to ``a1`` (degrees, clockwise on screen)."""
    return [(cx + rx * co, cy + ry * si) for co, si in _unit_arc(n, a0, a1)]


@lru_cache(maxsize=512)
def _unit_arc(n: int, a0: float, a1: float) -> tuple[tuple[float, float], ...]:
    angles = (math.radians(a0 + (a1 - a0) * k / n) for k in range(n + 1))
    return tuple((math.cos(a), math.sin(a)) for a in angles)


def rounded_rect_points(x: float, y: float, w: float, h: float, r: float) -> list[Point]:
    """Outline of a rectangle with corners rounded by radius ``r`` (clipped to fit)."""
    r = max(0.0, min(r, w / 2, h / 2))
    if r == 0:
        return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
    pts: list[Point] = []
    for cx, cy, a0 in (
        (x + w - r, y + r, -90),
        (x + w - r, y + h - r, 0),
        (x + r, y + h - r, 90),
        (x + r, y + r, 180),
    ):
        pts.extend(ellipse_points(cx, cy, r, r, 6, a0, a0 + 90))
    return pts


# Supersampled drawing surfaces kept for the next picture of the same size. Bounded in
# bytes: one kept per size used to hold a 1920x1080 scene's 33 MB (3840x2160) and the
# previous window size's 15 MB for the rest of the run, for pictures drawn once and then
# cached. Portraits and icons (a few MB at most) are redrawn often enough to keep theirs.
_SCRATCH = SurfaceCache("scratch", 8 * MB)


def _scratch(size: tuple[int, int], flags: int) -> pygame.Surface:
    """A reusable drawing surface (allocating a fresh one costs more than a portrait's
    polygons); a larger one than the budget is made fresh each time and let go after.
    ``finish()`` always returns a new surface, never this one."""
    return _SCRATCH.get((size, flags), lambda: pygame.Surface(size, flags))


@lru_cache(maxsize=8)
def _alpha_gain(ss: float) -> float:
    """Factor that undoes smoothscale's loss of alpha when shrinking by ``ss`` (1.0 if none)."""
    probe = pygame.Surface((round(8 * ss), round(8 * ss)), pygame.SRCALPHA)
    probe.fill((255, 255, 255, 255))
    measured = pygame.transform.smoothscale(probe, (8, 8)).get_at((4, 4)).a
    return 255.0 / max(1, measured)


class Canvas:
    """Supersampled drawing surface addressed in design units; ``finish()`` gives the picture."""

    def __init__(
        self,
        size: tuple[int, int],
        design: tuple[float, float],
        *,
        ss: float = 2.0,
        alpha: bool = False,
        high_contrast: bool = False,
        fit: Literal["cover", "contain"] = "cover",
        anchor: Point = (0.5, 0.5),
        adjust_colors: bool = True,
    ) -> None:
        self.size = check_size(size)
        self.ss = ss
        self.alpha = alpha
        self.hc = high_contrast
        self._adjust = high_contrast and adjust_colors
        w, h = self.size
        flags = pygame.SRCALPHA if alpha else 0
        sw, sh = max(w, round(w * ss)), max(h, round(h * ss))
        self.surface = _scratch((sw, sh), flags)
        self.surface.fill((0, 0, 0, 0))
        dw, dh = design
        scale = max(w / dw, h / dh) if fit == "cover" else min(w / dw, h / dh)
        self.k = scale * ss
        self.ox = (sw - dw * self.k) * anchor[0]
        self.oy = (sh - dh * self.k) * anchor[1]
        self._m: Affine = (self.k, 0.0, self.ox, 0.0, self.k, self.oy)
        self.edge_px = max(1.6 * ss, 0.32 * self.k)

    # --- coordinates -------------------------------------------------------------------
    @property
    def unit(self) -> float:
        """Supersampled pixels per design unit under the current transform (for widths)."""
        a, b, _, d, e, _ = self._m
        return math.sqrt(abs(a * e - b * d))

    def px(self, p: Point) -> tuple[float, float]:
        a, b, c, d, e, f = self._m
        return (a * p[0] + b * p[1] + c, d * p[0] + e * p[1] + f)

    def pts(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        a, b, c, d, e, f = self._m
        return [(a * x + b * y + c, d * x + e * y + f) for x, y in points]

    @contextmanager
    def transformed(
        self,
        dx: float = 0.0,
        dy: float = 0.0,
        rot: float = 0.0,
        scale: float = 1.0,
        origin: Point = (0.0, 0.0),
    ) -> Iterator[None]:
        """Draw the block moved by (dx, dy), rotated ``rot`` degrees and scaled about ``origin``."""
        ox, oy = origin
        ca, sa = math.cos(math.radians(rot)) * scale, math.sin(math.radians(rot)) * scale
        local: Affine = (ca, -sa, ox + dx - ca * ox + sa * oy, sa, ca, oy + dy - sa * ox - ca * oy)
        saved = self._m
        self._m = _compose(saved, local)
        try:
            yield
        finally:
            self._m = saved

    @contextmanager
    def clipped(self, x: float, y: float, w: float, h: float) -> Iterator[None]:
        """Confine drawing in the block to an axis-aligned rectangle (ignores rotation)."""
        (x0, y0), (x1, y1) = self.px((x, y)), self.px((x + w, y + h))
        saved = self.surface.get_clip()
        rect = pygame.Rect(
            round(min(x0, x1)), round(min(y0, y1)), round(abs(x1 - x0)), round(abs(y1 - y0))
        )
        self.surface.set_clip(rect.clip(saved))
        try:
            yield
        finally:
            self.surface.set_clip(saved)

    @contextmanager
    def masked(self, points: Sequence[Point]) -> Iterator[None]:
        """Draw the block only inside the polygon ``points`` (for patterns such as a plaid)."""
        p = self.pts(points)
        xs, ys = [q[0] for q in p], [q[1] for q in p]
        x0, y0 = max(0, math.floor(min(xs))), max(0, math.floor(min(ys)))
        x1 = min(self.surface.get_width(), math.ceil(max(xs)) + 1)
        y1 = min(self.surface.get_height(), math.ceil(max(ys)) + 1)
        if x1 <= x0 or y1 <= y0:
            yield
            return
        saved, saved_m = self.surface, self._m
        layer = pygame.Surface((x1 - x0, y1 - y0), pygame.SRCALPHA)
        self.surface = layer
        self._m = _compose((1.0, 0.0, -x0, 0.0, 1.0, -y0), saved_m)
        try:
            yield
        finally:
            self.surface, self._m = saved, saved_m
        mask = pygame.Surface(layer.get_size(), pygame.SRCALPHA)
        pygame.draw.polygon(mask, (255, 255, 255, 255), [(qx - x0, qy - y0) for qx, qy in p])
        layer.blit(mask, (0, 0), special_flags=pygame.BLEND_RGBA_MULT)
        saved.blit(layer, (x0, y0))

    # --- colour ------------------------------------------------------------------------
    def col(self, c: Color) -> Color:
        return high_contrast(c) if self._adjust else c

    # --- shapes ------------------------------------------------------------------------
    def poly(self, points: Sequence[Point], color: Color, *, edge: bool = True) -> None:
        """Filled polygon; outlined in the high-contrast theme when ``edge``."""
        p = self.pts(points)
        pygame.draw.polygon(self.surface, self.col(color), p)
        if edge and self.hc:
            self._outline(p, closed=True)

    def rect(
        self,
        x: float,
        y: float,
        w: float,
        h: float,
        color: Color,
        r: float = 0.0,
        *,
        edge: bool = True,
    ) -> None:
        self.poly(rounded_rect_points(x, y, w, h, r), color, edge=edge)

    def ellipse(
        self, cx: float, cy: float, rx: float, ry: float, color: Color, *, edge: bool = True
    ) -> None:
        n = max(20, min(90, int((rx + ry) * self.unit / 6)))
        self.poly(ellipse_points(cx, cy, rx, ry, n)[:-1], color, edge=edge)

    def circle(self, cx: float, cy: float, r: float, color: Color, *, edge: bool = True) -> None:
        self.ellipse(cx, cy, r, r, color, edge=edge)

    def stroke(
        self, points: Sequence[Point], width: float, color: Color, *, closed: bool = False
    ) -> None:
        """A polyline ``width`` design units thick with round joins and caps."""
        self._thick(self.pts(points), width * self.unit, self.col(color), closed)

    def line(self, x1: float, y1: float, x2: float, y2: float, width: float, color: Color) -> None:
        self.stroke([(x1, y1), (x2, y2)], width, color)

    def _outline(self, p: list[tuple[float, float]], closed: bool) -> None:
        self._thick(p, self.edge_px, HC_EDGE, closed)

    def _thick(self, p: list[tuple[float, float]], w: float, color: Color, closed: bool) -> None:
        if len(p) < 2:
            return
        surf = self.surface
        half = w / 2
        seq = [*p, p[0]] if closed else p
        for (x1, y1), (x2, y2) in itertools.pairwise(seq):
            dx, dy = x2 - x1, y2 - y1
            length = math.hypot(dx, dy)
            if length < 1e-6:
                continue
            nx, ny = -dy / length * half, dx / length * half
            pygame.draw.polygon(
                surf,
                color,
                [(x1 + nx, y1 + ny), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny), (x1 - nx, y1 - ny)],
            )
        if half >= 1.0:
            for x, y in seq:
                pygame.draw.circle(surf, color, (x, y), half)

    # --- fills and light ---------------------------------------------------------------
    def vgradient(self, x: float, y: float, w: float, h: float, top: Color, bottom: Color) -> None:
        """Axis-aligned rectangle shading from ``top`` to ``bottom`` (ignores rotation)."""
        (x0, y0), (x1, y1) = self.px((x, y)), self.px((x + w, y + h))
        x0, x1 = sorted((x0, x1))
        y0, y1 = sorted((y0, y1))
        top_c, bot_c = self.col(top), self.col(bottom)
        span = max(1, round(y1 - y0))
        bands = max(
            1, min(span, max(abs(a - b) for a, b in zip(top_c, bot_c, strict=True)) * 2 + 1)
        )
        left, width = round(x0), round(x1) - round(x0)
        if width <= 0:
            return
        for n in range(bands):
            ya = round(y0 + span * n / bands)
            yb = round(y0 + span * (n + 1) / bands)
            self.surface.fill(mix(top_c, bot_c, n / max(1, bands - 1)), (left, ya, width, yb - ya))

    def soft(self, points: Sequence[Point], color: Color, alpha: int, blur: float) -> None:
        """A translucent, blurred shape (contact shadow, glow); ``blur`` is in design units."""
        p = self.pts(points)
        blur_px = max(1.0, blur * self.unit)
        pad = blur_px * 1.6
        xs, ys = [q[0] for q in p], [q[1] for q in p]
        x0, y0 = min(xs) - pad, min(ys) - pad
        bw, bh = max(xs) + pad - x0, max(ys) + pad - y0
        step = max(1.0, blur_px / 4)
        sw, sh = max(2, round(bw / step)), max(2, round(bh / step))
        small = pygame.Surface((sw, sh), pygame.SRCALPHA)
        c = self.col(color)
        small.fill((*c, 0))
        pygame.draw.polygon(
            small, (*c, alpha), [((qx - x0) * sw / bw, (qy - y0) * sh / bh) for qx, qy in p]
        )
        small = pygame.transform.gaussian_blur(small, 4)
        big = pygame.transform.smoothscale(small, (max(1, round(bw)), max(1, round(bh))))
        self.surface.blit(big, (round(x0), round(y0)))

    def glaze(self, points: Sequence[Point], color: Color, alpha: int) -> None:
        """A crisp translucent shape, such as a beam of daylight or a reflection on glass."""
        p = self.pts(points)
        xs, ys = [q[0] for q in p], [q[1] for q in p]
        x0, y0 = math.floor(min(xs)), math.floor(min(ys))
        w, h = math.ceil(max(xs)) - x0 + 1, math.ceil(max(ys)) - y0 + 1
        layer = pygame.Surface((w, h), pygame.SRCALPHA)
        c = self.col(color)
        layer.fill((*c, 0))
        pygame.draw.polygon(layer, (*c, alpha), [(qx - x0, qy - y0) for qx, qy in p])
        self.surface.blit(layer, (x0, y0))

    # --- result ------------------------------------------------------------------------
    def finish(self) -> pygame.Surface:
        """The picture at the requested size, smooth-scaled down from the supersampled drawing."""
        if self.surface.get_size() == self.size:
            return self.surface.copy()
        if not self.alpha:
            return pygame.transform.smoothscale(self.surface, self.size)
        # Scale premultiplied colour so transparent pixels cannot darken antialiased edges, then
        # divide the alpha back out. smoothscale's filter may lose a little gain (full alpha can
        # come out as 253), which cancels in the colour and is corrected in the alpha.
        small = pygame.transform.smoothscale(self.surface.premul_alpha(), self.size)
        rgb = pygame.surfarray.pixels3d(small)
        a = pygame.surfarray.pixels_alpha(small)
        af = a.astype(np.float32)
        scale = np.where(af > 0, 255.0 / np.maximum(af, 1.0), 0.0)[..., None]
        rgb[...] = np.clip(rgb * scale + 0.5, 0, 255).astype(np.uint8)
        a[...] = np.clip(af * _alpha_gain(self.ss) + 0.5, 0, 255).astype(np.uint8)
        del rgb, a  # release the surface's pixel lock
        return small
