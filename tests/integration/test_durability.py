"""Kill -9 of every server process while candidates answer loses no acknowledged answer.

Real gunicorn and `quiz worker` processes on 127.0.0.1, real HTTP, on SQLite and PostgreSQL;
the 500-candidate figure is in bench/RESULTS.md (`python -m bench.durability`).
"""
import pytest

from bench import durability
from bench.client import Browser
from bench.exam_day import Candidate, lost_answers
from quiz.delivery.models import Attempt

pytestmark = pytest.mark.timeout(600)


def test_killing_every_server_process_mid_test_loses_no_acknowledged_answer(app, db_url):
    result = durability.run(db_url, db_url.split(":")[0].split("+")[0], candidates=16,
                            answer_seconds=8, kill_after=3, think=0.3)
    assert result.killed >= 3  # gunicorn's master, its workers and the finalising worker
    assert result.started == 16
    assert result.retried > 0  # browsers really did find the server gone, and retried
    assert result.saves_before_kill > 0 and result.saves_after_restart > 0
    assert result.lost == 0, result.line()


def test_a_save_acknowledged_but_not_stored_counts_as_lost(app, db_url, session, started):
    # The reconciliation is what the kill -9 test relies on; it must be able to fail.
    stored = Candidate("alice", Browser("127.0.0.1", 1), attempt_id=started.id)
    stored.acked = {1: (1, 0)}  # acknowledged seq 1, but nothing was ever saved
    assert lost_answers(db_url, [stored]) == (1, 1)
    assert session.get(Attempt, started.id).questions[0].seq == 0
