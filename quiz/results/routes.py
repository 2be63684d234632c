"""The results officer's pages and downloads."""
from __future__ import annotations

import re

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_login import current_user
from sqlalchemy.orm import Session

from quiz.errors import BadRequest
from quiz.invigilation.reasons import void_words
from quiz.results import analysis_view, exports, item_analysis, service, words
from quiz.scoring import charts
from quiz.scoring.analysis import Thresholds
from quiz.web.forms import ButtonForm
from quiz.web import db, now, read_db, role_required, stream_session

bp = Blueprint("results", __name__, url_prefix="/results")
OFFICERS = ("results_officer", "admin")
bp.add_app_template_filter(words.verdict, "verdict")
bp.add_app_template_filter(void_words, "void_words")


@bp.route("/")
@role_required(*OFFICERS)
def index():
    """List every sitting with its counts and release state."""
    return render_template("results/index.html", summaries=service.summaries(db()))


@bp.route("/sittings/<int:sitting_id>")
@role_required(*OFFICERS)
def sitting(sitting_id: int):
    """Show a sitting's results with marks per outcome."""
    session = db()
    found = service.get_sitting(session, sitting_id)
    blueprint = found.blueprint.to_domain()
    rows = list(service.sitting_results(session, found))
    figures = service.figures(rows)
    distribution = charts.score_distribution(
        figures.scores, blueprint.total_questions,
        blueprint.pass_mark_percent * blueprint.total_questions / 100, id_prefix="sitting-dist")
    return render_template("results/sitting.html", sitting=found, blueprint=blueprint, rows=rows,
                           figures=figures, in_progress=service.in_progress(session, found),
                           distribution=distribution, release_form=ButtonForm())


@bp.route("/sittings/<int:sitting_id>/release", methods=["POST"])
@role_required(*OFFICERS)
def release(sitting_id: int):
    """Release the sitting's results to its candidates."""
    session = db()
    if not ButtonForm().validate_on_submit():
        raise BadRequest("The form was incomplete or expired. Reload the page and try again.")
    found = service.get_sitting(session, sitting_id)
    service.release(session, found, current_user, now())
    session.commit()
    flash(f"Results of {found.title} are released.")
    return redirect(url_for("results.sitting", sitting_id=sitting_id))


@bp.route("/sittings/<int:sitting_id>/download.<kind>")
@role_required(*OFFICERS)
def download(sitting_id: int, kind: str):
    """Stream a sitting's results (csv, xlsx) or its responses, and record who took them."""
    if kind not in exports.KINDS:
        abort(404)
    session = db()
    found = service.get_sitting(session, sitting_id)
    service.record_download(session, current_user, now(), kind, sitting_id=found.id)
    session.commit()
    reader = stream_session()
    download = exports.build(
        kind, _slug(f"sitting-{found.id}-{found.title}"), found.blueprint.to_domain(),
        service.sitting_results(reader, found), service.responses(reader, sitting_id=found.id))
    return _attachment(download, reader)


def _attachment(download: exports.Download, reader: Session) -> Response:
    """Stream a download, closing its session when the last byte is out or the client goes."""
    def body():
        try:
            yield from download.body
        finally:
            reader.close()
    return Response(body(), mimetype=download.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{download.filename}"'})


@bp.route("/tests/<int:blueprint_id>")
@role_required(*OFFICERS)
def test(blueprint_id: int):
    """Show a test's sittings with their counts, and the downloads across all of them."""
    session = db()
    record = service.get_test(session, blueprint_id)
    return render_template("results/test.html", record=record, blueprint=record.to_domain(),
                           summaries=service.summaries(session, blueprint_id=record.id))


@bp.route("/tests/<int:blueprint_id>/download.<kind>")
@role_required(*OFFICERS)
def test_download(blueprint_id: int, kind: str):
    """Stream the results (csv, xlsx) or responses of every sitting of a test."""
    if kind not in exports.KINDS:
        abort(404)
    session = db()
    record = service.get_test(session, blueprint_id)
    service.record_download(session, current_user, now(), kind, test=record.code)
    session.commit()
    reader = stream_session()
    download = exports.build(
        kind, _slug(f"test-{record.code}"), record.to_domain(),
        service.test_results(reader, record), service.responses(reader, blueprint_id=record.id))
    return _attachment(download, reader)


@bp.route("/tests/<int:blueprint_id>/analysis")
@role_required(*OFFICERS)
def analysis(blueprint_id: int):
    """Show the item analysis of a test: its statistics, pictures, and the items it flags."""
    session = read_db()
    record = service.get_test(session, blueprint_id)
    blueprint = record.to_domain()
    result, _labels = item_analysis.analyse_test(session, record)
    pass_mark = blueprint.pass_mark_percent * blueprint.total_questions / 100
    pictures = {
        "distribution": charts.score_distribution(
            item_analysis.scores(session, record), blueprint.total_questions, pass_mark),
        "outcomes": charts.outcome_bars(item_analysis.outcome_means(result, blueprint)),
        "item_map": charts.item_map(item_analysis.item_map_points(result)),
    }
    choice = analysis_view.Choice.from_args(request.args,
                                            any(s.flags for s in result.items))
    return render_template("results/analysis.html", record=record, blueprint=blueprint,
                           analysis=result, pictures=pictures, thresholds=Thresholds(),
                           flag_form=ButtonForm(), choice=choice,
                           shown=analysis_view.choose(result.items, choice),
                           flag_counts=analysis_view.flag_counts(result.items),
                           flag_names=analysis_view.FLAG_NAMES, sorts=analysis_view.SORTS,
                           ordered_flags=analysis_view.ordered_flags)


@bp.route("/tests/<int:blueprint_id>/analysis/flags", methods=["POST"])
@role_required(*OFFICERS)
def send_flags(blueprint_id: int):
    """Mark the items the analysis flags as needing review, for the item writers."""
    session = db()
    if not ButtonForm().validate_on_submit():
        raise BadRequest("The form was incomplete or expired. Reload the page and try again.")
    record = service.get_test(session, blueprint_id)
    result, labels = item_analysis.analyse_test(session, record)
    changed = item_analysis.send_flags_to_writers(session, result, labels, now(), current_user)
    session.commit()
    flash(f"{changed} item(s) changed their review flag; the item writers see them in the bank.")
    return redirect(url_for("results.analysis", blueprint_id=blueprint_id))


@bp.route("/attempts/<int:attempt_id>/feedback")
@role_required(*OFFICERS)
def feedback(attempt_id: int):
    """Show a printable feedback report for one candidate: outcomes and criteria, no items."""
    attempt, blueprint = service.feedback(db(), attempt_id)
    return render_template("results/feedback.html", attempt=attempt, blueprint=blueprint)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:80]
