"""The trainee app: frame time during play, cold start to the first interactive frame, and
peak memory, each beside a bare pygame program measured in the same run.

Frame time is measured on the dummy video driver at 1280x720 while a long conversation is
played (a generated 120-decision scenario, so the transcript grows past 500 lines) with a
countdown running; the baseline is an empty pygame loop that fills and flips the window.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import Figure, percentile

ROOT = Path(__file__).resolve().parent.parent
SIZE = (1280, 720)
DECISIONS = 120
FRAMES_PER_DECISION = 60  # a decision a second: quicker than any trainee reads
STARTS = 5  # cold starts under Xvfb, each beside a bare window started right after it
CLIENT = (
    "I have been doing what you asked, mostly, and the job at the depot is going fine, but "
    "the landlord keeps asking about the rent."
)
NARRATOR = "Morgan looks at the window for a while before answering."
REFLECT = "Reflect what you heard about the job and the rent, and ask what would help this week."
SAY = "It sounds like work is steady, and the rent is what keeps you up at night."
EMPTY_LOOP = """
import os, sys, time
t0 = float(sys.argv[1])
os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")  # as the app draws its window
import pygame
pygame.display.init()
screen = pygame.display.set_mode((1280, 720))
screen.fill((238, 241, 245))
pygame.display.flip()
print(f"READY {time.time() - t0:.4f}", flush=True)
sys.stdin.readline()  # stay alive until the benchmark has read the peak memory
"""


def long_scenario(folder: Path) -> Path:
    """A real scenario file: a chain of timed decisions, each bringing three lines."""
    nodes = []
    for i in range(DECISIONS):
        nxt = f"d{i + 1}" if i + 1 < DECISIONS else "end"
        nodes.append(
            f"""  d{i}:
    kind: decision
    prompt: "Decision {i}: what do you say to Morgan now?"
    timeout: {{seconds: 60, default: b}}
    lines:
      - {{speaker: client, text: "Line {i}. {CLIENT}"}}
      - {{speaker: narrator, text: "{NARRATOR}"}}
    choices:
      - id: a
        text: "{REFLECT}"
        say: "{SAY}"
        reply: [{{speaker: client, text: "Yeah. That's it exactly."}}]
        next: {nxt}
      - id: b
        text: "Remind Morgan of the conditions."
        next: {nxt}
"""
        )
    text = f"""schema_version: 1
id: bench-long-conversation
version: "1.0.0"
title: A long conversation
family: motivational_interviewing
difficulty: introductory
estimated_minutes: 60
policy_pack: model-state-parole
summary: A generated conversation for the app benchmark.
objectives: [Keep the frame time flat as the transcript grows.]
setting: living_room
cast: {{client: Morgan Lee}}
case_file:
  person: {{name: Morgan Lee, age: 34}}
  offence: Theft
  release_date: "2026-01-10"
  risk_level: low
  assessment: {{instrument: MSDP Field Risk Screen}}
  conditions: {{standard: [{{id: report, text: Report as directed.}}]}}
variables:
  trust: {{type: int, min: 0, max: 10, initial: 5}}
start: d0
nodes:
{"".join(nodes)}  end:
    kind: terminal
    outcome: resolved
    title: Conversation over
"""
    path = folder / "long.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def empty_loop_frames(n: int) -> list[float]:
    import pygame

    screen = pygame.display.set_mode(SIZE)
    times = []
    for i in range(n):
        start = time.perf_counter()
        pygame.event.get()
        screen.fill((238, 241, 245 - i % 2))
        pygame.display.flip()
        times.append(time.perf_counter() - start)
    return times


def play_frames(base: Path) -> tuple[list[float], int]:
    """Frame times while the long scenario is played by key presses; and transcript size."""
    import pygame

    from simulator.app.main import App
    from simulator.app.records import open_records
    from simulator.app.screens.play import PlayScreen
    from simulator.app.script import key_event
    from simulator.app.services import Catalog, start_run

    scenarios = base / "scenarios"
    scenarios.mkdir()
    long_scenario(scenarios)
    records = open_records(str(base / "records.sqlite3"))
    app = App(records, Catalog(scenarios), size=SIZE, config_dir=base / "config")
    me = records.sign_in(records.create_profile("Bench Trainee", None), None)
    app.profile = me
    run = start_run(records, me, app.catalog.scenarios[0], "practice")
    app.run = run
    app.reset(PlayScreen(app, run))
    app.run_frames(5)
    times = []
    frame = 0
    while not run.session.ended:
        events = []
        if frame % FRAMES_PER_DECISION == FRAMES_PER_DECISION - 1:
            events = [key_event("1"), key_event("1", down=False)]
        start = time.perf_counter()
        app.step(events, dt=1 / 60)
        times.append(time.perf_counter() - start)
        frame += 1
    lines = len(run.session.transcript)
    records.store.close()
    pygame.quit()
    return times, lines


def wait_line(proc: subprocess.Popen[str], prefix: str, timeout: float = 60) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], 0.5)
        if ready:
            line = proc.stdout.readline()
            if line.startswith(prefix):
                return line
            if not line and proc.poll() is not None:
                break
    proc.kill()
    raise RuntimeError(f"the program never printed {prefix!r}")


def child_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SDL_VIDEODRIVER="dummy",
        SDL_AUDIODRIVER="dummy",
        PYTHONPATH=str(ROOT),
        PAROLESIM_DATA_DIR=str(base / "data"),
        PAROLESIM_CONFIG_DIR=str(base / "config"),
    )
    env.pop("PAROLESIM_DATABASE_URL", None)
    return env


def peak_kb(pid: int) -> int:
    """The process's peak resident memory so far (VmHWM: reset by exec, unlike ru_maxrss,
    which would count the benchmark's own memory inherited at fork)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc: peak memory is measured on Linux")


def launch_scripted(
    script: Path, text: str, env: dict[str, str]
) -> tuple[subprocess.Popen[str], float]:
    """Start the app playing ``text`` as its script; returns it once the script's
    ``mark ready`` is reached, with the seconds that took."""
    script.write_text(text)
    env["PAROLESIM_APP_SCRIPT"] = str(script)
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    wait_line(proc, "MARK ready")
    return proc, time.perf_counter() - start


def app_start(base: Path, script_text: str, scenarios: Path | None = None) -> tuple[float, int]:
    """Seconds from launching ``python -m simulator`` to its first interactive frame
    (the script's ``mark ready``), and its peak memory in kB at ``mark done`` (0 if none)."""
    env = child_env(base)
    if scenarios is not None:
        env["PAROLESIM_SCENARIOS"] = str(scenarios)
    proc, elapsed = launch_scripted(base / "script.txt", script_text, env)
    peak = 0
    if "mark done" in script_text:
        wait_line(proc, "MARK done", timeout=600)
        peak = peak_kb(proc.pid)
    proc.wait(timeout=120)
    return elapsed, peak


def empty_start(base: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", EMPTY_LOOP, str(time.time())],
        cwd=ROOT,
        env=child_env(base),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    wait_line(proc, "READY")
    elapsed = time.perf_counter() - start
    peak = peak_kb(proc.pid)
    proc.communicate("\n", timeout=30)
    return elapsed, peak


FIRST_FRAME = "frames 0\nmark ready\nquit\n"
PLAY_ALL = (
    "frames 0\nmark ready\nkey RETURN\nuntil LibraryScreen\nkey RETURN\nuntil BriefingScreen\n"
    "key RETURN\nuntil PlayScreen\n"
    + "key 1\nframes 2\n" * (DECISIONS + 2)
    + "mark done\nframes 600\nquit\n"
)


def xvfb() -> tuple[subprocess.Popen[bytes], str] | None:
    """A private Xvfb server and its display name, or None when Xvfb is not installed."""
    import shutil

    if shutil.which("Xvfb") is None:
        return None
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as fd:
        number = fd.readline().strip()
    return server, f":{number}"


def session_peak(base: Path, display: str | None) -> tuple[int, str]:
    """Peak memory (kB) of the scripted eight-scenario session, and the driver it ran on."""
    env = child_env(base) if display is None else x11_env(base, display)
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.app_session"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    ).stdout
    values = dict(line.split(" ", 1) for line in out.splitlines() if " " in line)
    return int(values["PEAK_KB"]), values["DRIVER"].strip()


def x11_env(base: Path, display: str) -> dict[str, str]:
    env = child_env(base)
    env.pop("SDL_VIDEODRIVER", None)
    env["DISPLAY"] = display
    return env


def on_display(base: Path, display: str) -> tuple[float, int, float, int]:
    """Under a real X11 window: app start and bare-window start (s), and their peaks (kB)."""
    proc, app_s = launch_scripted(base / "x11-script.txt", FIRST_FRAME, x11_env(base, display))
    app_peak = peak_kb(proc.pid)
    proc.wait(timeout=60)
    start = time.perf_counter()
    bare = subprocess.Popen(
        [sys.executable, "-c", EMPTY_LOOP, str(time.time())],
        cwd=ROOT,
        env=x11_env(base, display),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    wait_line(bare, "READY")
    bare_s = time.perf_counter() - start
    bare_peak = peak_kb(bare.pid)
    bare.communicate("\n", timeout=30)
    return app_s, app_peak, bare_s, bare_peak


def run() -> list[Figure]:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    pygame.display.init()
    base_frames = empty_loop_frames(600)
    with tempfile.TemporaryDirectory() as tmp:
        frames, lines = play_frames(Path(tmp))
    ms = [t * 1000 for t in frames]
    base_ms = [t * 1000 for t in base_frames]
    what = f"play 1280x720 dummy, {lines} transcript lines"
    figures = [
        Figure(
            f"app frame time p{p} ({what})",
            percentile(ms, p),
            "ms",
            f"empty pygame loop p{p}",
            percentile(base_ms, p),
            target="p95 <= 8 ms" if p == 95 else "",
        )
        for p in (50, 95)
    ]
    figures.append(
        Figure(
            "app frame time worst (a decision: engine + durable event commits)",
            max(ms),
            "ms",
            "empty pygame loop worst",
            max(base_ms),
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        first, _ = app_start(base, FIRST_FRAME)  # a fresh install: the store is created
        again = min(app_start(base, FIRST_FRAME)[0] for _ in range(3))
        empty = min(empty_start(base)[0] for _ in range(3))
        _, empty_peak = empty_start(base)
        from simulator.app.records import open_records

        rec = open_records(str(base / "data" / "records.sqlite3"))
        rec.create_profile("Bench Trainee", None)
        rec.store.close()
        long_dir = base / "long"
        long_dir.mkdir()
        long_scenario(long_dir)
        _, peak = app_start(base, PLAY_ALL, long_dir)
    figures += [
        Figure(
            "app cold start to first interactive frame (fresh install: new store)",
            first,
            "s",
            "bare pygame window",
            empty,
            target="<= 1.5 s",
        ),
        Figure(
            "app start to first interactive frame (existing store, best of 3)",
            again,
            "s",
            "bare pygame window",
            empty,
            target="<= 1.5 s",
        ),
        Figure(
            f"app peak memory (sign in, play {DECISIONS} decisions to the end)",
            peak / 1024,
            "MB",
            "bare pygame window",
            empty_peak / 1024,
            target="<= 200 MB",
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        _, bare_dummy = empty_start(base)
        dummy_peak, _ = session_peak(base / "dummy", None)
        figures.append(
            Figure(
                "app peak memory, 8 library scenarios, theme/size changes (dummy)",
                dummy_peak / 1024,
                "MB",
                "bare pygame window (dummy)",
                bare_dummy / 1024,
                target="<= 200 MB",
            )
        )
        server = xvfb()
        if server is not None:
            proc, display = server
            try:
                x_peak, driver = session_peak(base / "x11", display)
                on_display(base, display)  # the store is created: later starts find it
                starts = sorted(on_display(base, display) for _ in range(STARTS))
                app_s, app_peak, _, bare_peak = starts[len(starts) // 2]
                bare_s = sorted(s[2] for s in starts)[len(starts) // 2]
                load = os.getloadavg()[0]
                runs = ", ".join(f"{s[0]:.2f}" for s in starts)
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            figures += [
                Figure(
                    f"app peak memory, 8 library scenarios, theme/size changes ({driver})",
                    x_peak / 1024,
                    "MB",
                    f"bare pygame window ({driver})",
                    bare_peak / 1024,
                    target="<= 200 MB",
                ),
                Figure(
                    f"app start to interactive sign-in (Xvfb, median of {STARTS})",
                    app_s,
                    "s",
                    "bare pygame window (Xvfb)",
                    bare_s,
                    target="<= 1.5 s",
                    notes=f"load average {load:.1f}; runs {runs} s",
                ),
                Figure(
                    "app peak memory at the sign-in screen (Xvfb)",
                    app_peak / 1024,
                    "MB",
                    "bare pygame window (Xvfb)",
                    bare_peak / 1024,
                ),
            ]
    return figures
