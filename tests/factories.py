"""Factories for test data, built through the same service functions the app uses."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from quiz.accounts.models import Centre, User
from quiz.accounts.service import create_user
from quiz.delivery import service as delivery
from quiz.delivery.models import Booking, Sitting
from quiz.itembank.bankfile import BankSet
from quiz.itembank.domain import (
    BankItem, Blueprint, Candidate, ItemContent, OutcomeSpec, RangeList, RangePoint,
)
from quiz.itembank.service import get_blueprint, load_banks

# Named moments, so tests say when things happen rather than patch the clock.
MORNING = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
PASSWORD = "correct-horse-9"
KEYCODE = "ACDEFG"


def make_blueprint(code: str = "9999-01/101", questions=(3, 3), criteria_per_outcome: int = 2,
                   duration_minutes: int = 45, pass_mark: float = 60.0) -> Blueprint:
    """Return a small blueprint: outcomes 1..n, each with criteria n.1, n.2, ..."""
    qualification, unit = code.split("/")
    outcomes = tuple(
        OutcomeSpec(number, f"outcome {number}", count,
                    {f"{number}.{c}": f"criterion {number}.{c}"
                     for c in range(1, criteria_per_outcome + 1)})
        for number, count in enumerate(questions, start=1))
    return Blueprint(code=code, qualification=qualification, unit=unit, title="Test unit",
                     duration_minutes=duration_minutes, pass_mark_percent=pass_mark,
                     outcomes=outcomes)


def make_range(blueprint: Blueprint, points_per_criterion: int = 2) -> RangeList:
    """Return a Range list with points "<criterion>/topic/point-<k>" for every criterion."""
    return RangeList(blueprint.code, tuple(
        RangePoint(f"{code}/topic/point-{k}", code, "Topics", "", f"point {k} of {code}")
        for outcome in blueprint.outcomes for code in outcome.criteria
        for k in range(1, points_per_criterion + 1)))


def make_items(blueprint: Blueprint, per_criterion: int = 3, status: str = "live",
               enemies: dict[str, tuple[str, ...]] | None = None,
               range_points: int = 2) -> list[BankItem]:
    """Return items for every criterion; the key rotates A, B, C, D through the bank.

    Item n of a criterion names Range point ((n - 1) % range_points) + 1 of make_range's.
    """
    enemies = enemies or {}
    items = []
    for outcome in blueprint.outcomes:
        for criterion in outcome.criteria:
            for n in range(1, per_criterion + 1):
                item_id = f"q{criterion}-{n:02d}"
                key = "ABCD"[len(items) % 4]
                content = ItemContent(
                    stem=f"Question {item_id}: which option is right?",
                    options={letter: f"{item_id} option {letter}" for letter in "ABCD"},
                    key=key, rationale=f"{key} is right.", difficulty="medium",
                    enemies=enemies.get(item_id, ()), form="label",
                    range_ids=(f"{criterion}/topic/point-{(n - 1) % range_points + 1}",))
                items.append(BankItem(item_id=item_id, bank=blueprint.code, criterion=criterion,
                                      outcome=outcome.number, status=status, content=content))
    return items


def candidates_of(items: list[BankItem]) -> list[Candidate]:
    """Return items as assembly sees them (version ids are positions, for pure tests)."""
    return [Candidate(item.item_id, n, item.outcome, item.criterion,
                      enemies=frozenset(item.content.enemies))
            for n, item in enumerate(items, start=1) if item.status == "live"]


def load_bank(session, blueprint: Blueprint, items: list[BankItem], now: datetime = MORNING,
              range_list: RangeList | None = None, with_range: bool = True):
    """Load a blueprint, its items and its Range list the way `quiz bank load` does.

    The Range list is make_range's unless another is given; with_range=False loads none, as a
    bank stored before Range lists existed has none.
    """
    if range_list is None and with_range:
        range_list = make_range(blueprint)
    banks = BankSet(blueprints={blueprint.code: blueprint}, items={blueprint.code: items},
                    ranges={blueprint.code: range_list} if range_list else {})
    return load_banks(session, banks, now)


def make_centre(session, code: str = "C001", name: str = "Riverside College") -> Centre:
    centre = Centre(code=code, name=name)
    session.add(centre)
    session.flush()
    return centre


def make_user(session, username: str, role: str = "candidate", centre: Centre | None = None,
              **arrangements):
    return create_user(session, username=username, password=PASSWORD,
                       full_name=username.replace("_", " ").title(), role=role, centre=centre,
                       candidate_number=arrangements.pop("candidate_number", None), now=MORNING,
                       **arrangements)


def make_sitting(session, blueprint_code: str, centre: Centre, candidates=(), *,
                 status: str = "open", keycode: str | None = KEYCODE,
                 starts_at: datetime = MORNING - timedelta(hours=1),
                 ends_at: datetime = MORNING + timedelta(hours=8),
                 duration_seconds: int | None = None, results_policy: str = "instant",
                 title: str = "Morning sitting") -> Sitting:
    sitting = Sitting(blueprint=get_blueprint(session, blueprint_code), centre=centre, title=title,
                      starts_at=starts_at, ends_at=ends_at, status=status,
                      keycode=keycode if status == "open" else None,
                      duration_seconds=duration_seconds, results_policy=results_policy)
    session.add(sitting)
    for candidate in candidates:
        session.add(Booking(sitting=sitting, candidate=candidate))
    session.flush()
    return sitting


def start(session, sitting: Sitting, candidate, now: datetime = MORNING, seed: int = 7):
    """Start an attempt as a candidate who typed the right keycode."""
    return delivery.start_attempt(session, sitting, candidate, now, seed=seed)


def replace_status(item: BankItem, status: str) -> BankItem:
    """Return the bank item with another status (e.g. retired), as an edited bank file would."""
    return replace(item, status=status)


def make_candidates(session, centre: Centre, count: int, prefix: str = "cand") -> list:
    """Return `count` new candidates of a centre, all with PASSWORD, hashing it only once."""
    first = make_user(session, f"{prefix}00", centre=centre, candidate_number=f"{prefix}-000")
    others = []
    for n in range(1, count):
        user = User(username=f"{prefix}{n:02d}", full_name=f"{prefix.title()} {n:02d}",
                    role="candidate", centre=centre, candidate_number=f"{prefix}-{n:03d}",
                    active=True, created_at=MORNING, password_hash=first.password_hash)
        session.add(user)
        others.append(user)
    session.flush()
    return [first] + others


# --- item writers (authoring) -----------------------------------------------------------------

def make_writer(session, username: str, can_review: bool = False, role: str = "item_writer"):
    """Return an item writer account; can_review makes them a reviewer too."""
    user = make_user(session, username, role=role)
    user.can_review = can_review
    session.flush()
    return user


def item_content(stem: str = "Which option is the right one here?", key: str = "B",
                 criterion: str = "1.1", **changes) -> ItemContent:
    """Return valid content for a new item of a criterion (its first make_range point), with
    any field changed."""
    values = dict(stem=stem, options={"A": "Alpha", "B": "Bravo", "C": "Charlie", "D": "Delta"},
                  key=key, rationale=f"{key} is right because it is.", difficulty="medium",
                  enemies=(), form="decision", range_ids=(f"{criterion}/topic/point-1",))
    values.update(changes)
    return ItemContent(**values)
