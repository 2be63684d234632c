"""Render results charts as inline SVG strings, accessible and safe under a strict CSP.

The pages allow `style-src 'self'` only, so every look is a presentation attribute (fill, stroke,
font-size...), never a style attribute or element. Text and axes use `currentColor` so a chart
follows the page's text colour, high-contrast mode included. Colours come from the Okabe-Ito
palette, which colour-blind readers can tell apart, and nothing is said by colour alone.
"""
from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

BLUE = "#0072B2"
SKY_BLUE = "#56B4E9"
VERMILLION = "#D55E00"
GREEN = "#009E73"
INK = "currentColor"
FONT = "system-ui, -apple-system, 'Segoe UI', Arial, sans-serif"
WIDTH = 720

# The region where the item analysis raises no facility or discrimination flag on a four-option
# item (quiz.scoring.analysis.Thresholds: too hard below chance, 1/4; too easy above 0.90; weak
# below a corrected item-total correlation of 0.15), so the picture and the flags agree.
ACCEPTABLE_FACILITY = (0.25, 0.90)
ACCEPTABLE_DISCRIMINATION = 0.15

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def score_distribution(scores: Sequence[int], max_score: int, pass_mark: float,
                       id_prefix: str = "dist") -> str:
    """Return a histogram of raw scores with the pass mark (in raw marks) drawn on it.

    One bar per mark up to 40 marks; above that, bins of 2, 5, 10... marks, aligned so that the
    pass mark always falls between two bars.
    """
    if max_score < 1:
        raise ValueError(f"max_score must be at least 1, not {max_score}")
    for score in scores:
        if not 0 <= score <= max_score:
            raise ValueError(f"score {score} is outside 0..{max_score}")
    boundary = _first_passing_score(pass_mark, max_score)
    bins = _bins(max_score, boundary)
    counts = [sum(1 for s in scores if low <= s <= high) for low, high in bins]
    plot = _Plot(left=64, top=44, width=WIDTH - 64 - 24, height=240,
                 x0=-0.5, x1=max_score + 0.5, y0=0, y1=_nice_ceiling(max(counts, default=0)))
    step = _nice_step(max_score, most=15)
    x_ticks = [(m, str(m)) for m in range(0, max_score + 1, step)]
    y_ticks = [(c, str(c)) for c in range(0, int(plot.y1) + 1, _nice_step(plot.y1, most=5))] \
        if scores else [(0, "0")]
    body = _axes(plot, x_ticks, y_ticks, "Raw score", "Candidates")

    bars = []
    for (low, high), count in zip(bins, counts):
        marks = f"{low} marks" if low == high else f"{low}\u2013{high} marks"
        bars.append(_el("rect", _el("title", escape(f"{marks}: {_candidates(count)}")),
                        x=plot.x(low - 0.5) + 0.5, y=plot.y(count),
                        width=plot.x(high + 0.5) - plot.x(low - 0.5) - 1,
                        height=plot.bottom - plot.y(count),
                        fill=BLUE if low >= boundary else SKY_BLUE))
    body.append(_el("g", "".join(bars), class_="bars"))

    line_x = plot.x(boundary - 0.5)
    anchor = "end" if line_x > plot.left + 0.85 * plot.width else \
        "start" if line_x < plot.left + 0.15 * plot.width else "middle"
    body.append(_el("g",
                    _el("line", x1=line_x, y1=plot.top - 8, x2=line_x, y2=plot.bottom, stroke=INK,
                        stroke_width=2, stroke_dasharray="6 4")
                    + _text(line_x, plot.top - 14, f"Pass mark {_fmt(pass_mark)}",
                            text_anchor=anchor, font_weight="bold"),
                    class_="pass-mark"))

    if not scores:
        # Centred in the wider side of the pass mark line, so the line never crosses it.
        middle = (plot.left + line_x) / 2 if line_x - plot.left > plot.right - line_x \
            else (line_x + plot.right) / 2
        body.append(_text(middle, plot.top + plot.height / 2, "No submitted attempts yet",
                          text_anchor="middle", font_size=16))
    return _svg(id_prefix, plot.bottom + 56, "Score distribution",
                _distribution_desc(scores, max_score, pass_mark, boundary), body)


def _distribution_desc(scores: Sequence[int], max_score: int, pass_mark: float,
                       boundary: int) -> str:
    """Return the score distribution's key facts in words."""
    pass_mark_words = f"pass mark {_fmt(pass_mark)} ({_fmt(100 * pass_mark / max_score)}%)"
    if not scores:
        return f"No submitted attempts yet; out of {max_score}; {pass_mark_words}."
    passed = sum(1 for s in scores if s >= boundary)
    return (f"Scores of {_candidates(len(scores))}; "
            f"mean {sum(scores) / len(scores):.1f} of {max_score}; "
            f"lowest {min(scores)}, highest {max(scores)}; {pass_mark_words}; "
            f"{round(100 * passed / len(scores))}% passed.")


def outcome_bars(outcomes: Sequence[tuple[str, float, float]], id_prefix: str = "outcomes") -> str:
    """Return one horizontal bar per outcome: its mean marks as a percentage of its maximum."""
    # Labels wrap above their bar rather than sit beside it, because outcome titles are long
    # and SVG cannot measure text.
    line_height, bar_height, gap = 18, 22, 18
    plot_left, value_room = 16, 130
    plot_width = WIDTH - plot_left - value_room
    rows, tracks, bars, facts, y = [], [], [], [], 16
    for label, mean, maximum in outcomes:
        percent = 100 * mean / maximum if maximum > 0 else 0.0
        value = f"{_fmt(mean)} / {_fmt(maximum)} ({round(percent)}%)"
        facts.append(f"{label}: {_fmt(mean)} of {_fmt(maximum)} ({round(percent)}%)")
        for line in textwrap.wrap(label, 84) or [""]:
            y += line_height
            rows.append(_text(plot_left, y - 4, line, font_weight="bold"))
        y += 4
        end = plot_left + plot_width * min(max(percent, 0.0), 100.0) / 100
        tracks.append(_el("rect", x=plot_left, y=y, width=plot_width, height=bar_height,
                          fill=INK, fill_opacity=0.08))
        bars.append(_el("rect", _el("title", escape(f"{label}: {value}")), x=plot_left, y=y,
                        width=end - plot_left, height=bar_height, fill=BLUE))
        rows.append(_text(end + 6, y + bar_height / 2 + 5, value))
        y += bar_height + gap

    if not outcomes:
        return _svg(id_prefix, 80, "Marks by learning outcome", "No outcomes to show.",
                    [_text(WIDTH / 2, 44, "No outcomes to show", text_anchor="middle",
                           font_size=16)])
    plot = _Plot(left=plot_left, top=16, width=plot_width, height=y - gap - 16,
                 x0=0, x1=100, y0=0, y1=1)
    body = [_el("g", "".join(tracks), class_="tracks"),
            _percent_axis(plot, [(p, f"{p}%") for p in range(0, 101, 25)]),
            _el("g", "".join(bars), class_="bars"), *rows]
    desc = f"Mean marks on {len(outcomes)} learning outcomes. " + "; ".join(facts) + "."
    return _svg(id_prefix, plot.bottom + 40, "Marks by learning outcome", desc, body)


def item_map(points: Sequence[dict], id_prefix: str = "itemmap") -> str:
    """Return a scatter of items by facility and discrimination, flagged items marked and named.

    Each point is a dict with item_id, facility, discrimination (None when it could not be
    worked out; such items are left off and counted in the description), flagged and flags.
    """
    plot = _Plot(left=64, top=56, width=WIDTH - 64 - 24, height=360,
                 x0=0, x1=1, y0=-0.5, y1=1)
    x_ticks = [(v / 10, f"{v / 10:.1f}") for v in range(0, 11, 2)]
    y_ticks = [(v / 4, f"{v / 4:.2f}") for v in range(-2, 5)]
    f_low, f_high = ACCEPTABLE_FACILITY
    body = [
        _el("g", _el("rect", x=plot.x(f_low), y=plot.top, width=plot.x(f_high) - plot.x(f_low),
                     height=plot.y(ACCEPTABLE_DISCRIMINATION) - plot.top, fill=GREEN,
                     fill_opacity=0.14)
            + _text(plot.x(f_low) + 6, plot.top + 16, "Acceptable", font_size=12),
            class_="acceptable"),
        *_axes(plot, x_ticks, y_ticks, "Facility (proportion answering correctly)",
               "Discrimination (item-rest correlation)", vertical_grid=True),
        _el("line", x1=plot.left, y1=plot.y(0), x2=plot.right, y2=plot.y(0), stroke=INK,
            stroke_width=1.5, class_="zero"),
        _legend(plot),
    ]

    shown = [p for p in points if p.get("facility") is not None
             and p.get("discrimination") is not None]
    # Flagged items go last so that they are drawn on top of the others; among them the most
    # serious first (a lower "rank"), so that if room runs out it is the least serious that go
    # unlabelled.
    shown.sort(key=lambda p: (bool(p.get("flagged")), -p.get("rank", 0)))
    marks, labels, unflagged, clamped = [], [], [], 0
    for point in shown:
        facility, discrimination = point["facility"], point["discrimination"]
        fx, dy = min(max(facility, 0.0), 1.0), min(max(discrimination, -0.5), 1.0)
        clamped += (fx, dy) != (facility, discrimination)
        x, y = plot.x(fx), plot.y(dy)
        tip = _el("title", escape(_point_summary(point)))
        if point.get("flagged"):
            marks.append(_triangle(x, y, 7, tip, fill=VERMILLION, stroke=INK, stroke_width=1,
                                   class_="flagged"))
            labels.append((x, y, str(point["item_id"])))
        else:
            unflagged.append((x, y))
            marks.append(_el("circle", tip, cx=x, cy=y, r=5, fill=BLUE, fill_opacity=0.75,
                             class_="item"))
    placed, unlabelled = _place_labels(labels[::-1], plot, unflagged)
    body += [_el("g", "".join(marks), class_="points"),
             _el("g", "".join(line for line, _ in placed), class_="leaders"),
             _el("g", "".join(text for _, text in placed), class_="labels")]
    height = plot.bottom + 56
    if unlabelled:
        body.append(_text(plot.left, height, f"{_items(len(unlabelled))} flagged but not labelled "
                          f"here for lack of room: {_short_list(unlabelled)}",
                          font_size=12, class_="unlabelled"))
        height += 16
    if not shown:
        body.append(_text(plot.left + plot.width / 2, plot.y(-0.25), "No items to show",
                          text_anchor="middle", font_size=16))
    return _svg(id_prefix, height, "Item facility and discrimination",
                _item_map_desc(points, shown, clamped), body)


# Where a label may go around its point, nearest first: beside, above and below at growing
# distances, then further out along eight directions with a line back to the point.
LABEL_HEIGHT = 16  # a 12-unit font's box, ascenders to descenders, and a unit to spare
CHAR_WIDTH = 7.4  # SVG cannot measure text; this is a digit's width at 12 units, rounded up
_NEAR = [(9, 4, "start"), (-9, 4, "end"), (0, -12, "middle"), (0, 22, "middle"),
         (9, -9, "start"), (9, 17, "start"), (-9, -9, "end"), (-9, 17, "end")]
_DIRECTIONS = [(1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (1, 1), (-1, -1), (-1, 1)]
_LABEL_SPOTS = _NEAR + [
    (round(dx * reach), round(dy * reach * 0.6) + 4,
     "start" if dx > 0 else "end" if dx < 0 else "middle")
    for reach in (30, 48, 70, 95, 125, 160) for dx, dy in _DIRECTIONS]


@dataclass(frozen=True)
class LabelBox:
    """Where a label's text goes, and the box it covers (left, top, right, bottom)."""

    x: float
    y: float
    anchor: str
    box: tuple[float, float, float, float]


def label_box(x: float, y: float, text: str, anchor: str) -> tuple[float, float, float, float]:
    """Return the box a 12-unit label with its baseline at (x, y) covers, estimated from its length."""
    width = CHAR_WIDTH * len(text)
    left = x - {"start": 0, "middle": width / 2, "end": width}[anchor]
    return (left, y - LABEL_HEIGHT + 4, left + width, y + 4)


def place_labels(anchors: Sequence[tuple[float, float, str]], plot: _Plot,
                 others: Sequence[tuple[float, float]] = ()
                 ) -> tuple[list[LabelBox | None], list[str]]:
    """Return a place for each anchor's label, or None, and the texts left unlabelled.

    No label overlaps another label or another flagged point's marker, or leaves the plot; among
    the places that qualify, the nearest that covers the fewest other points wins. A label that
    fits nowhere is left off rather than drawn over another.
    """
    marker = [(x - 8, y - 8, x + 8, y + 7) for x, y, _ in anchors]
    dots = [(x - 5, y - 5, x + 5, y + 5) for x, y in others]
    taken: list[tuple[float, float, float, float]] = []
    placed: list[LabelBox | None] = []
    missing: list[str] = []
    for n, (x, y, text) in enumerate(anchors):
        best = None
        for order, (dx, dy, anchor) in enumerate(_LABEL_SPOTS):
            box = label_box(x + dx, y + dy, text, anchor)
            if box[0] < plot.left + 2 or box[2] > plot.right - 2 or box[1] < plot.top \
                    or box[3] > plot.bottom - 2:
                continue
            if any(_overlap(box, other) for other in taken) or any(
                    _overlap(box, m) for i, m in enumerate(marker) if i != n):
                continue
            cost = order + 4 * sum(_overlap(box, dot) for dot in dots)
            if best is None or cost < best[0]:
                best = (cost, LabelBox(x + dx, y + dy, anchor, box))
            if cost == order and order < len(_NEAR):
                break  # a near spot over nothing: no other spot can beat it
        if best is None:
            placed.append(None)
            missing.append(text)
        else:
            placed.append(best[1])
            taken.append(best[1].box)
    return placed, missing


def _place_labels(anchors: list[tuple[float, float, str]], plot: _Plot,
                  others: list[tuple[float, float]]) -> tuple[list[tuple[str, str]], list[str]]:
    """Return (leader line, text) markup for each label that fits, and the texts that do not."""
    places, missing = place_labels(anchors, plot, others)
    drawn = []
    for (x, y, text), place in zip(anchors, places):
        if place is None:
            continue
        left, top, right, bottom = place.box
        line = ""
        if not (left - 12 <= x <= right + 12 and top - 12 <= y <= bottom + 12):
            # Far from its point: a thin line from the point to the nearest edge of the label.
            ex, ey = min(max(x, left), right), min(max(y, top), bottom)
            line = _el("line", x1=x, y1=y, x2=ex, y2=ey, stroke=INK, stroke_width=0.75,
                       stroke_opacity=0.6)
        drawn.append((line, _text(place.x, place.y, text, font_size=12,
                                  text_anchor=place.anchor)))
    return drawn, missing


def _short_list(texts: Sequence[str], most: int = 6) -> str:
    """Return up to `most` texts joined by commas, and how many more."""
    shown = ", ".join(texts[:most])
    return shown + (f" and {len(texts) - most} more" if len(texts) > most else "")


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    """Return whether two (left, top, right, bottom) boxes overlap."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _point_summary(point: dict) -> str:
    """Return one item's facts in words, as its tooltip says them."""
    summary = (f"{point['item_id']}: facility {point['facility']:.2f}, "
               f"discrimination {point['discrimination']:.2f}")
    if point.get("flagged"):
        summary += "; flags: " + (", ".join(point.get("flags") or []) or "flagged")
    return summary


def _item_map_desc(points: Sequence[dict], shown: list[dict], clamped: int) -> str:
    """Return the item map's key facts in words."""
    if not shown:
        skipped = f"; {_items(len(points))} left off because discrimination could not be " \
            "calculated" if points else ""
        return f"No items to show{skipped}."
    f_low, f_high = ACCEPTABLE_FACILITY
    acceptable = sum(1 for p in shown if f_low <= p["facility"] <= f_high
                     and p["discrimination"] >= ACCEPTABLE_DISCRIMINATION)
    flagged = [p for p in shown if p.get("flagged")]
    parts = [f"Facility and discrimination of {_items(len(shown))}",
             f"{acceptable} in the acceptable region (facility {f_low:.2f} to {f_high:.2f}, "
             f"discrimination at least {ACCEPTABLE_DISCRIMINATION:.2f})",
             f"{len(flagged)} flagged" + (": " + ", ".join(
                 f"{p['item_id']} ({', '.join(p.get('flags') or []) or 'flagged'})"
                 for p in flagged) if flagged else "")]
    if clamped:
        parts.append(f"{_items(clamped)} outside the chart drawn at its edge")
    skipped = len(points) - len(shown)
    if skipped:
        parts.append(f"{_items(skipped)} left off because discrimination could not be "
                     f"calculated")
    return "; ".join(parts) + "."


def _legend(plot: _Plot) -> str:
    """Return the item map's key, above the plot: shapes say what colour also says."""
    y = plot.top - 24
    x = plot.left
    return _el("g", _el("circle", cx=x + 6, cy=y - 4, r=5, fill=BLUE, fill_opacity=0.75)
               + _text(x + 16, y, "Item", font_size=12)
               + _triangle(x + 76, y - 4, 7, "", fill=VERMILLION, stroke=INK, stroke_width=1)
               + _text(x + 88, y, "Flagged item (labelled)", font_size=12)
               + _el("rect", x=x + 252, y=y - 11, width=14, height=14, fill=GREEN,
                     fill_opacity=0.14, stroke=GREEN)
               + _text(x + 272, y, f"Acceptable: facility {ACCEPTABLE_FACILITY[0]:.2f}\u2013"
                                   f"{ACCEPTABLE_FACILITY[1]:.2f}, discrimination \u2265 "
                                   f"{ACCEPTABLE_DISCRIMINATION:.2f}", font_size=12),
               class_="legend")


@dataclass(frozen=True)
class _Plot:
    """The plotting area in SVG units, and the data ranges its edges stand for."""

    left: float
    top: float
    width: float
    height: float
    x0: float
    x1: float
    y0: float
    y1: float

    @property
    def right(self) -> float:
        """Return the SVG x of the right edge."""
        return self.left + self.width

    @property
    def bottom(self) -> float:
        """Return the SVG y of the bottom edge."""
        return self.top + self.height

    def x(self, value: float) -> float:
        """Return the SVG x of a data value."""
        return self.left + (value - self.x0) / (self.x1 - self.x0) * self.width

    def y(self, value: float) -> float:
        """Return the SVG y of a data value; data grows upwards, SVG downwards."""
        return self.bottom - (value - self.y0) / (self.y1 - self.y0) * self.height


def _axes(plot: _Plot, x_ticks, y_ticks, x_label: str, y_label: str,
          vertical_grid: bool = False) -> list[str]:
    """Return gridlines, axis lines, tick labels and axis titles for a plot."""
    parts = []
    for value, label in y_ticks:
        y = plot.y(value)
        parts.append(_el("line", x1=plot.left, y1=y, x2=plot.right, y2=y, stroke=INK,
                         stroke_opacity=0.15))
        parts.append(_text(plot.left - 8, y + 4, label, text_anchor="end", font_size=12))
    for value, label in x_ticks:
        x = plot.x(value)
        if vertical_grid:
            parts.append(_el("line", x1=x, y1=plot.top, x2=x, y2=plot.bottom, stroke=INK,
                             stroke_opacity=0.15))
        parts.append(_el("line", x1=x, y1=plot.bottom, x2=x, y2=plot.bottom + 5, stroke=INK))
        parts.append(_text(x, plot.bottom + 19, label, text_anchor="middle", font_size=12))
    parts.append(_el("line", x1=plot.left, y1=plot.bottom, x2=plot.right, y2=plot.bottom,
                     stroke=INK, class_="x-axis"))
    parts.append(_el("line", x1=plot.left, y1=plot.top, x2=plot.left, y2=plot.bottom, stroke=INK,
                     class_="y-axis"))
    parts.append(_text(plot.left + plot.width / 2, plot.bottom + 42, x_label,
                       text_anchor="middle"))
    middle = plot.top + plot.height / 2
    parts.append(_text(18, middle, y_label, text_anchor="middle",
                       transform=f"rotate(-90 18 {_fmt(middle)})"))
    return [_el("g", "".join(parts), class_="axes")]


def _percent_axis(plot: _Plot, x_ticks) -> str:
    """Return a percentage axis under the bars."""
    # No gridlines: they would cross the outcome labels and the values written at bar ends,
    # and each bar's grey track already shows where 100% is.
    parts = [_el("line", x1=plot.left, y1=plot.bottom + 6, x2=plot.right, y2=plot.bottom + 6,
                 stroke=INK)]
    for value, label in x_ticks:
        x = plot.x(value)
        parts.append(_el("line", x1=x, y1=plot.bottom + 6, x2=x, y2=plot.bottom + 11, stroke=INK))
        parts.append(_text(x, plot.bottom + 25, label, text_anchor="middle", font_size=12))
    return _el("g", "".join(parts), class_="axes")


def _svg(id_prefix: str, height: float, title: str, desc: str, body: list[str]) -> str:
    """Return the outer SVG element, labelled by its title and description."""
    if not _ID.match(id_prefix):
        raise ValueError(f"id_prefix must be a letter then letters, digits, - or _: {id_prefix!r}")
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {_fmt(height)}" '
        f'width="100%" role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'class="chart" font-family="{_attr(FONT)}" font-size="14" fill="{INK}">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        *body,
        "</svg>",
    ])


def _el(tag: str, content: str = "", **attrs) -> str:
    """Return an element; content is markup already escaped, attributes are escaped here.

    Attribute names use _ for -, and a trailing _ for Python keywords (class_).
    """
    rendered = "".join(f' {name.rstrip("_").replace("_", "-")}="{_attr(value)}"'
                       for name, value in attrs.items() if value is not None)
    return f"<{tag}{rendered}>{content}</{tag}>" if content else f"<{tag}{rendered}/>"


def _text(x: float, y: float, text: str, **attrs) -> str:
    """Return a text element holding escaped text."""
    return _el("text", escape(text), x=x, y=y, **attrs)


def _triangle(x: float, y: float, size: float, content: str, **attrs) -> str:
    """Return an upward triangle centred on (x, y), the flagged item's shape."""
    corners = [(x, y - size), (x + size, y + size * 0.75), (x - size, y + size * 0.75)]
    return _el("polygon", content, points=" ".join(f"{_fmt(a)},{_fmt(b)}" for a, b in corners),
               **attrs)


def _attr(value) -> str:
    """Return a value escaped for a double-quoted attribute."""
    if isinstance(value, float):
        value = _fmt(value)
    return escape(str(value), {'"': "&quot;"})


def _fmt(number: float) -> str:
    """Return a number with at most one decimal place and no trailing .0."""
    text = f"{number:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _first_passing_score(pass_mark: float, max_score: int) -> int:
    """Return the lowest whole score that reaches the pass mark."""
    # Rounding first keeps float noise (60% of 30 computed as 18.000000000000004) from
    # moving the mark up a whole point.
    return min(max(math.ceil(round(pass_mark, 6)), 0), max_score + 1)


def _bins(max_score: int, boundary: int) -> list[tuple[int, int]]:
    """Return (low, high) score ranges, one per mark up to 40, aligned on the pass boundary."""
    width = 1 if max_score <= 40 else next(
        w for w in _nice_numbers() if math.ceil((max_score + 1) / w) + 1 <= 40)
    edges = sorted({0, max_score + 1, *range(boundary % width, max_score + 1, width)})
    return [(low, high - 1) for low, high in zip(edges, edges[1:])]


def _nice_numbers():
    """Yield 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500... for steps people read easily."""
    scale = 1
    while True:
        yield from (scale, 2 * scale) if scale == 1 else (scale, 2 * scale, int(2.5 * scale))
        yield 5 * scale
        scale *= 10


def _nice_step(span: float, most: int) -> int:
    """Return the smallest easy-to-read step that divides span into at most `most` steps."""
    return next(step for step in _nice_numbers() if span / step <= most)


def _nice_ceiling(count: int) -> int:
    """Return a round axis maximum at or above count, and at least 1."""
    step = _nice_step(max(count, 1), most=5)
    return max(step * math.ceil(count / step), step)


def _candidates(count: int) -> str:
    """Return "1 candidate" or "N candidates"."""
    return f"{count} candidate" if count == 1 else f"{count} candidates"


def _items(count: int) -> str:
    """Return "1 item" or "N items"."""
    return f"{count} item" if count == 1 else f"{count} items"
