"""The `quiz` command line: the jobs people script (banks, papers, the database, the server)."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click

DEFAULT_BANKS = "item_banks"


@contextmanager
def app_session(commit: bool = True):
    """Yield a database session of a freshly made app (no scheduler), committing on success."""
    from quiz import create_app
    app = create_app({"QUIZ_SCHEDULER": False})
    _require_schema(app)
    sessions = app.extensions["quiz.sessions"]
    session = sessions()
    try:
        yield session
        if commit:
            session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        session.close()
        app.extensions["quiz.engine"].dispose()


def _require_schema(app) -> None:
    """Stop with a clear message unless the app's database is reachable and fully migrated."""
    from quiz.migrate import schema_problem
    problem = schema_problem(app.extensions["quiz.engine"])
    if problem:
        app.extensions["quiz.engine"].dispose()
        raise click.ClickException(problem)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main():
    """Deliver timed multiple-choice tests: banks, papers, the database and the server."""


# --- the database -------------------------------------------------------------------------------

@main.group()
def db():
    """Manage the database schema."""


@db.command("upgrade")
def db_upgrade():
    """Apply every migration to the database in QUIZ_DATABASE_URL."""
    from quiz import create_app
    from quiz.migrate import upgrade
    app = create_app({"QUIZ_SCHEDULER": False})
    upgrade(app.extensions["quiz.engine"])
    click.echo(f"database is up to date: {_safe_url(app.config['QUIZ_DATABASE_URL'])}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url
    return make_url(url).render_as_string(hide_password=True)


# --- banks --------------------------------------------------------------------------------------

@main.group()
def bank():
    """Check, load and inspect item banks."""


def _read_or_fail(path: str):
    from quiz.itembank.bankfile import read_banks
    banks = read_banks(Path(path))
    for problem in banks.problems:
        click.echo(str(problem), err=True)
    if not banks.ok:
        click.echo(f"{len(banks.problems)} problem(s) found; nothing was loaded.", err=True)
        sys.exit(1)
    return banks


@bank.command("validate")
@click.argument("path", default=DEFAULT_BANKS)
def bank_validate(path: str):
    """Check bank files and print FILE:LINE: problem for everything wrong."""
    banks = _read_or_fail(path)
    for code, items in banks.items.items():
        live = sum(1 for item in items if item.status == "live")
        click.echo(f"{code}: blueprint ok, {len(items)} items ({live} live)")


@bank.command("lint")
@click.argument("path", default=DEFAULT_BANKS)
def bank_lint(path: str):
    """Judge the quality of valid banks; exit non-zero if any error is found.

    After the findings, print the figures the rules judge: what length cues are worth to a
    test-wise candidate, and the share of each question form.
    """
    from quiz.itembank.figures import form_shares, longest_option_figures
    from quiz.itembank.lint import ERROR, LintThresholds, lint_bank
    banks = _read_or_fail(path)
    errors = 0
    thresholds = LintThresholds()
    for code, items in banks.items.items():
        blueprint = banks.blueprints[code]
        findings = lint_bank(blueprint, items, thresholds, banks.ranges.get(code))
        for finding in findings:
            click.echo(str(finding), err=finding.severity == ERROR)
        bank_errors = sum(1 for f in findings if f.severity == ERROR)
        errors += bank_errors
        live = [item for item in items if item.status == "live"]
        figures = longest_option_figures(live, thresholds.longest_key_significance)
        shares = form_shares(live, blueprint.minimum_decision_or_application_percent)
        for line in figures.lines() + shares.lines():
            click.echo(f"{code}: {line}")
        click.echo(f"{code}: {len(items)} items, {bank_errors} error(s), "
                   f"{len(findings) - bank_errors} warning(s)")
    if errors:
        sys.exit(1)


@bank.command("load")
@click.argument("path", default=DEFAULT_BANKS)
@click.option("--overwrite", is_flag=True,
              help="Replace items changed in the browser since the files were exported.")
def bank_load(path: str, overwrite: bool):
    """Load banks into the database: every file loads, or nothing changes."""
    from quiz.db import utcnow
    from quiz.itembank.service import LoadConflict, load_banks
    banks = _read_or_fail(path)
    try:
        with app_session() as session:
            report = load_banks(session, banks, utcnow(), overwrite=overwrite)
    except LoadConflict as err:
        raise click.ClickException(str(err))
    click.echo(f"loaded: {report.summary()}")


@bank.command("show")
@click.argument("blueprint")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (the only format for now).")
def bank_show(blueprint: str, as_json: bool):
    """Print every item of a bank from the database: id, version, status, tags, content, key."""
    from quiz.itembank.service import UnknownBlueprint, bank_listing
    with app_session(commit=False) as session:
        try:
            listing = bank_listing(session, blueprint)
        except UnknownBlueprint as err:
            raise click.ClickException(str(err))
    click.echo(json.dumps(listing, indent=2, ensure_ascii=False))


@bank.command("coverage")
@click.argument("blueprint")
@click.option("--range", "by_range", is_flag=True,
              help="Every Range point of the handbook with its live items, instead.")
@click.option("--json", "as_json", is_flag=True, help="Print the coverage as JSON.")
def bank_coverage(blueprint: str, by_range: bool, as_json: bool):
    """Print live items per outcome and criterion against what a paper draws (or per Range point)."""
    from quiz.itembank.coverage import coverage, render, render_range
    from quiz.itembank.service import (
        NoRangeList, UnknownBlueprint, get_blueprint, range_coverage_of, stored_items,
    )
    with app_session(commit=False) as session:
        try:
            record = get_blueprint(session, blueprint)
            if by_range:
                report = range_coverage_of(session, record)
            else:
                report = coverage(record.to_domain(), stored_items(session, record.code))
        except (UnknownBlueprint, NoRangeList) as err:
            raise click.ClickException(str(err))
    if by_range and not as_json:
        click.echo("\n".join(render_range(report)))
    elif as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo("\n".join(render(report)))


@bank.command("exposure")
@click.argument("blueprint")
@click.option("--papers", default=1000, show_default=True, type=click.IntRange(2, 20_000),
              help="How many papers to assemble (seeds 1..N, as `quiz paper --seed N`).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, with every item's uses.")
def bank_exposure(blueprint: str, papers: int, as_json: bool):
    """Assemble many papers and report how often each item is used and how much papers overlap."""
    from quiz.itembank.assembly import BankShortfall
    from quiz.itembank.exposure import exposure
    from quiz.itembank.service import UnknownBlueprint, get_blueprint, live_candidates
    with app_session(commit=False) as session:
        try:
            spec = get_blueprint(session, blueprint).to_domain()
            report = exposure(spec, live_candidates(session, spec.code), range(1, papers + 1))
        except (UnknownBlueprint, BankShortfall) as err:
            raise click.ClickException(str(err))
    data = report.to_dict()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    overall, overlap = data["items"], data["overlap"]
    click.echo(f"{spec.code}: {papers} papers of {report.questions} questions from "
               f"{overall['items']} live items (seeds 1-{papers})")
    click.echo(f"{'':<10}{'items':>6}{'min':>6}{'median':>8}{'max':>6}  max share of papers")
    for name, row in [("all", overall)] + [(f"AC{c}", r) for c, r in data["criteria"].items()]:
        click.echo(f"{name:<10}{row['items']:>6}{row['min']:>6}{row['median']:>8g}{row['max']:>6}"
                   f"  {row['max_rate']:.0%}")
    click.echo(f"items never used: {overall['never_used']}")
    click.echo(f"two papers share on average {overlap['mean']:.2f} of {report.questions} items "
               f"({overlap['mean'] / report.questions:.1%}); median {overlap['median']:g}, "
               f"most {overlap['max']}; pairs sharing half or more: "
               f"{overlap['pairs_sharing_half_or_more']:.2%}; identical pairs: "
               f"{overlap['identical_pairs']}")


def _mapping(values: tuple[str, ...]):
    """Read --map values: each 'TAG=CRITERION' or a file of such lines."""
    from quiz.itembank.formats import FormatError
    from quiz.itembank.formats.plan import TagMap
    lines = []
    for value in values:
        path = Path(value)
        if path.is_file():
            lines.append(path.read_text(encoding="utf-8"))
        elif "=" in value:
            lines.append(value)
        else:
            raise click.BadParameter(f"{value!r} is neither a file nor TAG=CRITERION", param_hint="--map")
    try:
        return TagMap.parse("\n".join(lines), "--map")
    except FormatError as err:
        raise click.BadParameter(str(err), param_hint="--map")


def _format_names(can: str) -> list[str]:
    from quiz.itembank import formats
    return [f.name for f in (formats.readers() if can == "read" else formats.writers())]


@bank.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--bank", "bank_code", required=True, help="The bank to import into, e.g. 2794-03/315.")
@click.option("--format", "format_name", type=click.Choice(_format_names("read")), default=None,
              help="The file's format; detected from its content when left out.")
@click.option("--map", "maps", multiple=True, metavar="TAG=CRITERION|FILE",
              help="Map a tag or category name to a criterion (repeatable), or name a file of "
                   "'tag = criterion' lines. Tags such as AC1.1 need no mapping.")
@click.option("--author", default=None, help="Username recorded as the drafts' author.")
@click.option("--dry-run", is_flag=True, help="Say what would be imported; change nothing.")
def bank_import(file: str, bank_code: str, format_name: str | None, maps: tuple[str, ...],
                author: str | None, dry_run: bool):
    """Import the questions of FILE into a bank as drafts, naming every one not imported and why."""
    from sqlalchemy import select
    from quiz.accounts.models import User
    from quiz.db import utcnow
    from quiz.itembank.exchange import import_file
    from quiz.itembank.formats import FormatError
    from quiz.itembank.formats.safety import check_size
    from quiz.itembank.service import UnknownBlueprint
    mapping = _mapping(maps)
    try:
        check_size(Path(file).stat().st_size)  # before reading a byte of it
    except FormatError as err:
        raise click.ClickException(f"{file}: {err}; nothing was imported")
    data = Path(file).read_bytes()
    with app_session(commit=not dry_run) as session:
        user = None
        if author:
            user = session.scalar(select(User).where(User.username == author))
            if user is None:
                raise click.ClickException(f"no user {author!r}")
        try:
            summary = import_file(session, bank=bank_code, data=data, filename=Path(file).name,
                                  format_name=format_name, mapping=mapping, author=user,
                                  now=utcnow(), dry_run=dry_run)
        except UnknownBlueprint as err:
            raise click.ClickException(str(err))
        except FormatError as err:
            raise click.ClickException(f"{file}: {err}; nothing was imported")
    for line in summary.lines():
        click.echo(line)


@bank.command("export")
@click.argument("blueprint")
@click.option("--format", "format_name", type=click.Choice(_format_names("write")), default="yaml",
              show_default=True,
              help="yaml writes bank files into a folder; qti3 and qti2 a content package (zip); "
                   "moodle, gift and csv one file.")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="yaml: the folder of banks to write into, e.g. item_banks (the bank goes in "
                   "QUALIFICATION/UNIT/ under it). Other formats: the file to write.")
@click.option("--status", "statuses", multiple=True,
              type=click.Choice(["draft", "in_review", "live", "retired"]),
              help="Export items with this status (repeatable; default live). Bank files (yaml) "
                   "always hold every item.")
def bank_export(blueprint: str, format_name: str, output: str, statuses: tuple[str, ...]):
    """Write a bank: as bank files (YAML), or for another tool (QTI 3.0 or 2.1, Moodle XML, GIFT, CSV)."""
    from quiz.db import utcnow
    from quiz.itembank.service import UnknownBlueprint
    if format_name == "yaml":
        from quiz.itembank.export import export_bank as export_files
        if statuses:
            raise click.UsageError("bank files (yaml) hold every item with its status; --status "
                                   "is for the other formats")
        with app_session() as session:
            try:
                report = export_files(session, blueprint, Path(output), utcnow())
            except UnknownBlueprint as err:
                raise click.ClickException(str(err))
        for line in report.lines():
            click.echo(line)
        return
    from quiz.itembank.exchange import export_bank
    with app_session() as session:
        try:
            export = export_bank(session, bank=blueprint, format_name=format_name, now=utcnow(),
                                 statuses=statuses or ("live",), via=f"command line: {output}")
        except UnknownBlueprint as err:
            raise click.ClickException(str(err))
        Path(output).write_bytes(export.data)
    click.echo(f"wrote {export.items} item(s) of {blueprint} to {output}")


# --- papers -------------------------------------------------------------------------------------

@main.command()
@click.argument("blueprint")
@click.option("--seed", type=int, required=True, help="The seed: the same seed gives the same paper.")
@click.option("--json", "as_json", is_flag=True, help="Print the paper as JSON.")
def paper(blueprint: str, seed: int, as_json: bool):
    """Assemble the paper a seed gives for BLUEPRINT (e.g. 2794-03/315) from the live items."""
    from quiz.itembank.assembly import BankShortfall, assemble
    from quiz.itembank.service import UnknownBlueprint, get_blueprint, live_candidates
    with app_session(commit=False) as session:
        try:
            record = get_blueprint(session, blueprint)
            spec = record.to_domain()
            result = assemble(spec, live_candidates(session, spec.code), seed)
        except (UnknownBlueprint, BankShortfall) as err:
            raise click.ClickException(str(err))
    data = {
        "blueprint": spec.code, "title": spec.title, "seed": result.seed,
        "duration_minutes": spec.duration_minutes, "pass_mark_percent": spec.pass_mark_percent,
        "questions": [
            {"position": i, "item_id": q.item_id, "item_version_id": q.version_id,
             "outcome": q.outcome, "criterion": q.criterion, "option_order": list(q.option_order)}
            for i, q in enumerate(result.questions, start=1)],
    }
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    click.echo(f"{spec.code} {spec.title}: seed {seed}, {len(result.questions)} questions, "
               f"{spec.duration_minutes} minutes")
    for q in data["questions"]:
        click.echo(f"{q['position']:>3}. {q['item_id']:<16} outcome {q['outcome']}  "
                   f"AC{q['criterion']:<5} options {''.join(q['option_order'])}")


# --- people and demo data -----------------------------------------------------------------------

@main.command()
@click.option("--banks", default=DEFAULT_BANKS, help="Where the item banks are.")
def demo(banks: str):
    """Create the demo centre, accounts, bank and open sitting (refreshing the sitting's window)."""
    from quiz.demo import prepare_demo
    from quiz.db import utcnow
    bank_set = _read_or_fail(banks)
    with app_session() as session:
        lines = prepare_demo(session, bank_set, utcnow())
    for line in lines:
        click.echo(line)


@main.group()
def user():
    """Manage accounts."""


@user.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(
    ["candidate", "invigilator", "item_writer", "results_officer", "admin"]))
@click.option("--name", "full_name", required=True)
@click.option("--centre", "centre_code", default=None, help="Centre code (candidates, invigilators).")
@click.option("--candidate-number", default=None)
@click.option("--can-review", is_flag=True,
              help="An item writer who may approve, return and retire others' items.")
@click.password_option()
def user_create(username, role, full_name, centre_code, candidate_number, can_review, password):
    """Create an account."""
    from sqlalchemy import select
    from quiz.accounts.models import Centre
    from quiz.accounts.service import create_user
    from quiz.db import utcnow
    with app_session() as session:
        centre = None
        if centre_code:
            centre = session.scalar(select(Centre).where(Centre.code == centre_code))
            if centre is None:
                raise click.ClickException(f"no centre with code {centre_code!r}")
        if can_review and role != "item_writer":
            raise click.ClickException("--can-review is for item writers (administrators may "
                                       "review anyway)")
        try:
            created = create_user(session, username=username, password=password,
                                  full_name=full_name, role=role, centre=centre,
                                  candidate_number=candidate_number, now=utcnow())
        except ValueError as err:
            raise click.ClickException(str(err))
        created.can_review = can_review
    click.echo(f"created {role} {username}" + (" (may review items)" if can_review else ""))


@user.command("reviewer")
@click.argument("username")
@click.option("--off", is_flag=True, help="Take the permission away instead.")
def user_reviewer(username: str, off: bool):
    """Let an item writer approve, return and retire others' items (or stop them, with --off)."""
    from sqlalchemy import select
    from quiz import audit
    from quiz.accounts.models import User
    from quiz.db import utcnow
    with app_session() as session:
        account = session.scalar(select(User).where(User.username == username))
        if account is None or account.role != "item_writer":
            raise click.ClickException(f"no item writer called {username!r}")
        account.can_review = not off
        audit.record(session, utcnow(), "reviewer_permission", None, user=username,
                     can_review=not off, via="command line")
    click.echo(f"{username} {'may no longer' if off else 'may now'} review items")


def _account(session, username: str):
    from sqlalchemy import func, select
    from quiz.accounts.models import User
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise click.ClickException(f"no account {username!r}")
    return user


@user.command("sign-out")
@click.argument("username")
def user_sign_out(username):
    """Sign an account out everywhere: every session it has must sign in again."""
    from quiz.accounts.service import end_sessions_of
    from quiz.db import utcnow
    with app_session() as session:
        end_sessions_of(session, _account(session, username), None, utcnow())
    click.echo(f"signed {username} out everywhere")


@user.command("password")
@click.argument("username")
@click.password_option(prompt="New password")
def user_password(username, password):
    """Set an account's password (a reset); every session it has ends."""
    from quiz import audit
    from quiz.accounts.service import SignInRefused, check_new_password
    from quiz.db import utcnow
    try:
        check_new_password(password)
    except SignInRefused as err:
        raise click.ClickException(str(err))
    with app_session() as session:
        account = _account(session, username)
        account.set_password(password)
        account.end_sessions()
        audit.record(session, utcnow(), "password_reset", None, account=account.username)
    click.echo(f"set a new password for {username}; every session of the account has ended")


# --- results ------------------------------------------------------------------------------------

@main.command()
@click.argument("sitting_id", type=int)
@click.option("--candidates", "count", type=int, default=300, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def simulate(sitting_id: int, count: int, seed: int):
    """Run simulated candidates of varied ability through an open sitting (start, answer, submit)."""
    from quiz.delivery.models import Sitting
    from quiz.simulate import simulate as run
    if count < 1:
        raise click.ClickException("--candidates must be at least 1")
    with app_session() as session:
        sitting = session.get(Sitting, sitting_id)
        if sitting is None:
            raise click.ClickException(f"no sitting {sitting_id}")
        try:
            ids = run(session, sitting, count, seed)
        except ValueError as err:
            raise click.ClickException(str(err))
    click.echo(f"simulated {len(ids)} candidates in sitting {sitting_id}")


@main.group()
def results():
    """Export results."""


@results.command("export")
@click.argument("sitting_id", type=int)
@click.option("--format", "kind", type=click.Choice(["csv", "xlsx", "responses"]), default="csv",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
def results_export(sitting_id: int, kind: str, output: str):
    """Write a sitting's results (csv, xlsx) or its responses (one row per question) to a file."""
    from quiz.db import utcnow
    from quiz.errors import NotFound
    from quiz.results import exports, service
    with app_session() as session:
        try:
            sitting = service.get_sitting(session, sitting_id)
        except NotFound as err:
            raise click.ClickException(str(err))
        download = exports.build(kind, f"sitting-{sitting_id}", sitting.blueprint.to_domain(),
                                 service.sitting_results(session, sitting),
                                 service.responses(session, sitting_id=sitting_id))
        mode = "w" if download.mimetype.startswith("text/") else "wb"
        with open(output, mode, **({"newline": "", "encoding": "utf-8"} if mode == "w" else {})) as out:
            for chunk in download.body:
                out.write(chunk)
        service.record_download(session, None, utcnow(), kind, sitting_id=sitting_id,
                                via="command line", file=output)
    click.echo(f"wrote {output}")


# --- running --------------------------------------------------------------------------------------

@main.command()
@click.argument("blueprint")
@click.option("--json", "as_json", is_flag=True, help="Print the analysis as JSON.")
@click.option("--send-flags", is_flag=True,
              help="Also mark flagged items as needing review, for the item writers.")
def analyse(blueprint: str, as_json: bool, send_flags: bool):
    """Analyse every submitted attempt at a test: item statistics, reliability and flags."""
    from quiz.db import utcnow
    from quiz.itembank.service import UnknownBlueprint, get_blueprint
    from quiz.results.item_analysis import analyse_test, send_flags_to_writers
    with app_session(commit=send_flags) as session:
        try:
            record = get_blueprint(session, blueprint)
        except UnknownBlueprint as err:
            raise click.ClickException(str(err))
        result, labels = analyse_test(session, record)
        changed = send_flags_to_writers(session, result, labels, utcnow()) if send_flags else None
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        t = result.test
        click.echo(f"{record.code}: {t.n} attempts, mean {_fig(t.mean)} / {t.max_score}, "
                   f"sd {_fig(t.sd)}, KR-20 {_fig(t.kr20)}, SEM {_fig(t.sem)}")
        for stats in result.items:
            figures = (f"facility {_fig(stats.facility)}  r {_fig(stats.point_biserial)}  "
                       f"D {_fig(stats.discrimination)}") if stats.enough_data else "not enough data"
            click.echo(f"  {stats.item_id:<18} n {stats.n:>6}  {figures}")
            for flag in stats.flags:
                click.echo(f"      {flag.code}: {flag.reason}")
    if changed is not None:
        click.echo(f"{changed} item(s) changed their review flag.", err=as_json)


def _fig(value) -> str:
    return "-" if value is None else f"{value:.2f}"


@main.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
def serve(host: str, port: int):
    """Serve the app with the built-in threaded server (for the demo; use gunicorn in production)."""
    from quiz import create_app
    app = create_app()
    _require_schema(app)
    click.echo(f"Serving on http://{host}:{port}/  (Ctrl+C to stop)")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.command()
def worker():
    """Run the background jobs (submitting expired attempts) in the foreground, for deployments."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from quiz import create_app
    from quiz.delivery.jobs import make_scheduler
    app = create_app({"QUIZ_SCHEDULER": False})
    _require_schema(app)
    click.echo(f"finalising expired attempts every {app.config['QUIZ_FINALISE_EVERY_SECONDS']}s")
    make_scheduler(app, BlockingScheduler).start()


if __name__ == "__main__":
    main()
