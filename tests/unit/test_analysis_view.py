"""The item analysis page's choices: worst first, filtered, sorted and paged."""
from quiz.results.analysis_view import Choice, choose, flag_counts, ordered_flags
from quiz.scoring.analysis import Flag, ItemStats, OptionRate

OMITTED = OptionRate("omitted", False, 0.0, 0.0, 0.0)


def item(item_id, *codes, outcome=1, facility=0.6, r=0.3, d=0.3, n=50):
    return ItemStats(item_id=item_id, key="A", outcome=outcome, criterion=f"{outcome}.1", n=n,
                     enough_data=n >= 30, facility=facility, point_biserial=r, discrimination=d,
                     option_rates=(), omitted=OMITTED,
                     flags=tuple(Flag(code, f"{code.replace('-', ' ')}: because") for code in codes))


ITEMS = [item("i-01", "unused-distractor"), item("i-02"), item("i-03", "too-easy", facility=0.95),
         item("i-04", "unused-distractor", "likely-miskey", r=-0.1),
         item("i-05", "weak-discrimination", r=0.05, outcome=2),
         item("i-06", "too-hard", facility=0.2, outcome=2), item("i-07", n=12)]


def ids(page):
    return [s.item_id for s in page.items]


def test_flagged_items_come_most_serious_first():
    assert ids(choose(ITEMS, Choice())) == ["i-04", "i-06", "i-05", "i-03", "i-01"]


def test_an_items_own_flags_are_listed_most_serious_first():
    assert [f.code for f in ordered_flags(ITEMS[3])] == ["likely-miskey", "unused-distractor"]


def test_one_kind_of_flag_can_be_shown_alone():
    assert ids(choose(ITEMS, Choice(show="unused-distractor"))) == ["i-04", "i-01"]


def test_every_item_can_be_shown_in_id_order_and_by_outcome():
    assert ids(choose(ITEMS, Choice(show="all", sort="item"))) == [f"i-0{n}" for n in range(1, 8)]
    assert ids(choose(ITEMS, Choice(show="all", sort="item", outcome=2))) == ["i-05", "i-06"]


def test_items_sort_by_a_figure_lowest_first():
    assert ids(choose(ITEMS, Choice(show="all", sort="facility")))[:2] == ["i-06", "i-01"]
    assert ids(choose(ITEMS, Choice(show="all", sort="r")))[:2] == ["i-04", "i-05"]


def test_items_without_enough_data_can_be_found():
    assert ids(choose(ITEMS, Choice(show="not-enough-data"))) == ["i-07"]


def test_a_search_narrows_by_item_id():
    assert ids(choose(ITEMS, Choice(show="all", search="I-0", sort="item"))) == \
        [f"i-0{n}" for n in range(1, 8)]
    assert ids(choose(ITEMS, Choice(show="all", search="05"))) == ["i-05"]


def test_a_long_list_is_paged_and_a_page_past_the_end_shows_the_last():
    many = [item(f"x-{n:03d}", "unused-distractor") for n in range(60)]
    page = choose(many, Choice(page=3), per_page=25)
    assert (page.page, page.pages, page.matching, len(page.items)) == (3, 3, 60, 10)
    assert choose(many, Choice(page=9), per_page=25).page == 3


def test_choices_not_offered_fall_back_to_the_default():
    choice = Choice.from_args({"show": "<script>", "sort": "bogus", "page": "-1", "outcome": "x"})
    assert choice == Choice()


def test_flag_counts_are_given_most_serious_first():
    assert [(code, count) for code, _name, count in flag_counts(ITEMS)] == [
        ("likely-miskey", 1), ("too-hard", 1), ("weak-discrimination", 1), ("too-easy", 1),
        ("unused-distractor", 2)]


def test_with_nothing_flagged_every_item_is_shown_by_default():
    assert Choice.from_args({}, any_flagged=False).show == "all"
    assert Choice.from_args({}, any_flagged=True).show == "flagged"
