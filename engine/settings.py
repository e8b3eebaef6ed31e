"""The settings a scenario can be set in: one key per place the art can draw.

A scenario names its opening setting (``setting:``) and any node may change it
(``scene:``); lint checks both against this list, so a typo is caught before a run
instead of showing the wrong room. The app draws exactly these (a test holds the art
to the list). Keys are plain words an author can guess.
"""

from __future__ import annotations

SETTINGS: dict[str, str] = {
    "apartment_hallway": "an apartment building's landing outside the door",
    "living_room": "a living room in a home",
    "kitchen": "a kitchen in a home",
    "bedroom": "a bedroom in a home",
    "house_exterior": "a small house seen from the street",
    "office_counter": "the parole office reception, behind the glass",
    "interview_room": "an interview room at the parole office",
    "street": "a street or sidewalk",
    "car": "inside the state car",
    "workplace": "a warehouse or shop floor at a workplace",
    "workplace_office": "a manager's office at a workplace",
    "jail_visiting": "a jail visiting booth, glass and phone handsets",
    "treatment_centre": "a treatment centre's group or counselling room",
    "caseload_desk": "an officer's desk in the unit office: the caseload dashboard on two screens",
    "hearing_room": "a hearing room: the hearing officer's bench, tables, a witness chair",
    "intake_office": "an officer's office set up for an intake assessment and case planning",
}
