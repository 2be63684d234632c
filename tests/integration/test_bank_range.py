"""Range coverage for item writers: the page and what loading stores, on SQLite and PostgreSQL."""
from dataclasses import replace

import pytest
from sqlalchemy import select

from quiz.itembank.models import BlueprintRecord, Item
from tests import factories


@pytest.fixture
def ranged(session):
    """A bank of 3 items per criterion over 2 Range points each, and an item writer."""
    blueprint = replace(factories.make_blueprint(questions=(3, 3), criteria_per_outcome=2),
                        minimum_live_per_range_point=2)
    items = factories.make_items(blueprint, per_criterion=3)
    # 2.2's first and third items, on its point-1, are drafts: that point has no live item.
    items = [replace(item, status="draft") if item.item_id in ("q2.2-01", "q2.2-03") else item
             for item in items]
    factories.load_bank(session, blueprint, items, range_list=factories.make_range(blueprint))
    factories.make_user(session, "wanda", role="item_writer")
    session.commit()
    return blueprint


def test_loading_stores_the_range_and_each_version_names_its_points(session, ranged):
    record = session.scalar(select(BlueprintRecord).where(BlueprintRecord.code == ranged.code))
    assert [p.id for p in record.range_list().points][:2] == ["1.1/topic/point-1",
                                                               "1.1/topic/point-2"]
    item = session.scalar(select(Item).where(Item.item_id == "q1.2-02"))
    assert item.current_version.range_ids == ["1.2/topic/point-2"]
    assert item.current_version.form == "label"


def test_retagging_an_item_makes_a_new_version(session, ranged):
    items = factories.make_items(ranged, per_criterion=3)
    items = [replace(i, content=replace(i.content, range_ids=("1.1/topic/point-2",)))
             if i.item_id == "q1.1-01" else i for i in items]
    report = factories.load_bank(session, ranged, items)
    session.commit()
    assert "q1.1-01" in report.new_versions
    item = session.scalar(select(Item).where(Item.item_id == "q1.1-01"))
    assert item.current_version.version == 2
    assert item.current_version.range_ids == ["1.1/topic/point-2"]


def test_the_range_page_shows_the_gaps_first_then_every_point(client, auth, ranged):
    auth.login("wanda")
    response = client.get(f"/bank/{ranged.code}/range")
    assert response.status_code == 200
    page = response.data.decode()
    gaps, everything = page.split("Every point, in handbook order")
    # Every point-2 has one live item; 2.2's point-1 has none, and two drafts being written.
    assert "Gaps: points below 2 live items (5)" in gaps
    order = [gaps.index(f"<code>{point}</code>") for point in (
        "2.2/topic/point-1", "1.1/topic/point-2", "1.2/topic/point-2", "2.1/topic/point-2",
        "2.2/topic/point-2")]
    assert order == sorted(order)  # no live item first, then handbook order
    assert gaps.count('<tr class="gap">') == 5
    assert ('href="/bank/9999-01/101/items/q2.2-01">q2.2-01</a>, '
            '<a href="/bank/9999-01/101/items/q2.2-03">q2.2-03</a>') in gaps
    for code in ("1.1", "1.2", "2.1", "2.2"):
        assert f'id="ac-{code}"' in everything
    assert 'href="/bank/9999-01/101/items/q1.1-01">q1.1-01</a>' in everything


def test_the_range_page_of_a_bank_loaded_without_a_range_says_so(client, auth, session, unranged):
    factories.make_user(session, "wanda", role="item_writer")
    session.commit()
    auth.login("wanda")
    page = client.get(f"/bank/{unranged.code}/range").data.decode()
    assert "was loaded without its Range points" in page


def test_the_bank_list_links_to_range_coverage(client, auth, ranged):
    auth.login("wanda")
    assert f'href="/bank/{ranged.code}/range"' in client.get("/bank/").data.decode()


@pytest.mark.parametrize("role", ["candidate", "invigilator", "results_officer"])
def test_only_item_writers_see_range_coverage(client, auth, session, ranged, role):
    factories.make_user(session, f"someone-{role}", role=role)
    session.commit()
    auth.login(f"someone-{role}")
    assert client.get(f"/bank/{ranged.code}/range").status_code == 403
