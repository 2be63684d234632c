"""The reasons an invigilator chooses from for each action on a candidate, and how they are recorded.

A drop-down of the usual reasons keeps the audit trail readable and quick to fill in during an
incident; "Other" is always there, and then a few words are required.
"""
from __future__ import annotations

OTHER = "other"

REASONS: dict[str, tuple[tuple[str, str], ...]] = {
    "pause": (
        ("unwell", "Candidate unwell"),
        ("toilet", "Toilet visit"),
        ("technical", "Technical problem"),
        ("disturbance", "Disturbance in the room"),
        ("emergency", "Fire alarm or emergency"),
        (OTHER, "Other (describe below)"),
    ),
    "resume": (
        ("ready", "Candidate ready to carry on"),
        ("fixed", "Problem fixed"),
        ("all_clear", "All clear after the emergency"),
        (OTHER, "Other (describe below)"),
    ),
    "extra_time": (
        ("arrangement", "Access arrangement"),
        ("late_start", "Late start"),
        ("disruption", "Disruption in the room"),
        ("technical", "Technical problem"),
        (OTHER, "Other (describe below)"),
    ),
    "break_start": (
        ("arrangement", "Rest break (access arrangement)"),
        ("unwell", "Candidate unwell"),
        ("toilet", "Toilet visit"),
        (OTHER, "Other (describe below)"),
    ),
    "break_end": (
        ("back", "Candidate back from the break"),
        (OTHER, "Other (describe below)"),
    ),
}


class ReasonMissing(ValueError):
    """Raised when a reason is not one of the list, or "Other" has no description."""


def choices(action: str) -> tuple[tuple[str, str], ...]:
    """Return the (code, label) reasons offered for an action."""
    return REASONS[action]


def describe(action: str, code: str | None, note: str | None = "") -> str:
    """Return the reason as the trail records it: the chosen label, then the note if any."""
    labels = dict(REASONS[action])
    note = (note or "").strip()
    if code not in labels:
        raise ReasonMissing("Choose a reason from the list.")
    if code == OTHER and not note:
        raise ReasonMissing("Describe the reason when you choose Other.")
    label = labels[code].removesuffix(" (describe below)")
    if code == OTHER:
        return note
    return f"{label}: {note}" if note else label


# Why an attempt was voided; stored as "code: what happened".
VOID_LABELS = {
    "absent": "Absent: started in error or not in the room",
    "withdrawn": "Withdrawn: left the test and will not return",
    "malpractice": "Malpractice",
    "other": "Other",
}


def void_words(void_reason: str | None) -> str:
    """Return a stored void reason ("malpractice: phone in use") as people read it."""
    if not void_reason:
        return ""
    category, _, note = void_reason.partition(": ")
    label = VOID_LABELS[category].split(":")[0] if category in VOID_LABELS else category
    return f"{label}: {note}" if note else label
