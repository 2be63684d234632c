"""Demo data: a centre, one account per role, the 2794-03/315 bank and an open sitting."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from quiz.accounts.models import Centre, User
from quiz.accounts.service import create_user
from quiz.delivery.models import Booking, Sitting
from quiz.delivery.service import new_keycode
from quiz.invigilation.service import arrangements_text, close_sitting
from quiz.itembank.bankfile import BankSet
from quiz.itembank.service import get_blueprint, load_banks
from quiz.results.item_analysis import analyse_test, send_flags_to_writers
from quiz.simulate import simulate

DEMO_BLUEPRINT = "2794-03/315"
DEMO_SITTING_TITLE = "Demo sitting (open)"
DEMO_SCHEDULED_TITLE = "Demo sitting for the invigilator to open"
DEMO_FINISHED_TITLE = "Demo sitting (finished, simulated candidates)"
DEMO_SIMULATED = 300
DEMO_PASSWORD = "demo-pass-2794"
DEMO_ACCOUNTS = [
    # username, role, full name, candidate number, access arrangements
    ("candidate", "candidate", "Alex Morgan", "0001", {}),
    ("candidate2", "candidate", "Sam Patel", "0002", {"extra_time_percent": 25, "large_text": True,
                                                   "rest_break_minutes": 10}),
    ("invigilator", "invigilator", "Jo Reid", None, {}),
    ("writer", "item_writer", "Pat Lee", None, {}),
    ("reviewer", "item_writer", "Robin Shaw", None, {}),
    ("results", "results_officer", "Chris Ward", None, {}),
    ("admin", "admin", "Dana Admin", None, {}),
]


def prepare_demo(session: Session, banks: BankSet, now: datetime) -> list[str]:
    """Create what is missing and reopen the demo sitting around now; return lines to print."""
    report = load_banks(session, banks, now, actor="demo")
    centre = session.scalar(select(Centre).where(Centre.code == "DEMO01"))
    if centre is None:
        centre = Centre(code="DEMO01", name="Northgate College (demo centre)")
        session.add(centre)
        session.flush()
    users = {}
    for username, role, name, number, arrangements in DEMO_ACCOUNTS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(session, username=username, password=DEMO_PASSWORD, full_name=name,
                               role=role, centre=centre if role in ("candidate", "invigilator") else None,
                               candidate_number=number, now=now, **arrangements)
        else:  # a demo database made before an arrangement existed gets it too
            for name_, value in arrangements.items():
                setattr(user, name_, value)
        users[username] = user
    sitting = _open_demo_sitting(session, centre, users["invigilator"], now)
    scheduled = _scheduled_demo_sitting(session, centre, users["invigilator"], now)
    finished = _finished_demo_sitting(session, _simulation_centre(session), users["invigilator"], now)
    for username in ("candidate", "candidate2"):
        _book(session, sitting, users[username])
        _book(session, scheduled, users[username])
    session.flush()
    lines = [f"Bank: {report.summary()}",
             f"Demo sitting: {sitting.title}, {DEMO_BLUEPRINT}, keycode {sitting.keycode}",
             f"Also scheduled, for the invigilator to open and run: {scheduled.title}",
             f"And for the results officer: {finished.title}",
             "Sign in with (password for every demo account: " + DEMO_PASSWORD + "):"]
    for username, role, name, _, arrangements in DEMO_ACCOUNTS:
        extra = f" (access arrangements: {arrangements_text(users[username])})" if arrangements else ""
        lines.append(f"  {role:<16} {username:<12} {name}{extra}")
    return lines


def _open_demo_sitting(session: Session, centre: Centre, invigilator: User, now: datetime) -> Sitting:
    """Return the demo sitting, open with a keycode and a window around now."""
    sitting = session.scalar(select(Sitting).where(Sitting.title == DEMO_SITTING_TITLE,
                                                   Sitting.centre_id == centre.id))
    if sitting is None:
        sitting = Sitting(blueprint=get_blueprint(session, DEMO_BLUEPRINT), centre=centre,
                          title=DEMO_SITTING_TITLE, results_policy="instant",
                          created_by_id=invigilator.id)
        session.add(sitting)
    if sitting.status != "open" or sitting.ends_at <= now:
        sitting.starts_at = now - timedelta(hours=1)
        sitting.ends_at = now + timedelta(days=7)
        sitting.status = "open"
        sitting.opened_at = now
        sitting.closed_at = None
        sitting.keycode = sitting.keycode or new_keycode(session)
    return sitting


def _scheduled_demo_sitting(session: Session, centre: Centre, invigilator: User,
                            now: datetime) -> Sitting:
    """Return a not-yet-opened demo sitting whose window covers today."""
    sitting = session.scalar(select(Sitting).where(Sitting.title == DEMO_SCHEDULED_TITLE,
                                                   Sitting.centre_id == centre.id,
                                                   Sitting.status == "scheduled"))
    if sitting is None:
        sitting = Sitting(blueprint=get_blueprint(session, DEMO_BLUEPRINT), centre=centre,
                          title=DEMO_SCHEDULED_TITLE, status="scheduled",
                          results_policy="to_follow", created_by_id=invigilator.id)
        session.add(sitting)
    sitting.starts_at = now - timedelta(minutes=30)
    sitting.ends_at = now + timedelta(days=7)
    return sitting


def _simulation_centre(session: Session) -> Centre:
    """Return the centre simulated candidates belong to, kept apart from the demo centre's own."""
    centre = session.scalar(select(Centre).where(Centre.code == "SIM01"))
    if centre is None:
        centre = Centre(code="SIM01", name="Eastfield Training (simulated candidates)")
        session.add(centre)
        session.flush()
    return centre


def _finished_demo_sitting(session: Session, centre: Centre, invigilator: User,
                           now: datetime) -> Sitting:
    """Return yesterday's closed sitting, simulating its candidates the first time."""
    sitting = session.scalar(select(Sitting).where(Sitting.title == DEMO_FINISHED_TITLE,
                                                   Sitting.centre_id == centre.id))
    if sitting is not None:
        return sitting
    morning = (now - timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    sitting = Sitting(blueprint=get_blueprint(session, DEMO_BLUEPRINT), centre=centre,
                      title=DEMO_FINISHED_TITLE, status="open", keycode=None,
                      starts_at=morning, ends_at=morning + timedelta(hours=2),
                      opened_at=morning, results_policy="to_follow", created_by_id=invigilator.id)
    session.add(sitting)
    session.flush()
    simulate(session, sitting, DEMO_SIMULATED, seed=2794)
    close_sitting(session, sitting, invigilator, sitting.ends_at, timedelta(seconds=2))
    # As a results officer would after reading the analysis: the item writers see the flags.
    analysis, labels = analyse_test(session, sitting.blueprint)
    send_flags_to_writers(session, analysis, labels, sitting.ends_at)
    return sitting


def _book(session: Session, sitting: Sitting, candidate: User) -> None:
    """Book a candidate onto a sitting unless already booked."""
    if sitting.id is not None and session.scalar(select(Booking).where(
            Booking.sitting_id == sitting.id, Booking.candidate_id == candidate.id)):
        return
    session.add(Booking(sitting=sitting, candidate=candidate))
