"""The trainee-facing side of parolesim: CLI, records store, pygame app, reports."""

import os as _os

# pygame prints a banner on import; a training tool's terminal output is for the trainee.
_os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
