"""Arranged data shared by the integration tests."""
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from quiz.cli import main
from tests import factories


@pytest.fixture
def cli(app, db_url, monkeypatch):
    """Run `quiz ...` against the database under test (arguments may be numbers or paths)."""
    monkeypatch.setenv("QUIZ_DATABASE_URL", db_url)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return run


@pytest.fixture
def exam(session):
    """A small live bank, a centre with two candidates, and an open sitting of 6 questions."""
    blueprint = factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2)
    factories.load_bank(session, blueprint, factories.make_items(blueprint, per_criterion=3))
    centre = factories.make_centre(session)
    alice = factories.make_user(session, "alice", centre=centre, candidate_number="1001")
    bob = factories.make_user(session, "bob", centre=centre, candidate_number="1002")
    sitting = factories.make_sitting(session, blueprint.code, centre, [alice, bob])
    session.commit()
    return SimpleNamespace(blueprint=blueprint, centre=centre, alice=alice, bob=bob,
                           sitting=sitting)


@pytest.fixture
def unranged(session):
    """A small live bank stored without Range points, as one loaded before Range lists existed
    (a bank folder without its range.yaml does not load at all)."""
    blueprint = factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2)
    factories.load_bank(session, blueprint, factories.make_items(blueprint, per_criterion=3),
                        with_range=False)
    session.commit()
    return blueprint


@pytest.fixture
def started(session, exam):
    """Alice's attempt, started at the named morning moment."""
    attempt = factories.start(session, exam.sitting, exam.alice)
    session.commit()
    return attempt
