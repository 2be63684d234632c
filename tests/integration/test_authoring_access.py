"""Every item writers' route for every role: only item writers and administrators see item content,
only reviewers and administrators review or retire, and a refused request changes nothing."""
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from quiz.audit import AuditEvent
from quiz.itembank import workflow
from quiz.itembank.models import Item, ItemVersion
from quiz.itembank.service import get_item
from tests import factories

CODE = "9999-01/101"
ITEM = "q1.1-01"  # live, with a new version in review (so every action has something to act on)
NEW_ITEM = {"criterion": "1.1", "difficulty": "easy", "stem": "Which is right?",
            "option_A": "A1", "option_B": "B1", "option_C": "C1", "option_D": "D1", "key": "A",
            "rationale": "A is right.", "form": "recall", "range": "1.1/topic/point-1",
            "enemies_none": "y", "note": "why"}

# (method, path, form data, who may: "writer" = every item writer, "reviewer" = reviewers only)
ROUTES = [
    ("get", "/bank/", None, "writer"),
    ("get", "/bank/{code}/items", None, "writer"),
    ("get", "/api/bank/{code}/items?q=which", None, "writer"),
    ("get", "/bank/{code}/items/new", None, "writer"),
    ("post", "/bank/{code}/items/new", NEW_ITEM, "writer"),
    ("get", "/bank/{code}/items/{item}", None, "writer"),
    ("get", "/bank/{code}/items/{item}/edit", None, "writer"),
    ("post", "/bank/{code}/items/{item}/edit", dict(NEW_ITEM, base_version="{latest}"), "writer"),
    ("get", "/bank/{code}/items/{item}/preview", None, "writer"),
    ("get", "/bank/{code}/items/{item}/history", None, "writer"),
    ("post", "/bank/{code}/items/{item}/submit", {"version_id": "{latest}"}, "writer"),
    ("get", "/bank/{code}/items/{item}/review", None, "reviewer"),
    ("post", "/bank/{code}/items/{item}/review",
     {"version_id": "{latest}", "send_back": "1", "comment": "Tighten it"}, "reviewer"),
    ("get", "/bank/{code}/items/{item}/retire", None, "reviewer"),
    ("post", "/bank/{code}/items/{item}/retire", {"reason": "Dated"}, "reviewer"),
]


@pytest.fixture
def world(session):
    """A bank and a live item with a new version in review, so every action has something to
    act on."""
    blueprint = factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2)
    factories.load_bank(session, blueprint, factories.make_items(blueprint, per_criterion=4))
    author = factories.make_writer(session, "author")
    item = get_item(session, CODE, ITEM)
    live = item.current_version
    new = workflow.save_version(session, item, criterion="1.1", author=author,
                                now=factories.MORNING, base_version_id=live.id, note="reworded",
                                content=replace(live.content(), stem="Which one is right?"))
    workflow.submit(session, item, author, factories.MORNING, new.id)
    session.commit()
    return new


ACCOUNTS = {  # username: (role, may review)
    "cara": ("candidate", False), "ivan": ("invigilator", False), "rose": ("results_officer", False),
    "wendy": ("item_writer", False), "rita": ("item_writer", True), "ada": ("admin", False)}


@pytest.fixture
def signed_in(session, auth):
    """Create the account and sign in with it."""
    def sign_in(username):
        role, reviews = ACCOUNTS[username]
        if role == "item_writer":
            factories.make_writer(session, username, can_review=reviews)
        else:
            centre = factories.make_centre(session) if role in ("candidate", "invigilator") else None
            factories.make_user(session, username, role=role, centre=centre,
                                candidate_number="1" if role == "candidate" else None)
        session.commit()
        auth.login(username)
    return sign_in


def call(client, session, method, template, data):
    session.expire_all()
    latest = str(get_item(session, CODE, ITEM).latest_version.id)
    path = template.format(code=CODE, item=ITEM)
    if method == "get":
        return client.get(path)
    form = {k: v.format(latest=latest) for k, v in (data or {}).items()}
    return client.post(path, data=form)


def snapshot(session):
    session.expire_all()
    return (session.scalar(select(func.count()).select_from(Item)),
            session.scalar(select(func.count()).select_from(ItemVersion)),
            session.scalar(select(func.count()).select_from(AuditEvent)
                           .where(AuditEvent.item_pk.is_not(None))),
            tuple(session.execute(select(Item.item_id, Item.status, Item.pending_version_id)
                                  .order_by(Item.item_id)).all()))


def statuses(client, session, routes=ROUTES):
    """Call every route in turn; return {route: status} and check nothing leaked item content."""
    found = {}
    for method, template, data, _ in routes:
        response = call(client, session, method, template, data)
        found[f"{method} {template}"] = response.status_code
    return found


@pytest.mark.parametrize("username", ["cara", "ivan", "rose"])
def test_people_who_are_not_item_writers_are_refused_every_route_and_nothing_changes(
        client, session, world, signed_in, username):
    signed_in(username)
    before = snapshot(session)
    for method, template, data, _ in ROUTES:
        response = call(client, session, method, template, data)
        assert response.status_code == 403, (method, template)
        assert b"Which one is right?" not in response.data, (method, template)
    assert snapshot(session) == before


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_route(client, session, world):
    before = snapshot(session)
    for method, template, data, _ in ROUTES:
        response = call(client, session, method, template, data)
        if template.startswith("/api/"):
            assert response.status_code == 401
        else:
            assert response.status_code == 302, (method, template)
            assert "/login" in response.headers["Location"]
    assert snapshot(session) == before


def test_an_item_writer_without_the_reviewer_permission_cannot_review_or_retire(
        client, session, world, signed_in):
    signed_in("wendy")
    before = snapshot(session)
    reviewing = [route for route in ROUTES if route[3] == "reviewer"]
    assert set(statuses(client, session, reviewing).values()) == {403}
    assert snapshot(session) == before


def test_an_item_writer_may_use_every_writers_route(client, session, world, signed_in):
    signed_in("wendy")
    writing = [route for route in ROUTES if route[3] == "writer"]
    assert {route: status for route, status in statuses(client, session, writing).items()
            if status not in (200, 302)} == {}


@pytest.mark.parametrize("username", ["rita", "ada"])
def test_reviewers_and_administrators_may_use_every_route(client, session, world, signed_in,
                                                          username):
    signed_in(username)
    assert {route: status for route, status in statuses(client, session).items()
            if status not in (200, 302)} == {}
