"""Web wiring shared by every area: the request's database session, roles, and error pages."""
from __future__ import annotations

from functools import wraps

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from quiz.db import utcnow
from quiz.errors import Refused


def db() -> Session:
    """Return this request's database session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["quiz.sessions"]()
    return g.db_session


def read_db() -> Session:
    """Return this request's read-only session, for long reads that must not block writers."""
    if "read_session" not in g:
        g.read_session = current_app.extensions["quiz.read_sessions"]()
    return g.read_session


def stream_session() -> Session:
    """Return a read-only session for a streamed response, which must close it itself.

    The request's own sessions are closed when the view returns, before a streamed body is read,
    so a stream that borrowed one would reopen it and leave its connection checked out."""
    return current_app.extensions["quiz.read_sessions"]()


def close_sessions() -> None:
    """End this request's sessions, returning their connections to the pool."""
    for name in ("db_session", "read_session"):
        session = g.pop(name, None)
        if session is not None:
            session.close()


def now():
    """Return the time now: the one place requests read the clock (tests may set QUIZ_CLOCK)."""
    clock = current_app.config.get("QUIZ_CLOCK") or utcnow
    return clock()


def role_required(*roles: str):
    """Let only signed-in users with one of these roles through; others get 403 (or sign in)."""
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                return error_response(403, "Your account does not have access to this page.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


def wants_json() -> bool:
    """Return whether the caller is a script or our own JavaScript rather than a page load."""
    return request.path.startswith("/api/") or request.is_json


def error_response(status: int, message: str, code: str | None = None, **extra):
    """Answer with a clear message: JSON for the API, a page for people."""
    if wants_json():
        body = {"error": code or _default_code(status), "message": message, **extra}
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def _default_code(status: int) -> str:
    return {400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict",
            429: "too_many_attempts"}.get(status, "error")


def register(app: Flask) -> None:
    """Attach every area's routes, the user loader and the error handlers."""
    from quiz import login_manager
    from quiz.accounts.models import User
    from quiz.accounts.routes import bp as accounts_bp
    from quiz.delivery.routes import api as delivery_api
    from quiz.delivery.routes import bp as delivery_bp
    from quiz.invigilation.routes import api as invigilation_api
    from quiz.invigilation.routes import bp as invigilation_bp
    from quiz.itembank.exchange_routes import bp as exchange_bp
    from quiz.itembank.routes import api as bank_api
    from quiz.itembank.routes import bp as bank_bp
    from quiz.results.routes import bp as results_bp
    from quiz.web import times

    for blueprint in (accounts_bp, delivery_bp, delivery_api, invigilation_bp, invigilation_api,
                      results_bp, bank_bp, bank_api, exchange_bp):
        app.register_blueprint(blueprint)
    times.register(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        if not user_id.isdigit():
            return None
        user = db().get(User, int(user_id))
        return user if user is not None and user.active else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if wants_json():
            return error_response(401, "Please sign in again.", "signed_out")
        from flask import redirect, url_for
        return redirect(url_for("accounts.login", next=request.full_path))

    @app.errorhandler(Refused)
    def refused(err: Refused):
        db().rollback()  # keep nothing the refused request changed
        return error_response(err.status, str(err), err.code)

    @app.errorhandler(CSRFError)
    def csrf_error(err):
        return error_response(400, "This form has expired or was tampered with. Go back, reload "
                                   "the page and try again.", "csrf")

    @app.errorhandler(HTTPException)
    def http_error(err):
        return error_response(err.code or 500, err.description or err.name)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'")
        if request.path.startswith(("/attempts", "/api/", "/invigilate", "/results")):
            # Exam content must not linger in shared browser caches.
            response.headers["Cache-Control"] = "no-store"
        return response
