"""A workstation opening on a records server reads the sign-in list off the frame loop: a
server that takes the connection and does not answer leaves the window drawing a busy box
(not a dark, frozen window), and its failure is named on the sign-in screen."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pygame

from simulator.app.main import App
from simulator.app.records import open_records
from simulator.app.screens.busy import BusyScreen
from simulator.app.screens.signin import SignInScreen
from simulator.app.services import Catalog
from tests.app.conftest import FIXTURE_SCENARIOS


@contextmanager
def silent_server() -> Iterator[tuple[str, threading.Event]]:
    """A real TCP listener on 127.0.0.1 that accepts connections and says nothing until
    ``hang_up`` is set, then closes them (the client sees the connection drop)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.05)
    hang_up = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        while not hang_up.is_set():
            try:
                conn, _ = listener.accept()
                held.append(conn)
            except TimeoutError:
                continue
        for conn in held:
            conn.close()

    worker = threading.Thread(target=serve, daemon=True)
    worker.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", hang_up
    finally:
        hang_up.set()
        worker.join(timeout=5)
        listener.close()


def test_a_silent_records_server_at_start_shows_the_busy_box_then_names_the_server(
    tmp_path: Path,
) -> None:
    with silent_server() as (url, hang_up):
        records = open_records(None, url)
        app = App(records, Catalog(FIXTURE_SCENARIOS), config_dir=tmp_path / "config")
        try:
            started = time.perf_counter()
            app.start()
            assert time.perf_counter() - started < 2.0, "start() waited for the server"
            for _ in range(30):  # the window keeps stepping while the server is silent
                app.step(dt=1 / 60)
                time.sleep(0.01)
            assert isinstance(app.top, BusyScreen)
            assert "records server" in app.top.busy_text
            corner = app.window.get_at((2, app.window.get_height() - 3))[:3]
            assert corner == app.theme.colour("background")[:3], "the box sits on the page"
            hang_up.set()
            app.settle()
            signin = app.top
            assert isinstance(signin, SignInScreen)
            assert signin.profiles == [] and url in signin.error
        finally:
            records.store.close()
            pygame.quit()
