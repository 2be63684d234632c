"""Limits on what a request may carry, so malformed input gets a 4xx with a message, never a 500.

The limits, and why each is what it is (README "Limits" repeats them for operators):

- a request body may be at most MAX_CONTENT_LENGTH (8 MB): the largest upload is a roster CSV
  (read up to 2 MB) or a bank file (1 MB), with room for multipart framing;
- a request to the JSON API (/api/...) may be at most API_MAX_CONTENT_LENGTH (64 KB): an answer
  is under 100 bytes, so even a queue of every answer of a long test fits many times over;
- JSON may nest at most as deep as the parser's recursion allows (about 1,000 levels); deeper
  is refused with a message rather than overflowing the stack;
- a whole number in a URL (an id) or a JSON field may be at most MAX_ID (2^31 - 1), the largest
  value of the 32-bit integer columns ids and positions are stored in on PostgreSQL.
"""
from __future__ import annotations

import json

from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_CONTENT_LENGTH = 8 * 1024 * 1024
API_MAX_CONTENT_LENGTH = 64 * 1024
MAX_ID = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """`<int:...>` in a URL, refusing numbers no id column can hold: they are simply not found."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class GuardedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, with JSON nested too deeply to parse refused as a bad request."""

    def loads(self, s, **kwargs):
        try:
            return json.loads(s, **kwargs)
        except RecursionError:
            raise BadRequest("The JSON is nested too deeply to read. Send a flat object, e.g. "
                             '{"position": 1, "choice": 0, "seq": 1}.') from None


def size(limit: int) -> str:
    """Return a byte count as people say it (64 KB, 8 MB)."""
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
