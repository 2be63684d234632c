"""A results officer with a deadline: results at a glance, the voided attempt, the item analysis."""
import csv
import itertools
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from e2e.conftest import sign_in
from quiz.db import utcnow
from quiz.invigilation import service as invigilation
from tests import factories

# The flags, most serious first, as the page names them.
SEVERITY = ("likely-miskey", "too-hard", "weak-discrimination", "too-easy", "unused-distractor")
FLAG_NAMES = {"likely-miskey": "Likely miskey", "too-hard": "Too hard",
              "weak-discrimination": "Weak discrimination", "too-easy": "Too easy",
              "unused-distractor": "Unused distractor"}


@pytest.fixture
def officer(db, world):
    """A results officer, and an invigilator who voided Alice's attempt for malpractice."""
    rita = factories.make_user(db, "rita", role="results_officer")
    ivy = factories.make_user(db, "ivy", role="invigilator", centre=world.centre)
    alices = factories.start(db, world.sitting, world.alice, now=utcnow() - timedelta(minutes=30))
    invigilation.void(db, alices, ivy, utcnow() - timedelta(minutes=20), "malpractice",
                      "phone in use")
    db.commit()
    world.rita, world.voided = rita, alices
    return world


def close(db, world):
    invigilation.close_sitting(db, world.sitting, world.rita, utcnow(), timedelta(seconds=2))
    db.commit()


def open_results(new_context, world):
    page = new_context().new_page()
    sign_in(page, "rita")
    page.get_by_role("link", name=world.sitting.title).click()
    return page


# --- 7. the results page ---------------------------------------------------------------------------

def test_the_results_page_uses_the_candidates_words_and_sets_the_voided_attempt_apart(new_context, db, officer, simulate_past):
    simulate_past(officer.sitting, 35, seed=3, start=utcnow() - timedelta(hours=2))
    close(db, officer)
    page = open_results(new_context, officer)

    voided = page.get_by_role("row").filter(has_text="Alice")
    expect(voided).to_contain_text("Voided")
    expect(voided).to_contain_text("Malpractice: phone in use")
    expect(voided).not_to_contain_text("Submitted")
    expect(page.locator("caption")).to_have_text("35 submitted attempts and 1 voided")

    results = page.locator("table.results tbody td:nth-child(6)").all_inner_texts()
    assert "Not yet passed" in results
    assert "Fail" not in results
    expect(page.get_by_text("Fail", exact=True)).to_have_count(0)

    tiles = page.locator("dl.stats")
    expect(tiles.get_by_text("Submitted", exact=True)).to_be_visible()
    expect(tiles.locator("div", has_text="Voided").locator("dd")).to_have_text("1")
    expect(tiles.locator("div", has_text="Mean").locator("dd")).to_have_text(re.compile(r"^\d+\.\d / 30"))
    expect(tiles.locator("div", has_text="Pass rate").locator("dd")).to_have_text(
        re.compile(r"^\d+% \(\d+ of 35\)$"))
    expect(page.get_by_role("img", name="Score distribution")).to_be_visible()
    desc = page.locator("#sitting-dist-desc").text_content()
    assert desc.startswith("Scores of 35 candidates")  # the voided attempt is not among them


# --- 10. the response-level export -----------------------------------------------------------------

def test_the_response_export_keeps_the_voided_attempt_marked_and_unscored(new_context, db, officer, simulate_past):
    simulate_past(officer.sitting, 3, seed=4, start=utcnow() - timedelta(hours=2))
    close(db, officer)
    page = open_results(new_context, officer)
    with page.expect_download() as download:
        page.get_by_role("link", name="responses, one row per question (CSV)").click()
    rows = list(csv.DictReader(open(download.value.path(), newline="", encoding="utf-8")))
    alices = [r for r in rows if r["candidate_number"] == "2001"]
    assert len(alices) == 30
    assert {(r["status"], r["scored"], r["correct"]) for r in alices} == {("voided", "0", "")}
    others = [r for r in rows if r["candidate_number"] != "2001"]
    assert len(others) == 90 and {r["status"] for r in others} == {"submitted"}
    assert {r["correct"] for r in others} <= {"0", "1"}


# --- 6. the item analysis --------------------------------------------------------------------------

def test_the_item_analysis_puts_the_worst_first_can_be_filtered_and_keeps_its_labels_apart(new_context, db, officer, simulate_past):
    simulate_past(officer.sitting, 200, seed=11, start=utcnow() - timedelta(hours=3))
    close(db, officer)
    page = open_results(new_context, officer)
    page.get_by_role("link", name="item analysis for 2794-03/315").click()
    expect(page.get_by_role("img", name="Item facility and discrimination")).to_be_visible()

    # A page a person can take in: a page of the most serious items, not all 140 at once.
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 9000, height
    first_flags = [page.locator("table.analysis tbody tr").nth(i).locator(".flag-badge").first
                   .inner_text() for i in range(page.locator("table.analysis tbody tr").count())]
    ranks = [[FLAG_NAMES[c] for c in SEVERITY].index(name) for name in first_flags]
    assert ranks == sorted(ranks), first_flags
    counts = {code: int(re.search(r"(\d+) item", page.locator("ul.flag-counts li").nth(i).inner_text())[1])
              for i, code in enumerate(SEVERITY)}
    most_serious = next(code for code in SEVERITY if counts[code])
    assert first_flags[0] == FLAG_NAMES[most_serious]

    # The item map: no two labels overlap, as the browser lays them out.
    boxes = page.evaluate("""() => Array.from(document.querySelectorAll(
        'svg[aria-labelledby^="itemmap"] g.labels text')).map(t => {
            const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })""")
    assert boxes
    clashes = [(a, b) for a, b in itertools.combinations(boxes, 2)
               if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert not clashes, clashes

    # Filter to one kind of flag and sort, by keyboard.
    page.get_by_label("Show", exact=True).select_option(value="unused-distractor")
    page.get_by_label("Sort by").select_option(label="Facility, lowest first")
    page.get_by_role("button", name="Show items").press("Enter")
    expect(page.locator("#items-shown")).to_contain_text(f"of {counts['unused-distractor']} item")
    rows = page.locator("table.analysis tbody tr")
    assert rows.count() == min(25, counts["unused-distractor"])
    for i in range(rows.count()):
        expect(rows.nth(i).locator(".flag-badge", has_text="Unused distractor")).to_have_count(1)
    facilities = [float(t) for t in page.locator("table.analysis tbody tr td:nth-child(4)").all_inner_texts()]
    assert facilities == sorted(facilities)
    if counts["unused-distractor"] > 25:
        page.get_by_role("link", name="Next page").click()
        expect(page.locator("#items-shown")).to_contain_text("page 2 of")
