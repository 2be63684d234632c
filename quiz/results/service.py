"""Use cases for results: the rows of a sitting or a test, release, and feedback reports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from quiz import audit
from quiz.accounts.models import Centre, User
from quiz.delivery.models import Attempt, AttemptQuestion, Sitting
from quiz.errors import NotFound, Refused
from quiz.itembank.domain import Blueprint
from quiz.itembank.models import BlueprintRecord, Item, ItemVersion

STREAM_BATCH = 1000


@dataclass(frozen=True)
class ResultRow:
    """One candidate's result in a sitting."""

    attempt_id: int
    candidate_number: str
    candidate_name: str
    centre: str
    sitting: str
    sitting_id: int
    started_at: datetime
    submitted_at: datetime | None
    status: str  # submitted or voided
    submitted_reason: str | None
    void_reason: str | None
    raw: int | None
    maximum: int | None
    percent: float | None
    passed: bool | None
    by_outcome: dict  # outcome number (str) -> {"marks", "out_of", "percent"}
    by_criterion: dict


def _rows(session: Session, where) -> Iterator[ResultRow]:
    """Yield finished attempts matching a condition, streamed in batches."""
    query = (select(Attempt, User, Sitting, Centre)
             .join(User, User.id == Attempt.candidate_id)
             .join(Sitting, Sitting.id == Attempt.sitting_id)
             .join(Centre, Centre.id == Sitting.centre_id)
             .where(where, Attempt.status.in_(("submitted", "voided")))
             .order_by(Sitting.starts_at, Sitting.id, User.candidate_number, Attempt.id)
             .execution_options(yield_per=STREAM_BATCH))
    for attempt, user, sitting, centre in session.execute(query):
        scored = attempt.status == "submitted" and attempt.result is not None
        result = attempt.result or {}
        yield ResultRow(
            attempt_id=attempt.id, candidate_number=user.candidate_number or "",
            candidate_name=user.full_name, centre=centre.name, sitting=sitting.title,
            sitting_id=sitting.id, started_at=attempt.started_at,
            submitted_at=attempt.submitted_at, status=attempt.status,
            submitted_reason=attempt.submitted_reason, void_reason=attempt.void_reason,
            raw=attempt.score_raw if scored else None,
            maximum=attempt.score_max if scored else None,
            percent=attempt.score_percent if scored else None,
            passed=attempt.passed if scored else None,
            by_outcome=result.get("by_outcome", {}) if scored else {},
            by_criterion=result.get("by_criterion", {}) if scored else {})


def sitting_results(session: Session, sitting: Sitting) -> Iterator[ResultRow]:
    """Yield the results of one sitting."""
    return _rows(session, Attempt.sitting_id == sitting.id)


def test_results(session: Session, blueprint: BlueprintRecord) -> Iterator[ResultRow]:
    """Yield the results of every sitting of one test."""
    return _rows(session, Sitting.blueprint_id == blueprint.id)


@dataclass(frozen=True)
class Figures:
    """A set of results at a glance: counts, mean, pass rate and the range of marks."""

    submitted: int  # scored attempts; voided ones are counted apart and in nothing else
    voided: int
    passed: int
    mean_raw: float | None
    mean_percent: float | None
    lowest: int | None
    highest: int | None
    scores: list[int]

    @property
    def pass_rate(self) -> float | None:
        """Return the percentage of scored attempts that passed."""
        return round(100 * self.passed / self.submitted, 1) if self.submitted else None


def figures(rows: list[ResultRow]) -> Figures:
    """Return the figures of a list of results, leaving voided attempts out of every figure."""
    scored = [r for r in rows if r.status == "submitted" and r.raw is not None]
    scores = [r.raw for r in scored]
    percents = [r.percent for r in scored if r.percent is not None]
    return Figures(
        submitted=len(scored), voided=sum(1 for r in rows if r.status == "voided"),
        passed=sum(1 for r in scored if r.passed),
        mean_raw=round(sum(scores) / len(scores), 1) if scores else None,
        mean_percent=round(sum(percents) / len(percents), 1) if percents else None,
        lowest=min(scores, default=None), highest=max(scores, default=None), scores=scores)


def in_progress(session: Session, sitting: Sitting) -> int:
    """Return how many attempts of a sitting are still in progress."""
    return session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.sitting_id == sitting.id, Attempt.status == "in_progress")) or 0


def get_sitting(session: Session, sitting_id: int) -> Sitting:
    """Return a sitting, or raise NotFound."""
    sitting = session.get(Sitting, sitting_id)
    if sitting is None:
        raise NotFound("There is no such sitting.")
    return sitting


@dataclass(frozen=True)
class SittingSummary:
    """A sitting with its counts, for the results officer's list."""

    sitting: Sitting
    submitted: int
    voided: int
    in_progress: int
    mean_percent: float | None
    pass_rate: float | None


def get_test(session: Session, blueprint_id: int) -> BlueprintRecord:
    """Return a test (a stored blueprint), or raise NotFound."""
    record = session.get(BlueprintRecord, blueprint_id)
    if record is None:
        raise NotFound("There is no such test.")
    return record


def summaries(session: Session, blueprint_id: int | None = None) -> list[SittingSummary]:
    """Return every sitting (of one test, if given) with its counts, newest first, in two queries."""
    query = select(Sitting).order_by(Sitting.starts_at.desc())
    if blueprint_id is not None:
        query = query.where(Sitting.blueprint_id == blueprint_id)
    sittings = session.scalars(query).all()
    counts: dict[int, dict] = {}
    for sitting_id, status, n, mean, passes in session.execute(
            select(Attempt.sitting_id, Attempt.status, func.count(), func.avg(Attempt.score_percent),
                   func.sum(case((Attempt.passed.is_(True), 1), else_=0)))
            .group_by(Attempt.sitting_id, Attempt.status)):
        counts.setdefault(sitting_id, {})[status] = (n, mean, passes)
    result = []
    for sitting in sittings:
        c = counts.get(sitting.id, {})
        submitted, mean, passes = c.get("submitted", (0, None, None))
        result.append(SittingSummary(
            sitting, submitted, c.get("voided", (0,))[0], c.get("in_progress", (0,))[0],
            round(float(mean), 1) if mean is not None else None,
            round(100 * int(passes or 0) / submitted, 1) if submitted else None))
    return result


def release(session: Session, sitting: Sitting, user: User, now: datetime) -> None:
    """Release a sitting's results: candidates with "results to follow" can now see them."""
    if sitting.results_released_at is not None:
        return
    if sitting.status != "closed":
        raise Refused("Close the sitting before releasing its results, so no result can change "
                      "after release.")
    sitting.results_released_at = now
    audit.record(session, now, "results_released", user, sitting_id=sitting.id)


def record_download(session: Session, user: User, now: datetime, what: str, *,
                    sitting_id: int | None = None, **detail) -> None:
    """Record a download in the audit trail: who took which results, when."""
    audit.record(session, now, "results_downloaded", user, sitting_id=sitting_id, what=what, **detail)


@dataclass(frozen=True)
class ResponseRow:
    """One question of one attempt, for psychometric analysis or an investigation elsewhere."""

    attempt_id: int
    candidate_number: str
    sitting_id: int
    status: str  # submitted or voided
    position: int
    item_id: str
    item_version: int
    outcome: int
    criterion: str
    chosen: str | None  # the stored option letter, or None if unanswered
    key: str

    @property
    def scored(self) -> bool:
        """Return whether this answer counts: a voided attempt's answers are never scored."""
        return self.status == "submitted"

    @property
    def correct(self) -> bool | None:
        """Return whether the key was chosen, or None for an answer that is not scored."""
        if not self.scored:
            return None
        return self.chosen is not None and self.chosen == self.key


def responses(session: Session, *, sitting_id: int | None = None,
              blueprint_id: int | None = None) -> Iterator[ResponseRow]:
    """Yield every question of finished attempts, voided ones included, streamed in batches.

    A malpractice investigation needs what a voided attempt answered, so its rows are here,
    marked voided and not scored; item analysis reads its own query and leaves them out.
    """
    query = (select(Attempt.id, User.candidate_number, Attempt.sitting_id, Attempt.status,
                    AttemptQuestion.position,
                    Item.item_id, ItemVersion.version, AttemptQuestion.outcome,
                    AttemptQuestion.criterion, AttemptQuestion.chosen, ItemVersion.key)
             .join(AttemptQuestion, AttemptQuestion.attempt_id == Attempt.id)
             .join(ItemVersion, ItemVersion.id == AttemptQuestion.item_version_id)
             .join(Item, Item.id == ItemVersion.item_pk)
             .join(User, User.id == Attempt.candidate_id)
             .where(Attempt.status.in_(("submitted", "voided")))
             .order_by(Attempt.id, AttemptQuestion.position)
             .execution_options(yield_per=STREAM_BATCH))
    if sitting_id is not None:
        query = query.where(Attempt.sitting_id == sitting_id)
    if blueprint_id is not None:
        query = query.join(Sitting, Sitting.id == Attempt.sitting_id).where(
            Sitting.blueprint_id == blueprint_id)
    for row in session.execute(query):
        yield ResponseRow(*row)


def feedback(session: Session, attempt_id: int) -> tuple[Attempt, Blueprint]:
    """Return a submitted attempt and its blueprint for the candidate's feedback report."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None or attempt.status != "submitted":
        raise NotFound("There is no submitted attempt with that number.")
    return attempt, attempt.sitting.blueprint.to_domain()
