"""Sign in, sign out, change a password, the home page that sends each role where it works, and
the administrator's accounts page."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (Blueprint, flash, redirect, render_template, request, session as cookie,
                   url_for)
from flask_login import current_user, login_required, login_user, logout_user

from quiz.accounts import service
from quiz.accounts.forms import ChangePasswordForm, FindAccountForm, LoginForm
from quiz.accounts.models import User
from quiz.accounts.service import SignInRefused, authenticate
from quiz.delivery.service import sitting_to_land_on
from quiz.errors import NotFound
from quiz.web import db, guess_source, now, role_required
from quiz.web.forms import ButtonForm

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
            _start_session(user)
            return redirect(_safe_next(request.args.get("next")) or _landing(user))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out here and everywhere else this account is signed in."""
    session = db()
    service.sign_out(session, current_user, now())
    session.commit()
    logout_user()
    cookie.clear()
    flash("You have signed out.")
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the signed-in user's password; every other session of theirs ends."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        session = db()
        user = current_user._get_current_object()
        try:
            service.change_password(session, user, form.current.data, form.new.data, now(),
                                    guess_source())
        except SignInRefused as refused:
            session.commit()  # a wrong current password is a counted guess
            form.form_errors.append(str(refused))
            status = 429 if refused.wait else 400
        else:
            session.commit()
            _start_session(user)
            flash("Your password is changed. Anywhere else you were signed in is signed out.")
            return redirect(url_for("accounts.home"))
    elif request.method == "POST":
        status = 400
    return render_template("accounts/password.html", form=form), status


@bp.route("/admin/accounts")
@role_required("admin")
def accounts():
    """Find accounts, each with a button to sign it out everywhere."""
    form = FindAccountForm(request.args)
    found = service.find_users(db(), form.q.data or "") if form.validate() else []
    return render_template("accounts/accounts.html", form=form, found=found,
                           button=ButtonForm())


@bp.route("/admin/accounts/<int:user_id>/sign-out", methods=["POST"])
@role_required("admin")
def sign_out_account(user_id: int):
    """Sign one account out everywhere (a lost or shared password, a left-open exam PC)."""
    if not ButtonForm().validate_on_submit():
        return redirect(url_for("accounts.accounts"))
    session = db()
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such account.")
    service.end_sessions_of(session, user, current_user, now())
    session.commit()
    flash(f"{user.full_name} ({user.username}) is signed out everywhere.")
    return redirect(url_for("accounts.accounts", q=user.username))


def _landing(user: User) -> str:
    """Where sign-in leads without a `next`: a candidate booked on one test today straight to
    its keycode page (delivery.service.sitting_to_land_on), everyone else their start page."""
    if user.role == "candidate":
        sitting_id = sitting_to_land_on(db(), user.id, now())
        if sitting_id is not None:
            return url_for("delivery.join", sitting_id=sitting_id)
    return url_for("accounts.home")


def _start_session(user: User) -> None:
    """Sign the user in on a fresh session: nothing the last user left, a new CSRF secret."""
    cookie.clear()
    login_user(user)


def _safe_next(target: str | None) -> str | None:
    """Return a same-site path to continue to, never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
