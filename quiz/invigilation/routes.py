"""The invigilator's pages: each view checks the form, calls one use case and redirects."""
from __future__ import annotations

from datetime import timedelta

from flask import (Blueprint, current_app, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from quiz.errors import BadRequest
from quiz.invigilation import service
from quiz.invigilation import reasons
from quiz.invigilation.board import SILENT_AFTER, STATE_WORDS, ago_words, extra_words
from quiz.invigilation.forms import (ActionForm, ExtraTimeForm, MessageForm, RosterForm,
                                     ScheduleForm, VoidForm)
from quiz.invigilation.roster import parse_roster
from quiz.itembank.models import BlueprintRecord
from quiz.web import db, error_response, now, role_required
from quiz.web.forms import ButtonForm
from quiz.web.times import from_local, local

bp = Blueprint("invigilation", __name__, url_prefix="/invigilate")
api = Blueprint("invigilation_api", __name__, url_prefix="/api/invigilate")
INVIGILATORS = ("invigilator", "admin")


def _grace() -> timedelta:
    return timedelta(seconds=current_app.config["QUIZ_ANSWER_GRACE_SECONDS"])


def _back(sitting_id: int):
    return redirect(url_for("invigilation.sitting", sitting_id=sitting_id))


@bp.route("/")
@role_required(*INVIGILATORS)
def index():
    """List the centre's sittings."""
    return render_template("invigilation/index.html",
                           sittings=service.sittings_for(db(), current_user), now=now())


@bp.route("/sittings/new", methods=["GET", "POST"])
@role_required(*INVIGILATORS)
def schedule():
    """Schedule a sitting of a test for a date and time window."""
    session = db()
    form = ScheduleForm()
    form.blueprint.choices = [SelectChoice(b.code, f"{b.code} {b.title}") for b in session.scalars(
        select(BlueprintRecord).order_by(BlueprintRecord.code))]
    if form.validate_on_submit():
        try:
            sitting = service.schedule_sitting(
                session, current_user, blueprint_code=form.blueprint.data, title=form.title.data,
                starts_at=from_local(form.day.data, form.starts.data),
                ends_at=from_local(form.day.data, form.ends.data),
                results_policy=form.results_policy.data, now=now())
        except BadRequest as refused:
            form.form_errors.append(str(refused))
        else:
            session.commit()
            flash(f"Scheduled {sitting.title}. Now book candidates onto it.")
            return _back(sitting.id)
    status = 400 if request.method == "POST" else 200
    return render_template("invigilation/schedule.html", form=form), status


# The actions on one candidate (or the ticked ones), each with the words of its button, what is
# said when it is done, and the form it reads; the use cases are service.ON_SELECTED.
CANDIDATE_ACTIONS = {
    "pause": ("Pause", "Paused"),
    "resume": ("Resume", "Resumed"),
    "break_start": ("Start a rest break for", "Started a rest break for"),
    "break_end": ("End the rest break of", "Ended the rest break of"),
    "message": ("Send a message to", "Sent the message to"),
}


def _form(action: str):
    """Return the form an action reads, with the prefix its handler reads it by."""
    if action == "message":
        return MessageForm(prefix=action)
    return ActionForm(action, prefix=action)


def _action_forms() -> dict:
    return {action: _form(action) for action in CANDIDATE_ACTIONS}


@bp.route("/sittings/<int:sitting_id>")
@role_required(*INVIGILATORS)
def sitting(sitting_id: int):
    """Show the sitting: keycode, controls, live board and bookings."""
    session = db()
    found = service.sitting_for(session, sitting_id, current_user)
    moment = now()
    rows = service.board(session, found, moment)
    booked = {row.candidate_id for row in rows}
    available = [c for c in service.centre_candidates(session, found.centre_id) if c.id not in booked]
    return render_template("invigilation/sitting.html", sitting=found, rows=rows,
                           available=available, now=moment, button_form=ButtonForm(),
                           room_pause=ActionForm("pause", prefix="room-pause"),
                           room_resume=ActionForm("resume", prefix="room-resume"),
                           action_forms=_action_forms(), action_words=CANDIDATE_ACTIONS,
                           room_message=MessageForm(prefix="room-message"),
                           messages=service.messages_sent(session, found),
                           silent_after=SILENT_AFTER,
                           state_words=STATE_WORDS, extra_words=extra_words, ago_words=ago_words,
                           book_form=ButtonForm(), roster_form=RosterForm())


def _sitting_action(sitting_id: int, form, action, message: str):
    """Run an action on a sitting from a posted form, commit, and go back to it."""
    session = db()
    found = service.sitting_for(session, sitting_id, current_user, lock=True)
    if not form.validate_on_submit():
        return _form_errors(form)
    result = action(session, found, form)
    session.commit()
    flash(message.format(result=result))
    return _back(sitting_id)


def _form_errors(form):
    """Answer a form that does not validate: say what is missing, change nothing."""
    errors = "; ".join(e for errs in form.errors.values() for e in errs)
    return error_response(400, f"Nothing was changed: {errors or 'the form was incomplete'}.")


@bp.route("/sittings/<int:sitting_id>/open", methods=["POST"])
@role_required(*INVIGILATORS)
def open_sitting(sitting_id: int):
    """Open the sitting and issue its keycode."""
    return _sitting_action(sitting_id, ButtonForm(), lambda s, sitting, _form: service.open_sitting(
        s, sitting, current_user, now()).keycode, "The sitting is open. Keycode: {result}.")


@bp.route("/sittings/<int:sitting_id>/close", methods=["POST"])
@role_required(*INVIGILATORS)
def close_sitting(sitting_id: int):
    """Close the sitting, submitting every attempt still in progress."""
    return _sitting_action(sitting_id, ButtonForm(), lambda s, sitting, _form: len(
        service.close_sitting(s, sitting, current_user, now(), _grace())),
        "The sitting is closed. {result} attempt(s) in progress were submitted.")


@bp.route("/sittings/<int:sitting_id>/pause-all", methods=["POST"])
@role_required(*INVIGILATORS)
def pause_all(sitting_id: int):
    """Pause every candidate in the room."""
    return _sitting_action(sitting_id, ActionForm("pause", prefix="room-pause"),
                           lambda s, sitting, form: service.pause_all(
                               s, sitting, current_user, now(), form.recorded_reason(), _grace()),
                           "Paused {result} candidate(s).")


@bp.route("/sittings/<int:sitting_id>/resume-all", methods=["POST"])
@role_required(*INVIGILATORS)
def resume_all(sitting_id: int):
    """Resume every paused candidate in the room."""
    return _sitting_action(sitting_id, ActionForm("resume", prefix="room-resume"),
                           lambda s, sitting, form: service.resume_all(
                               s, sitting, current_user, now(), form.recorded_reason()),
                           "Resumed {result} candidate(s).")


@bp.route("/sittings/<int:sitting_id>/selected", methods=["POST"])
@role_required(*INVIGILATORS)
def act_on_selected(sitting_id: int):
    """Apply one action, with one reason, to every candidate ticked on the board."""
    session = db()
    found = service.sitting_for(session, sitting_id, current_user, lock=True)
    action = request.form.get("action", "")
    if action not in CANDIDATE_ACTIONS:
        raise BadRequest("Choose an action for the selected candidates.")
    button, done = CANDIDATE_ACTIONS[action]
    ids = request.form.getlist("candidate_id")
    if not ids or not all(value.isdigit() for value in ids):
        raise BadRequest("Select at least one candidate on the board first.")
    form = _form(action)
    if not form.validate_on_submit():
        if any(name.startswith(f"{action}-") for name in request.form):
            return _form_errors(form)
        # Ticked on the board without a script: ask for the reason on a page of its own.
        chosen = service.selected_candidates(session, found, [int(v) for v in ids])
        return render_template("invigilation/action.html", sitting=found, form=form,
                               action=action, button=button,
                               who=[f"{c.full_name} ({c.candidate_number})" for c in chosen],
                               target=url_for("invigilation.act_on_selected", sitting_id=found.id),
                               candidate_ids=ids)
    outcome = service.act_on_selected(session, found, current_user, now(), action,
                                      [int(v) for v in ids], form.recorded_reason(), _grace())
    session.commit()
    if outcome.done:
        flash(f"{done} {len(outcome.done)} candidate(s): {', '.join(outcome.done)}.")
    if outcome.skipped:
        flash("Not changed: " + "; ".join(outcome.skipped) + ".")
    return _back(sitting_id)


@bp.route("/sittings/<int:sitting_id>/bookings", methods=["POST"])
@role_required(*INVIGILATORS)
def book(sitting_id: int):
    """Book the ticked candidates onto the sitting."""
    session = db()
    if not ButtonForm().validate_on_submit():
        raise BadRequest("The form was incomplete or expired. Reload the page and try again.")
    ids = request.form.getlist("candidate_id")
    if not ids or not all(value.isdigit() for value in ids):
        raise BadRequest("Tick at least one candidate to book.")
    found = service.sitting_for(session, sitting_id, current_user)
    count = service.book(session, found, [int(v) for v in ids], current_user, now())
    session.commit()
    flash(f"Booked {count} candidate(s).")
    return _back(sitting_id)


@bp.route("/sittings/<int:sitting_id>/roster", methods=["POST"])
@role_required(*INVIGILATORS)
def upload_roster(sitting_id: int):
    """Book candidates from a CSV: every row is checked, and any problem books nobody."""
    session = db()
    found = service.sitting_for(session, sitting_id, current_user)
    form = RosterForm()
    problems: list[str] = []
    result = None
    if form.validate_on_submit():
        raw = form.roster.data.read(2_000_001)
        try:
            text = raw.decode("utf-8") if len(raw) <= 2_000_000 else None
        except UnicodeDecodeError:
            text = None
        if text is None:
            problems = ["The file must be a UTF-8 CSV file of at most 2 MB."]
        else:
            rows, problems = parse_roster(text)
            if not problems:
                try:
                    result = service.import_roster(session, found, rows, current_user, now())
                except BadRequest as refused:
                    session.rollback()
                    problems = [str(refused)]
    else:
        problems = [error for errors in form.errors.values() for error in errors]
    if problems:
        return render_template("invigilation/roster_result.html", sitting=found,
                               problems=problems, result=None), 400
    session.commit()
    return render_template("invigilation/roster_result.html", sitting=found, problems=[],
                           result=result)


def _who(attempt) -> str:
    return f"{attempt.candidate.full_name} ({attempt.candidate.candidate_number})"


@bp.route("/attempts/<int:attempt_id>", methods=["GET"])
@role_required(*INVIGILATORS)
def attempt(attempt_id: int):
    """Show one candidate's attempt with the form for extra time."""
    session = db()
    found = service.attempt_for(session, attempt_id, current_user, now(), _grace())
    session.commit()
    return render_template("invigilation/attempt.html", attempt=found, now=now(),
                           extra_form=ExtraTimeForm(), extra_words=extra_words,
                           arrangements=service.arrangements_text(found.candidate))


def _attempt_action(attempt_id: int, form, action, message: str):
    """Run an action on one attempt, commit, and go back to its sitting."""
    session = db()
    found = service.attempt_for(session, attempt_id, current_user, now(), _grace())
    if not form.validate_on_submit():
        session.commit()  # an expiry noticed on the way is still recorded
        return _form_errors(form)
    action(session, found, form)
    session.commit()
    flash(message.format(who=_who(found), name=found.candidate.full_name))
    return _back(found.sitting_id)


@bp.route("/attempts/<int:attempt_id>/<any(pause, resume, break_start, break_end, message):action>",
          methods=["GET", "POST"])
@role_required(*INVIGILATORS)
def candidate_action(attempt_id: int, action: str):
    """Act on one candidate with a reason, or send them a message (a page of its own without the script)."""
    use_case = service.ON_SELECTED[action]
    button, done = CANDIDATE_ACTIONS[action]
    form = _form(action)
    if request.method == "POST":
        return _attempt_action(attempt_id, form, lambda s, a, f: use_case(
            s, a, current_user, now(), f.recorded_reason()), done + " {who}.")
    session = db()
    found = service.attempt_for(session, attempt_id, current_user, now(), _grace())
    session.commit()
    return render_template("invigilation/action.html", sitting=found.sitting, form=form,
                           action=action, button=button, who=[_who(found)],
                           target=url_for("invigilation.candidate_action", attempt_id=found.id,
                                          action=action), candidate_ids=[])


@bp.route("/sittings/<int:sitting_id>/message", methods=["POST"])
@role_required(*INVIGILATORS)
def message_room(sitting_id: int):
    """Send a message to every candidate in the room."""
    return _sitting_action(sitting_id, MessageForm(prefix="room-message"),
                           lambda s, sitting, form: service.message_room(
                               s, sitting, current_user, now(), form.body.data),
                           "Sent the message to everyone in the room.")


@bp.route("/attempts/<int:attempt_id>/extra-time", methods=["POST"])
@role_required(*INVIGILATORS)
def extra_time(attempt_id: int):
    """Give one candidate extra time."""
    def grant(session, found, form):
        amount = form.amount.data
        service.grant_extra_time(
            session, found, current_user, now(), reason=form.recorded_reason(),
            minutes=amount if form.unit.data == "minutes" else None,
            percent=amount if form.unit.data == "percent" else None)
    return _attempt_action(attempt_id, ExtraTimeForm(), grant, "Extra time given to {name}.")


@bp.route("/attempts/<int:attempt_id>/void", methods=["GET", "POST"])
@role_required(*INVIGILATORS)
def void(attempt_id: int):
    """Void one candidate's attempt: a reason, then a confirmation naming the candidate."""
    session = db()
    found = service.attempt_for(session, attempt_id, current_user, now(), _grace())
    session.commit()
    form = VoidForm()
    if found.status != "in_progress":
        return render_template("invigilation/void.html", attempt=found, form=form,
                               step="finished"), 409
    if request.method == "GET":
        return render_template("invigilation/void.html", attempt=found, form=form, step="reason")
    if not form.validate_on_submit():
        return render_template("invigilation/void.html", attempt=found, form=form,
                               step="reason"), 400
    if form.confirmed.data != "yes":
        return render_template("invigilation/void.html", attempt=found, form=form, step="confirm",
                               reason_words=reasons.void_words(
                                   form.category.data + (f": {form.note.data.strip()}"
                                                         if (form.note.data or "").strip() else "")))
    found = service.attempt_for(session, attempt_id, current_user, now(), _grace())
    service.void(session, found, current_user, now(), form.category.data, form.note.data or "")
    session.commit()
    flash(f"Voided the attempt of {_who(found)}.")
    return _back(found.sitting_id)


@bp.route("/sittings/<int:sitting_id>/trail")
@role_required(*INVIGILATORS)
def trail(sitting_id: int):
    """Show the sitting's audit trail."""
    session = db()
    found = service.sitting_for(session, sitting_id, current_user)
    return render_template("invigilation/trail.html", sitting=found,
                           entries=service.trail(session, found))


@api.route("/sittings/<int:sitting_id>/board")
@role_required(*INVIGILATORS)
def board(sitting_id: int):
    """Return the live board as JSON for the page to refresh itself."""
    session = db()
    found = service.sitting_for(session, sitting_id, current_user)
    moment = now()
    rows = service.board(session, found, moment)
    return jsonify({"sitting": {"id": found.id, "status": found.status, "keycode": found.keycode},
                    "server_time": moment.isoformat(),
                    "updated_local": local(moment, "%H:%M:%S"),
                    "silent_after_seconds": int(SILENT_AFTER.total_seconds()),
                    "rows": [row.to_dict(moment, found.status, lambda t: local(t, "%H:%M:%S"))
                             for row in rows]})
