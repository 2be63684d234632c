"""`make run`'s demo data: every role has something to do the moment it signs in."""
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz import demo
from quiz.accounts.models import User
from quiz.delivery.models import Attempt, Sitting
from quiz.itembank.bankfile import read_banks
from quiz.itembank.models import Item
from tests import factories

BANKS = Path(__file__).resolve().parents[2] / "item_banks"


def run_demo(app):
    """Prepare the demo in one transaction, as `quiz demo` does."""
    with app.extensions["quiz.sessions"]() as session, session.begin():
        return demo.prepare_demo(session, read_banks(BANKS), factories.MORNING)


@pytest.fixture
def demo_data(app, monkeypatch):
    monkeypatch.setattr(demo, "DEMO_SIMULATED", 40)  # enough for statistics, quick on PostgreSQL
    return run_demo(app)


def test_the_demo_prints_the_keycode_and_a_sign_in_for_every_role(demo_data, session):
    printed = "\n".join(demo_data)
    sitting = session.scalar(select(Sitting).where(Sitting.title == demo.DEMO_SITTING_TITLE))
    assert sitting.status == "open" and sitting.keycode in printed
    for username, role, *_ in demo.DEMO_ACCOUNTS:
        assert username in printed
        assert session.scalar(select(User).where(User.username == username)).role == role


def test_the_invigilator_has_a_sitting_to_open(demo_data, session):
    scheduled = session.scalar(select(Sitting).where(Sitting.title == demo.DEMO_SCHEDULED_TITLE))
    assert scheduled.status == "scheduled"
    assert scheduled.starts_at <= factories.MORNING < scheduled.ends_at


def test_the_results_officer_has_a_finished_sitting_to_release_and_analyse(demo_data, session):
    finished = session.scalar(select(Sitting).where(Sitting.title == demo.DEMO_FINISHED_TITLE))
    assert finished.status == "closed" and finished.results_released_at is None
    submitted = session.scalar(select(func.count()).select_from(Attempt).where(
        Attempt.sitting_id == finished.id, Attempt.status == "submitted"))
    assert submitted == 40


def test_running_the_demo_twice_changes_nothing_it_already_made(app, demo_data, session):
    run_demo(app)
    assert session.scalar(select(func.count()).select_from(Sitting)) == 3
    assert session.scalar(select(func.count()).select_from(Item)) == len(
        read_banks(BANKS).items[demo.DEMO_BLUEPRINT])


def test_the_candidate_with_access_arrangements_has_ten_minutes_of_rest_breaks(demo_data, session):
    sam = session.scalar(select(User).where(User.username == "candidate2"))
    assert (sam.extra_time_percent, sam.rest_break_minutes) == (25, 10)
    assert "10 min rest breaks" in "\n".join(demo_data)
