"""After signing in, a candidate booked on one test today waits on its keycode page."""
from datetime import timedelta

from sqlalchemy import select

from quiz.delivery.models import Attempt
from tests import factories
from tests.factories import MORNING


def landing(auth, username: str, **query) -> str:
    """Sign in and return where the sign-in sent the browser."""
    if query:
        response = auth.client.post("/login?" + "&".join(f"{k}={v}" for k, v in query.items()),
                                    data={"username": username, "password": factories.PASSWORD})
    else:
        response = auth.login(username)
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_candidate_booked_on_one_open_sitting_lands_on_its_keycode_page(auth, exam):
    assert landing(auth, "alice") == f"/sittings/{exam.sitting.id}/join"
    page = auth.client.get(f"/sittings/{exam.sitting.id}/join")
    assert b'name="keycode"' in page.data and b"All your tests" in page.data


def test_a_sitting_due_to_open_later_today_is_landed_on_and_start_waits_for_the_invigilator(
        auth, exam, session):
    later = factories.make_sitting(session, exam.blueprint.code, exam.centre,
                                   [factories.make_user(session, "carol", centre=exam.centre)],
                                   status="scheduled", title="Afternoon sitting",
                                   starts_at=MORNING + timedelta(hours=5),
                                   ends_at=MORNING + timedelta(hours=7))
    session.commit()
    assert landing(auth, "carol") == f"/sittings/{later.id}/join"
    page = auth.client.get(f"/sittings/{later.id}/join")
    assert b"has not opened this test yet" in page.data
    refused = auth.client.post(f"/sittings/{later.id}/join", data={"keycode": "ANYKEY"})
    assert b"has not been opened yet" in refused.data
    assert session.scalar(select(Attempt)) is None


def test_a_candidate_booked_on_two_sittings_today_sees_the_list(auth, exam, session):
    factories.make_sitting(session, exam.blueprint.code, exam.centre, [exam.alice],
                           title="Resit", starts_at=MORNING + timedelta(hours=2))
    session.commit()
    assert landing(auth, "alice") == "/"


def test_finished_closed_and_other_days_sittings_do_not_count(auth, exam, session):
    centre, code = exam.centre, exam.blueprint.code
    dave = factories.make_user(session, "dave", centre=centre)
    factories.make_sitting(session, code, centre, [dave], status="scheduled", title="Next week",
                           starts_at=MORNING + timedelta(days=7),
                           ends_at=MORNING + timedelta(days=7, hours=2))
    factories.make_sitting(session, code, centre, [dave], status="closed", title="Closed")
    factories.make_sitting(session, code, centre, [dave], title="Yesterday",
                           starts_at=MORNING - timedelta(days=1),
                           ends_at=MORNING - timedelta(hours=20))
    session.commit()
    assert landing(auth, "dave") == "/"

    attempt = factories.start(session, exam.sitting, exam.alice)
    attempt.status = "submitted"
    session.commit()
    assert landing(auth, "alice") == "/"  # finished: their list, where the result is


def test_a_candidate_who_has_started_lands_on_the_keycode_page_which_carries_them_on(
        auth, exam, session):
    attempt = factories.start(session, exam.sitting, exam.alice)
    session.commit()
    assert landing(auth, "alice") == f"/sittings/{exam.sitting.id}/join"
    carried = auth.client.get(f"/sittings/{exam.sitting.id}/join")
    assert carried.status_code == 303
    assert carried.headers["Location"].endswith(f"/attempts/{attempt.id}")


def test_an_explicit_next_still_wins(auth, exam):
    assert landing(auth, "alice", next="/tests") == "/tests"


def test_staff_sign_in_is_unchanged(auth, exam, session):
    factories.make_user(session, "ivy", role="invigilator", centre=exam.centre)
    session.commit()
    assert landing(auth, "ivy") == "/"
