"""Time finding items in a bank of 2,000: the item writers' list page, its filters and its words.

Builds a throwaway SQLite database holding the 2794-03/315 blueprint and `--items` items spread
over its ten criteria (loaded the way `quiz bank load` loads them, each with a second version for
one in ten, as a bank in use has), then times find_items() for typical searches and the whole
list page through the app. Prints the median of `--repeat` runs of each, and how many SQL
statements the page ran. Timings on a shared machine are noisy: compare medians.

    .venv/bin/python -m bench.bench_bank_search [--items 2000] [--repeat 7] [--database URL]
"""
from __future__ import annotations

import argparse
import tempfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event

from bench.bench_analysis import median_time
from quiz import create_app
from quiz.accounts.service import create_user
from quiz.db import make_engine, make_session_factory
from quiz.itembank.bankfile import BankSet, read_banks
from quiz.itembank.domain import BankItem, ItemContent
from quiz.itembank.finder import Filters, find_items
from quiz.itembank.service import load_banks
from quiz.migrate import upgrade

REPO = Path(__file__).resolve().parents[1]
CODE = "2794-03/315"
WORDS = ("coaching mentoring adviser customer feedback goals session model skills trust listen "
         "question contact centre team leader manager performance develop review plan").split()


def bank_of(size: int) -> BankSet:
    """Return the real blueprint with `size` generated items over its criteria."""
    shipped = read_banks(REPO / "item_banks")
    blueprint = shipped.blueprints[CODE]
    criteria = [c for o in blueprint.outcomes for c in o.criteria]
    items = []
    for n in range(size):
        criterion = criteria[n % len(criteria)]
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in (3, 5, 7, 11, 13))
        content = ItemContent(
            stem=f"Item {n}: in a case about {words}, which action fits best?",
            options={letter: f"{letter} {words} {n}" for letter in "ABCD"},
            key="ABCD"[n % 4], rationale=f"AC{criterion}: the key fits {words}.",
            difficulty="medium")
        items.append(BankItem(item_id=f"315-{criterion}-{n:04d}", bank=CODE, criterion=criterion,
                              outcome=blueprint.outcome_of(criterion),
                              status="live" if n % 7 else "draft", content=content))
    return BankSet(blueprints={CODE: blueprint}, items={CODE: items})


def build(url: str, size: int) -> None:
    """Load the generated bank twice, the second time with one item in ten reworded."""
    engine = make_engine(url)
    upgrade(engine)
    session = make_session_factory(engine)()
    now = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
    banks = bank_of(size)
    load_banks(session, banks, now)
    reworded = [replace(i, content=replace(i.content, stem=i.content.stem + " (revised)"))
                if n % 10 == 0 else i for n, i in enumerate(banks.items[CODE])]
    load_banks(session, replace(banks, items={CODE: reworded}), now)
    create_user(session, username="bench", password="bench-pass-1", full_name="Bench Writer",
                role="item_writer")
    session.commit()
    session.close()
    engine.dispose()


SEARCHES = {
    "every item, first page": Filters(),
    "two words": Filters(text="customer model"),
    "one criterion, live": Filters(criterion="1.3", status="live"),
    "outcome 2, a word, drafts": Filters(outcome=2, text="model", status="draft"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a database URL (default: a throwaway SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/bench.sqlite3"
        build(url, args.items)
        app = create_app({"QUIZ_DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True,
                          "QUIZ_SCHEDULER": False, "WTF_CSRF_ENABLED": False})
        sessions = app.extensions["quiz.sessions"]
        print(f"{args.items} items in {CODE}; median of {args.repeat} runs")
        for name, filters in SEARCHES.items():
            def search():
                with sessions() as session:
                    return find_items(session, CODE, filters)
            seconds, page = median_time(search, args.repeat)
            print(f"  find_items, {name:<28} {seconds * 1000:7.1f} ms  ({page.total} match)")
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "bench-pass-1"})
        path = f"/bank/{CODE}/items?q=coaching&status=live"
        statements = []
        engine = app.extensions["quiz.engine"]
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        seconds, response = median_time(lambda: client.get(path), args.repeat)
        assert response.status_code == 200
        print(f"{'  the list page, a word and a filter':<42} {seconds * 1000:7.1f} ms  "
              f"({len(statements) // args.repeat} SQL statements a page)")
        engine.dispose()


if __name__ == "__main__":
    main()
