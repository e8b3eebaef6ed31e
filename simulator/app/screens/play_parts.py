"""Pieces of the play screen: where things go at this size, and how a line is drawn.

Three arrangements, chosen by how many lines of body text fit: ``wide`` (scene and
transcript on the left, the decision on the right), ``stacked`` (scene and transcript
above the decision) and ``chat`` for cramped windows or very large text (a scene banner
above one scrolling column where the choices follow the conversation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pygame

from simulator.app import services
from simulator.app.text import TextCache
from simulator.app.theme import Theme
from simulator.app.widgets import Block

if TYPE_CHECKING:
    from engine.session import Session, TranscriptLine

CHAT_BELOW_LINES = 12  # fewer body lines than this under the header: chat arrangement


@dataclass(frozen=True)
class PlayLayout:
    mode: str  # wide | stacked | chat
    scene: pygame.Rect
    transcript: pygame.Rect
    case: pygame.Rect
    decide: pygame.Rect | None  # None in chat mode: the choices follow the transcript


def play_layout(th: Theme, size: tuple[int, int], header: int) -> PlayLayout:
    w, h = size
    m = th.px(0.8)
    top = header + m
    bar = th.px(0.6)  # room for a scrollbar beside a text column
    lines = (h - header) / th.line_height("body")
    if w >= th.em * 56 and lines >= CHAT_BELOW_LINES:
        left = pygame.Rect(m, top, int(w * 0.58) - m, h - top - m)
        right = pygame.Rect(left.right + 2 * m, top, w - left.right - 3 * m, h - top - m)
        scene = pygame.Rect(
            left.x, left.y, left.width, min(left.width * 9 // 16, int(left.height * 0.5))
        )
        transcript = pygame.Rect(
            left.x, scene.bottom + m, left.width - bar, left.bottom - scene.bottom - m
        )
        return PlayLayout("wide", scene, transcript, left, right)
    if lines >= CHAT_BELOW_LINES:
        upper = int((h - top - m) * 0.4)
        scene = pygame.Rect(m, top, min(int(w * 0.38), upper * 16 // 9), upper)
        transcript = pygame.Rect(scene.right + m, top, w - scene.right - 2 * m - bar, upper)
        case = pygame.Rect(m, top, w - 2 * m, upper)
        decide = pygame.Rect(m, top + upper + m, w - 2 * m, h - top - upper - 2 * m)
        return PlayLayout("stacked", scene, transcript, case, decide)
    banner = min(int((h - top) * 0.3), (w - 2 * m) * 9 // 16)
    scene = pygame.Rect(m, top, w - 2 * m, banner)
    transcript = pygame.Rect(m, scene.bottom + m, w - 2 * m - bar, h - scene.bottom - 2 * m)
    case = pygame.Rect(m, top, w - 2 * m, h - top - m)  # the countdown stays in the title bar
    return PlayLayout("chat", scene, transcript, case, None)


def line_block(
    th: Theme,
    cache: TextCache,
    session: Session,
    line: TranscriptLine,
    width: int,
    *,
    timed_out: bool = False,
) -> Block:
    """One transcript line as a block: who speaks is written, never shown by colour alone.
    ``timed_out``: the line is the default a timeout took, which the trainee did not choose."""
    gap = th.px(0.45)
    bold, body = th.font("bold"), th.font("body")
    if line.kind == "ending":
        surf = cache.labelled(
            bold,
            "Ending:",
            th.colour("text"),
            th.font("heading"),
            line.text,
            th.colour("text"),
            width,
        )
        return Block(surf, gap=gap)
    if line.kind == "action" and line.speaker == "narrator":  # "Time ran out."
        return Block(cache.paragraph_ref(bold, line.text, th.colour("warn"), width), gap=gap)
    if line.kind == "action":
        label = "Taken when time ran out:" if timed_out else "You chose:"
        surf = cache.labelled(
            bold, label, th.colour("muted"), body, line.text, th.colour("muted"), width
        )
        return Block(surf, gap=gap)
    if line.speaker == "narrator":
        return Block(cache.paragraph_ref(body, line.text, th.colour("muted"), width), gap=gap)
    who = services.speaker_name(session, line.speaker)
    pad = th.px(0.35)
    officer = line.speaker == "officer"
    surf = cache.labelled(
        bold,
        f"{who}:",
        th.colour("accent" if officer else "text"),
        body,
        line.text,
        th.colour("text"),
        width - 2 * pad,
    )
    return Block(surf, gap=gap, pad=pad, bg="officer_bg" if officer else None)


def spoken(session: Session, lines: list[TranscriptLine]) -> str:
    """What read-aloud says for new lines and, while undecided, the prompt and choices."""
    parts = []
    for line in lines:
        if line.speaker == "narrator" or line.kind in ("action", "ending"):
            parts.append(line.text)
        else:
            who = services.speaker_name(session, line.speaker)
            parts.append(f"You said: {line.text}" if who == "You" else f"{who} says: {line.text}")
    if not session.ended:
        parts.append(services.prompt(session))
        parts.extend(f"{i}: {c.text}" for i, c in enumerate(session.available_choices()[:9], 1))
    return " ".join(parts)
