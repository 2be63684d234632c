"""The item writers' pages through the browser's requests: forms, preview, review, retire, history."""
import re
from dataclasses import replace
from html import unescape

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from quiz.accounts.models import User
from quiz.itembank import workflow
from quiz.itembank.models import ItemVersion
from quiz.itembank.service import get_item
from tests import factories

NOW = factories.MORNING
CODE = "9999-01/101"
BANK = f"/bank/{CODE}"


@pytest.fixture
def bank(session):
    """A small live bank needing 3 live items per criterion, a writer and a reviewer."""
    blueprint = replace(factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2),
                        minimum_live_per_criterion=3)
    factories.load_bank(session, blueprint, factories.make_items(blueprint, per_criterion=3))
    factories.make_writer(session, "pat")
    factories.make_writer(session, "robin", can_review=True)
    session.commit()
    return blueprint


def item_form(**changes):
    """Return a complete item form: the writer has chosen a Range point of the criterion and the
    question form, and ticked "checked, none" for enemies unless some are named."""
    criterion = changes.get("criterion", "1.1")
    data = {"criterion": "1.1", "difficulty": "medium", "form": "decision",
            "stem": "Which option is right here?",
            "option_A": "Alpha", "option_B": "Bravo", "option_C": "Charlie", "option_D": "Delta",
            "key": "B", "rationale": "B is right because it is.",
            "range": f"{criterion}/topic/point-1" if criterion in ("1.1", "1.2", "2.1", "2.2")
            else "1.1/topic/point-1",
            "enemies": "", "enemies_none": None if changes.get("enemies") else "y", "note": ""}
    data.update(changes)
    return MultiDict([(k, v) for k, v in data.items() if v is not None])


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def error_beside(response, input_id: str) -> str:
    """Return the error shown beside an input, checking the input is described by it."""
    html = text_of(response)
    found = re.search(rf'<p class="field-error" id="{re.escape(input_id)}-error">(.*?)</p>', html, re.S)
    assert found, f"no error beside {input_id}"
    described = re.search(rf'aria-describedby="[^"]*\b{re.escape(input_id)}-error\b', html)
    assert described, f"the error beside {input_id} is not tied to it"
    return re.sub(r"<[^>]+>", "", found.group(1))


def versions(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(ItemVersion))


# --- writing ------------------------------------------------------------------------------------

def test_a_writer_saves_a_new_item_as_a_draft(client, auth, session, bank):
    auth.login("pat")
    response = client.post(f"{BANK}/items/new", data=item_form(note="First go"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{BANK}/items/q1.1-04")
    page = text_of(client.get(response.headers["Location"]))
    assert "Saved q1.1-04 as a draft (version 1)" in page
    assert "Submit version 1 for review" in page
    item = get_item(session, CODE, "q1.1-04")
    assert (item.status, item.current_version.created_by) == ("draft", "Pat")


@pytest.mark.parametrize("changes, input_id, words", [
    (dict(option_D=None), "option_D", "Option D is empty."),
    (dict(key=None), "key", "Key is empty."),
    (dict(enemies="q1.1-01, nobody-99"), "enemies", "Enemy 'nobody-99' is not in the bank."),
    (dict(stem=""), "stem", "Stem is empty."),
    (dict(stem="Why? " * 4000), "stem", "Stem is 19,999 characters long; at most 2,000 are allowed."),
    (dict(criterion="7.7"), "criterion", "Criterion '7.7' is not in blueprint 9999-01/101"),
])
def test_bad_input_gets_a_message_beside_its_field_and_stores_nothing(client, auth, session, bank,
                                                                     changes, input_id, words):
    auth.login("pat")
    before = versions(session)
    response = client.post(f"{BANK}/items/new", data=item_form(**changes))
    assert response.status_code == 400
    assert words in error_beside(response, input_id)
    assert "The item was not saved: 1 problem" in text_of(response)
    assert versions(session) == before


def test_two_keys_are_refused_beside_the_key(client, auth, session, bank):
    auth.login("pat")
    before = versions(session)
    data = item_form()
    data.add("key", "C")
    response = client.post(f"{BANK}/items/new", data=data)
    assert response.status_code == 400
    assert "2 were given (B, C)" in error_beside(response, "key")
    assert versions(session) == before


def test_what_the_writer_typed_is_kept_when_the_item_is_refused(client, auth, bank):
    auth.login("pat")
    response = client.post(f"{BANK}/items/new", data=item_form(stem="", option_C="Charlie's text"))
    assert "Charlie&#39;s text</textarea>" in response.get_data(as_text=True)


def test_an_edit_of_a_live_item_is_a_draft_version_and_needs_a_reason(client, auth, session, bank):
    auth.login("pat")
    item = get_item(session, CODE, "q1.2-01")
    form = item_form(criterion="1.2", stem="A better stem?", base_version=str(item.current_version_id))
    refused = client.post(f"{BANK}/items/q1.2-01/edit", data=form)
    assert "Say what changed and why" in error_beside(refused, "note")
    form["note"] = "Clearer stem"
    response = client.post(f"{BANK}/items/q1.2-01/edit", data=form)
    assert response.status_code == 302
    session.expire_all()
    item = get_item(session, CODE, "q1.2-01")
    assert (item.status, item.current_version.version, item.pending_version.version) == ("live", 1, 2)
    assert "The live version stays in papers until this one is approved" in text_of(
        client.get(f"{BANK}/items/q1.2-01"))


def test_a_save_over_a_newer_version_is_refused_showing_what_changed_and_keeping_the_text(
        client, auth, session, bank):
    auth.login("pat")
    item = get_item(session, CODE, "q2.1-01")
    opened = item.current_version
    robin = session.scalar(select(User).where(User.username == "robin"))
    workflow.save_version(session, item, criterion="2.1", author=robin, now=NOW, note="tweak",
                          base_version_id=opened.id,
                          content=replace(opened.content(), stem="Robin reworded this?"))
    session.commit()
    before = versions(session)
    response = client.post(f"{BANK}/items/q2.1-01/edit", data=item_form(
        criterion="2.1", stem="Pat's own wording?", base_version=str(opened.id), note="mine"))
    assert response.status_code == 409
    page = text_of(response)
    assert "saved version 2 of q2.1-01 since you opened it (at version 1)" in page
    assert re.search(r"<del>.*Question q2\.1-01: which option is right\?.*</del>", page, re.S)
    assert re.search(r"<ins>.*Robin reworded this\?.*</ins>", page, re.S)
    assert "Pat's own wording?</textarea>" in page
    assert versions(session) == before


# --- preview ------------------------------------------------------------------------------------

def test_the_preview_shows_the_candidates_question_without_key_or_rationale(client, auth, session, bank):
    auth.login("pat")
    response = client.get(f"{BANK}/items/q1.1-01/preview?order=stored&large-text=1&high-contrast=1")
    page = text_of(response)
    assert response.status_code == 200
    assert '<span class="question-number">Question 1 of 6</span>' in page
    assert re.search(r'<body class="[^"]*large-text[^"]*high-contrast', page)
    labels = re.findall(r'<label for="option-(\d)"><span class="letter" aria-hidden="true">(\w)</span> ([^<]+)</label>', page)
    assert labels == [("0", "A", "q1.1-01 option A"), ("1", "B", "q1.1-01 option B"),
                      ("2", "C", "q1.1-01 option C"), ("3", "D", "q1.1-01 option D")]
    assert "is right." not in page and "(key)" not in page


def test_the_shuffled_preview_changes_the_order_but_not_the_options(client, auth, bank):
    auth.login("pat")
    orders = set()
    for seed in range(1, 6):
        page = text_of(client.get(f"{BANK}/items/q1.1-01/preview?order=shuffled&seed={seed}"))
        orders.add(tuple(re.findall(r"q1\.1-01 option (\w)</label>", page)))
    assert len(orders) > 1 and all(sorted(order) == list("ABCD") for order in orders)


# --- review -------------------------------------------------------------------------------------

def drafted(session, author="pat", **content):
    user = session.scalar(select(User).where(User.username == author))
    item = workflow.create_draft(session, bank=CODE, criterion="1.1", author=user, now=NOW,
                                 content=factories.item_content(**content))
    workflow.submit(session, item, user, NOW, item.latest_version.id)
    session.commit()
    return item


def test_a_writer_cannot_approve_their_own_item(client, auth, session, bank):
    item = drafted(session, author="robin")
    auth.login("robin")
    page = text_of(client.get(f"{BANK}/items/{item.item_id}/review"))
    assert "another reviewer must approve it" in page and "Approve and make live" not in page
    response = client.post(f"{BANK}/items/{item.item_id}/review",
                           data={"version_id": item.latest_version.id, "approve": "1"})
    assert response.status_code == 403
    assert get_item(session, CODE, item.item_id).status == "in_review"


def test_a_return_without_a_comment_is_refused_beside_the_comment(client, auth, session, bank):
    item = drafted(session)
    auth.login("robin")
    response = client.post(f"{BANK}/items/{item.item_id}/review",
                           data={"version_id": item.latest_version.id, "send_back": "1",
                                 "comment": " "})
    assert response.status_code == 400
    assert "a return needs a comment" in error_beside(response, "comment")
    session.expire_all()
    assert get_item(session, CODE, item.item_id).status == "in_review"


def test_a_reviewer_returns_with_a_comment_the_writer_sees(client, auth, session, bank):
    item = drafted(session)
    auth.login("robin")
    client.post(f"{BANK}/items/{item.item_id}/review",
                data={"version_id": item.latest_version.id, "send_back": "1",
                      "comment": "Option C is arguable."})
    auth.logout()
    auth.login("pat")
    page = text_of(client.get(f"{BANK}/items/{item.item_id}"))
    assert "Returned by robin" in page and "Option C is arguable." in page


def test_retiring_an_item_the_blueprint_needs_is_refused_with_the_numbers(client, auth, session, bank):
    auth.login("robin")
    response = client.post(f"{BANK}/items/q2.2-03/retire", data={"reason": "Dated"})
    assert response.status_code == 409
    assert ("Retiring q2.2-03 would leave the bank short: criterion 2.2 would have 2 live items, "
            "below the blueprint's minimum of 3. Nothing was changed.") in text_of(response)
    assert get_item(session, CODE, "q2.2-03").status == "live"


def test_the_history_compares_two_versions_word_by_word(client, auth, session, bank):
    item = get_item(session, CODE, "q1.1-02")
    writer = session.scalar(select(User).where(User.username == "pat"))
    workflow.save_version(session, item, criterion="1.1", author=writer, now=NOW, note="shorter",
                          base_version_id=item.current_version_id,
                          content=replace(item.current_version.content(), stem="Which is right?"))
    session.commit()
    auth.login("pat")
    page = text_of(client.get(f"{BANK}/items/q1.1-02/history?from=1&to=2"))
    assert re.search(r"<del><span class=\"visually-hidden\">\[removed: </span>Question q1\.1-02: which option", page)
    assert re.search(r"<ins><span class=\"visually-hidden\">\[added: </span>Which", page)
    assert "shorter" in page


def test_the_enemy_lookup_finds_items_by_their_words(client, auth, bank):
    auth.login("pat")
    found = client.get(f"/api/bank/{CODE}/items?q=q2.1-02").json
    assert [i["id"] for i in found["items"]] == ["q2.1-02"]


def test_each_versions_statistics_are_the_tests_own_item_analysis(app, client, auth, session,
                                                                   bank):
    from quiz.itembank import history
    from quiz.itembank.service import get_blueprint
    from quiz.results.item_analysis import analyse_test
    from quiz.simulate import simulate
    centre = factories.make_centre(session)
    sitting = factories.make_sitting(session, CODE, centre)
    simulate(session, sitting, 40, seed=3)
    session.commit()
    item = get_item(session, CODE, "q1.1-01")
    mine = history.version_statistics(session, item)[item.current_version_id]
    with app.extensions["quiz.read_sessions"]() as reading:  # its cursor needs a transaction
        analysis, _ = analyse_test(reading, get_blueprint(reading, CODE))
    whole = next(s for s in analysis.items if s.item_id == "q1.1-01 v1")
    assert (mine.n, mine.facility, mine.point_biserial, mine.discrimination) == (
        whole.n, whole.facility, whole.point_biserial, whole.discrimination)
    auth.login("pat")
    page = text_of(client.get(f"{BANK}/items/q1.1-01"))
    assert f"<th scope=\"row\">1</th><td>{mine.n}</td>" in page


def test_item_pages_are_never_kept_in_a_browsers_cache(client, auth, bank):
    auth.login("pat")
    for path in (f"{BANK}/items", f"{BANK}/items/q1.1-01", f"{BANK}/items/q1.1-01/preview",
                 f"{BANK}/items/q1.1-01/history", f"/api/bank/{CODE}/items?q=q1"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
