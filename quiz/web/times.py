"""Show and read times in the centres' local time zone; the database keeps UTC."""
from __future__ import annotations

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


def from_local(day: date, at: time) -> datetime:
    """Return the UTC time of a local date and time of day."""
    return datetime.combine(day, at, tzinfo=zone()).astimezone(timezone.utc)


def register(app) -> None:
    """Make the filter available to templates."""
    app.add_template_filter(local, "local")
    app.add_template_global(lambda: current_app.config["QUIZ_TIMEZONE"], "timezone_name")
