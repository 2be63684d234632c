"""Results charts as SVG: well-formed, described in words, true to the data, safe under the CSP."""
import xml.etree.ElementTree as ET

import pytest

from quiz.scoring.charts import item_map, outcome_bars, score_distribution

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def find_all(root: ET.Element, path: str) -> list[ET.Element]:
    """Find elements by a path written without the SVG namespace: "g[@class='bars']/rect"."""
    return root.findall(".//" + "/".join(SVG + step for step in path.split("/")))


def desc(root: ET.Element) -> str:
    return root.find(SVG + "desc").text


def make_point(item_id="315-1.1-001", facility=0.6, discrimination=0.4, flags=()):
    return {"item_id": item_id, "facility": facility, "discrimination": discrimination,
            "flagged": bool(flags), "flags": list(flags)}


SCORES = [12, 17, 18, 18, 20, 25, 30, 14, 22, 19]
OUTCOMES = [("Outcome 1: Understand coaching", 9.4, 15), ("Outcome 2: Mentor", 12.0, 15)]
POINTS = [make_point("A-1"), make_point("A-2", 0.95, 0.1, ["too easy", "low discrimination"]),
          make_point("A-3", 0.5, None), make_point("A-4", 0.4, 0.3)]

EVERY_CHART = {
    "distribution": lambda: score_distribution(SCORES, 30, 18),
    "empty distribution": lambda: score_distribution([], 30, 18),
    "outcomes": lambda: outcome_bars(OUTCOMES),
    "no outcomes": lambda: outcome_bars([]),
    "item map": lambda: item_map(POINTS),
    "empty item map": lambda: item_map([]),
}


@pytest.mark.parametrize("name", EVERY_CHART)
def test_every_chart_is_an_image_labelled_by_its_title_and_description(name):
    root = parse(EVERY_CHART[name]())
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 ")
    title, description = root.find(SVG + "title"), root.find(SVG + "desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {description.get('id')}"
    assert title.text and description.text


@pytest.mark.parametrize("name", EVERY_CHART)
def test_no_chart_uses_inline_styles_which_the_csp_would_block(name):
    svg = EVERY_CHART[name]()
    assert "style=" not in svg
    assert "<style" not in svg


def test_ids_take_the_given_prefix_so_two_charts_can_share_a_page():
    first, second = parse(score_distribution(SCORES, 30, 18, id_prefix="unit-a")), \
        parse(score_distribution(SCORES, 30, 18, id_prefix="unit-b"))
    first_ids = {e.get("id") for e in first.iter() if e.get("id")}
    second_ids = {e.get("id") for e in second.iter() if e.get("id")}
    assert first_ids == {"unit-a-title", "unit-a-desc"}
    assert not first_ids & second_ids


def test_an_id_prefix_that_would_break_the_markup_is_refused():
    with pytest.raises(ValueError):
        outcome_bars(OUTCOMES, id_prefix='x" onload="alert(1)')


def test_distribution_describes_candidates_mean_pass_mark_and_pass_rate():
    assert desc(parse(score_distribution(SCORES, 30, 18))) == (
        "Scores of 10 candidates; mean 19.5 of 30; lowest 12, highest 30; "
        "pass mark 18 (60%); 70% passed.")


def test_distribution_has_one_bar_per_mark_up_to_forty_marks():
    bars = find_all(parse(score_distribution(SCORES, 30, 18)), "g[@class='bars']/rect")
    assert len(bars) == 31
    assert [bar.find(SVG + "title").text for bar in bars[17:19]] == \
        ["17 marks: 1 candidate", "18 marks: 2 candidates"]


def test_distribution_bins_marks_above_forty_and_keeps_every_candidate():
    scores = list(range(0, 121, 3))
    bars = find_all(parse(score_distribution(scores, 120, 72)), "g[@class='bars']/rect")
    assert len(bars) <= 40
    counted = sum(int(bar.find(SVG + "title").text.split(": ")[1].split()[0]) for bar in bars)
    assert counted == len(scores)


def pass_line_x(root: ET.Element) -> float:
    return float(find_all(root, "g[@class='pass-mark']/line")[0].get("x1"))


def test_pass_mark_line_sits_where_the_pass_mark_falls_along_the_score_axis():
    root = parse(score_distribution(SCORES, 30, 18))
    axis = find_all(root, "line[@class='x-axis']")[0]
    left, right = float(axis.get("x1")), float(axis.get("x2"))
    # Marks 0..30 are 31 equal bars, so the line before mark 18 is 18/31 of the way along.
    assert pass_line_x(root) == pytest.approx(left + (right - left) * 18 / 31, abs=0.1)


@pytest.mark.parametrize("pass_mark", [18, 17.4])
def test_pass_mark_line_falls_between_the_last_failing_and_first_passing_bars(pass_mark):
    root = parse(score_distribution(SCORES, 30, pass_mark))
    bars = find_all(root, "g[@class='bars']/rect")
    last_fail, first_pass = bars[17], bars[18]
    assert float(last_fail.get("x")) + float(last_fail.get("width")) \
        < pass_line_x(root) < float(first_pass.get("x"))


def test_pass_mark_line_is_labelled_with_the_pass_mark():
    texts = find_all(parse(score_distribution(SCORES, 30, 18)), "g[@class='pass-mark']/text")
    assert texts[0].text == "Pass mark 18"


def test_distribution_names_its_axes():
    texts = {t.text for t in find_all(parse(score_distribution(SCORES, 30, 18)), "text")}
    assert {"Raw score", "Candidates", "0", "10", "30"} <= texts


def test_pass_mark_worked_out_from_a_percentage_is_not_pushed_up_by_float_noise():
    root = parse(score_distribution([18], 30, 0.6 * 30 + 1e-12))
    assert desc(root).endswith("100% passed.")


def test_distribution_refuses_a_score_above_the_maximum():
    with pytest.raises(ValueError):
        score_distribution([31], 30, 18)


def test_distribution_without_attempts_says_so():
    root = parse(score_distribution([], 30, 18))
    assert "No submitted attempts yet" in {t.text for t in find_all(root, "text")}
    assert desc(root).startswith("No submitted attempts yet")
    assert all(bar.get("height") == "0" for bar in find_all(root, "g[@class='bars']/rect"))


def test_outcome_bars_have_one_bar_per_outcome_with_its_value_written_at_the_end():
    root = parse(outcome_bars([("Outcome 1", 9.4, 15)]))
    bar, = find_all(root, "g[@class='bars']/rect")
    track, = find_all(root, "g[@class='tracks']/rect")
    assert float(bar.get("width")) == pytest.approx(float(track.get("width")) * 9.4 / 15, abs=0.1)
    value, = [t for t in find_all(root, "text") if t.text == "9.4 / 15 (63%)"]
    assert float(value.get("x")) > float(bar.get("x")) + float(bar.get("width"))


def test_outcome_bars_describe_every_outcome_in_words():
    assert desc(parse(outcome_bars(OUTCOMES))) == (
        "Mean marks on 2 learning outcomes. Outcome 1: Understand coaching: 9.4 of 15 (63%); "
        "Outcome 2: Mentor: 12 of 15 (80%).")


def test_outcome_with_no_marks_available_draws_an_empty_bar():
    bar, = find_all(parse(outcome_bars([("Outcome 9", 0, 0)])), "g[@class='bars']/rect")
    assert bar.get("width") == "0"


def test_no_outcomes_says_so():
    assert desc(parse(outcome_bars([]))) == "No outcomes to show."


def test_labels_are_escaped_and_read_back_unchanged():
    label = 'Outcome <1> & "more"'
    svg = outcome_bars([(label, 3, 5)])
    assert "<1>" not in svg
    root = parse(svg)
    assert label in {t.text for t in find_all(root, "text")}
    assert label in desc(root)


def test_item_ids_are_escaped_in_tooltips_and_labels():
    root = parse(item_map([make_point("<b>&x", 0.95, 0.1, ["too easy"])]))
    assert find_all(root, "g[@class='points']/polygon/title")[0].text.startswith("<b>&x:")
    assert "<b>&x" in {t.text for t in find_all(root, "g[@class='labels']/text")}


def test_item_map_draws_a_circle_per_item_and_a_triangle_per_flagged_item():
    root = parse(item_map(POINTS))
    assert len(find_all(root, "g[@class='points']/circle")) == 2
    assert len(find_all(root, "g[@class='points']/polygon")) == 1


def test_flagged_items_differ_in_shape_and_colour_and_are_labelled_with_their_id():
    root = parse(item_map(POINTS))
    circle = find_all(root, "g[@class='points']/circle")[0]
    triangle, = find_all(root, "g[@class='points']/polygon")
    assert triangle.get("fill") != circle.get("fill")
    assert [t.text for t in find_all(root, "g[@class='labels']/text")] == ["A-2"]


def test_each_item_carries_a_tooltip_with_its_statistics_and_flags():
    root = parse(item_map(POINTS))
    tips = {t.text for t in find_all(root, "g[@class='points']/*/title")}
    assert tips == {"A-1: facility 0.60, discrimination 0.40",
                    "A-4: facility 0.40, discrimination 0.30",
                    "A-2: facility 0.95, discrimination 0.10; flags: too easy, low discrimination"}


def test_item_map_describes_acceptable_flagged_and_skipped_items():
    assert desc(parse(item_map(POINTS))) == (
        "Facility and discrimination of 3 items; 2 in the acceptable region "
        "(facility 0.25 to 0.90, discrimination at least 0.15); "
        "1 flagged: A-2 (too easy, low discrimination); "
        "1 item left off because discrimination could not be calculated.")


def test_values_outside_the_chart_are_drawn_at_its_edge_and_the_tooltip_keeps_the_truth():
    root = parse(item_map([make_point("A-1", 0.5, 0.4), make_point("OUT", 1.0, -0.9)]))
    inside, edge = find_all(root, "g[@class='points']/circle")
    axis = find_all(root, "line[@class='x-axis']")[0]
    assert float(edge.get("cy")) == pytest.approx(float(axis.get("y1")))
    assert edge.find(SVG + "title").text == "OUT: facility 1.00, discrimination -0.90"
    assert "1 item outside the chart drawn at its edge" in desc(root)


def test_item_map_shades_the_acceptable_region_and_draws_the_zero_line():
    root = parse(item_map(POINTS))
    region, = find_all(root, "g[@class='acceptable']/rect")
    zero, = find_all(root, "line[@class='zero']")
    assert float(region.get("y")) + float(region.get("height")) < float(zero.get("y1"))
    assert {"Facility (proportion answering correctly)", "Discrimination (item-rest correlation)"} <= \
        {t.text for t in find_all(root, "text")}


def test_item_map_with_only_uncalculable_items_says_so():
    root = parse(item_map([make_point("A-3", 0.5, None)]))
    assert not find_all(root, "g[@class='points']/*")
    assert desc(root) == ("No items to show; 1 item left off because discrimination could not "
                          "be calculated.")


def label_boxes(root):
    """Return the estimated box of every label drawn, as the placement reckons it."""
    from quiz.scoring.charts import label_box
    return [label_box(float(t.get("x")), float(t.get("y")), t.text, t.get("text-anchor") or "start")
            for t in find_all(root, "g[@class='labels']/text")]


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


CROWD = [make_point(f"315-1.{n % 5 + 1}-{n:03d}", 0.93 + (n % 4) * 0.01, 0.05 + (n % 5) * 0.02,
                    ["too easy"]) for n in range(40)]


def test_labels_of_a_crowd_of_flagged_items_never_overlap():
    root = parse(item_map(CROWD))
    boxes = label_boxes(root)
    assert len(boxes) >= 10
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if overlaps(a, b)]


def test_labels_stay_inside_the_plot():
    root = parse(item_map(CROWD))
    for left, top, right, bottom in label_boxes(root):
        assert 64 <= left and right <= 720 - 24 and 56 <= top and bottom <= 56 + 360


def test_flagged_items_that_find_no_room_are_named_under_the_map():
    root = parse(item_map(CROWD))
    labelled = {t.text for t in find_all(root, "g[@class='labels']/text")}
    note, = [t.text for t in find_all(root, "text") if t.get("class") == "unlabelled"]
    missing = len(CROWD) - len(labelled)
    assert missing > 0 and note.startswith(f"{missing} items flagged but not labelled here")


def test_a_label_far_from_its_point_has_a_line_back_to_it():
    root = parse(item_map(CROWD))
    assert find_all(root, "g[@class='leaders']/line")


def test_the_most_serious_flags_are_labelled_first():
    crowd = [dict(p, rank=4) for p in CROWD] + [
        dict(make_point("MISKEY", 0.95, 0.09, ["likely miskey"]), rank=0)]
    labelled = {t.text for t in find_all(parse(item_map(crowd)), "g[@class='labels']/text")}
    assert "MISKEY" in labelled


def test_a_lone_flagged_item_is_labelled_beside_its_point_without_a_line():
    root = parse(item_map(POINTS))
    assert not find_all(root, "g[@class='leaders']/line")
    assert not [t for t in find_all(root, "text") if t.get("class") == "unlabelled"]
