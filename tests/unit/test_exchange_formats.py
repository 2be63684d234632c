"""Every exchange format: the samples read as their documentation says, and the shipped bank
survives a trip out and back in each format."""
from pathlib import Path

import pytest

from quiz.itembank import formats
from quiz.itembank.bankfile import read_banks
from quiz.itembank.formats import FormatError
from tests.exchange_files import sample

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shipped():
    banks = read_banks(REPO / "item_banks")
    assert banks.ok, banks.problems
    blueprint = banks.blueprints["2794-03/315"]
    return blueprint, [formats.from_bank_item(i) for i in banks.items[blueprint.code]]


def _essence(item):
    return (item.stem, item.options, item.key, item.rationale)


@pytest.mark.parametrize("name", [f.name for f in formats.writers() if f.can_read])
def test_shipped_bank_comes_back_the_same_from_each_format(shipped, name):
    blueprint, items = shipped
    data = formats.get(name).write(items, blueprint)
    detected, result = formats.read(data)
    assert detected.name == name
    assert not result.skipped
    back = {i.ref: i for i in result.items}
    assert set(back) == {i.ref for i in items}
    for item in items:
        assert _essence(back[item.ref]) == _essence(item), item.ref
        assert back[item.ref].difficulty == item.difficulty
        assert (back[item.ref].range, back[item.ref].form) == (item.range, item.form), item.ref
        assert not back[item.ref].notes


def test_every_format_has_a_name_title_and_is_found_by_detection_alone():
    assert {"qti3", "qti2", "moodle", "gift", "csv", "xlsx"} <= set(formats.FORMATS)
    assert [f.name for f in formats.writers()] == ["yaml", "qti3", "qti2", "moodle", "gift", "csv"]


def test_moodle_sample_imports_single_answer_multichoice_and_names_every_other_question():
    fmt, result = formats.read(sample("moodle_coaching.xml"))
    assert fmt.name == "moodle"
    assert [i.ref for i in result.items] == ["MDL-COACH-01", "GROW model", "Mentor's role"]
    first = result.items[0]
    assert first.stem == ("A team leader offers an adviser coaching after a dip in call quality.\n"
                          "What is the main purpose of the coaching?")
    assert first.options["A"] == "To discipline the adviser & record it"
    assert first.options["B"] == "To improve the adviser's performance"
    assert first.options["D"] == "To pass on the team leader\u2019s own experience"
    assert first.key == "B"
    assert first.category == ("Coaching and mentoring", "Outcome 1 coaching",
                              "AC1.1 Purpose of coaching")
    assert "stem: formatting not kept (<strong>); imported as plain text" in first.notes
    assert result.items[1].tags == ("AC1.2", "models")
    reasons = {s.ref: s.reason for s in result.skipped}
    assert reasons == {
        "Coaching diagram": "holds 1 embedded file(s) (cycle.png): media is not supported",
        "Benefits of coaching (choose two)": "allows several answers (a multiple-answer "
                                             "question), which is not supported",
        "Coaching is directive": "is a true/false question; only multiple choice with one right "
                                 "answer can be imported",
        "Mentoring three options": "has 3 answers; items need exactly four",
        "Name a mentoring model": "is a short-answer question; only multiple choice with one "
                                  "right answer can be imported",
        "Section B instructions": "is a description, not a question",
        "Mentoring partial credit": "gives partial credit (50%), which is not supported: one "
                                    "answer must be worth 100% and the others 0",
    }


def test_gift_sample_reads_comments_escapes_titles_and_categories():
    fmt, result = formats.read(sample("coaching.gift.txt"))
    assert fmt.name == "gift"
    by_ref = {i.ref: i for i in result.items}
    benefit = by_ref["GIFT-BEN-01"]
    assert benefit.key == "B" and benefit.difficulty == "easy" and benefit.tags == ("coaching",)
    assert benefit.rationale == "Coaching improves performance and helps keep staff."
    assert benefit.category == ("Coaching and mentoring", "AC1.4 Benefits and challenges")
    assert "feedback on each answer is not kept" in benefit.notes
    escapes = by_ref["Escapes: ratios"]
    assert escapes.stem == ('In a coaching log, the note reads "score = 3/5 {draft}". Which '
                            "ratio ~ roughly # is that?")
    assert escapes.options == {"A": "3:5", "B": "5:3", "C": "1:3", "D": "3:1"}
    assert by_ref["Missing word"].stem == "Coaching is usually _____ in style."
    untitled = next(i for i in result.items if i.tags == ("AC1.4",))
    assert untitled.stem == "Which is a challenge of coaching?" and untitled.key == "C"
    assert {s.ref for s in result.skipped} == {"True or false", "Short answer", "Matching",
                                               "Numeric", "Essay", "Multiple answers",
                                               "Five options"}


def test_qti3_package_reads_manifest_metadata_prompts_and_rubrics_and_skips_the_rest():
    fmt, result = formats.read(sample("qti3_package"))
    assert fmt.name == "qti3"
    by_ref = {i.ref: i for i in result.items}
    assert set(by_ref) == {"purpose", "skills"}
    assert by_ref["purpose"].stem == ("A contact centre adviser's call times are well above "
                                      "target.\nWhat is the main purpose of offering the "
                                      "adviser coaching?")
    assert by_ref["purpose"].key == "B" and by_ref["purpose"].difficulty == "easy"
    assert "AC1.1" in by_ref["purpose"].tags
    assert by_ref["skills"].options["C"] == "Questioning"  # inline feedback left out
    assert by_ref["skills"].rationale == "Open questions help the coachee find their own answers."
    assert "AC1.5" in by_ref["skills"].tags
    reasons = {s.ref: s.reason for s in result.skipped}
    assert reasons["diagram"] == ("stem holds an image (../images/cycle.png): media is not "
                                  "supported")
    assert "textEntryInteraction" in reasons["listening"]
    assert "multiple-answer" in reasons["qualities"]
    assert reasons["five"] == "has 5 options; items need exactly four"
    assert any("selection, ordering and time limits" in n for n in result.notes)


def test_qti21_package_reads_items_of_21_and_22_and_section_titles_as_tags():
    fmt, result = formats.read(sample("qti21_package"))
    assert fmt.name == "qti2"
    by_ref = {i.ref: i for i in result.items}
    assert by_ref["mentee"].key == "C" and "AC2.3 Roles in mentoring" in by_ref["mentee"].tags
    assert "feedback is not kept" in by_ref["mentee"].notes
    assert by_ref["sponsor"].stem == "In sponsorship mentoring, the mentor is usually:"
    assert [s.ref for s in result.skipped] == ["logo"]
    assert "an embedded object (../images/logo-a.svg)" in result.skipped[0].reason


def test_a_single_qti_item_file_is_read_without_a_package():
    data = (Path(__file__).resolve().parents[1] / "samples/exchange/qti21_package/items/sponsor.xml").read_bytes()
    fmt, result = formats.read(data)
    assert fmt.name == "qti2" and [i.ref for i in result.items] == ["sponsor"]


def test_csv_sample_reads_columns_in_any_case_and_reports_bad_rows():
    fmt, result = formats.read(sample("items.csv"))
    assert fmt.name == "csv"
    by_ref = {i.ref: i for i in result.items}
    assert by_ref["CSV-1"].criterion == "1.1" and by_ref["CSV-1"].tags == ("coaching", "purpose")
    assert by_ref["CSV-2"].criterion == "2.2"
    assert by_ref["CSV-5"].stem.startswith("=1+1")  # the apostrophe guard is taken off
    assert [str(s) for s in result.skipped] == ["row 4 (CSV-3): key 'E' must be one of A, B, C, D"]


def test_xlsx_rows_read_like_csv_rows():
    import io
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(["Stem", "Option A", "Option B", "Option C", "Option D", "Key", "Criterion"])
    sheet.append(["Which is a coaching model?", "GROW", "SWOT", "PEST", "RACI", "A", 1.2])
    buffer = io.BytesIO()
    book.save(buffer)
    fmt, result = formats.read(buffer.getvalue())
    assert fmt.name == "xlsx"
    assert result.items[0].options["A"] == "GROW" and result.items[0].criterion == "1.2"


def test_a_file_in_no_format_we_read_gets_a_clear_error():
    with pytest.raises(FormatError, match="neither GIFT .* nor CSV"):
        formats.read(b"just some notes\nabout coaching\n")
    with pytest.raises(FormatError, match="root element is <html>"):
        formats.read(b"<html><body>hello</body></html>")


def test_a_given_format_that_does_not_fit_the_file_says_what_is_missing():
    with pytest.raises(FormatError, match="no stem, option_a"):
        formats.read(b"question,answer\nWhy?,Because\n", "csv")
    with pytest.raises(FormatError, match="starts with <quiz>"):
        formats.read(sample("qti21_package/items/sponsor.xml"), "moodle")


def test_qti_1_files_and_packages_are_named_and_the_way_out_given():
    from tests.exchange_files import zip_files
    with pytest.raises(FormatError, match="QTI 1.x file; QTI 1.2 .* export QTI 2.1 or 3.0"):
        formats.read(b'<?xml version="1.0"?><questestinterop><assessment ident="a"/></questestinterop>')
    manifest = (b'<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"><resources>'
                b'<resource identifier="r" type="imsqti_xmlv1p2" href="q.xml"/></resources></manifest>')
    with pytest.raises(FormatError, match="this package holds QTI 1.x"):
        formats.read(zip_files({"imsmanifest.xml": manifest, "q.xml": b"<questestinterop/>"}))
    with pytest.raises(FormatError, match="imsmanifest.xml on its own"):
        formats.read(manifest)


def test_the_bank_files_download_unzips_into_a_bank_that_loads_the_same(shipped, tmp_path):
    import zipfile, io
    blueprint, items = shipped
    originals = read_banks(REPO / "item_banks")
    data = formats.get("yaml").write(items, blueprint, originals.ranges[blueprint.code])
    zipfile.ZipFile(io.BytesIO(data)).extractall(tmp_path)
    banks = read_banks(tmp_path)
    assert banks.ok, banks.problems
    assert banks.ranges[blueprint.code] == originals.ranges[blueprint.code]
    back = {i.item_id: i for i in banks.items[blueprint.code]}
    original = originals.items[blueprint.code]
    assert {i.item_id: (i.content, i.criterion, i.status) for i in original} == \
        {k: (v.content, v.criterion, v.status) for k, v in back.items()}
