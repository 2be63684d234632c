"""Files stay the record: export writes the stored bank as the files, and loads never lose browser work."""
import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quiz.db import utcnow
from quiz.itembank import workflow
from quiz.itembank.models import Item, ItemVersion
from quiz.itembank.service import get_blueprint, get_item
from tests import factories

REPO_BANKS = Path(__file__).resolve().parents[2] / "item_banks"
CODE = "2794-03/315"


def bank_files(root: Path) -> dict[str, bytes]:
    folder = root / "2794-03" / "315"
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in [folder / "blueprint.yaml", folder / "range.yaml",
                      *sorted((folder / "items").glob("*.yaml"))]}


@pytest.fixture
def loaded(cli):
    result = cli("bank", "load", REPO_BANKS)
    assert result.exit_code == 0, result.output


@pytest.fixture
def people(session):
    pat = factories.make_writer(session, "pat")
    robin = factories.make_writer(session, "robin", can_review=True)
    session.commit()
    return pat, robin


def new_content(session, criterion, **changes):
    """Return valid content for a new item of a criterion of the shipped bank: it names the
    criterion's first Range point in the shipped range.yaml."""
    first = get_blueprint(session, CODE).range_list().for_criterion(criterion)[0]
    return factories.item_content(range_ids=(first.id,), **changes)


def edit_and_approve(session, people, item_id="315-1.1-001", stem="Which is right, in brief?"):
    pat, robin = people
    item = get_item(session, CODE, item_id)
    live = item.current_version
    now = utcnow()  # after the export, which the command line dates by the real clock
    new = workflow.save_version(session, item, criterion=item.criterion, author=pat, now=now,
                                note="edited", base_version_id=live.id,
                                content=replace(live.content(), stem=stem))
    workflow.submit(session, item, pat, now, new.id)
    workflow.approve(session, item, robin, now, new.id)
    session.commit()
    return item


def test_exporting_the_shipped_bank_after_loading_it_gives_back_its_files_byte_for_byte(
        cli, loaded, tmp_path):
    result = cli("bank", "export", CODE, "-o", tmp_path)
    assert result.exit_code == 0, result.output
    assert bank_files(tmp_path) == bank_files(REPO_BANKS)


def count_items(session):
    return session.scalar(select(func.count()).select_from(Item))


def test_loading_an_exported_bank_reports_no_changes(cli, loaded, session, people, tmp_path):
    pat, _ = people
    edit_and_approve(session, people)
    workflow.create_draft(session, bank=CODE, criterion="2.3", author=pat, now=utcnow(),
                          content=new_content(session, "2.3"))
    session.commit()
    cli("bank", "export", CODE, "-o", tmp_path)
    result = cli("bank", "load", tmp_path)
    assert result.exit_code == 0, result.output
    shipped = count_items(session)  # every item, the new draft among them
    assert f"0 new item(s), 0 new version(s), 0 status or tag change(s), {shipped} unchanged" \
        in result.output


def test_export_order_is_stable_so_a_second_export_writes_nothing(cli, loaded, tmp_path):
    cli("bank", "export", CODE, "-o", tmp_path)
    again = cli("bank", "export", CODE, "-o", tmp_path)
    assert "0 file(s) written, 12 unchanged, 0 removed" in again.output


def test_an_item_written_in_the_browser_is_exported_with_its_criterion(cli, loaded, session,
                                                                        people, tmp_path):
    pat, _ = people
    item = workflow.create_draft(session, bank=CODE, criterion="2.3", author=pat, now=utcnow(),
                                 content=new_content(session, "2.3", stem="Which mentoring role fits?"))
    session.commit()
    cli("bank", "export", CODE, "-o", tmp_path)
    text = (tmp_path / "2794-03" / "315" / "items" / "2.3-mentoring-roles-process.yaml").read_text()
    assert f"  - id: {item.item_id}\n    criterion: \"2.3\"\n    status: draft\n" in text
    assert "    stem: >-\n      Which mentoring role fits?\n" in text


def test_a_load_that_would_overwrite_browser_changes_names_them_and_changes_nothing(
        cli, loaded, session, people, tmp_path):
    cli("bank", "export", CODE, "-o", tmp_path)
    edit_and_approve(session, people)
    versions = session.scalar(select(func.count()).select_from(ItemVersion))

    refused = cli("bank", "load", tmp_path)
    assert refused.exit_code == 1
    assert "1 item(s) were changed in the app after these bank files were exported" in refused.output
    assert re.search(r"315-1\.1-001 \(version 2, live, changed by robin at [\d-]+ [\d:]+ UTC\)",
                     refused.output)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(ItemVersion)) == versions
    assert get_item(session, CODE, "315-1.1-001").current_version.stem == "Which is right, in brief?"

    forced = cli("bank", "load", tmp_path, "--overwrite")
    assert forced.exit_code == 0, forced.output
    session.expire_all()
    restored = get_item(session, CODE, "315-1.1-001").current_version
    assert restored.version == 3 and restored.stem.startswith("Priya has answered billing queries")


def test_files_changed_elsewhere_load_as_new_versions_beside_new_browser_drafts(
        cli, loaded, session, people, tmp_path):
    pat, _ = people
    cli("bank", "export", CODE, "-o", tmp_path)
    workflow.create_draft(session, bank=CODE, criterion="1.1", author=pat, now=utcnow(),
                          content=new_content(session, "1.1"))  # not in the files: left alone
    session.commit()
    path = tmp_path / "2794-03" / "315" / "items" / "1.1-purpose-of-coaching.yaml"
    path.write_text(path.read_text().replace("Priya has answered", "Priya has handled"))
    result = cli("bank", "load", tmp_path)
    assert result.exit_code == 0, result.output
    others = count_items(session) - 2  # all but the edited item and the browser's draft
    assert f"0 new item(s), 1 new version(s), 0 status or tag change(s), {others} unchanged" \
        in result.output


def test_an_export_made_after_the_change_does_not_vouch_for_older_files(cli, loaded, session,
                                                                       people, tmp_path):
    cli("bank", "export", CODE, "-o", tmp_path / "older")
    edit_and_approve(session, people)
    cli("bank", "export", CODE, "-o", tmp_path / "a-look-thrown-away")
    assert cli("bank", "load", tmp_path / "older").exit_code == 1
    assert cli("bank", "load", REPO_BANKS).exit_code == 1  # never exported: vouches for nothing


def test_the_export_pages_bank_files_download_holds_the_files_quiz_bank_export_writes(
        cli, loaded, client, auth, session, tmp_path):
    factories.make_user(session, "wendy", role="item_writer")
    session.commit()
    auth.login("wendy")
    download = client.post(f"/bank/{CODE}/export/download", data={
        "format": "yaml", "status": ["live", "in_review", "draft", "retired"]})
    assert download.status_code == 200
    zipfile.ZipFile(io.BytesIO(download.data)).extractall(tmp_path / "web")
    cli("bank", "export", CODE, "-o", tmp_path / "command")
    assert bank_files(tmp_path / "web") == bank_files(tmp_path / "command")


def test_the_export_pages_bank_files_hold_every_status_with_the_pages_default_choice_as_the_command_does(
        cli, loaded, client, auth, session, people, tmp_path):
    pat, _ = people
    workflow.create_draft(session, bank=CODE, criterion="1.1", author=pat, now=utcnow(),
                          content=new_content(session, "1.1"))  # a draft: not live
    factories.make_user(session, "wendy", role="item_writer")
    session.commit()
    auth.login("wendy")
    download = client.post(f"/bank/{CODE}/export/download", data={
        "format": "yaml", "status": ["live"]})  # as the page comes, live ticked
    assert download.status_code == 200
    zipfile.ZipFile(io.BytesIO(download.data)).extractall(tmp_path / "web")
    cli("bank", "export", CODE, "-o", tmp_path / "command")
    assert bank_files(tmp_path / "web") == bank_files(tmp_path / "command")
