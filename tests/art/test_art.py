"""What the trainee sees of the art: scenes, portraits in every mood, verdict icons, the emblem."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pygame
import pytest

import simulator.art as art
from simulator.art import (
    PORTRAITS,
    SCENES,
    VERDICT_SHAPES,
    Mood,
    mood_for,
    render_logo,
    render_portrait,
    render_scene,
    render_verdict_icon,
)

REPO = Path(__file__).resolve().parents[2]
SCENE_KEYS = [
    "apartment_hallway",
    "living_room",
    "kitchen",
    "bedroom",
    "office_counter",
    "interview_room",
    "street",
    "workplace",
    "car",
    "house_exterior",
    "workplace_office",
    "jail_visiting",
    "treatment_centre",
    "hearing_room",
    "caseload_desk",
    "intake_office",
]
PORTRAIT_SIZE = (150, 180)


def rgb(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface)


def alpha(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array_alpha(surface)


def distinct_colours(surface: pygame.Surface) -> int:
    """Colours in the picture, counting shades closer than 8 levels per channel as one."""
    p = rgb(surface).reshape(-1, 3).astype(np.int32) // 8
    return int(
        np.count_nonzero(np.bincount(p[:, 0] << 10 | p[:, 1] << 5 | p[:, 2], minlength=1 << 15))
    )


# --- scenes -------------------------------------------------------------------------------


def test_scene_catalogue_lists_the_fifteen_settings_with_descriptions() -> None:
    assert sorted(SCENES) == sorted(SCENE_KEYS)
    assert all(len(text) > 20 for text in SCENES.values())


@pytest.mark.parametrize("key", SCENE_KEYS)
@pytest.mark.parametrize("size", [(1280, 720), (640, 360)])
def test_every_scene_renders_at_the_requested_size_with_many_colours(
    key: str, size: tuple[int, int]
) -> None:
    surface = render_scene(key, size)
    assert surface.get_size() == size
    assert distinct_colours(surface) >= 40


@pytest.mark.parametrize("size", [(800, 600), (400, 800), (1920, 1080), (37, 21)])
def test_scene_fills_windows_of_other_shapes_without_bare_borders(size: tuple[int, int]) -> None:
    surface = render_scene("living_room", size)
    assert surface.get_size() == size
    pixels = rgb(surface)
    for edge in (pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]):
        assert edge.max() > 40, "a border of the picture was left black"


def test_scenes_are_told_apart_by_their_pictures() -> None:
    small = {key: rgb(render_scene(key, (160, 90))).astype(int) for key in SCENE_KEYS}
    for a, b in itertools.combinations(SCENE_KEYS, 2):
        assert np.abs(small[a] - small[b]).mean() > 8, f"{a} and {b} look nearly the same"


@pytest.mark.parametrize("key", SCENE_KEYS)
def test_high_contrast_scene_differs_from_the_normal_one(key: str) -> None:
    normal = rgb(render_scene(key, (320, 180)))
    strong = rgb(render_scene(key, (320, 180), high_contrast=True))
    assert (np.abs(normal.astype(int) - strong.astype(int)).sum(axis=2) > 30).mean() > 0.05


def test_high_contrast_scene_spreads_light_and_dark_further_apart() -> None:
    def spread(surface: pygame.Surface) -> float:
        lum = rgb(surface) @ np.array([0.2126, 0.7152, 0.0722])
        return float(np.percentile(lum, 95) - np.percentile(lum, 5))

    for key in SCENE_KEYS:
        assert spread(render_scene(key, (320, 180), high_contrast=True)) > spread(
            render_scene(key, (320, 180))
        )


def test_unknown_scene_raises_key_error_naming_the_known_scenes() -> None:
    with pytest.raises(KeyError) as err:
        render_scene("garage", (320, 180))
    message = str(err.value)
    assert "garage" in message
    assert all(key in message for key in SCENE_KEYS)


@pytest.mark.parametrize("size", [(0, 100), (100, -5), (100,), "big"])
def test_bad_size_raises_value_error_saying_what_is_expected(size: object) -> None:
    with pytest.raises(ValueError, match="width, height"):
        render_scene("street", size)  # type: ignore[arg-type]


def test_scene_render_is_cached_and_deterministic() -> None:
    first = render_scene("kitchen", (333, 187))
    assert render_scene("kitchen", (333, 187)) is first
    before = pygame.image.tobytes(first, "RGB")
    art.clear_cache()
    again = render_scene("kitchen", (333, 187))
    assert again is not first
    assert pygame.image.tobytes(again, "RGB") == before


# --- portraits ----------------------------------------------------------------------------


def test_portrait_catalogue_has_varied_people_and_the_two_officers() -> None:
    parolees = [info for info in PORTRAITS.values() if info.role == "parolee"]
    assert len(parolees) >= 10
    assert {"officer_partner", "supervisor"} <= set(PORTRAITS)
    descriptions = [info.description for info in PORTRAITS.values()]
    assert len(set(descriptions)) == len(descriptions)
    for decade in ("20s", "30s", "40s", "50s", "60s"):
        assert any(decade in d for d in descriptions), f"nobody in their {decade}"
    assert any(d.startswith("woman") for d in descriptions) and any(
        d.startswith("man") for d in descriptions
    )
    assert all(key == info.key for key, info in PORTRAITS.items())


@pytest.mark.parametrize("key", list(PORTRAITS))
def test_every_portrait_renders_every_mood_as_a_figure_on_transparency(key: str) -> None:
    for mood in Mood:
        surface = render_portrait(key, mood, PORTRAIT_SIZE)
        assert surface.get_size() == PORTRAIT_SIZE
        assert surface.get_flags() & pygame.SRCALPHA
        a = alpha(surface)
        assert a[0, 0] == 0 and a[-1, 0] == 0, "corners above the shoulders are transparent"
        assert a[PORTRAIT_SIZE[0] // 2, PORTRAIT_SIZE[1] // 3] == 255, "the face is opaque"
        assert a[:, -1].max() == 255, "the figure reaches the bottom edge"


@pytest.mark.parametrize("key", list(PORTRAITS))
def test_each_mood_of_a_person_looks_different(key: str) -> None:
    pictures = {m: rgb(render_portrait(key, m, PORTRAIT_SIZE)).astype(int) for m in Mood}
    for a, b in itertools.combinations(Mood, 2):
        changed = (np.abs(pictures[a] - pictures[b]).sum(axis=2) > 40).mean()
        assert changed > 0.02, f"{key}: {a.value} and {b.value} are hard to tell apart"


def test_every_mood_changes_posture_not_only_the_face() -> None:
    for key in ("p02", "p07", "officer_partner"):
        calm = alpha(render_portrait(key, Mood.CALM, PORTRAIT_SIZE)).astype(int)
        for mood in Mood:
            if mood is Mood.CALM:
                continue
            body = alpha(render_portrait(key, mood, PORTRAIT_SIZE)).astype(int)
            silhouette_change = (np.abs(body - calm) > 128).mean()
            assert silhouette_change > 0.01, f"{key}: {mood.value} keeps the calm outline"


def test_moods_accept_their_string_names() -> None:
    by_name = render_portrait("p05", "hopeful", PORTRAIT_SIZE)
    assert by_name is render_portrait("p05", Mood.HOPEFUL, PORTRAIT_SIZE)


def test_high_contrast_portrait_differs_from_the_normal_one() -> None:
    normal = rgb(render_portrait("p09", Mood.CALM, PORTRAIT_SIZE)).astype(int)
    strong = rgb(render_portrait("p09", Mood.CALM, PORTRAIT_SIZE, high_contrast=True)).astype(int)
    assert (np.abs(normal - strong).sum(axis=2) > 30).mean() > 0.05


@pytest.mark.parametrize("key", ["p01", "p06", "p08", "supervisor"])
def test_high_contrast_portrait_keeps_the_persons_own_skin_tone(key: str) -> None:
    def face_median(surface: pygame.Surface) -> np.ndarray:
        return np.asarray(np.median(rgb(surface)[60:90, 54:72].reshape(-1, 3), axis=0))

    normal = face_median(render_portrait(key, Mood.CALM, PORTRAIT_SIZE))
    strong = face_median(render_portrait(key, Mood.CALM, PORTRAIT_SIZE, high_contrast=True))
    assert np.abs(normal - strong).max() <= 6


def test_portrait_of_another_shape_keeps_the_whole_head_in_view() -> None:
    wide = render_portrait("p03", Mood.CALM, (400, 200))
    a = alpha(wide)
    assert a[0, :].max() == 0 and a[-1, :].max() == 0, "figure is centred with clear sides"
    assert a[:, 0].max() == 0, "the top of the head is not cut off"


def test_unknown_portrait_raises_key_error_naming_the_known_portraits() -> None:
    with pytest.raises(KeyError) as err:
        render_portrait("p99", Mood.CALM, PORTRAIT_SIZE)
    assert "p99" in str(err.value)
    assert all(key in str(err.value) for key in PORTRAITS)


def test_unknown_mood_raises_value_error_listing_the_moods() -> None:
    with pytest.raises(ValueError) as err:
        render_portrait("p01", "furious", PORTRAIT_SIZE)
    assert all(m.value in str(err.value) for m in Mood)


def test_portrait_render_is_deterministic_across_cache_clears() -> None:
    first = pygame.image.tobytes(render_portrait("p11", Mood.DISTRESSED, (211, 250)), "RGBA")
    art.clear_cache()
    assert (
        pygame.image.tobytes(render_portrait("p11", Mood.DISTRESSED, (211, 250)), "RGBA") == first
    )


# --- mood_for -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("agitation", "trust", "distress", "mood"),
    [
        (0.1, 0.5, 0.1, Mood.CALM),
        (0.1, 0.9, 0.1, Mood.HOPEFUL),
        (0.2, 0.1, 0.1, Mood.GUARDED),
        (0.6, 0.5, 0.1, Mood.TENSE),
        (0.9, 0.5, 0.1, Mood.ANGRY),
        (0.9, 0.9, 0.9, Mood.ANGRY),
        (0.2, 0.5, 0.5, Mood.DISTRESSED),
        (0.2, 0.6, 0.9, Mood.DISTRESSED),
        (0.2, 0.1, 0.9, Mood.WITHDRAWN),
        (0.6, 0.1, 0.9, Mood.TENSE),
    ],
)
def test_mood_for_maps_engine_state_to_a_mood(
    agitation: float, trust: float, distress: float, mood: Mood
) -> None:
    assert mood_for(agitation, trust, distress) is mood


def test_more_agitation_never_makes_a_face_calmer() -> None:
    rank = {
        Mood.CALM: 0,
        Mood.HOPEFUL: 0,
        Mood.GUARDED: 0,
        Mood.DISTRESSED: 0,
        Mood.WITHDRAWN: 0,
        Mood.TENSE: 1,
        Mood.ANGRY: 2,
    }
    steps = np.linspace(0, 1, 21)
    for trust, distress in itertools.product(steps, steps):
        ranks = [rank[mood_for(a, trust, distress)] for a in steps]
        assert ranks == sorted(ranks), f"trust={trust} distress={distress}"


def test_high_distress_with_low_agitation_always_shows_distress_or_withdrawal() -> None:
    for trust in np.linspace(0, 1, 11):
        for agitation in np.linspace(0, 0.45, 5):
            assert mood_for(agitation, trust, 0.85) in (Mood.DISTRESSED, Mood.WITHDRAWN)


def test_hope_needs_trust_and_low_agitation() -> None:
    assert mood_for(0.0, 1.0, 0.0) is Mood.HOPEFUL
    assert mood_for(0.4, 1.0, 0.0) is not Mood.HOPEFUL
    assert mood_for(0.0, 0.3, 0.0) is not Mood.HOPEFUL


def test_mood_for_clamps_out_of_range_values_and_rejects_nan() -> None:
    assert mood_for(-3, 0.5, 2) is mood_for(0, 0.5, 1)
    assert mood_for(7, 0.5, 0) is Mood.ANGRY
    with pytest.raises(ValueError, match="agitation"):
        mood_for(float("nan"), 0.5, 0.5)


# --- icons and emblem ---------------------------------------------------------------------


def test_verdict_icons_differ_in_shape_not_only_colour() -> None:
    masks = {v: alpha(render_verdict_icon(v, 64)) > 128 for v in VERDICT_SHAPES}
    for a, b in itertools.combinations(VERDICT_SHAPES, 2):
        overlap = (masks[a] & masks[b]).sum() / (masks[a] | masks[b]).sum()
        assert overlap < 0.7, f"{a} and {b} have nearly the same silhouette ({overlap:.2f})"


@pytest.mark.parametrize("verdict", list(VERDICT_SHAPES))
def test_verdict_icon_has_the_requested_size_and_a_high_contrast_variant(verdict: str) -> None:
    normal = render_verdict_icon(verdict, 48)
    strong = render_verdict_icon(verdict, 48, high_contrast=True)
    assert normal.get_size() == strong.get_size() == (48, 48)
    assert pygame.image.tobytes(normal, "RGBA") != pygame.image.tobytes(strong, "RGBA")
    assert alpha(normal)[0, 0] == 0


def test_unknown_verdict_raises_key_error_naming_the_verdicts() -> None:
    with pytest.raises(KeyError) as err:
        render_verdict_icon("great", 32)
    assert all(v in str(err.value) for v in VERDICT_SHAPES)


def test_logo_is_a_round_emblem_of_the_requested_size() -> None:
    logo = render_logo(128)
    a = alpha(logo)
    assert logo.get_size() == (128, 128)
    assert a[0, 0] == 0 and a[64, 64] == 255 and a[64, 2] > 0
    assert distinct_colours(logo) >= 6
    with pytest.raises(ValueError, match="positive"):
        render_logo(0)


# --- gallery ------------------------------------------------------------------------------


def test_gallery_command_writes_png_files(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy"}
    result = subprocess.run(
        [sys.executable, "-m", "simulator.art.gallery", str(tmp_path / "out"), "--only", "icons"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sheet = pygame.image.load(str(tmp_path / "out" / "icons.png"))
    assert sheet.get_width() > 500
    assert "wrote 1 PNG files" in result.stdout


def test_picture_caches_are_bounded_in_bytes_not_entries() -> None:
    from simulator.app.text import TextCache
    from simulator.art import cache_stats, clear_cache, render_portrait, render_scene
    from simulator.art.cache import MB

    clear_cache()
    sizes = [(1900 - 37 * i, 1000 - 19 * i) for i in range(8)]  # eight large window sizes
    for size in sizes:
        render_scene("living_room", size)
    assert 0 < cache_stats()["scenes"] <= 24 * MB  # eight would be ~55 MB
    for h in range(300, 1100, 100):
        render_portrait("p01", "calm", (h * 5 // 6, h))
    assert 0 < cache_stats()["portraits"] <= 16 * MB
    first = render_scene("living_room", sizes[-1])
    assert render_scene("living_room", sizes[-1]) is first  # the newest is still kept
    pygame.font.init()
    text = TextCache(max_bytes=1 * MB)
    font = pygame.font.Font(None, 40)
    for i in range(200):
        text.paragraph(font, f"Paragraph {i} " * 40, (0, 0, 0), 1200)
    assert 0 < text.nbytes <= 1 * MB
