"""Only the sitting's own centre's invigilators may act on it: everyone else is refused, and nothing changes."""
import pytest
from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.delivery.models import Attempt, Sitting
from tests import factories

SITTING_ACTIONS = [
    ("get", "/invigilate/sittings/{sitting}"),
    ("get", "/invigilate/sittings/{sitting}/trail"),
    ("get", "/api/invigilate/sittings/{sitting}/board"),
    ("post", "/invigilate/sittings/{sitting}/open"),
    ("post", "/invigilate/sittings/{sitting}/close"),
    ("post", "/invigilate/sittings/{sitting}/pause-all"),
    ("post", "/invigilate/sittings/{sitting}/resume-all"),
    ("post", "/invigilate/sittings/{sitting}/bookings"),
    ("post", "/invigilate/sittings/{sitting}/roster"),
    ("post", "/invigilate/sittings/{sitting}/selected"),
    ("post", "/invigilate/sittings/{sitting}/message"),
]
ATTEMPT_ACTIONS = [
    ("get", "/invigilate/attempts/{attempt}"),
    ("post", "/invigilate/attempts/{attempt}/pause"),
    ("post", "/invigilate/attempts/{attempt}/resume"),
    ("post", "/invigilate/attempts/{attempt}/extra-time"),
    ("post", "/invigilate/attempts/{attempt}/void"),
    ("get", "/invigilate/attempts/{attempt}/void"),
    ("get", "/invigilate/attempts/{attempt}/pause"),
    ("post", "/invigilate/attempts/{attempt}/break_start"),
    ("post", "/invigilate/attempts/{attempt}/message"),
]
FORMS = {"extra-time": {"amount": "10", "unit": "minutes", "reason": "late_start"},
         "void": {"category": "absent", "confirmed": "yes"}, "bookings": {"candidate_id": "1"},
         "/pause": {"pause-reason": "unwell"}, "/resume": {"resume-reason": "ready"},
         "pause-all": {"room-pause-reason": "emergency"},
         "resume-all": {"room-resume-reason": "all_clear"},
         "break_start": {"break_start-reason": "unwell"}, "/message": {"message-body": "hello"},
         "selected": {"action": "pause", "candidate_id": "1", "pause-reason": "unwell"}}


@pytest.fixture
def outsider(session, exam):
    """An invigilator at another centre."""
    elsewhere = factories.make_centre(session, code="C999", name="Elsewhere College")
    user = factories.make_user(session, "otto", role="invigilator", centre=elsewhere)
    session.commit()
    return user


def call(client, method, path):
    data = next((form for key, form in FORMS.items() if path.endswith(key)), {})
    return getattr(client, method)(path, data=data) if method == "post" else client.get(path)


def unchanged(session, exam, started):
    session.expire_all()
    attempt = session.get(Attempt, started.id)
    sitting = session.get(Sitting, exam.sitting.id)
    invigilator_events = session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.notin_(["signed_in", "attempt_started"]))).all()
    return (attempt.status == "in_progress" and attempt.paused_since is None
            and attempt.extra_seconds == 0 and sitting.status == "open"
            and invigilator_events == [])


ALL = SITTING_ACTIONS + ATTEMPT_ACTIONS


@pytest.mark.parametrize("method, template", ALL)
def test_an_invigilator_of_another_centre_is_refused(client, auth, session, exam, started, outsider,
                                                     method, template):
    auth.login("otto")
    response = call(client, method, template.format(sitting=exam.sitting.id, attempt=started.id))
    assert response.status_code == 404
    assert unchanged(session, exam, started)


@pytest.mark.parametrize("method, template", ALL)
def test_a_candidate_is_refused(client, auth, session, exam, started, method, template):
    auth.login("bob")
    response = call(client, method, template.format(sitting=exam.sitting.id, attempt=started.id))
    assert response.status_code == 403
    assert unchanged(session, exam, started)


@pytest.mark.parametrize("method, template", ALL)
def test_an_anonymous_visitor_is_sent_to_sign_in(client, session, exam, started, method, template):
    response = call(client, method, template.format(sitting=exam.sitting.id, attempt=started.id))
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
    assert unchanged(session, exam, started)


def test_an_invigilator_of_another_centre_does_not_see_the_sitting_listed(client, auth, exam, outsider):
    auth.login("otto")
    assert b"Morning sitting" not in client.get("/invigilate/").data
