"""Item writers' import and export pages: /bank/<code>/import and /bank/<code>/export."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template, request
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.utils import secure_filename
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice

from quiz.errors import BadRequest
from quiz.itembank import formats
from quiz.itembank.exchange import import_file, export_bank
from quiz.itembank.formats import FormatError
from quiz.itembank.formats.plan import TagMap
from quiz.itembank.formats.safety import check_size
from quiz.itembank.routes import WRITERS, bank_or_404
from quiz.web import db, error_response, now, role_required

bp = Blueprint("exchange", __name__, url_prefix="/bank")
STATUSES = (("live", "Live"), ("in_review", "In review"), ("draft", "Draft"), ("retired", "Retired"))


class ImportForm(FlaskForm):
    """A file to import, its format if detection should not decide, and a tag mapping."""

    file = FileField("File to import", validators=[FileRequired("Choose a file to import.")],
                     description="Moodle XML, GIFT, QTI 3.0 or 2.x (an item, or a content package "
                                 "zip), CSV or Excel; up to 10 MB.")
    format = SelectField("Format", default="")
    mapping = TextAreaField(
        "Tags and categories to criteria (optional)",
        description="One per line, e.g. 'Coaching purpose = 1.1'. Tags such as AC1.1 need no "
                    "line here.")


def _limit() -> int:
    return current_app.config["QUIZ_IMPORT_MAX_BYTES"]


@bp.route("/<path:code>/import", methods=["GET", "POST"])
@role_required(*WRITERS)
def import_page(code: str):
    """Upload a file of questions; import them as drafts and show what was and was not imported."""
    record = bank_or_404(code)
    if request.method == "POST" and (request.content_length or 0) > _limit() + 65536:
        # Refuse before reading the body: a huge upload is never parsed or stored.
        return error_response(413, f"The file is too big: files of up to {_limit() // 2**20} MB "
                                   "can be imported. Nothing was imported.")
    # This page's own limit, not the app-wide request limit, decides how big a file may be.
    request.max_content_length = _limit() + 65536
    form = ImportForm()
    form.format.choices = [SelectChoice("", "Detect from the file's content")] + [
        SelectChoice(f.name, f.title) for f in formats.readers()]
    error = None
    if form.validate_on_submit():
        upload = form.file.data
        filename = secure_filename(upload.filename or "") or "upload"
        data = upload.read(_limit() + 1)
        try:
            check_size(len(data), _limit())
            mapping = TagMap.parse(form.mapping.data or "", "The mapping")
            summary = import_file(db(), bank=record.code, data=data, filename=filename,
                                  format_name=form.format.data or None, mapping=mapping,
                                  author=current_user, now=now())
        except FormatError as err:
            db().rollback()
            error = f"{filename}: {err}. Nothing was imported."
        else:
            db().commit()
            return render_template("exchange/import_result.html", blueprint=record,
                                   summary=summary)
    status = 400 if request.method == "POST" else 200
    return render_template("exchange/import.html", blueprint=record, form=form, error=error,
                           formats=formats.readers()), status


@bp.route("/<path:code>/export")
@role_required(*WRITERS)
def export_page(code: str):
    """Offer the bank for download in each format other tools read."""
    record = bank_or_404(code)
    return render_template("exchange/export.html", blueprint=record, formats=formats.writers(),
                           statuses=STATUSES)


@bp.route("/<path:code>/export/download", methods=["POST"])
@role_required(*WRITERS)
def export_download(code: str):
    """Send the bank's items in the chosen format as a file, and record that they left.

    A POST from the export page's form (with its CSRF token), not a GET: the download writes an
    audit row, and a GET must change nothing, whoever (a prefetcher, a link scanner) follows it.
    """
    record = bank_or_404(code)
    format_name = request.form.get("format", "")
    if format_name not in {f.name for f in formats.writers()}:
        raise BadRequest(f"Choose one of the formats on the export page, not {format_name!r}.")
    statuses = tuple(request.form.getlist("status")) or ("live",)
    if not set(statuses) <= {s for s, _ in STATUSES}:
        raise BadRequest("Choose statuses from the export page.")
    export = export_bank(db(), bank=record.code, format_name=format_name, actor=current_user,
                         now=now(), statuses=statuses, via="web")
    db().commit()
    return Response(export.data, mimetype=export.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{export.filename}"',
        "Cache-Control": "no-store"})
