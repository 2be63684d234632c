"""Sign in, sign out, and the home page that sends each role where it works."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from quiz.accounts.forms import LoginForm
from quiz.accounts.service import SignInRefused, authenticate
from quiz.web import db, guess_source, now

bp = Blueprint("accounts", __name__)

HOME_BY_ROLE = {"candidate": "delivery.dashboard", "invigilator": "invigilation.index",
                "results_officer": "results.index", "item_writer": "bank.index"}


@bp.route("/")
def home():
    """Send signed-in users to their role's start page, others to sign in."""
    if not current_user.is_authenticated:
        return redirect(url_for("accounts.login"))
    endpoint = HOME_BY_ROLE.get(current_user.role)
    if endpoint:
        return redirect(url_for(endpoint))
    return render_template("accounts/home.html")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form and sign the user in."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        session = db()
        try:
            user = authenticate(session, form.username.data, form.password.data, now(),
                                guess_source())
        except SignInRefused as refused:
            session.commit()  # the failure count must stick
            form.form_errors.append(str(refused))
            status = 429 if refused.wait else 401
        else:
            session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")) or url_for("accounts.home"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out."""
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("accounts.login"))


def _safe_next(target: str | None) -> str | None:
    """Return a same-site path to continue to, never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
