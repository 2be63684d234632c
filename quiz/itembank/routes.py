"""The item writers' pages: find, write, preview, review, retire and read the history of items."""
from __future__ import annotations

import random
from datetime import datetime, time

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from quiz.errors import BadRequest, NotAllowed, NotFound, Refused
from quiz.itembank import fields, finder, forms, history, service, workflow
from quiz.itembank import review as review_rules
from quiz.itembank.coverage import coverage
from quiz.itembank.fields import content_of
from quiz.itembank.models import ItemVersion
from quiz.web import db, now, role_required, times

bp = Blueprint("bank", __name__, url_prefix="/bank")
api = Blueprint("bank_api", __name__, url_prefix="/api/bank")
WRITERS = workflow.WRITER_ROLES


@bp.route("/")
@role_required(*WRITERS)
def index():
    """List every bank with its coverage, items needing review and items waiting for a reviewer."""
    session = db()
    banks = []
    for record in service.blueprints(session):
        items = service.stored_items(session, record.code)
        banks.append((record, coverage(record.to_domain(), items),
                      sum(1 for item in items if item.needs_review),
                      finder.waiting_for_review(session, record.code)))
    return render_template("bank/index.html", banks=banks)


@bp.route("/<path:code>/items")
@role_required(*WRITERS)
def items(code: str):
    """Find a bank's items by words and filters, a page at a time."""
    record = _blueprint(code)
    filters, chosen = _filters(request.args)
    page = finder.find_items(db(), record.code, filters, _int(request.args.get("page"), 1))
    return render_template("bank/items.html", blueprint=record.to_domain(), page=page,
                           chosen=chosen, statuses=finder.STATUS_FILTERS)


@api.route("/<path:code>/items")
@role_required(*WRITERS)
def lookup(code: str):
    """Return items matching words, for choosing enemies: id, criterion, status and stem."""
    record = _blueprint(code)
    page = finder.find_items(db(), record.code, finder.Filters(text=request.args.get("q", "")),
                             per_page=20)
    return jsonify({"total": page.total, "items": [
        {"id": i.item_id, "criterion": i.criterion, "status": i.status,
         "stem": i.current_version.stem} for i in page.items]})


@bp.route("/<path:code>/items/new", methods=["GET", "POST"])
@role_required(*WRITERS)
def new(code: str):
    """Write a new item: nothing is stored until the whole item is valid."""
    record = _blueprint(code)
    blueprint, range_list = record.to_domain(), record.range_list()
    if request.method == "GET":
        criterion = request.args.get("criterion", "")
        form = forms.item_form(blueprint, {"criterion": criterion, "difficulty": "medium"},
                               range_list=range_list)
        return _edit_page(blueprint, form, None, range_list=range_list)
    form = forms.item_form(blueprint, formdata=request.form, range_list=range_list)
    values, form_problems = forms.posted_values(request.form)
    if not form.validate():  # the CSRF token; the item's own checks follow
        raise BadRequest("This form has expired; reload the page and try again.")
    try:
        item = workflow.create_draft(db(), bank=record, criterion=values.get("criterion", ""),
                                     content=content_of(values), author=current_user, now=now(),
                                     note=form.note.data or None, form_problems=form_problems)
    except workflow.InvalidItem as invalid:
        db().rollback()
        return _edit_page(blueprint, form, None, forms.errors_by_input(invalid.problems), 400,
                          range_list=range_list)
    db().commit()
    flash(f"Saved {item.item_id} as a draft (version 1). Preview it, then submit it for review.")
    return redirect(url_for("bank.item", code=record.code, item_id=item.item_id))


@bp.route("/<path:code>/items/<item_id>")
@role_required(*WRITERS)
def item(code: str, item_id: str):
    """Show an item: its version in use, any newer version, what can be done, and its record."""
    record, found = _item(code, item_id)
    session = db()
    statistics = history.version_statistics(session, found)
    return render_template(
        "bank/item.html", blueprint=record.to_domain(), item=found,
        version=found.current_version, pending=found.pending_version,
        latest=found.latest_version, events=history.events(session, found)[:8],
        statistics=statistics, versions=history.versions(session, found),
        can_review=workflow.can_review(current_user),
        authors=workflow.authors_under_review(session, found),
        submit_form=forms.SubmitForm(version_id=found.latest_version.id),
        unfinished=fields.missing_for_review(history.values(found.latest_version)),
        range_points=_points(record), thresholds=history.THRESHOLDS)


@bp.route("/<path:code>/items/<item_id>/edit", methods=["GET", "POST"])
@role_required(*WRITERS)
def edit(code: str, item_id: str):
    """Write a new version of an item; a live item stays in papers until the new one is approved."""
    record, found = _item(code, item_id)
    blueprint, range_list = record.to_domain(), record.range_list()
    if request.method == "GET":
        latest = found.latest_version
        form = forms.item_form(blueprint, history.values(latest), range_list=range_list)
        form.base_version.data = str(latest.id)
        return _edit_page(blueprint, form, found, range_list=range_list)
    form = forms.item_form(blueprint, formdata=request.form, range_list=range_list)
    values, form_problems = forms.posted_values(request.form)
    if not form.validate():
        raise BadRequest("This form has expired; reload the page and try again.")
    session = db()
    try:
        version = workflow.save_version(
            session, found, criterion=values.get("criterion", ""), content=content_of(values),
            author=current_user, now=now(), base_version_id=_int(form.base_version.data),
            note=form.note.data or None, form_problems=form_problems)
    except workflow.InvalidItem as invalid:
        session.rollback()
        return _edit_page(blueprint, form, found, forms.errors_by_input(invalid.problems), 400,
                          range_list=range_list)
    except workflow.EditConflict as conflict:
        session.rollback()
        # Keep everything the writer typed, show what the other writer changed, and let them
        # save again on top of the newer version once they have read it.
        form.base_version.data = str(conflict.latest.id)
        changes = history.compare(conflict.base, conflict.latest) if conflict.base else []
        return _edit_page(blueprint, form, found, {}, 409, conflict=conflict, changes=changes,
                          range_list=range_list)
    except workflow.NothingChanged as unchanged:
        session.rollback()
        flash(str(unchanged))
        return redirect(url_for("bank.item", code=record.code, item_id=found.item_id))
    session.commit()
    kept = " The live version stays in papers until this one is approved." if (
        found.pending_version_id == version.id) else ""
    flash(f"Saved version {version.version} of {found.item_id} as a draft.{kept}")
    return redirect(url_for("bank.item", code=record.code, item_id=found.item_id))


def _edit_page(blueprint, form, found, errors=None, status=200, range_list=None, **extra):
    """Show the item form, after a refusal with everything the writer typed and each problem
    beside its field."""
    return render_template("bank/edit.html", blueprint=blueprint, form=form, item=found,
                           errors=errors or {}, layout=forms.layout(), zip=zip,
                           range_groups=forms.range_groups(blueprint, range_list), **extra), status


@bp.route("/<path:code>/items/<item_id>/preview")
@role_required(*WRITERS)
def preview(code: str, item_id: str):
    """Show a version as a candidate sees it, in the candidate's own question template."""
    record, found = _item(code, item_id)
    version = _version(found, request.args.get("version"))
    order = request.args.get("order", "shuffled")
    seed = _int(request.args.get("seed"), 1)
    letters = list(version.options)
    if order == "shuffled":
        random.Random(seed).shuffle(letters)
    adjustments = [a for a in ("large-text", "high-contrast") if request.args.get(a)]
    question = {"position": 1, "stem": version.stem, "chosen": None, "flagged": False,
                "options": [{"index": i, "label": "ABCDEFGH"[i], "text": version.options[letter]}
                            for i, letter in enumerate(letters)]}
    return render_template("bank/preview.html", blueprint=record.to_domain(), item=found,
                           version=version, q=question, total=record.to_domain().total_questions,
                           order=order, seed=seed, adjustments=adjustments,
                           body_classes=adjustments)


@bp.route("/<path:code>/items/<item_id>/submit", methods=["POST"])
@role_required(*WRITERS)
def submit(code: str, item_id: str):
    """Send the item's draft version for review."""
    record, found = _item(code, item_id)
    form = forms.SubmitForm()
    if not form.validate():
        raise BadRequest("This form has expired; reload the page and try again.")
    version = workflow.submit(db(), found, current_user, now(), _int(form.version_id.data))
    db().commit()
    flash(f"Version {version.version} of {found.item_id} is waiting for a reviewer.")
    return redirect(url_for("bank.item", code=record.code, item_id=found.item_id))


@bp.route("/<path:code>/items/<item_id>/review", methods=["GET", "POST"])
@role_required(*WRITERS)
def review(code: str, item_id: str):
    """Approve the version under review, or return it to the writer with a comment."""
    record, found = _item(code, item_id)
    session = db()
    form = forms.ReviewForm()
    under_review = found.latest_version
    error = None
    if not workflow.can_review(current_user):
        raise NotAllowed("Only reviewers may approve or return items. Ask an administrator for "
                         "the reviewer permission.")
    if request.method == "POST":
        if not form.validate():
            raise BadRequest("This form has expired; reload the page and try again.")
        version_id = _int(form.version_id.data)
        try:
            if form.approve.data:
                version = workflow.approve(session, found, current_user, now(), version_id,
                                           form.comment.data)
                message = f"Version {version.version} of {found.item_id} is live."
            else:
                version = workflow.return_to_writer(session, found, current_user, now(),
                                                    version_id, form.comment.data)
                message = f"Version {version.version} of {found.item_id} went back to its writer."
        except BadRequest as refused:  # a return without a comment: say so beside the comment
            session.rollback()
            error = str(refused)
        else:
            session.commit()
            flash(message)
            return redirect(url_for("bank.item", code=record.code, item_id=found.item_id))
    if under_review.status != "in_review":
        raise Refused(f"{found.item_id} has no version waiting for review.")
    form.version_id.data = str(under_review.id)
    live = found.current_version if found.pending_version is not None else None
    return render_template(
        "bank/review.html", blueprint=record.to_domain(), item=found, version=under_review,
        live=live, changes=history.compare(live, under_review) if live else [], form=form,
        range_points=_points(record),
        error=error, refusal=review_rules.approval_refusal(
            current_user.id, workflow.authors_under_review(session, found))), 400 if error else 200


@bp.route("/<path:code>/items/<item_id>/retire", methods=["GET", "POST"])
@role_required(*WRITERS)
def retire(code: str, item_id: str):
    """Retire an item with a reason, unless the bank would be left short of its blueprint."""
    record, found = _item(code, item_id)
    session = db()
    form = forms.RetireForm()
    error = None
    if not workflow.can_review(current_user):
        raise NotAllowed("Only reviewers may retire items. Ask an administrator for the reviewer "
                         "permission.")
    if request.method == "POST":
        if not form.validate():
            raise BadRequest("This form has expired; reload the page and try again.")
        try:
            workflow.retire(session, found, current_user, now(), form.reason.data)
        except Refused as refused:  # no reason, or the bank would be short: say so on the page
            session.rollback()
            error = str(refused)
        else:
            session.commit()
            flash(f"{found.item_id} is retired: it will not appear in new papers.")
            return redirect(url_for("bank.item", code=record.code, item_id=found.item_id))
    shortfall = workflow.retirement_shortfall(session, found) if found.status == "live" else []
    return render_template("bank/retire.html", blueprint=record.to_domain(), item=found,
                           form=form, error=error, shortfall=shortfall), 409 if error else 200


@bp.route("/<path:code>/items/<item_id>/history")
@role_required(*WRITERS)
def item_history(code: str, item_id: str):
    """List every version and action, and compare any two versions word by word."""
    record, found = _item(code, item_id)
    session = db()
    versions = history.versions(session, found)
    newer = _version(found, request.args.get("to"), default=versions[0])
    older_default = next((v for v in versions if v.version < newer.version), newer)
    older = _version(found, request.args.get("from"), default=older_default)
    return render_template("bank/history.html", blueprint=record.to_domain(), item=found,
                           versions=versions, events=history.events(session, found),
                           older=older, newer=newer, changes=history.compare(older, newer),
                           statistics=history.version_statistics(session, found),
                           thresholds=history.THRESHOLDS)


@bp.route("/<path:code>/range")
@role_required(*WRITERS)
def range_coverage(code: str):
    """Show every Range point of a bank with its live items, the gaps first."""
    record = _blueprint(code)
    try:
        report, message = service.range_coverage_of(db(), record), ""
    except service.NoRangeList as err:
        report, message = None, str(err)
    return render_template("bank/range.html", blueprint=record.to_domain(), report=report,
                           message=message)


# --- helpers -------------------------------------------------------------------------------------

def _blueprint(code: str):
    try:
        return service.get_blueprint(db(), code)
    except service.UnknownBlueprint:
        raise NotFound(f"There is no bank {code}.")


def _points(record) -> dict:
    """Return the bank's Range points by id, to show an item's with the handbook's words."""
    range_list = record.range_list()
    return {p.id: p for p in range_list.points} if range_list else {}


def _item(code: str, item_id: str):
    record = _blueprint(code)
    return record, service.get_item(db(), record.code, item_id)


def _version(found, number, default=None) -> ItemVersion:
    """Return the item's version with this number (default: the latest), or refuse."""
    if number in (None, ""):
        return default or found.latest_version
    wanted = _int(number)
    version = db().query(ItemVersion).filter_by(item_pk=found.id, version=wanted).one_or_none() \
        if wanted is not None else None
    if version is None:
        raise NotFound(f"{found.item_id} has no version {number}.")
    return version


def _int(text, default=None):
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _filters(args) -> tuple[finder.Filters, dict]:
    """Read the finder's filters from the query string, ignoring what does not parse."""
    chosen = {name: args.get(name, "").strip()
              for name in ("q", "outcome", "criterion", "status", "review", "author", "since")}
    since = None
    if chosen["since"]:
        try:
            since = times.from_local(datetime.strptime(chosen["since"], "%Y-%m-%d").date(), time())
        except ValueError:
            chosen["since_error"] = "Give the date as YYYY-MM-DD, for example 2026-06-01."
    filters = finder.Filters(
        text=chosen["q"], outcome=_int(chosen["outcome"]), criterion=chosen["criterion"],
        status=chosen["status"] if chosen["status"] in finder.STATUS_FILTERS else "",
        review=bool(chosen["review"]), author_id=_int(chosen["author"]), changed_since=since)
    return filters, chosen

