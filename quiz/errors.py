"""Refusals the rules make, each with the HTTP status and code the web layer answers with.

The message is written for the person who made the request.
"""


class Refused(Exception):
    """A request the rules refuse; nothing it asked for has changed."""

    status = 409
    code = "conflict"


class NotAllowed(Refused):
    status = 403
    code = "forbidden"


class NotFound(Refused):
    status = 404
    code = "not_found"


class BadRequest(Refused):
    status = 400
    code = "bad_request"


class TooManyGuesses(Refused):
    status = 429
    code = "too_many_attempts"


class TimeUp(Refused):
    code = "time_up"


class AttemptPaused(Refused):
    code = "paused"


class OnBreak(Refused):
    code = "on_break"


class AttemptClosed(Refused):
    code = "attempt_closed"
