"""The scenario format of a caseload (``caseload:`` block and a choice's ``caseload:`` action).

Kept apart from :mod:`engine.mechanics.caseload` (the behaviour) so ``engine.model`` can
import the shapes without importing numpy-heavy code, and without an import circle.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["low", "moderate", "high", "intensive"]
Mode = Literal["none", "kiosk", "phone", "office", "home"]
OrderKey = Literal["alerts", "risk", "due", "court", "last_contact", "file"]
AlertKind = Literal["gps", "police_contact", "missed_test", "family_call"]
_ID = r"^[a-z][a-z0-9_]*$"
LEVELS: tuple[Level, ...] = ("low", "moderate", "high", "intensive")
MODES: tuple[Mode, ...] = ("none", "kiosk", "phone", "office", "home")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class CaseloadPlan(_Strict):
    """A way of spending the period's hours: who comes first and what contact each gets."""

    title: str = Field(min_length=1, description="how the dashboard names the plan")
    order: list[OrderKey] = Field(
        min_length=1,
        description="priority keys, first decides most: alerts (people with an open alert), "
        "risk (higher level first), due (a contact due first), court (soonest court date), "
        "last_contact (longest since a face-to-face contact), file (file order, by surname)",
    )
    basis: Literal["risk", "supervision"] = Field(
        default="risk",
        description="which level sets each person's contact: the assessed risk, or the "
        "supervision level on file (which may be higher than the risk, in an inherited caseload)",
    )
    contacts: dict[Level, Mode] = Field(
        description="the contact each level gets from this plan (kiosk, phone, office, home)"
    )
    everyone: bool = Field(
        default=False, description="contact every person, not only those with a contact due"
    )
    hours: float | None = Field(
        default=None, gt=0, description="hours this plan may use (default: all that are left)"
    )

    @model_validator(mode="after")
    def _every_level(self) -> CaseloadPlan:
        missing = [lv for lv in LEVELS if lv not in self.contacts]
        if missing:
            raise ValueError(f"contacts needs a mode for every level; missing {missing}")
        return self


class CaseloadAlert(_Strict):
    """Something that arrives during the period about one person on the caseload."""

    kind: AlertKind
    level: Level = Field(description="the supervision level of the person it concerns")
    arrives: str = Field(description="the node at which it shows on the dashboard")
    text: str = Field(min_length=1, description="what the alert says ({name} is the person)")
    person: str | None = Field(
        default=None,
        description="the person's name when the story is about someone in the case file "
        "(default: someone on the caseload at `level`, drawn from the seed)",
    )
    conditions: list[Literal["GPS", "testing", "curfew", "treatment", "no-contact"]] | None = Field(
        default=None,
        description="the person's special conditions on the dashboard, to match the case "
        "file (default: drawn from the seed)",
    )


class Caseload(_Strict):
    """A generated caseload (``engine.mechanics.caseload``): people drawn from the seed."""

    size: list[int] = Field(
        min_length=2, max_length=2, description="how many people: [low, high], within 70-130"
    )
    hours: float = Field(gt=0, le=60, description="hours of contact time in the period")
    period: Literal["day", "week"] = "week"
    mix: dict[Literal["low", "moderate", "high"], float] = Field(
        description="relative share of each assessed risk level"
    )
    intensive: float = Field(
        default=0.3, ge=0, le=1, description="share of high-risk people on intensive (GPS)"
    )
    inherited: float = Field(
        default=0.0,
        ge=0,
        le=0.6,
        description="share of low-risk people still on a higher supervision level than their "
        "risk (an inherited caseload never reviewed)",
    )
    alerts: dict[str, CaseloadAlert] = Field(default_factory=dict)
    plans: dict[str, CaseloadPlan] = Field(min_length=1)

    @model_validator(mode="after")
    def _sane(self) -> Caseload:
        lo, hi = self.size
        if not 70 <= lo <= hi <= 130:
            raise ValueError("size must be [low, high] with 70 <= low <= high <= 130")
        if sum(self.mix.values()) <= 0:
            raise ValueError("mix needs a positive share for at least one level")
        for key in self.alerts:
            if not key.replace("_", "a").isalnum() or not key[0].isalpha():
                raise ValueError(f"alert id '{key}' must be a lower-case word")
        return self


class CaseloadAction(_Strict):
    """What a choice does on the caseload: carry out a plan, or deal with an alert."""

    plan: str | None = Field(default=None, pattern=_ID, description="a plan of `caseload.plans`")
    handle: list[str] = Field(
        default_factory=list, description="alerts this choice deals with (ids of caseload.alerts)"
    )
    step_down: bool = Field(
        default=False,
        description="the low-risk people on a higher supervision level are put back to the "
        "level their risk calls for",
    )

    @model_validator(mode="after")
    def _does_something(self) -> CaseloadAction:
        if self.plan is None and not self.handle and not self.step_down:
            raise ValueError("a caseload action needs a plan, alerts to handle or step_down")
        return self
