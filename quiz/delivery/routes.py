"""The candidate's pages and the answer-saving API: each view checks input, calls one use case."""
from __future__ import annotations

from datetime import timedelta

from flask import (Blueprint, Response, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from quiz.delivery import events as events_
from quiz.delivery import breaks, fastpath, presence, present, service
from quiz.delivery.forms import KeycodeForm
from quiz.web.forms import ButtonForm
from quiz.errors import BadRequest, NotFound, Refused
from quiz.db import begin_write
from quiz.web import (close_sessions, db, error_response, guess_source, now, role_required,
                      signed_in)
from quiz.web.limits import MAX_ID

bp = Blueprint("delivery", __name__)
api = Blueprint("delivery_api", __name__, url_prefix="/api")


def _grace() -> timedelta:
    return timedelta(seconds=current_app.config["QUIZ_ANSWER_GRACE_SECONDS"])


def _attempt(attempt_id: int, lock: bool = False):
    """Return the signed-in candidate's attempt, committing a finalise if time ran out.

    lock=True is for a request that will change the attempt: it reads the attempt again in a
    transaction that holds the write lock (SQLite) or the attempt's row lock (PostgreSQL), so
    nothing changes the attempt between the checks and the write.
    """
    session = db()
    if lock:
        begin_write(session)
    attempt = service.attempt_for_candidate(session, attempt_id, current_user, now(), _grace(),
                                            lock=lock)
    if attempt.status != "in_progress":
        session.commit()
    return attempt


# --- before the test ---------------------------------------------------------------------------

@bp.route("/tests")
@role_required("candidate")
def dashboard():
    """List the tests the candidate is booked on."""
    rows = service.booked_sittings(db(), current_user)
    return render_template("delivery/dashboard.html", rows=rows, now=now())


@bp.route("/sittings/<int:sitting_id>/join", methods=["GET", "POST"])
def join(sitting_id: int):
    """The test's instructions and the keycode on one page. Start checks the keycode, admits the
    candidate and starts their attempt in one request, then goes straight to the first question;
    the clock starts only then, after the candidate has read the instructions.

    The Start of a whole hall comes in the same minute, so its ordinary case is lean
    (fastpath.start: Core statements, no ORM object, nobody loaded by Flask-Login) and answers
    with the first question's page itself, not a redirect to it: one request from keycode to
    question, not two (docs/pages.md). Anything else, and the page itself, goes the general
    way."""
    who = signed_in() if request.method == "POST" else None
    if who is not None:
        form = KeycodeForm()
        if form.validate_on_submit():
            moment = now()
            started = fastpath.start(db(), who, sitting_id, form.keycode.data, moment,
                                     guess_source())
            if started is not None:
                if started.page is not None:
                    return _question_page(started.page, 1, moment)
                return _after_start(started)
    return _join(sitting_id)


def _after_start(started: service.Started):
    if started.resumed:
        return redirect(url_for("delivery.resume", attempt_id=started.attempt_id), 303)
    return redirect(url_for("delivery.question", attempt_id=started.attempt_id, position=1), 303)


@role_required("candidate")
def _join(sitting_id: int):
    """The keycode page, and Start by the general path."""
    session = db()
    booking = service.booking_for_candidate(session, sitting_id, current_user)
    form = KeycodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            started = service.admit_and_start(session, booking, current_user, form.keycode.data,
                                              now(), guess_source())
        except Refused as refused:
            session.commit()  # a wrong guess is counted even though the request fails
            form.keycode.errors.append(str(refused))
            status = refused.status
        else:
            session.commit()  # admission is kept on the booking, never in the browser's cookie
            return _after_start(started)
    elif request.method == "POST":
        status = 400
    else:
        started = service.existing_attempt_id(session, sitting_id, current_user.id)
        if started is not None:  # started already (here or on another browser): carry on
            return redirect(url_for("delivery.resume", attempt_id=started), 303)
    sitting = booking.sitting
    return render_template("delivery/join.html", sitting=sitting, form=form,
                           blueprint=sitting.blueprint.to_domain(),
                           admitted=service.is_admitted(booking)), status


@bp.route("/sittings/<int:sitting_id>/instructions")
@role_required("candidate")
def instructions(sitting_id: int):
    """The instructions are on the keycode page now; an old link goes there."""
    service.booking_for_candidate(db(), sitting_id, current_user)  # not booked: 404, as before
    return redirect(url_for("delivery.join", sitting_id=sitting_id))


# --- during the test ----------------------------------------------------------------------------

@bp.route("/attempts/<int:attempt_id>")
@role_required("candidate")
def resume(attempt_id: int):
    """Carry on where the candidate left off: the first unanswered question, or the result."""
    attempt = _attempt(attempt_id)
    if attempt.status != "in_progress":
        return redirect(url_for("delivery.result", attempt_id=attempt.id))
    return redirect(url_for("delivery.question", attempt_id=attempt.id,
                            position=service.first_unanswered(db(), attempt)))


@bp.route("/attempts/<int:attempt_id>/q/<int:position>", methods=["GET", "POST"])
def question(attempt_id: int, position: int):
    """Show one question; without JavaScript, the form posts the answer and moves on.

    Showing it is lean (fastpath.question_page: three Core SELECTs, no ORM object, nobody
    loaded by Flask-Login); anything out of the ordinary goes the general way."""
    who = signed_in() if request.method == "GET" else None
    if who is not None:
        moment = now()
        page = fastpath.question_page(db(), who, attempt_id, position, moment, _grace())
        if page is not None:
            return _question_page(page, position, moment)
    return _question(attempt_id, position)


def _question_page(page: fastpath.QuestionPage, position: int, moment):
    attempt, questions = page.attempt, page.questions
    shown = questions[position - 1]
    return _render_question(
        attempt, present.screen(shown, shown.option_order, shown.position, shown.chosen,
                                shown.flagged),
        questions, present.paper_of(attempt, questions, page.messages, moment), moment,
        viewer=page.viewer, test_name=page.test_name)


def _render_question(attempt, q: dict, questions, paper: dict, moment, **header):
    """Render a question page (from rows or from ORM objects alike). It carries the whole paper,
    so its script need not fetch /paper (docs/pages.md)."""
    paper["status"]["result_url"] = url_for("delivery.result", attempt_id=attempt.id)
    return render_template(
        "delivery/question.html", attempt=attempt, q=q, total=len(questions),
        nav=present.navigator(attempt, questions), paper=paper,
        question_url=_question_url_stem(attempt.id),
        timing=present.timing(attempt, moment), state=present.attempt_state(attempt, moment),
        **header)


def _question_url_stem(attempt_id: int) -> str:
    """Return the address of the attempt's questions up to the position ("/attempts/7/q/"),
    building the URL once for the navigator's thirty links instead of once for each."""
    first = url_for("delivery.question", attempt_id=attempt_id, position=1)
    stem, _, last = first.rpartition("/")
    if last != "1":  # the rule ends with the position; say so loudly if that ever changes
        raise RuntimeError(f"question URL {first!r} does not end with its position")
    return stem + "/"


@role_required("candidate")
def _question(attempt_id: int, position: int):
    """A question by the general path: answering without JavaScript, and whatever the lean
    page leaves to it."""
    session = db()
    attempt = _attempt(attempt_id, lock=request.method == "POST")
    if attempt.status != "in_progress":
        return redirect(url_for("delivery.result", attempt_id=attempt.id))
    if request.method == "POST":
        return _answer_from_form(attempt, position)
    moment = now()
    questions = service.questions_with_versions(session, attempt)  # the paper, read once
    if not 1 <= position <= len(questions):
        raise NotFound(f"This test has no question {position}.")
    presence.note_heard(attempt.id, moment)  # written in a batch, not by this GET
    return _render_question(attempt, present.question_screen(questions[position - 1]), questions,
                            present.paper(session, attempt, questions, moment), moment)


def _answer_from_form(attempt, position: int):
    """Save the posted answer (and flag), then go where the button said."""
    session = db()
    form = request.form  # CSRFProtect has already checked the token
    seq = _int_or_none(form.get("seq"))
    choice = _int_or_none(form.get("choice"))
    if form.get("choice", "") != "":
        try:
            if choice is None or seq is None:
                raise BadRequest("the form was incomplete")
            service.save_answer(session, attempt, position, choice, seq, now(), _grace())
        except BadRequest:
            # Only a tampered or broken form gets here; say so and stay on the question.
            flash("Your answer was not saved: the form did not hold one of the options. "
                  "Choose one of the options and try again.")
            return redirect(url_for("delivery.question", attempt_id=attempt.id,
                                    position=position))
    action = form.get("action", "next")
    if action == "flag":
        service.toggle_flag(session, attempt, position, now(), _grace())
    session.commit()
    target = {"next": position + 1, "previous": position - 1, "flag": position}.get(action)
    if action == "review" or target is None or not 1 <= target <= service.question_count(
            session, attempt):
        return redirect(url_for("delivery.review", attempt_id=attempt.id))
    return redirect(url_for("delivery.question", attempt_id=attempt.id, position=target))


def _int_or_none(value):
    """Return a form field's whole number (ASCII digits only), or None."""
    if value is None or not value.isascii() or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


@bp.route("/attempts/<int:attempt_id>/review")
@role_required("candidate")
def review(attempt_id: int):
    """Show every question's state before submitting."""
    attempt = _attempt(attempt_id)
    if attempt.status != "in_progress":
        return redirect(url_for("delivery.result", attempt_id=attempt.id))
    return render_template("delivery/review.html", attempt=attempt,
                           nav=present.navigator(attempt), timing=present.timing(attempt, now()),
                           state=present.attempt_state(attempt, now()), form=ButtonForm())


@bp.route("/attempts/<int:attempt_id>/submit", methods=["GET", "POST"])
@role_required("candidate")
def submit(attempt_id: int):
    """Ask for confirmation, then submit."""
    attempt = _attempt(attempt_id, lock=request.method == "POST")
    if attempt.status != "in_progress":
        return redirect(url_for("delivery.result", attempt_id=attempt.id))
    form = ButtonForm()
    if form.validate_on_submit():
        service.submit(db(), attempt, now(), "candidate", actor=current_user)
        db().commit()
        flash("Your test has been submitted.")
        return redirect(url_for("delivery.result", attempt_id=attempt.id))
    nav = present.navigator(attempt)
    return render_template("delivery/confirm.html", attempt=attempt, form=form,
                           unanswered=[n.position for n in nav if not n.answered],
                           flagged=[n.position for n in nav if n.flagged],
                           timing=present.timing(attempt, now()),
                           state=present.attempt_state(attempt, now()))


@bp.route("/attempts/<int:attempt_id>/result")
@role_required("candidate")
def result(attempt_id: int):
    """Show the result by outcome, or say results will follow."""
    attempt = _attempt(attempt_id)
    if attempt.status == "in_progress":
        return redirect(url_for("delivery.resume", attempt_id=attempt.id))
    blueprint = attempt.sitting.blueprint.to_domain()
    return render_template("delivery/result.html", attempt=attempt, blueprint=blueprint,
                           visible=present.results_visible(attempt))


# --- the API the question page's script calls ---------------------------------------------------

def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadRequest("Send a JSON object, e.g. {\"position\": 1, \"choice\": 0, "
                                "\"seq\": 1}.")
    return body


def _field_int(body: dict, name: str, required: bool = True, maximum: int = MAX_ID):
    value = body.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"{name} must be a whole number.")
    if not -maximum <= value <= maximum:
        raise BadRequest(f"{name} is out of range: it must be a whole number of at most {maximum}.")
    return value


@api.route("/attempts/<int:attempt_id>/answers", methods=["POST"])
def save_answer(attempt_id: int):
    """Save one answer; reply only once it is stored."""
    who = signed_in()
    if who is not None:
        fields = _answer_fields(quiet=True)
        if fields is not None:
            session = db()
            begin_write(session)  # SQLite: the write lock from the read to the commit
            reply = fastpath.save_answer(session.connection(), who, attempt_id, *fields, now(),
                                         _grace())
            if reply is not None:
                session.commit()
                return jsonify(reply)
            session.rollback()
    return _save_answer(attempt_id)


def answer_fields(body: dict) -> tuple[int, int | None, int]:
    """Return an answer's position, choice and seq from its JSON object; raise BadRequest
    naming the field that is not a whole number in range (the save lane reads bodies with it)."""
    return (_field_int(body, "position"), _field_int(body, "choice", required=False),
            _field_int(body, "seq", maximum=service.MAX_SEQ))


def _answer_fields(quiet: bool = False) -> tuple[int, int | None, int] | None:
    """Return the posted answer's position, choice and seq; raise BadRequest (or, quiet, return
    None) if it is malformed."""
    try:
        return answer_fields(_json_body())
    except (BadRequest, HTTPException):  # HTTPException: too large, or nested too deeply
        if quiet:
            return None
        raise


@role_required("candidate")
def _save_answer(attempt_id: int):
    """Save one answer by the general path: every refusal, the finalising of an attempt whose
    time ran out, and any request the lean path (fastpath.save_answer) leaves to it."""
    position, choice, seq = _answer_fields()
    session = db()
    attempt = _attempt(attempt_id, lock=True)
    saved = service.save_answer(session, attempt, position, choice, seq, now(), _grace())
    session.commit()
    return jsonify({"status": saved.status, "position": saved.position, "choice": saved.choice,
                    "seq": saved.seq, **present.timing(attempt, now())})


@api.route("/attempts/<int:attempt_id>/flags", methods=["POST"])
@role_required("candidate")
def set_flag(attempt_id: int):
    """Flag or unflag a question for review."""
    body = _json_body()
    position = _field_int(body, "position")
    flagged = body.get("flagged")
    if not isinstance(flagged, bool):
        raise BadRequest("flagged must be true or false.")
    seq = _field_int(body, "seq", required=False)
    session = db()
    attempt = _attempt(attempt_id, lock=True)
    saved = service.set_flag(session, attempt, position, flagged, now(), _grace(), seq=seq)
    session.commit()
    return jsonify({"status": saved.status, "position": saved.position, "flagged": saved.flagged,
                    "seq": saved.seq})


@api.route("/attempts/<int:attempt_id>/status")
def status(attempt_id: int):
    """Report the attempt's state and the server's time left; finalises if time ran out."""
    who = signed_in()
    payload = None if who is None else fastpath.status(db(), who, attempt_id, now(), _grace())
    if payload is None:
        return _status(attempt_id)
    payload["result_url"] = url_for("delivery.result", attempt_id=attempt_id)
    return jsonify(payload)


@role_required("candidate")
def _status(attempt_id: int):
    """Report the status by the general path (and submit the attempt if its time ran out)."""
    attempt = _attempt(attempt_id)
    moment = now()
    if attempt.status == "in_progress":
        presence.note_heard(attempt.id, moment)  # written in a batch, not by this GET
    payload = present.status_payload(db(), attempt, moment)
    payload["result_url"] = url_for("delivery.result", attempt_id=attempt.id)
    return jsonify(payload)


@api.route("/attempts/<int:attempt_id>/paper")
@role_required("candidate")
def paper(attempt_id: int):
    """Return the whole paper as the candidate sees it, so the page can work offline; no key."""
    session = db()
    attempt = _attempt(attempt_id)
    questions = service.questions_with_versions(session, attempt)  # counted from, not read again
    payload = present.paper(session, attempt, questions, now())
    payload["status"]["result_url"] = url_for("delivery.result", attempt_id=attempt.id)
    return jsonify(payload)


BREAK_ACTIONS = {"start": breaks.start_break, "end": breaks.end_break}


@api.route("/attempts/<int:attempt_id>/break", methods=["POST"])
@role_required("candidate")
def rest_break(attempt_id: int):
    """Start or end the candidate's own rest break; reply with the new status."""
    action = BREAK_ACTIONS.get(_json_body().get("action"))
    if action is None:
        raise BadRequest('action must be "start" or "end".')
    session = db()
    attempt = _attempt(attempt_id, lock=True)
    moment = now()
    action(session, attempt, current_user, moment, "by the candidate")
    session.commit()
    payload = present.status_payload(session, attempt, moment)
    payload["result_url"] = url_for("delivery.result", attempt_id=attempt.id)
    return jsonify(payload)


@api.route("/attempts/<int:attempt_id>/events")
def events(attempt_id: int):
    """Stream the attempt's status now and whenever it or its sitting changes (server-sent events).

    A page reconnects every few minutes, so the connect is lean: one Core SELECT finds the
    attempt and checks the session (fastpath.stream_topic); anything else (not signed in, a
    revoked session, time run out and not yet submitted) goes the general way.
    """
    who = signed_in()
    topic = None if who is None else fastpath.stream_topic(db(), who, attempt_id, now(), _grace())
    if topic is None:
        return _events(attempt_id)
    return _stream(attempt_id, topic.sitting_id, topic.candidate_id)


@role_required("candidate")
def _events(attempt_id: int):
    """Open the stream by the general path (which submits an attempt whose time ran out)."""
    attempt = _attempt(attempt_id)
    return _stream(attempt.id, attempt.sitting_id, current_user.id)


def _stream(attempt_id: int, sitting_id: int, candidate_id: int) -> Response:
    reader = events_.StatusReader.for_app(
        current_app, attempt_id, sitting_id, candidate_id,
        url_for("delivery.result", attempt_id=attempt_id))
    close_sessions()  # the stream borrows a connection only while it reads
    config = current_app.config
    body = events_.stream(
        events_.watcher_for(current_app), reader.topic, reader.read, heard=reader.heard,
        heartbeat_seconds=config["QUIZ_EVENTS_HEARTBEAT_SECONDS"],
        lasts_seconds=config["QUIZ_EVENTS_STREAM_SECONDS"], retry_ms=events_.retry_ms())
    return Response(body, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
