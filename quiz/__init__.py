"""An online multiple-choice test engine for vocational qualifications."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, g
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import OperationalError

from quiz.config import Config
from quiz.db import deferred, is_lost_write_race, make_engine, make_session_factory, read_only

csrf = CSRFProtect()
login_manager = LoginManager()


class QuizFlask(Flask):
    """Flask, running a view once more if SQLite refused its deferred transaction's write."""

    def dispatch_request(self):
        """Dispatch; on a lost race for SQLite's write lock, run the view again holding it."""
        try:
            return super().dispatch_request()
        except OperationalError as error:
            if not is_lost_write_race(error) or g.get("quiz_write_first"):
                raise
        # Nothing was committed by the failed unit of work; views commit only what they decided
        # on a consistent read, so running the whole view again from its start is safe.
        from quiz.web import close_sessions
        close_sessions()
        g.pop("_login_user", None)  # reload the user on the new session
        g.quiz_write_first = True
        return super().dispatch_request()


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app; nothing is connected or started at import time."""
    app = QuizFlask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(Config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    engine = make_engine(app.config["QUIZ_DATABASE_URL"],
                         pool_timeout=app.config["QUIZ_DB_POOL_TIMEOUT_SECONDS"])
    app.extensions["quiz.engine"] = engine
    # Tools (the command line) take SQLite's write lock when they begin; requests and the
    # finalising job begin deferred and take it only to write (quiz.db.begin_write).
    app.extensions["quiz.sessions"] = make_session_factory(engine)
    app.extensions["quiz.request_sessions"] = make_session_factory(deferred(engine))
    app.extensions["quiz.read_sessions"] = make_session_factory(read_only(engine))

    csrf.init_app(app)
    # Templates get current_user from quiz.web (lazily): Flask-Login's own context processor
    # loads the user for every page rendered, even one that already read who is signed in.
    login_manager.init_app(app, add_context_processor=False)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to continue."

    from quiz.web import close_sessions, register
    register(app)

    @app.teardown_appcontext
    def close_session(_exc):
        close_sessions()

    if app.config.get("QUIZ_SCHEDULER") and not app.config.get("TESTING"):
        from quiz.delivery.jobs import start_scheduler
        start_scheduler(app)
    return app


def _instance_secret(instance: Path) -> str:
    """Return a secret key kept in the instance folder, made once, so restarts keep sessions."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
