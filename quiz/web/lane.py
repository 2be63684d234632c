"""The answer save, answered beneath Flask: the one request every candidate sends dozens of times.

A save's own work is three statements (fastpath.save_answer). Around them Flask pushed a request
context, matched the URL, opened the session, ran the before- and after-request hooks with the
CSRF check, and built a Response: in a profile of gunicorn's workers saving at saturation that
machinery took more of a worker's time than the save's own statements (bench/RESULTS.md, "Fifth
pass"). This WSGI layer, in front of the app, answers the ordinary save itself, making the same
checks in the same order, and runs the statements on the database driver's own connection
(quiz.direct: "Eleventh pass"):

- the session cookie, read with Flask's own serializer for it (the same keys, salt and maximum
  age), so a tampered or expired cookie is no session, as in Flask;
- the CSRF token, taken from the headers Flask-WTF reads and checked as it checks it (its signed
  form against the session's token, within the time limit; on HTTPS, a Referer from this host).
  Each signature is verified once per worker and remembered (Verified); its age, every time;
- the body: a JSON object of at most the API's size whose position, choice and seq are whole
  numbers in range;
- then fastpath.save_answer, which checks the session's version against the account in the same
  query that reads the attempt, and applies the answer rules.

Anything else goes to Flask unchanged, with the body put back for it to read: no session, a
token missing or wrong, a body that is not as above, a refusal by the rules, time run out, an
error. Flask then answers exactly as it always has, so every refusal has one source of wording.
The one exception is a full connection pool: Flask would only wait out the pool's time-out
again, so the lane answers the app's own 503 "busy" (quiz.web.BUSY_MESSAGE) itself.
The reply carries the headers the app's after-request hook gives every answer.
"""
from __future__ import annotations

import hmac
import io
import json
import re
import threading
import time
from collections.abc import Mapping
from datetime import timedelta
from types import MappingProxyType

from flask import Flask
from flask_wtf.csrf import same_origin
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.http import parse_cookie

from quiz.accounts.models import parse_session_id
from quiz.delivery import fastpath
from quiz.delivery.routes import answer_fields
from quiz.direct import DirectConnection
from quiz.errors import BadRequest, Refused
from quiz.web import BUSY_MESSAGE, BUSY_RETRY_SECONDS, SECURITY_HEADERS, now
from quiz.web.limits import API_MAX_CONTENT_LENGTH, MAX_ID

_PATH = re.compile(r"/api/attempts/([1-9][0-9]{0,9})/answers")
_BUSY = {"error": "busy", "message": BUSY_MESSAGE}  # as the app's 503 for a full pool says it


class SaveLane:
    """WSGI middleware answering the ordinary answer save; everything else passes to `app`."""

    def __init__(self, flask_app: Flask, app):
        self.flask_app, self.app = flask_app, app
        self._verified = Verified()

    def __call__(self, environ, start_response):
        found = (_PATH.fullmatch(environ.get("PATH_INFO", ""))
                 if environ.get("REQUEST_METHOD") == "POST" else None)
        if found is None or not self.flask_app.config.get("QUIZ_SAVE_LANE", True):
            return self.app(environ, start_response)
        body = _read_body(environ)
        reply = None
        if body is not None:
            reply = self._save(environ, int(found.group(1)), body)
            environ["wsgi.input"] = io.BytesIO(body)  # Flask reads it as if untouched
        if reply is None:
            return self.app(environ, start_response)
        if reply is _BUSY:
            return self._respond(start_response, reply, "503 Service Unavailable",
                                 [("Retry-After", str(BUSY_RETRY_SECONDS))])
        return self._respond(start_response, reply)

    def _save(self, environ, attempt_id: int, body: bytes) -> dict | None:
        """Return the reply to an ordinary save, stored and committed; or None (nothing changed)."""
        if attempt_id > MAX_ID:
            return None
        cookie = self._session(environ)
        if cookie is None or not self._csrf_holds(environ, cookie):
            return None
        fields = _answer(body)
        if fields is None:
            return None
        who = parse_session_id(cookie.get("_user_id"))
        if who is None:
            return None
        app = self.flask_app
        with app.app_context():  # the clock, presence's engine
            engine = app.extensions["quiz.engine"]
            try:
                # The driver's own connection running the save's Core statements (quiz.direct):
                # nothing here builds an object or needs a Connection's bookkeeping. Its
                # transaction begins as tools' do, on SQLite with the write lock (quiz.db).
                with DirectConnection(engine) as connection:
                    reply = fastpath.save_answer(connection, who, attempt_id, *fields, now(),
                                                 _grace(app))
                    if reply is not None:
                        connection.commit()
                return reply
            except PoolTimeout:
                # No connection came free in the pool's time-out: Flask would wait it out again.
                return _BUSY
            except (Refused, SQLAlchemyError, engine.dialect.loaded_dbapi.Error):
                # The rules refused it, or the database failed: nothing was committed, and
                # Flask answers it from the same rules (a save run twice is stored once).
                return None

    def _session(self, environ) -> Mapping | None:
        """Return the session the request's cookie holds, as Flask would open it; or None."""
        app = self.flask_app
        value = parse_cookie(environ).get(app.config["SESSION_COOKIE_NAME"])
        if not value or not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        data = self._verified.loads(
            lambda: app.session_interface.get_signing_serializer(app), ("session", keys, value),
            value, int(app.permanent_session_lifetime.total_seconds()))
        return data if isinstance(data, MappingProxyType) else None

    def _csrf_holds(self, environ, cookie: Mapping) -> bool:
        """Return whether the request passes Flask-WTF's CSRF check (or the app turned it off)."""
        config = self.flask_app.config
        if not config.get("WTF_CSRF_ENABLED", True) or not config.get("WTF_CSRF_CHECK_DEFAULT",
                                                                      True):
            return True
        expected = cookie.get(config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
        sent = next((environ.get("HTTP_" + name.upper().replace("-", "_"))
                     for name in config.get("WTF_CSRF_HEADERS", ("X-CSRFToken", "X-CSRF-Token"))
                     if environ.get("HTTP_" + name.upper().replace("-", "_"))), None)
        if not expected or not sent or not isinstance(expected, str):
            return False
        secret = config.get("WTF_CSRF_SECRET_KEY") or self.flask_app.secret_key
        token = self._verified.loads(
            lambda: URLSafeTimedSerializer(secret, salt="wtf-csrf-token"), ("csrf", secret, sent),
            sent, config.get("WTF_CSRF_TIME_LIMIT", 3600))
        if not isinstance(token, str) or not hmac.compare_digest(expected, token):
            return False
        if environ.get("wsgi.url_scheme") == "https" and config.get("WTF_CSRF_SSL_STRICT", True):
            referrer, host = environ.get("HTTP_REFERER"), environ.get("HTTP_HOST")
            return bool(referrer and host and same_origin(referrer, f"https://{host}/"))
        return True

    def _respond(self, start_response, reply: dict, status: str = "200 OK",
                 extra: list[tuple[str, str]] = ()):
        app = self.flask_app
        payload = (app.json.dumps(reply, separators=(",", ":")) + "\n").encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                   *SECURITY_HEADERS.items(), ("Cache-Control", "no-store"), ("Vary", "Cookie"),
                   *extra]
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.append(("Strict-Transport-Security", "max-age=31536000"))
        start_response(status, headers)
        return [payload]


class Verified:
    """Signed values this worker has verified, remembered by their exact text and keys.

    A candidate sends the same session cookie and CSRF token with every save, dozens of times
    in a test. Checking a signature again gives the same answer for the same text and keys, so
    only the age is checked again, each time, against the signing time remembered with it.
    Holds at most `size` values (the oldest go first): room for each candidate of a large hall.
    """

    def __init__(self, size: int = 20_000):
        self.size = size
        self._known: dict[tuple, tuple[object, int]] = {}
        self._adding = threading.Lock()  # gthread workers add from several threads

    def loads(self, serializer, key: tuple, value: str, max_age: int | None):
        """Return what `value` holds if its signature holds (by `serializer()`, made only when
        needed) and it is at most `max_age` seconds old; or None."""
        known = self._known.get(key)
        if known is None:
            maker = serializer()
            if maker is None:
                return None
            try:
                payload, signed_at = maker.loads(value, return_timestamp=True)
            except BadData:
                return None
            if isinstance(payload, dict):
                payload = MappingProxyType(payload)  # shared between requests: read only
            known = (payload, int(signed_at.timestamp()))
            with self._adding:
                if len(self._known) >= self.size:
                    del self._known[next(iter(self._known))]
                self._known[key] = known
        payload, signed_at = known
        age = int(time.time()) - signed_at  # as itsdangerous counts it, in whole seconds
        if max_age is not None and not 0 <= age <= max_age:
            return None
        return payload


def _read_body(environ) -> bytes | None:
    """Return the JSON body if it is one of at most the API's size; None (unread) otherwise."""
    if (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower() != "application/json":
        return None
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    if not 0 < length <= API_MAX_CONTENT_LENGTH:
        return None
    return environ["wsgi.input"].read(length)


def _answer(body: bytes) -> tuple[int, int | None, int] | None:
    """Return the body's position, choice and seq if it is a well-formed answer; else None."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    try:
        return answer_fields(value)
    except BadRequest:
        return None


def _grace(app: Flask) -> timedelta:
    return timedelta(seconds=app.config["QUIZ_ANSWER_GRACE_SECONDS"])
