"""An online multiple-choice test engine for vocational qualifications."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from quiz.config import Config
from quiz.db import make_engine, make_session_factory, read_only

csrf = CSRFProtect()
login_manager = LoginManager()


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the app; nothing is connected or started at import time."""
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_object(Config(app.instance_path))
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))

    engine = make_engine(app.config["QUIZ_DATABASE_URL"])
    app.extensions["quiz.engine"] = engine
    app.extensions["quiz.sessions"] = make_session_factory(engine)
    app.extensions["quiz.read_sessions"] = make_session_factory(read_only(engine))

    csrf.init_app(app)
    login_manager.init_app(app)
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
