"""The records store: every attempt, score and FTO evaluation, kept safely.

Use :class:`Store` (``Store.open(url | None)``); everything else here is the plain data it
hands back and the errors it raises.
"""

from simulator.store.accounts import Person
from simulator.store.attempts import Attempt, PackRef, ScenarioRef
from simulator.store.cohorts import Cohort
from simulator.store.errors import (
    AccessDenied,
    InvalidRecord,
    NotFound,
    SignInFailed,
    StoreDamaged,
    StoreError,
    StoreLocked,
    StoreSchemaError,
    StoreUnavailable,
)
from simulator.store.evaluations import Evaluation, Rating
from simulator.store.progress import Progress
from simulator.store.recording import Recorder
from simulator.store.store import Store

__all__ = [
    "AccessDenied",
    "Attempt",
    "Cohort",
    "Evaluation",
    "InvalidRecord",
    "NotFound",
    "PackRef",
    "Person",
    "Progress",
    "Rating",
    "Recorder",
    "ScenarioRef",
    "SignInFailed",
    "Store",
    "StoreDamaged",
    "StoreError",
    "StoreLocked",
    "StoreSchemaError",
    "StoreUnavailable",
]
