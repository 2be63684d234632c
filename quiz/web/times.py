"""Show and read times in the centres' local time zone; the database keeps UTC."""
from __future__ import annotations

import math
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from flask import current_app


def zone() -> ZoneInfo:
    """Return the configured local time zone."""
    return ZoneInfo(current_app.config["QUIZ_TIMEZONE"])


def local(moment: datetime | None, fmt: str = "%d %b %Y %H:%M") -> str:
    """Format a UTC time in local time (a Jinja filter)."""
    if moment is None:
        return ""
    return moment.astimezone(zone()).strftime(fmt)


def time_left(seconds: float | None) -> str:
    """Format the time left as the pages' scripts do (a Jinja filter): a part-second rounds up,
    "1:05" under an hour, "1:02:03" from an hour, never below "0:00", "–" when there is none."""
    if seconds is None:
        return "–"
    shown = max(0, math.ceil(seconds))
    hours, rest = divmod(shown, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def from_local(day: date, at: time) -> datetime:
    """Return the UTC time of a local date and time of day."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(timezone.utc)


def register(app) -> None:
    """Make the filters available to templates."""
    app.add_template_filter(local, "local")
    app.add_template_filter(time_left, "time_left")
    app.add_template_global(lambda: current_app.config["QUIZ_TIMEZONE"], "timezone_name")
