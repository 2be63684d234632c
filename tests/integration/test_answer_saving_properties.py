"""Property: whatever the network does to saves (retries, duplicates, reordering), the newest wins.

A candidate makes a run of choices; each gets the next sequence number. The network delivers
every save at least once, some several times, in any order. Through the real API, after every
delivery the server must hold, for each question, the newest save delivered so far, and say
"saved", "duplicate" or "stale" exactly as that implies; nothing older ever overwrites it.
"""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from quiz.delivery.models import Attempt, AttemptQuestion

QUESTIONS = 6
PROPERTY = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@st.composite
def deliveries(draw):
    """Return (the choices in the order made, the order the network delivers them in)."""
    made = draw(st.lists(st.tuples(st.integers(1, QUESTIONS), st.none() | st.integers(0, 3)),
                         min_size=1, max_size=12))
    saves = [(seq, position, choice) for seq, (position, choice) in enumerate(made, start=1)]
    retries = draw(st.lists(st.sampled_from(saves), max_size=8))
    return saves, draw(st.permutations(saves + retries))


@pytest.fixture
def alice(auth, started):
    auth.login("alice")
    return started


def reset(session, attempt):
    """Clear the attempt's answers, so each example starts from a fresh paper."""
    session.execute(update(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id)
                    .values(chosen=None, seq=0, answered_at=None))
    session.execute(update(Attempt).where(Attempt.id == attempt.id).values(last_seq=0))


def held(session, attempt) -> dict[int, tuple[int, str | None]]:
    session.expire_all()
    return {q.position: (q.seq, q.chosen) for q in session.scalars(
        select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt.id))}


@PROPERTY
@given(run=deliveries())
def test_the_newest_save_of_each_question_always_wins(client, session, alice, run):
    made, delivered = run
    reset(session, alice)
    orders = {q.position: q.option_order for q in alice.questions}
    newest: dict[int, tuple[int, int | None]] = {}  # position -> (seq, display choice)
    for seq, position, choice in delivered:
        before = newest.get(position, (0, None))
        response = client.post(f"/api/attempts/{alice.id}/answers",
                               json={"position": position, "choice": choice, "seq": seq})
        assert response.status_code == 200, response.json
        expected = "saved" if seq > before[0] else "duplicate" if seq == before[0] else "stale"
        assert response.json["status"] == expected
        if expected == "saved":
            newest[position] = (seq, choice)
        assert (response.json["seq"], response.json["choice"]) == newest[position]
        stored_seq, stored_letter = held(session, alice)[position]
        shown = None if stored_letter is None else orders[position].index(stored_letter)
        assert (stored_seq, shown) == newest[position]  # never anything older
    final = {position: (seq, choice) for seq, position, choice in made}  # the last made wins
    assert {p: newest[p] for p in final} == final
