"""Finding items: words and filters find the right items, a page at a time, in a fixed number of
queries however many items the bank holds."""
import re
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import event

from quiz.itembank import workflow
from quiz.itembank.finder import Filters, find_items
from quiz.itembank.service import get_item
from tests import factories

CODE = "9999-01/101"
NOW = factories.MORNING


def bank_of(session, per_criterion):
    blueprint = factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2)
    factories.load_bank(session, blueprint, factories.make_items(blueprint, per_criterion))
    session.commit()


@contextmanager
def counting(app):
    """Count the SQL statements the app runs inside the block."""
    statements = []
    engine = app.extensions["quiz.engine"]

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def listed(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>',
                      response.get_data(as_text=True))


def test_the_item_list_runs_the_same_few_queries_for_a_bank_ten_times_the_size(app, client, auth,
                                                                              session):
    factories.make_writer(session, "pat")
    bank_of(session, per_criterion=10)
    auth.login("pat")
    search = f"/bank/{CODE}/items?q=which+option&status=live&outcome=1"
    with counting(app) as small:
        assert client.get(search).status_code == 200
    bank_of(session, per_criterion=100)  # 400 items: a load adds the new ones
    with counting(app) as large:
        response = client.get(search)
    assert len(listed(response)) == 50  # a page
    assert len(large) == len(small) <= 10, large


@pytest.fixture
def bank(session):
    bank_of(session, per_criterion=3)
    pat = factories.make_writer(session, "pat")
    robin = factories.make_writer(session, "robin", can_review=True)
    item = get_item(session, CODE, "q2.2-02")
    live = item.current_version
    workflow.save_version(session, item, criterion="2.2", author=pat, now=NOW + timedelta(days=2),
                          base_version_id=live.id, note="Clearer",
                          content=replace(live.content(), stem="Which coaching model fits?"))
    workflow.submit(session, item, pat, NOW + timedelta(days=2), item.latest_version.id)
    get_item(session, CODE, "q1.1-03").needs_review = "facility 0.95 is above 0.90"
    session.commit()
    return pat, robin


def found(session, **filters):
    return [i.item_id for i in find_items(session, CODE, Filters(**filters)).items]


def test_words_match_the_current_and_pending_text_case_blind(session, bank):
    assert found(session, text="COACHING model") == ["q2.2-02"]
    assert found(session, text="q1.2-01 option") == ["q1.2-01"]


def test_filters_by_outcome_criterion_status_flag_author_and_date(session, bank):
    pat, _ = bank
    assert found(session, outcome=2, criterion="2.1") == ["q2.1-01", "q2.1-02", "q2.1-03"]
    assert found(session, status="in_review") == ["q2.2-02"]  # its new version is in review
    assert found(session, review=True) == ["q1.1-03"]
    assert found(session, author_id=pat.id) == ["q2.2-02"]
    assert found(session, changed_since=NOW + timedelta(days=1)) == ["q2.2-02"]


def test_wildcards_in_the_words_are_plain_text(session, bank):
    assert found(session, text="%") == [] and found(session, text="_") == []


def test_pages_split_the_matches(session, bank):
    first = find_items(session, CODE, Filters(), page=1, per_page=5)
    last = find_items(session, CODE, Filters(), page=99, per_page=5)
    assert (first.total, first.pages, len(first.items)) == (12, 3, 5)
    assert (last.number, len(last.items)) == (3, 2)


def test_the_list_page_shows_the_filters_and_the_pending_version(client, auth, bank):
    auth.login("pat")
    page = client.get(f"/bank/{CODE}/items?status=in_review").get_data(as_text=True)
    assert listed_ids(page) == ["q2.2-02"]
    assert "version 2 in review" in page


def listed_ids(html):
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', html)
