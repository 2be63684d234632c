"""Configuration read from environment variables, with a test configuration beside it."""
from __future__ import annotations

import os
from pathlib import Path


class Config:
    """Settings for a running app; every value can come from the environment."""

    def __init__(self, instance_path: str):
        default_db = "sqlite:///" + str(Path(instance_path) / "quiz.sqlite3")
        self.SECRET_KEY = os.environ.get("SECRET_KEY", "")
        self.QUIZ_DATABASE_URL = os.environ.get("QUIZ_DATABASE_URL", default_db)
        # Answers that arrive this long after the deadline are still accepted: they left the
        # browser in time. It never lengthens the time shown to the candidate.
        self.QUIZ_ANSWER_GRACE_SECONDS = float(os.environ.get("QUIZ_ANSWER_GRACE_SECONDS", "2"))
        # Run the job that submits expired attempts inside this process. Turn it off on all but
        # one process when several share a database (or run `quiz worker` instead).
        self.QUIZ_SCHEDULER = os.environ.get("QUIZ_SCHEDULER", "1") == "1"
        self.QUIZ_FINALISE_EVERY_SECONDS = float(os.environ.get("QUIZ_FINALISE_EVERY_SECONDS", "10"))
        # How often a candidate's page polls its status when the push channel (below) fails.
        self.QUIZ_STATUS_POLL_SECONDS = int(os.environ.get("QUIZ_STATUS_POLL_SECONDS", "10"))
        # The push channel (server-sent events): how often each process reads new audit events,
        # how often an idle stream says it is still there, and how long a stream lasts before
        # the browser reconnects.
        self.QUIZ_EVENTS_POLL_SECONDS = float(os.environ.get("QUIZ_EVENTS_POLL_SECONDS", "0.5"))
        self.QUIZ_EVENTS_HEARTBEAT_SECONDS = float(
            os.environ.get("QUIZ_EVENTS_HEARTBEAT_SECONDS", "15"))
        self.QUIZ_EVENTS_STREAM_SECONDS = float(os.environ.get("QUIZ_EVENTS_STREAM_SECONDS", "300"))
        # Last-heard times from polls are kept in memory and written in one batch this often.
        self.QUIZ_PRESENCE_FLUSH_SECONDS = float(os.environ.get("QUIZ_PRESENCE_FLUSH_SECONDS", "5"))
        self.QUIZ_BOARD_POLL_SECONDS = int(os.environ.get("QUIZ_BOARD_POLL_SECONDS", "5"))
        # Times are stored in UTC and shown (and typed) in the centres' local time.
        self.QUIZ_TIMEZONE = os.environ.get("QUIZ_TIMEZONE", "Europe/London")
        # The largest file the import page takes from other tools (README "Importing").
        self.QUIZ_IMPORT_MAX_BYTES = int(os.environ.get("QUIZ_IMPORT_MAX_BYTES", str(10 * 2**20)))
        # Wrong passwords and keycodes from one source address: this many at once, then one
        # every so many seconds (README "Limits"). Generous: a hall may share one address.
        self.QUIZ_SOURCE_GUESS_BURST = int(os.environ.get("QUIZ_SOURCE_GUESS_BURST", "200"))
        self.QUIZ_SOURCE_GUESS_INTERVAL_SECONDS = float(
            os.environ.get("QUIZ_SOURCE_GUESS_INTERVAL_SECONDS", "3"))
        # How many proxies (load balancers) in front of the app add X-Forwarded-For; the
        # address guesses are counted against is the one the outermost trusted proxy saw.
        self.QUIZ_TRUSTED_PROXIES = int(os.environ.get("QUIZ_TRUSTED_PROXIES", "0"))
        # The ordinary answer save is answered beneath Flask, with the same checks
        # (quiz/web/lane.py); 0 sends every save through Flask, to compare the two.
        self.QUIZ_SAVE_LANE = os.environ.get("QUIZ_SAVE_LANE", "1") == "1"
        # How long a request waits for a free database connection before the server says it
        # is busy (503, Retry-After) instead of queueing it further.
        self.QUIZ_DB_POOL_TIMEOUT_SECONDS = float(
            os.environ.get("QUIZ_DB_POOL_TIMEOUT_SECONDS", "30"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = os.environ.get("QUIZ_SECURE_COOKIES", "0") == "1"
        self.WTF_CSRF_TIME_LIMIT = None  # a 45-minute test must not outlive its form tokens
