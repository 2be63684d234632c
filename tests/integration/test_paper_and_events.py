"""The page's paper and its push channel: the whole paper without a key, and a status stream."""
import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from quiz.accounts.models import Centre, User
from quiz.audit import AuditEvent
from quiz.delivery import breaks, events
from quiz.delivery import service as delivery
from quiz.delivery.models import Attempt, AttemptQuestion
from quiz.invigilation import messages
from quiz.invigilation import service as invigilation
from quiz.itembank.models import ItemVersion
from tests import factories


@pytest.fixture
def alice(auth, started):
    auth.login("alice")
    return started


def keys_and_letters(session, attempt):
    """Return every stored letter and every key text the server holds for the attempt's paper."""
    rows = session.execute(
        select(AttemptQuestion.option_order, ItemVersion.key, ItemVersion.options,
               ItemVersion.rationale)
        .join(ItemVersion, ItemVersion.id == AttemptQuestion.item_version_id)
        .where(AttemptQuestion.attempt_id == attempt.id)).all()
    return rows


def test_the_paper_holds_every_question_in_the_candidates_order(client, session, alice):
    client.post(f"/api/attempts/{alice.id}/answers", json={"position": 2, "choice": 3, "seq": 1})
    client.post(f"/api/attempts/{alice.id}/flags", json={"position": 4, "flagged": True, "seq": 2})
    paper = client.get(f"/api/attempts/{alice.id}/paper").json
    assert paper["total"] == 6
    assert [q["position"] for q in paper["questions"]] == [1, 2, 3, 4, 5, 6]
    session.expire_all()
    stored = session.scalars(select(AttemptQuestion).where(
        AttemptQuestion.attempt_id == alice.id).order_by(AttemptQuestion.position)).all()
    for question, row in zip(paper["questions"], stored):
        version = session.get(ItemVersion, row.item_version_id)
        assert question["stem"] == version.stem
        assert [o["text"] for o in question["options"]] == [version.options[letter]
                                                            for letter in row.option_order]
        assert [o["label"] for o in question["options"]] == ["A", "B", "C", "D"]
        assert [o["index"] for o in question["options"]] == [0, 1, 2, 3]
    assert (paper["questions"][1]["chosen"], paper["questions"][1]["seq"]) == (3, 1)
    assert (paper["questions"][3]["flagged"], paper["questions"][3]["flag_seq"]) == (True, 2)
    assert paper["questions"][0]["chosen"] is None
    assert paper["status"]["state"] == "in_progress"
    assert paper["status"]["last_seq"] == 2


def test_the_paper_never_holds_a_key_nor_a_stored_letter(client, session, alice):
    response = client.get(f"/api/attempts/{alice.id}/paper")
    text = response.get_data(as_text=True)
    paper = json.loads(text)
    for question in paper["questions"]:
        assert set(question) == {"position", "stem", "options", "chosen", "flagged", "seq",
                                 "flag_seq"}
        for option in question["options"]:
            assert set(option) == {"index", "label", "text"}
    for _order, _key, _options, rationale in keys_and_letters(session, alice):
        assert rationale not in text
    assert '"key"' not in text and "option_order" not in text and "rationale" not in text
    assert response.headers["Cache-Control"] == "no-store"


def test_only_the_owner_gets_the_paper(client, auth, session, exam, alice):
    bobs = factories.start(session, exam.sitting, exam.bob)
    session.commit()
    response = client.get(f"/api/attempts/{bobs.id}/paper")
    assert response.status_code == 404
    assert "stem" not in response.get_data(as_text=True)
    auth.logout()
    assert client.get(f"/api/attempts/{alice.id}/paper").status_code == 401


def test_an_invigilator_cannot_read_a_paper(client, auth, session, exam, started):
    factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    auth.login("ivy")
    assert client.get(f"/api/attempts/{started.id}/paper").status_code == 403


def test_a_flag_older_than_the_one_held_changes_nothing(client, session, alice):
    client.post(f"/api/attempts/{alice.id}/flags", json={"position": 1, "flagged": True, "seq": 5})
    late = client.post(f"/api/attempts/{alice.id}/flags",
                       json={"position": 1, "flagged": False, "seq": 4})
    assert late.json == {"status": "stale", "position": 1, "flagged": True, "seq": 5}
    session.expire_all()
    assert session.scalar(select(AttemptQuestion.flagged).where(
        AttemptQuestion.attempt_id == alice.id, AttemptQuestion.position == 1)) is True


def first_events(client, url, count=1):
    """Open the stream and return its first `count` events as (name, data) pairs."""
    response = client.get(url, buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    found, text = [], ""
    chunks = iter(response.response)
    try:
        while len(found) < count:
            text += next(chunks).decode()
            while "\n\n" in text:
                block, text = text.split("\n\n", 1)
                fields = dict(line.split(": ", 1) for line in block.splitlines()
                              if ": " in line and not line.startswith(":"))
                if "event" in fields:
                    found.append((fields["event"], json.loads(fields["data"])))
    finally:
        response.close()
    return found


def test_the_stream_sends_the_status_at_once(client, alice, clock):
    clock.advance(minutes=5)
    [(name, status)] = first_events(client, f"/api/attempts/{alice.id}/events")
    assert name == "status"
    assert status["state"] == "in_progress"
    assert status["remaining_seconds"] == 40 * 60
    assert status["result_url"].endswith(f"/attempts/{alice.id}/result")


def test_the_stream_tells_the_browser_how_soon_to_reconnect(client, alice):
    response = client.get(f"/api/attempts/{alice.id}/events", buffered=False)
    try:
        assert next(iter(response.response)).decode().startswith("retry: ")
    finally:
        response.close()


def test_the_stream_of_a_paused_attempt_says_paused_with_the_frozen_time(
        client, session, exam, alice, clock):
    ivy = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    clock.advance(minutes=10)
    invigilation.pause(session, alice, ivy, clock(), "fire alarm")
    session.commit()
    clock.advance(minutes=3)
    [(_, status)] = first_events(client, f"/api/attempts/{alice.id}/events")
    assert (status["state"], status["remaining_seconds"]) == ("paused", 35 * 60)


def test_the_stream_of_an_attempt_whose_time_ran_out_submits_it(client, alice, clock):
    clock.advance(minutes=45, seconds=3)
    [(_, status)] = first_events(client, f"/api/attempts/{alice.id}/events")
    assert status["state"] == "submitted"


def test_only_the_owner_gets_the_stream(client, session, exam, alice):
    bobs = factories.start(session, exam.sitting, exam.bob)
    session.commit()
    assert client.get(f"/api/attempts/{bobs.id}/events").status_code == 404


def _falls_to_zero(count, tries=200):
    for _ in range(tries):
        if count() == 0:
            return True
        time.sleep(0.01)
    return False


def test_the_stream_holds_no_database_connection_while_it_waits(app, client, alice):
    engine = app.extensions["quiz.engine"]
    response = client.get(f"/api/attempts/{alice.id}/events", buffered=False)
    try:
        chunks = iter(response.response)
        while "event: status" not in next(chunks).decode():
            pass
        # The process's watcher checks a connection out for a moment on each poll; the stream
        # itself must hold none, so the count falls to nothing while the stream stays open.
        assert _falls_to_zero(engine.pool.checkedout)
    finally:
        response.close()


# --- the watcher that wakes the streams ------------------------------------------------------------

@pytest.fixture
def watcher(app):
    watcher = events.Watcher(app.extensions["quiz.engine"], poll_seconds=60)  # checked by hand
    yield watcher
    watcher.stop()


def trail(session, clock, *, sitting_id, attempt_id=None, event_id=None, action="room_paused"):
    session.add(AuditEvent(id=event_id, at=clock(), actor="system", action=action,
                           sitting_id=sitting_id, attempt_id=attempt_id))
    session.flush()


def test_an_event_wakes_its_attempts_stream_and_not_anothers(session, exam, started, clock, watcher):
    bobs = factories.start(session, exam.sitting, exam.bob)
    session.commit()
    alice = watcher.subscribe(events.Topic(started.id, exam.sitting.id))
    bob = watcher.subscribe(events.Topic(bobs.id, exam.sitting.id))
    trail(session, clock, sitting_id=exam.sitting.id, attempt_id=started.id)
    assert watcher.check() == 1
    assert (alice.woken.is_set(), bob.woken.is_set()) == (True, False)


def test_an_event_for_the_whole_sitting_wakes_every_stream_in_it(session, exam, started, clock,
                                                                 watcher):
    bobs = factories.start(session, exam.sitting, exam.bob)
    session.commit()
    streams = [watcher.subscribe(events.Topic(a.id, exam.sitting.id)) for a in (started, bobs)]
    elsewhere = watcher.subscribe(events.Topic(999, exam.sitting.id + 1))
    trail(session, clock, sitting_id=exam.sitting.id)
    watcher.check()
    assert [s.woken.is_set() for s in streams] == [True, True]
    assert not elsewhere.woken.is_set()


@pytest.mark.parametrize("action", ["keycode_refused", "roster_uploaded", "results_downloaded",
                                    "candidates_booked"])
def test_a_sitting_event_no_candidate_sees_wakes_no_stream(session, exam, started, clock, watcher,
                                                           action):
    stream = watcher.subscribe(events.Topic(started.id, exam.sitting.id))
    trail(session, clock, sitting_id=exam.sitting.id, action=action)
    session.commit()
    assert watcher.check() == 1
    assert not stream.woken.is_set()


def test_an_event_committed_after_a_later_one_is_still_seen(session, exam, started, clock, watcher):
    # On PostgreSQL a transaction can take id N, and commit after another has committed N+1.
    stream = watcher.subscribe(events.Topic(started.id, exam.sitting.id))
    top = watcher._last_id
    trail(session, clock, sitting_id=exam.sitting.id + 1, event_id=top + 2)
    assert watcher.check() == 1
    trail(session, clock, sitting_id=exam.sitting.id, attempt_id=started.id, event_id=top + 1)
    assert watcher.check() == 1
    assert stream.woken.is_set()


def test_a_stream_that_ended_is_forgotten(exam, started, watcher):
    stream = watcher.subscribe(events.Topic(started.id, exam.sitting.id))
    watcher.unsubscribe(stream)
    assert watcher.listening == 0


GRACE = timedelta(seconds=2)


def _with_break(session, attempt, ivy, now):
    attempt.break_allowance_seconds = 600
    session.flush()
    return attempt


CHANGES = {
    "pause": lambda s, a, ivy, now: invigilation.pause(s, a, ivy, now, "unwell"),
    "resume": lambda s, a, ivy, now: (
        invigilation.pause(s, a, ivy, now - timedelta(minutes=1), "unwell"),
        invigilation.resume(s, a, ivy, now, "feeling better")),
    "pause the room": lambda s, a, ivy, now: invigilation.pause_all(s, a.sitting, ivy, now,
                                                                   "fire alarm", GRACE),
    "resume the room": lambda s, a, ivy, now: (
        invigilation.pause(s, a, ivy, now - timedelta(minutes=1), "unwell"),
        invigilation.resume_all(s, a.sitting, ivy, now, "alarm over")),
    "extra time": lambda s, a, ivy, now: invigilation.grant_extra_time(
        s, a, ivy, now, minutes=10, reason="printer fault"),
    "void": lambda s, a, ivy, now: invigilation.void(s, a, ivy, now, "absent"),
    "close": lambda s, a, ivy, now: invigilation.close_sitting(s, a.sitting, ivy, now, GRACE),
    "submit": lambda s, a, ivy, now: delivery.submit(s, a, now, "candidate", actor=a.candidate),
    "time runs out": lambda s, a, ivy, now: delivery.finalise_expired(
        s, now + timedelta(hours=2), GRACE),
    "break starts": lambda s, a, ivy, now: breaks.start_break(s, _with_break(s, a, ivy, now), ivy,
                                                              now),
    "break ends": lambda s, a, ivy, now: (
        breaks.start_break(s, _with_break(s, a, ivy, now), ivy, now - timedelta(minutes=1)),
        breaks.end_break(s, a, ivy, now)),
    "message to the room": lambda s, a, ivy, now: messages.send_message(
        s, a.sitting, ivy, now, "Ten minutes gone."),
    "message to the candidate": lambda s, a, ivy, now: messages.send_message(
        s, a.sitting, ivy, now, "Please sit up.", attempt=a),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_every_change_a_candidate_must_see_wakes_their_stream(app, exam, started, clock, watcher,
                                                               change):
    with app.extensions["quiz.sessions"].begin() as session:
        factories.make_user(session, "ivy", role="invigilator",
                            centre=session.get(Centre, exam.centre.id))
    stream = watcher.subscribe(events.Topic(started.id, exam.sitting.id))
    clock.advance(minutes=5)
    # A plain session, committed at the end: some use cases (the finalising sweep) end their
    # reads and begin their own writing transaction, which a `begin()` block would forbid.
    with app.extensions["quiz.sessions"]() as session:
        attempt = session.get(Attempt, started.id)
        ivy = session.scalar(select(User).where(User.username == "ivy"))
        CHANGES[change](session, attempt, ivy, clock())
        session.commit()
    assert watcher.check() >= 1
    assert stream.woken.is_set()
