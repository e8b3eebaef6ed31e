"""The trainee's display preferences, kept as JSON in the user's config folder.

Settings are per workstation, not per trainee: text size, theme and read-aloud
belong to the person at the screen and must survive a restart. The folder is
``platformdirs.user_config_dir("parolesim")`` unless ``PAROLESIM_CONFIG_DIR`` names
another (tests use that). A damaged or hand-edited file never stops the app: each
field that cannot be read falls back to its default and the problem is reported.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

CONFIG_ENV = "PAROLESIM_CONFIG_DIR"
FILENAME = "settings.json"
TEXT_SCALES = tuple(range(100, 201, 10))
THEMES = ("normal", "high_contrast")
EXTRA_TIME = (1.0, 1.5, 2.0, 0.0)  # 0.0: no timer on timed decisions (WCAG 2.2.1)
EXTRA_TIME_LABELS = {1.0: "Standard", 1.5: "50 % more", 2.0: "Double", 0.0: "No timer"}


_RULES: dict[str, tuple[str, tuple[object, ...]]] = {
    "text_scale": (f"one of {', '.join(map(str, TEXT_SCALES))}", TEXT_SCALES),
    "theme": (f"one of {', '.join(THEMES)}", THEMES),
    "extra_time": (f"one of {', '.join(map(str, EXTRA_TIME))}", EXTRA_TIME),
}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def config_dir() -> Path:
    """Where settings live: ``$PAROLESIM_CONFIG_DIR`` or the platform's user config folder."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir("parolesim", appauthor=False))


@dataclass
class Settings:
    """What the trainee chose on the Settings screen (and the window mode)."""

    text_scale: int = 100
    theme: str = "normal"
    read_aloud: bool = False
    fullscreen: bool = False
    extra_time: float = 1.0
    last_profile: str = ""
    problems: list[str] = field(default_factory=list, compare=False, repr=False)

    @property
    def scale(self) -> float:
        return self.text_scale / 100.0

    @property
    def time_factor(self) -> float | None:
        """The multiplier for timed decisions, or None when the timer is off."""
        return self.extra_time or None

    @property
    def high_contrast(self) -> bool:
        return self.theme == "high_contrast"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("problems")
        return d

    @classmethod
    def from_dict(cls, data: object) -> Settings:
        """Settings from parsed JSON; unreadable fields keep their defaults and are reported."""
        s = cls()
        if not isinstance(data, dict):
            s.problems.append("the settings file does not hold a JSON object; using defaults")
            return s
        known = {f.name for f in fields(cls)} - {"problems"}
        for key, value in data.items():
            if key not in known:
                s.problems.append(f"unknown setting {key!r} ignored")
                continue
            rule = _RULES.get(key)
            if rule is not None:
                expected, allowed = rule
                ok = _is_number(value) and value in allowed if key != "theme" else value in allowed
            else:
                expected = type(getattr(s, key)).__name__
                ok = type(value) is type(getattr(s, key))
            if not ok:
                s.problems.append(f"setting {key}={value!r} ignored: expected {expected}")
                continue
            setattr(s, key, type(getattr(s, key))(value))
        return s


def load(directory: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there are none (problems noted on the result)."""
    path = (directory or config_dir()) / FILENAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        s = Settings()
        s.problems.append(f"cannot read {path}: {exc.strerror}; using defaults")
        return s
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        s = Settings()
        s.problems.append(f"{path} is not valid JSON (line {exc.lineno}); using defaults")
        return s
    return Settings.from_dict(data)


def save(settings: Settings, directory: Path | None = None) -> Path:
    """Write the settings atomically (a half-written file never replaces a good one)."""
    folder = directory or config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILENAME
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(settings.to_dict(), indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
