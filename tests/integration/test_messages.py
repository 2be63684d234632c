"""Messages to the room: to every candidate of a sitting, or to one, shown in the status payload."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from quiz.audit import AuditEvent
from quiz.delivery.models import Attempt
from quiz.errors import BadRequest, Refused
from quiz.invigilation.messages import RoomMessage, messages_for, send_message
from tests import factories

MORNING = factories.MORNING


@pytest.fixture
def ivy(session, exam):
    user = factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    return user


@pytest.fixture
def bobs(session, exam, started):
    attempt = factories.start(session, exam.sitting, exam.bob, seed=9)
    session.commit()
    return attempt


def message_count(session) -> int:
    return session.scalar(select(func.count()).select_from(RoomMessage))


def send(session, *args, **kw) -> RoomMessage:
    message = send_message(session, *args, **kw)
    session.commit()
    return message


def test_a_message_to_the_room_is_kept_with_the_senders_name_and_recorded(session, exam, ivy, started):
    message = send(session, exam.sitting, ivy, MORNING, "  Ten minutes remaining for most of you. ")
    assert (message.body, message.sender_name, message.attempt_id) == (
        "Ten minutes remaining for most of you.", "Ivy", None)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "message_sent")).one()
    assert (event.actor, event.sitting_id, event.attempt_id) == ("ivy", exam.sitting.id, None)
    assert event.detail == {"message_id": message.id, "body": "Ten minutes remaining for most of you."}


def test_a_message_to_one_candidate_names_their_attempt_in_the_trail(session, exam, ivy, started):
    send(session, exam.sitting, ivy, MORNING, "Please raise your hand.", attempt=started)
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "message_sent")).one()
    assert event.attempt_id == started.id


def test_each_candidate_sees_the_room_and_their_own_messages_oldest_first(session, exam, ivy,
                                                                          started, bobs):
    send(session, exam.sitting, ivy, MORNING + timedelta(minutes=5), "Second, to the room")
    send(session, exam.sitting, ivy, MORNING + timedelta(minutes=1), "First, to Alice", attempt=started)
    send(session, exam.sitting, ivy, MORNING + timedelta(minutes=9), "Third, to Bob", attempt=bobs)
    assert [m.body for m in messages_for(session, started)] == ["First, to Alice", "Second, to the room"]
    assert [m.body for m in messages_for(session, bobs)] == ["Second, to the room", "Third, to Bob"]


def test_messages_of_another_sitting_are_not_shown(session, exam, ivy, started):
    other = factories.make_sitting(session, exam.blueprint.code, exam.centre, [exam.bob],
                                   title="Afternoon", keycode="HJKMNP")
    send(session, other, ivy, MORNING, "Afternoon room only")
    assert messages_for(session, started) == []


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 1001])
def test_an_empty_or_overlong_message_is_refused_and_nothing_is_sent(session, exam, ivy, started, body):
    with pytest.raises(BadRequest):
        send_message(session, exam.sitting, ivy, MORNING, body)
    session.rollback()
    assert message_count(session) == 0


def test_a_message_of_exactly_a_thousand_characters_is_sent(session, exam, ivy, started):
    assert len(send(session, exam.sitting, ivy, MORNING, "x" * 1000).body) == 1000


@pytest.mark.parametrize("status", ["scheduled", "closed"])
def test_no_message_can_be_sent_to_a_sitting_that_is_not_open(session, exam, ivy, status):
    sitting = factories.make_sitting(session, exam.blueprint.code, exam.centre, status=status,
                                     title="Not running")
    session.commit()
    with pytest.raises(Refused, match="not been opened yet" if status == "scheduled" else "is closed"):
        send_message(session, sitting, ivy, MORNING, "Hello")
    session.rollback()
    assert message_count(session) == 0


def test_a_message_to_a_candidate_of_another_sitting_is_refused(session, exam, ivy, started):
    other = factories.make_sitting(session, exam.blueprint.code, exam.centre, title="Afternoon",
                                   keycode="HJKMNP")
    session.commit()
    with pytest.raises(BadRequest, match="not sitting this test"):
        send_message(session, other, ivy, MORNING, "Hello", attempt=started)
    session.rollback()
    assert message_count(session) == 0


def test_a_message_to_a_candidate_who_has_finished_is_refused(session, exam, ivy, started):
    from quiz.delivery import service
    service.submit(session, session.get(Attempt, started.id), MORNING, "candidate")
    session.commit()
    with pytest.raises(Refused, match="submitted"):
        send_message(session, exam.sitting, ivy, MORNING, "Hello", attempt=started)


def test_the_status_poll_carries_the_candidates_messages(client, auth, session, exam, ivy,
                                                         started, bobs):
    room = send(session, exam.sitting, ivy, MORNING, "Pens down in five minutes.")
    own = send(session, exam.sitting, ivy, MORNING + timedelta(seconds=30), "Alice, please come to "
               "the front.", attempt=started)
    send(session, exam.sitting, ivy, MORNING + timedelta(seconds=40), "Bob only", attempt=bobs)
    auth.login("alice")
    payload = client.get(f"/api/attempts/{started.id}/status").json
    assert payload["messages"] == [
        {"id": room.id, "body": "Pens down in five minutes.", "from": "Ivy",
         "sent_at": MORNING.isoformat(), "to": "room"},
        {"id": own.id, "body": "Alice, please come to the front.", "from": "Ivy",
         "sent_at": (MORNING + timedelta(seconds=30)).isoformat(), "to": "you"}]


def test_a_candidate_without_an_allowance_has_no_break_in_the_payload(client, auth, started):
    auth.login("alice")
    payload = client.get(f"/api/attempts/{started.id}/status").json
    assert payload["break"] is None
    assert payload["messages"] == []
    assert payload["state"] == "in_progress"
