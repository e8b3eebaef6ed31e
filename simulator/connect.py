"""Which records a workstation uses: a records server (``--server URL`` or
``PAROLESIM_SERVER``), else a database opened directly (``--db URL``, else the embedded
SQLite file). The app and every command open their records here."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the store (SQLAlchemy) and the client load only when records are opened
    from simulator.store.records import Records

SERVER_ENV = "PAROLESIM_SERVER"


def server_url(server: str | None) -> str | None:
    return server or os.environ.get(SERVER_ENV) or None


def open_records(db: str | None, server: str | None = None) -> Records:
    """The records to use; a server wins over a database URL."""
    url = server_url(server)
    if url is not None:
        from simulator.remote.client import RecordsClient

        return RecordsClient(url)
    from simulator.store import Store

    return Store.open(db)
