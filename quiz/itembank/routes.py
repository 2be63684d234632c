"""The item writer's view of the banks: coverage, items, and items the statistics flagged."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from quiz.errors import NotFound
from quiz.itembank import service
from quiz.itembank.coverage import coverage
from quiz.web import db, role_required

bp = Blueprint("bank", __name__, url_prefix="/bank")
WRITERS = ("item_writer", "admin")
STATUSES = ("live", "draft", "in_review", "retired")


@bp.route("/")
@role_required(*WRITERS)
def index():
    """List every bank with its coverage and how many items need review."""
    session = db()
    banks = []
    for record in service.blueprints(session):
        items = service.stored_items(session, record.code)
        banks.append((record, coverage(record.to_domain(), items),
                      sum(1 for item in items if item.needs_review)))
    return render_template("bank/index.html", banks=banks)


@bp.route("/<path:code>/items")
@role_required(*WRITERS)
def items(code: str):
    """List a bank's items, filtered by criterion, status or the review flag."""
    session = db()
    record = _blueprint(code)
    chosen = {"criterion": request.args.get("criterion", ""),
              "status": request.args.get("status", ""),
              "review": request.args.get("review", "")}
    listed = [item for item in service.stored_items(session, record.code)
              if (not chosen["criterion"] or item.criterion == chosen["criterion"])
              and (not chosen["status"] or item.status == chosen["status"])
              and (not chosen["review"] or item.needs_review)]
    return render_template("bank/items.html", blueprint=record.to_domain(), items=listed,
                           chosen=chosen, statuses=STATUSES)


@bp.route("/<path:code>/items/<item_id>")
@role_required(*WRITERS)
def item(code: str, item_id: str):
    """Show one item's current version in full, with its key, rationale and review flag."""
    record = _blueprint(code)
    found = service.get_item(db(), record.code, item_id)
    return render_template("bank/item.html", blueprint=record.to_domain(), item=found,
                           version=found.current_version)


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


def _blueprint(code: str):
    try:
        return service.get_blueprint(db(), code)
    except service.UnknownBlueprint:
        raise NotFound(f"There is no bank {code}.")
