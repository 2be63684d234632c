"""Every route answers every kind of visitor as its row in ROUTES says: built from the URL map.

A route added without a row here fails `test_every_route_has_a_rule`, which names it. To add a
row, say who may use the route; everyone else signed in is refused (403) and anonymous visitors
are sent to sign in (a redirect to /login, or 401 from the API):

    "POST /things/<int:thing_id>/polish": rule(ok=INVIGILATORS, hidden=["other_invigilator"]),

`hidden` lists visitors whose role may use the route but who must not learn the object exists
(another centre's invigilator, a candidate not booked on the sitting): they get 404. If the
route's URL has an argument no other route has, add how to fill it to `arguments` below.

What the answers mean, however the request was otherwise judged:
    OK     reached the page or action: any answer but 401, 403, 404 or a redirect to sign in
           (a 400 for the empty form these requests post, or a 409, counts: the rules ran);
    LOGIN  sent to sign in; DENY  403; HIDDEN  404.
A 500 is never an answer: the test fails with the route's name.
"""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from quiz.delivery import service as delivery
from quiz.itembank.service import get_blueprint
from tests import factories

OK, LOGIN, DENY, HIDDEN = "ok", "sent to sign in", "refused (403)", "not found (404)"

VISITORS = ("anonymous", "candidate", "other_candidate", "invigilator", "other_invigilator",
            "item_writer", "results_officer", "admin")
SIGNED_IN = VISITORS[1:]
CANDIDATES = ("candidate", "other_candidate")
INVIGILATORS = ("invigilator", "other_invigilator", "admin")
OFFICERS = ("results_officer", "admin")
WRITERS = ("item_writer", "admin")


def rule(ok=(), hidden=(), anonymous=LOGIN) -> dict[str, str]:
    """Return what each visitor gets: ok and hidden as listed, anonymous as given, others 403."""
    answers = {visitor: DENY for visitor in SIGNED_IN}
    answers.update({visitor: OK for visitor in ok})
    answers.update({visitor: HIDDEN for visitor in hidden})
    answers["anonymous"] = anonymous
    return answers


# A candidate's own sitting and attempt: another candidate is not told they exist.
OWN_CANDIDATE = rule(ok=["candidate"], hidden=["other_candidate"])
# A sitting or attempt at the invigilator's centre: another centre's invigilator is not told.
OWN_CENTRE = rule(ok=["invigilator", "admin"], hidden=["other_invigilator"])

ROUTES: dict[str, dict[str, str]] = {
    # accounts
    "GET /": rule(ok=SIGNED_IN, anonymous=OK),  # it sends everyone on, anonymous ones to /login
    "GET /login": rule(ok=VISITORS, anonymous=OK),
    "POST /login": rule(ok=VISITORS, anonymous=OK),
    "POST /logout": rule(ok=SIGNED_IN),
    "GET /account/password": rule(ok=SIGNED_IN),
    "POST /account/password": rule(ok=SIGNED_IN),
    "GET /admin/accounts": rule(ok=["admin"]),
    "POST /admin/accounts/<int:user_id>/sign-out": rule(ok=["admin"]),
    "GET /static/<path:filename>": rule(ok=VISITORS, anonymous=OK),
    # the candidate's pages and API
    "GET /tests": rule(ok=CANDIDATES),
    "GET /sittings/<int:sitting_id>/join": OWN_CANDIDATE,
    "POST /sittings/<int:sitting_id>/join": OWN_CANDIDATE,
    "GET /sittings/<int:sitting_id>/instructions": OWN_CANDIDATE,
    "GET /attempts/<int:attempt_id>": OWN_CANDIDATE,
    "GET /attempts/<int:attempt_id>/q/<int:position>": OWN_CANDIDATE,
    "POST /attempts/<int:attempt_id>/q/<int:position>": OWN_CANDIDATE,
    "GET /attempts/<int:attempt_id>/review": OWN_CANDIDATE,
    "GET /attempts/<int:attempt_id>/submit": OWN_CANDIDATE,
    "POST /attempts/<int:attempt_id>/submit": OWN_CANDIDATE,
    "GET /attempts/<int:attempt_id>/result": OWN_CANDIDATE,
    "POST /api/attempts/<int:attempt_id>/answers": OWN_CANDIDATE,
    "POST /api/attempts/<int:attempt_id>/flags": OWN_CANDIDATE,
    "GET /api/attempts/<int:attempt_id>/status": OWN_CANDIDATE,
    "GET /api/attempts/<int:attempt_id>/paper": OWN_CANDIDATE,
    "GET /api/attempts/<int:attempt_id>/events": OWN_CANDIDATE,
    "POST /api/attempts/<int:attempt_id>/break": OWN_CANDIDATE,
    # invigilation
    "GET /invigilate/": rule(ok=INVIGILATORS),
    "GET /invigilate/sittings/new": rule(ok=INVIGILATORS),
    "POST /invigilate/sittings/new": rule(ok=INVIGILATORS),
    "GET /invigilate/sittings/<int:sitting_id>": OWN_CENTRE,
    "GET /invigilate/sittings/<int:sitting_id>/trail": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/open": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/close": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/pause-all": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/resume-all": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/bookings": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/roster": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/selected": OWN_CENTRE,
    "POST /invigilate/sittings/<int:sitting_id>/message": OWN_CENTRE,
    "GET /invigilate/attempts/<int:attempt_id>": OWN_CENTRE,
    "GET /invigilate/attempts/<int:attempt_id>/<any(pause, resume, break_start, break_end, message):action>": OWN_CENTRE,
    "POST /invigilate/attempts/<int:attempt_id>/<any(pause, resume, break_start, break_end, message):action>": OWN_CENTRE,
    "POST /invigilate/attempts/<int:attempt_id>/extra-time": OWN_CENTRE,
    "GET /invigilate/attempts/<int:attempt_id>/void": OWN_CENTRE,
    "POST /invigilate/attempts/<int:attempt_id>/void": OWN_CENTRE,
    "GET /api/invigilate/sittings/<int:sitting_id>/board": OWN_CENTRE,
    # results
    "GET /results/": rule(ok=OFFICERS),
    "GET /results/sittings/<int:sitting_id>": rule(ok=OFFICERS),
    "POST /results/sittings/<int:sitting_id>/release": rule(ok=OFFICERS),
    "GET /results/sittings/<int:sitting_id>/download.<kind>": rule(ok=OFFICERS),
    "GET /results/tests/<int:blueprint_id>": rule(ok=OFFICERS),
    "GET /results/tests/<int:blueprint_id>/download.<kind>": rule(ok=OFFICERS),
    "GET /results/tests/<int:blueprint_id>/analysis": rule(ok=OFFICERS),
    "POST /results/tests/<int:blueprint_id>/analysis/flags": rule(ok=OFFICERS),
    "GET /results/attempts/<int:attempt_id>/feedback": rule(ok=OFFICERS),
    # item banks
    "GET /bank/": rule(ok=WRITERS),
    "GET /bank/<path:code>/items": rule(ok=WRITERS),
    "GET /bank/<path:code>/range": rule(ok=WRITERS),
    "GET /bank/<path:code>/items/<item_id>": rule(ok=WRITERS),
    "GET /bank/<path:code>/items/new": rule(ok=WRITERS),
    "POST /bank/<path:code>/items/new": rule(ok=WRITERS),
    "GET /bank/<path:code>/items/<item_id>/edit": rule(ok=WRITERS),
    "POST /bank/<path:code>/items/<item_id>/edit": rule(ok=WRITERS),
    "GET /bank/<path:code>/items/<item_id>/preview": rule(ok=WRITERS),
    "POST /bank/<path:code>/items/<item_id>/submit": rule(ok=WRITERS),
    "GET /bank/<path:code>/items/<item_id>/history": rule(ok=WRITERS),
    "GET /api/bank/<path:code>/items": rule(ok=WRITERS),
    # exchanging items with other tools (issue 10)
    "GET /bank/<path:code>/import": rule(ok=WRITERS),
    "POST /bank/<path:code>/import": rule(ok=WRITERS),
    "GET /bank/<path:code>/export": rule(ok=WRITERS),
    "POST /bank/<path:code>/export/download": rule(ok=WRITERS),
    # reviewing: item writers with the reviewer permission (not this one) and administrators
    "GET /bank/<path:code>/items/<item_id>/review": rule(ok=["admin"]),
    "POST /bank/<path:code>/items/<item_id>/review": rule(ok=["admin"]),
    "GET /bank/<path:code>/items/<item_id>/retire": rule(ok=["admin"]),
    "POST /bank/<path:code>/items/<item_id>/retire": rule(ok=["admin"]),
}


# What a route needs sent so that its answer depends on who asks rather than on a missing form
# field (which some routes check before looking anything up), and any argument of its own.
REQUESTS: dict[str, dict] = {
    "POST /api/attempts/<int:attempt_id>/answers": {"json": {"position": 1, "choice": 0, "seq": 1}},
    "POST /api/attempts/<int:attempt_id>/flags": {"json": {"position": 1, "flagged": True}},
    "POST /api/attempts/<int:attempt_id>/break": {"json": {"action": "start"}},
    "POST /invigilate/sittings/<int:sitting_id>/bookings": {"data": {"candidate_id": "{user_id}"}},
    "GET /results/attempts/<int:attempt_id>/feedback": {"arguments": {"attempt_id": "finished"}},
    "POST /bank/<path:code>/export/download": {"data": {"format": "csv"}},
}


def routes_of(app) -> dict[str, object]:
    """Return every route of the app as 'METHOD /rule', each with its werkzeug rule."""
    found = {}
    for url_rule in app.url_map.iter_rules():
        for method in sorted(url_rule.methods - {"HEAD", "OPTIONS"}):
            found[f"{method} {url_rule.rule}"] = url_rule
    return found


def test_every_route_has_a_rule(app):
    missing = [f"{route} (endpoint {url_rule.endpoint})"
               for route, url_rule in routes_of(app).items() if route not in ROUTES]
    assert not missing, ("these routes have no row in ROUTES in "
                         "tests/integration/test_routes_by_role.py; add one saying who may use "
                         "each:\n  " + "\n  ".join(sorted(missing)))


def test_every_rule_names_a_route_that_exists(app):
    stale = sorted(set(ROUTES) - set(routes_of(app)))
    assert not stale, "rows in ROUTES for routes that no longer exist:\n  " + "\n  ".join(stale)


def test_every_rule_says_what_every_visitor_gets():
    incomplete = [route for route, answers in ROUTES.items() if set(answers) != set(VISITORS)]
    assert not incomplete


@pytest.fixture
def world(session, exam, started):
    """Everyone who might visit: the attempt's owner, strangers of each kind, and staff."""
    elsewhere = factories.make_centre(session, code="C999", name="Elsewhere College")
    people = {
        "candidate": exam.alice,
        "other_candidate": factories.make_user(session, "carol", centre=exam.centre),
        "invigilator": factories.make_user(session, "ivy", role="invigilator", centre=exam.centre),
        "other_invigilator": factories.make_user(session, "otto", role="invigilator",
                                                 centre=elsewhere),
        "item_writer": factories.make_user(session, "wendy", role="item_writer"),
        "results_officer": factories.make_user(session, "rita", role="results_officer"),
        "admin": factories.make_user(session, "ada", role="admin"),
    }
    finished = factories.start(session, exam.sitting, exam.bob)
    delivery.submit(session, finished, factories.MORNING, "candidate")
    session.commit()
    arguments = {
        "sitting_id": exam.sitting.id, "attempt_id": started.id, "finished": finished.id,
        "position": 1,
        "blueprint_id": get_blueprint(session, exam.blueprint.code).id,
        "code": exam.blueprint.code, "item_id": "q1.1-01", "kind": "csv",
        "user_id": exam.bob.id, "filename": "quiz.css", "action": "pause",
    }
    return SimpleNamespace(people=people, arguments=arguments)


def act_as(client, session, user) -> None:
    """Make the browser signed in as the user (their current session), without the sign-in form."""
    if user is None:
        client.delete_cookie("session")
        return
    session.expire_all()
    session.refresh(user)
    with client.session_transaction() as cookie:
        cookie.clear()
        cookie["_user_id"] = user.get_id()
        cookie["_fresh"] = True


def answer_of(response) -> str:
    """Name what a response did for its visitor, in the terms ROUTES uses."""
    location = response.headers.get("Location", "")
    # Being sent to sign in carries where to come back to; signing out just goes to /login.
    if response.status_code == 401 or (response.status_code in (301, 302, 303)
                                       and "/login?next=" in location):
        return LOGIN
    return {403: DENY, 404: HIDDEN}.get(response.status_code, OK)


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_route_answers_each_visitor_as_its_rule_says(app, client, session, world, visitor):
    wrong = []
    for route, url_rule in sorted(routes_of(app).items()):
        if route not in ROUTES:
            continue  # test_every_route_has_a_rule names it
        method, _ = route.split(" ", 1)
        extra = REQUESTS.get(route, {})
        named = {**{name: name for name in url_rule.arguments}, **extra.get("arguments", {})}
        unknown = set(named.values()) - set(world.arguments)
        assert not unknown, f"{route}: add how to fill {sorted(unknown)} to `arguments`"
        path = url_rule.build({name: world.arguments[value] for name, value in named.items()},
                              append_unknown=False)[1]
        body = {key: value for key, value in extra.items() if key in ("json", "data")}
        if "data" in body:
            body["data"] = {k: v.format(**world.arguments) for k, v in body["data"].items()}
        act_as(client, session, world.people.get(visitor))
        try:
            response = client.open(path, method=method, **body)
        except Exception as error:  # a 500 in testing mode
            wrong.append(f"{route} as {visitor}: raised {error!r}")
            continue
        if response.status_code >= 500:
            wrong.append(f"{route} as {visitor}: {response.status_code}")
            continue
        expected, got = ROUTES[route][visitor], answer_of(response)
        if got != expected:
            wrong.append(f"{route} as {visitor}: expected {expected}, got {got} "
                         f"({response.status_code} {response.headers.get('Location', '')})")
    assert not wrong, "\n  ".join(["routes answering wrongly:"] + wrong)
