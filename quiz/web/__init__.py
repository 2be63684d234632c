"""Web wiring shared by every area: the request's database session, roles, and error pages."""
from __future__ import annotations

from datetime import timedelta
from functools import wraps

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from quiz.accounts.throttle import Source, source_of

from quiz.db import begin_write, utcnow
from quiz.errors import Refused


def db() -> Session:
    """Return this request's database session, opening it on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["quiz.request_sessions"]()
        if g.get("quiz_write_first"):  # running again after losing a race for the write lock
            begin_write(g.db_session)
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


def signed_in() -> tuple[int, str] | None:
    """Return (user id, session version) as this request's session cookie holds them, or None.

    What Flask-Login's user loader starts from, without loading anyone: the lean paths of the
    candidate's API check the version in the same query that reads the attempt (fastpath.py).
    Flask-Login's session protection ("basic") never refuses a session, only marks it not
    fresh, and nothing here asks for freshness, so skipping it changes nothing a user sees.
    """
    from flask import session as cookie
    from quiz.accounts.models import parse_session_id
    return parse_session_id(cookie.get("_user_id"))


def now():
    """Return the time now: the one place requests read the clock (tests may set QUIZ_CLOCK)."""
    clock = current_app.config.get("QUIZ_CLOCK") or utcnow
    return clock()


def guess_source() -> Source:
    """Return where this request's guesses (passwords, keycodes) are counted, with its limits."""
    config = current_app.config
    return Source(source_of(request.remote_addr), config["QUIZ_SOURCE_GUESS_BURST"],
                  timedelta(seconds=config["QUIZ_SOURCE_GUESS_INTERVAL_SECONDS"]))


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


BUSY_RETRY_SECONDS = 5  # what a 503 for a full connection pool asks the browser to wait
BUSY_MESSAGE = "The server is very busy, so nothing was done. Please try again in a moment."


def busy(_err: PoolTimeout):
    """Answer a request that found no free database connection within the pool's time-out.

    The server is past what it can carry: say so now, and as an anonymous page, because the
    header would load the account, which needs a connection too; the error page would wait (and
    fail) all over again."""
    current_app.logger.warning("no database connection free within %s s: answered 503",
                               current_app.config["QUIZ_DB_POOL_TIMEOUT_SECONDS"])
    if wants_json():
        response = jsonify({"error": "busy", "message": BUSY_MESSAGE})
    else:
        nobody = current_app.login_manager.anonymous_user()
        response = make_response(render_template(
            "error.html", status=503, message=BUSY_MESSAGE, viewer=nobody, current_user=nobody))
    response.status_code = 503
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


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
            413: "too_large", 429: "too_many_attempts"}.get(status, "error")


def register(app: Flask) -> None:
    """Attach every area's routes, the user loader and the error handlers."""
    from quiz import login_manager
    from quiz.accounts.models import User, parse_session_id
    from quiz.accounts.routes import bp as accounts_bp
    from quiz.delivery.routes import api as delivery_api
    from quiz.delivery.routes import bp as delivery_bp
    from quiz.invigilation.routes import api as invigilation_api
    from quiz.invigilation.routes import bp as invigilation_bp
    from quiz.itembank.exchange_routes import bp as exchange_bp
    from quiz.itembank.routes import api as bank_api
    from quiz.itembank.routes import bp as bank_bp
    from quiz.results.routes import bp as results_bp
    from quiz.web import limits, times
    from quiz.web.lane import SaveLane

    app.wsgi_app = SaveLane(app, app.wsgi_app)  # inside ProxyFix: it sees the client's scheme
    if app.config.get("QUIZ_TRUSTED_PROXIES"):
        proxies = app.config["QUIZ_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    app.url_map.converters["int"] = limits.BoundedIntegerConverter  # before any route is added
    app.json = limits.GuardedJSONProvider(app)
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = limits.MAX_CONTENT_LENGTH
    for blueprint in (accounts_bp, delivery_bp, delivery_api, invigilation_bp, invigilation_api,
                      results_bp, bank_bp, bank_api, exchange_bp):
        app.register_blueprint(blueprint)
    times.register(app)

    @login_manager.user_loader
    def load_user(token: str):
        # The cookie holds "id:session_version"; a revoked session's version is behind the
        # account's, which is compared on the row loaded anyway: no extra query.
        parsed = parse_session_id(token)
        if parsed is None:
            return None
        user_id, version = parsed
        user = db().get(User, user_id)
        return user if user is not None and user.holds_session(version) else None

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

    @app.context_processor
    def signed_in_user():
        # The proxy, not the user: it loads the account only if a template asks. A page that
        # read the account with its own query passes `viewer` instead (fastpath.Viewer).
        return {"current_user": current_user, "viewer": current_user}

    @app.before_request
    def smaller_limit_for_the_api():
        if request.path.startswith("/api/"):
            request.max_content_length = min(limits.API_MAX_CONTENT_LENGTH,
                                             app.config["MAX_CONTENT_LENGTH"])

    @app.errorhandler(413)
    def too_large(_err):
        limit = request.max_content_length or app.config["MAX_CONTENT_LENGTH"]
        return error_response(413, f"This request is larger than the {limits.size(limit)} "
                                   "allowed, so nothing was read or changed.", "too_large")

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def out_of_range(err):
        # The last line of defence: a value that reached the database but does not fit its
        # column. Inputs are bounded where they enter; this keeps one that was missed a 400.
        db().rollback()
        app.logger.warning("refused a value the database cannot hold: %s", err)
        return error_response(400, "A number or text in the request is too large for us to "
                                   "store, so nothing was changed.")

    app.register_error_handler(PoolTimeout, busy)

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if not request.path.startswith("/static/"):
            # Every page is someone's: exam content, keys, results or a roster. None may linger
            # in a browser's cache for the next person at a shared exam-room computer.
            response.headers["Cache-Control"] = "no-store"
        return response


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "img-src 'self' data:", "style-src 'self'", "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",  # an injected <base> cannot send our relative links elsewhere
    "form-action 'self'",  # nor can an injected form post answers or passwords elsewhere
    "frame-ancestors 'none'",  # no other site may frame a page to trick clicks
])
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
