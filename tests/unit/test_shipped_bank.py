"""The bank we ship for 2794-03/315 is valid, passes the linter, and meets its blueprint."""
from collections import Counter
from pathlib import Path

from quiz.itembank.assembly import assemble
from quiz.itembank.bankfile import read_banks
from quiz.itembank.lint import ERROR, lint_bank
from tests import factories

BANKS = Path(__file__).resolve().parents[2] / "item_banks"
CODE = "2794-03/315"


def shipped():
    banks = read_banks(BANKS)
    assert banks.ok, [str(p) for p in banks.problems]
    return banks.blueprints[CODE], banks.items[CODE]


def test_the_shipped_bank_passes_the_linter():
    blueprint, items = shipped()
    range_list = read_banks(BANKS).ranges[CODE]  # as `quiz bank lint` judges it: Range minimum too
    errors = [str(f) for f in lint_bank(blueprint, items, range_list=range_list)
              if f.severity == ERROR]
    assert errors == []


def test_the_shipped_bank_has_sixty_live_items_per_outcome_and_ten_per_criterion():
    blueprint, items = shipped()
    live = [item for item in items if item.status == "live"]
    per_outcome = Counter(item.outcome for item in live)
    per_criterion = Counter(item.criterion for item in live)
    assert per_outcome[1] >= 60 and per_outcome[2] >= 60
    assert {code: per_criterion[code] for o in blueprint.outcomes for code in o.criteria
            if per_criterion[code] < 10} == {}


def test_every_seed_assembles_a_full_paper_from_the_shipped_bank():
    blueprint, items = shipped()
    pool = factories.candidates_of(items)
    for seed in range(200):
        paper = assemble(blueprint, pool, seed)
        assert Counter(q.outcome for q in paper.questions) == {1: 15, 2: 15}
