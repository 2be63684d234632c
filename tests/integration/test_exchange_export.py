"""Exporting a bank: the QTI 3.0 package's shape, an independent converter accepting it, and the
export page's download."""
import io
import re
import zipfile
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from sqlalchemy import select

from quiz.audit import AuditEvent
from quiz.itembank import formats
from quiz.itembank.bankfile import read_banks
from quiz.itembank.service import load_banks
from tests import factories

REPO = Path(__file__).resolve().parents[2]
QTI3 = "{http://www.imsglobal.org/xsd/imsqtiasi_v3p0}"
CP3 = "{http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1}"
LOM = "{http://ltsc.ieee.org/xsd/LOM}"


@pytest.fixture
def shipped(session):
    """The shipped 2794-03/315 bank, loaded as `quiz bank load` does."""
    banks = read_banks(REPO / "item_banks")
    load_banks(session, banks, factories.MORNING)
    session.commit()
    return banks.blueprints["2794-03/315"], banks.items["2794-03/315"]


@pytest.fixture
def package(cli, shipped, tmp_path):
    out = tmp_path / "bank-qti3.zip"
    result = cli("bank", "export", "2794-03/315", "--format", "qti3", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {len(shipped[1])} item(s) of 2794-03/315" in result.output
    return zipfile.ZipFile(out)


def test_the_qti3_manifest_declares_every_item_and_the_test(package, shipped):
    manifest = fromstring(package.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP3}manifest"
    resources = manifest.findall(f"{CP3}resources/{CP3}resource")
    kinds = [r.get("type") for r in resources]
    assert kinds.count("imsqti_test_xmlv3p0") == 1
    assert kinds.count("imsqti_item_xmlv3p0") == len(shipped[1])
    for resource in resources:
        assert resource.get("href") in package.namelist()


def test_each_qti3_item_is_a_single_choice_with_its_key_and_match_correct(package, shipped):
    by_id = {i.item_id: i for i in shipped[1]}
    item = fromstring(package.read("items/315-1.2-001.xml"))
    assert item.tag == f"{QTI3}qti-assessment-item"
    declaration = item.find(f"{QTI3}qti-response-declaration")
    assert (declaration.get("cardinality"), declaration.get("base-type")) == ("single", "identifier")
    correct = declaration.find(f"{QTI3}qti-correct-response/{QTI3}qti-value").text
    assert correct == by_id["315-1.2-001"].content.key
    interaction = item.find(f"{QTI3}qti-item-body/{QTI3}qti-choice-interaction")
    assert (interaction.get("shuffle"), interaction.get("max-choices")) == ("true", "1")
    choices = interaction.findall(f"{QTI3}qti-simple-choice")
    assert {c.get("identifier"): c.text for c in choices} == by_id["315-1.2-001"].content.options
    assert item.find(f"{QTI3}qti-response-processing").get("template") == \
        "https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml"


def test_the_qti3_test_has_a_section_per_outcome_drawing_its_questions_in_45_minutes(package, shipped):
    test = fromstring(package.read("assessment.xml"))
    assert test.tag == f"{QTI3}qti-assessment-test"
    assert test.find(f"{QTI3}qti-time-limits").get("max-time") == "2700"
    sections = test.findall(f"{QTI3}qti-test-part/{QTI3}qti-assessment-section")
    assert [s.get("identifier") for s in sections] == ["outcome-1", "outcome-2"]
    for number, section in enumerate(sections, start=1):
        assert section.find(f"{QTI3}qti-selection").get("select") == "15"
        assert section.find(f"{QTI3}qti-ordering").get("shuffle") == "true"
        refs = section.findall(f"{QTI3}qti-assessment-item-ref")
        assert len(refs) == sum(1 for i in shipped[1] if i.outcome == number)


def test_outcome_and_criterion_travel_as_metadata(package):
    manifest = fromstring(package.read("imsmanifest.xml"))
    resource = next(r for r in manifest.iter(f"{CP3}resource")
                    if r.get("href") == "items/315-2.4-003.xml")
    taxa = [t.findtext(f"{LOM}id") for t in resource.iter(f"{LOM}taxon")]
    assert taxa == ["outcome-2", "AC2.4"]
    entries = [t.findtext(f"{LOM}entry/{LOM}string") for t in resource.iter(f"{LOM}taxon")]
    assert entries == ["understand the principles and process of mentoring in the workplace",
                       "Describe the benefits and challenges of mentoring"]


def test_an_independent_converter_turns_our_qti3_into_qti21_that_our_reader_reads(cli, shipped, tmp_path):
    from qti_convert import downgrade_package
    out = tmp_path / "bank.zip"
    cli("bank", "export", "2794-03/315", "--format", "qti3", "-o", out)
    converted = downgrade_package(str(out))
    assert converted.warnings == []
    qti21 = io.BytesIO()
    with zipfile.ZipFile(qti21, "w") as archive:
        for name, content in converted.files.items():
            archive.writestr(name, content)
    fmt, result = formats.read(qti21.getvalue())
    assert fmt.name == "qti2" and not result.skipped
    back = {i.ref: i for i in result.items}
    for item in shipped[1]:
        got = back[item.item_id]
        assert (got.stem, got.options, got.key) == (item.content.stem, item.content.options,
                                                    item.content.key)
        assert f"AC{item.criterion}" in got.tags and got.outcome == item.outcome


@pytest.mark.parametrize("name", ["qti2", "moodle", "gift", "csv"])
def test_each_export_format_writes_a_file_its_reader_takes(cli, shipped, tmp_path, name):
    out = tmp_path / f"bank.{name}"
    assert cli("bank", "export", "2794-03/315", "--format", name, "-o", out).exit_code == 0
    fmt, result = formats.read(out.read_bytes())
    assert fmt.name == name and len(result.items) == len(shipped[1])


def test_only_live_items_are_exported_unless_other_statuses_are_asked_for(cli, session, tmp_path):
    blueprint = factories.make_blueprint()
    items = factories.make_items(blueprint, per_criterion=1)
    drafts = factories.make_items(blueprint, per_criterion=1, status="draft")
    drafts = [d.__class__(**{**d.__dict__, "item_id": d.item_id + "-draft"}) for d in drafts]
    factories.load_bank(session, blueprint, items + drafts)
    session.commit()
    out = tmp_path / "bank.csv"
    cli("bank", "export", blueprint.code, "--format", "csv", "-o", out)
    assert len(formats.read(out.read_bytes())[1].items) == len(items)
    cli("bank", "export", blueprint.code, "--format", "csv", "-o", out, "--status", "live",
        "--status", "draft")
    assert len(formats.read(out.read_bytes())[1].items) == len(items) + len(drafts)


def test_export_of_an_unknown_bank_says_which_banks_there_are(cli, shipped, tmp_path):
    result = cli("bank", "export", "9999-99/999", "--format", "gift", "-o", tmp_path / "x")
    assert result.exit_code == 1 and "known: 2794-03/315" in result.output


@pytest.fixture
def writer(session, auth):
    factories.make_user(session, "wendy", role="item_writer")
    session.commit()
    auth.login("wendy")


def test_the_export_page_offers_every_format_and_the_download_is_recorded(client, writer, shipped, session):
    page = client.get("/bank/2794-03/315/export")
    assert page.status_code == 200
    for fmt in formats.writers():
        assert fmt.title in page.get_data(as_text=True)
    response = client.post("/bank/2794-03/315/export/download",
                           data={"format": "moodle", "status": "live"})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="2794-03-315-moodle.xml"'
    assert len(formats.read(response.data)[1].items) == len(shipped[1])
    session.expire_all()
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "bank_export"))
    assert event.actor == "wendy" and event.detail["format"] == "moodle"
    assert event.detail["items"] == len(shipped[1])


def test_an_unknown_export_format_is_refused(client, writer, shipped):
    response = client.post("/bank/2794-03/315/export/download", data={"format": "pdf"})
    assert response.status_code == 400


def exports_recorded(session) -> int:
    session.expire_all()
    return len(session.scalars(select(AuditEvent).where(AuditEvent.action == "bank_export")).all())


def test_following_a_link_to_the_download_sends_nothing_and_records_nothing(client, writer, shipped,
                                                                           session):
    # A prefetcher or a mail scanner follows links: only the export page's form downloads.
    response = client.get("/bank/2794-03/315/export/download?format=moodle&status=live")
    assert response.status_code == 405
    assert exports_recorded(session) == 0


def test_the_download_needs_the_export_pages_csrf_token(app, client, writer, shipped, session):
    app.config["WTF_CSRF_ENABLED"] = True
    url = "/bank/2794-03/315/export/download"
    forged = client.post(url, data={"format": "csv", "status": "live"})
    assert forged.status_code == 400 and exports_recorded(session) == 0
    page = client.get("/bank/2794-03/315/export").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(url, data={"format": "csv", "status": "live", "csrf_token": token})
    assert response.status_code == 200 and exports_recorded(session) == 1


@pytest.mark.parametrize("role", ["candidate", "invigilator", "results_officer"])
def test_only_item_writers_reach_the_exchange_pages(client, auth, session, shipped, role):
    factories.make_user(session, f"someone-{role}", role=role)
    session.commit()
    auth.login(f"someone-{role}")
    for path in ("/bank/2794-03/315/export", "/bank/2794-03/315/import"):
        assert client.get(path).status_code == 403, path
    assert client.post("/bank/2794-03/315/export/download",
                       data={"format": "csv"}).status_code == 403
