"""Moodle XML: `multichoice` questions with one answer worth 100%, their categories and tags.

A Moodle XML file is a `<quiz>` of `<question>`s. A `category` pseudo-question sets the category
of the questions after it (`$course$/top/A/B`, with `//` for a slash inside a name). We export a
category per outcome and per criterion, and tags `AC1.1`, `outcome-1`, `difficulty:medium` and
`range:...`, so a file we write comes back with its tags.
"""
from __future__ import annotations

import html
import re
from typing import Sequence
from xml.etree.ElementTree import Element

from quiz.itembank.domain import OPTION_LETTERS, Blueprint
from quiz.itembank.formats import (
    ExchangeItem, FormatError, ReadResult, Sample, Skipped, from_tags, machine_tags, register,
)
from quiz.itembank.formats.safety import local, parse_xml
from quiz.itembank.formats.text import Text, describe_loss, html_to_text, plain
from quiz.itembank.formats.xmlwrite import E, document

QUESTION_TYPES = {
    "truefalse": "true/false", "shortanswer": "short-answer", "essay": "essay",
    "matching": "matching", "numerical": "numerical", "multianswer": "embedded answers (Cloze)",
    "calculated": "calculated", "calculatedsimple": "simple calculated",
    "calculatedmulti": "calculated multichoice", "ddwtos": "drag and drop into text",
    "gapselect": "select missing words", "ddimageortext": "drag and drop onto image",
    "ddmarker": "drag and drop markers", "randomsamatch": "random short-answer matching",
    "ordering": "ordering", "random": "random",
}
TOP = re.compile(r"^\$(course|system|module|cat\d*|quiz)\$/(top/)?")


class MoodleXml:
    """Moodle's own question export format."""

    name = "moodle"
    title = "Moodle XML"
    family = "moodle"
    extension = ".xml"
    mimetype = "application/xml"
    can_read = True
    can_write = True
    every_status = False

    def recognises(self, sample: Sample) -> bool:
        """Return whether the file is XML whose root is <quiz>."""
        return sample.kind == "xml" and sample.root == "quiz"

    def read(self, data: bytes) -> ReadResult:
        """Read every question; import single-answer multichoice, report the rest."""
        root = parse_xml(data, "the Moodle XML file")
        if local(root.tag) != "quiz":
            raise FormatError(f"a Moodle XML file starts with <quiz>, not <{local(root.tag)}>")
        result = ReadResult()
        category: tuple[str, ...] = ()
        number = 0
        for question in root:
            if local(question.tag) != "question":
                continue
            kind = question.get("type", "")
            if kind == "category":
                category = split_category(_child_text(question, "category"))
                continue
            number += 1
            label = _child_text(question, "name") or f"question {number}"
            ref = _child_text(question, "idnumber") or label
            if kind == "multichoice":
                read = _multichoice(question, ref, category)
            elif kind == "description":
                read = Skipped(ref, "is a description, not a question")
            else:
                read = Skipped(ref, f"is a {QUESTION_TYPES.get(kind, kind or 'untyped')} question; "
                                    "only multiple choice with one right answer can be imported")
            (result.skipped if isinstance(read, Skipped) else result.items).append(read)
        if not number:
            raise FormatError("the Moodle XML file holds no questions")
        return result

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list=None) -> bytes:
        """Return a Moodle XML file: a category per outcome and criterion, each with its items."""
        top = ["$course$", "top", f"{blueprint.code} {blueprint.title}"]
        questions = [_category(top)]
        for outcome in blueprint.outcomes:
            outcome_path = top + [f"Outcome {outcome.number} {outcome.title}"]
            questions.append(_category(outcome_path))
            for code, title in outcome.criteria.items():
                questions.append(_category(outcome_path + [f"AC{code} {title}"]))
                questions += [_question(i) for i in items if i.criterion == code]
        return document(E("quiz", None, *questions))


def split_category(path: str) -> tuple[str, ...]:
    """Return a Moodle category path's names, without $course$/top, with '//' as a slash."""
    path = TOP.sub("", path.strip())
    names = re.split(r"(?<!/)/(?!/)", path)
    return tuple(n.replace("//", "/").strip() for n in names if n.strip() and n.strip() != "top")


def _join_category(names: list[str]) -> str:
    return "/".join(n if n.startswith("$") else n.replace("/", "//") for n in names)


def _child(element: Element, name: str) -> Element | None:
    return next((c for c in element if local(c.tag) == name), None)


def _child_text(element: Element, name: str) -> str:
    """Return the text of <name><text>...</text></name>, or of <name> itself."""
    child = _child(element, name)
    if child is None:
        return ""
    inner = _child(child, "text")
    return ((inner if inner is not None else child).text or "").strip()


def _converted(element: Element | None, where: str, notes: list[str]) -> Text:
    """Return a Moodle text element's content as text, following its format attribute."""
    if element is None:
        return plain("")
    inner = _child(element, "text")
    raw = (inner.text if inner is not None else "") or ""
    kind = element.get("format", "html")
    if kind == "plain_text":
        return plain(raw)
    if kind == "markdown":
        notes.append(f"{where}: Markdown is imported as it is written, not rendered")
        return plain(raw)
    return html_to_text(raw)


def _multichoice(question: Element, ref: str, category: tuple[str, ...]) -> ExchangeItem | Skipped:
    """Read one multichoice question, or say why it cannot be imported."""
    notes: list[str] = []
    files = [f.get("name", "a file") for f in question.iter() if local(f.tag) == "file"]
    if files:
        return Skipped(ref, f"holds {len(files)} embedded file(s) ({', '.join(files)}): media is "
                            "not supported")
    if _child_text(question, "single").lower() in ("false", "0"):
        return Skipped(ref, "allows several answers (a multiple-answer question), which is not "
                            "supported")
    answers = [a for a in question if local(a.tag) == "answer"]
    if len(answers) != 4:
        return Skipped(ref, f"has {len(answers)} answers; items need exactly four")
    fractions = []
    for answer in answers:
        try:
            fractions.append(float(answer.get("fraction", "0")))
        except ValueError:
            return Skipped(ref, f"has an answer worth {answer.get('fraction')!r}, which is not a "
                                "number")
    partial = [f for f in fractions if 0 < f < 100]
    if partial:
        return Skipped(ref, f"gives partial credit ({', '.join(f'{f:g}%' for f in partial)}), "
                            "which is not supported: one answer must be worth 100% and the others 0")
    keys = [n for n, f in enumerate(fractions) if f == 100]
    if len(keys) != 1:
        return Skipped(ref, "has no answer worth 100%" if not keys else
                            f"has {len(keys)} answers worth 100%; exactly one must be right")
    if any(f < 0 for f in fractions):
        notes.append("negative marks for wrong answers are not kept")
    stem = _converted(_child(question, "questiontext"), "stem", notes)
    options = [_converted(a, f"option {letter}", notes) for letter, a in zip(OPTION_LETTERS, answers)]
    media = [f"{where} holds {m}" for where, t in [("the stem", stem)] +
             [(f"option {letter}", t) for letter, t in zip(OPTION_LETTERS, options)]
             for m in t.media]
    if media:
        return Skipped(ref, "; ".join(media) + ": media is not supported")
    notes += describe_loss("stem", stem)
    for letter, converted in zip(OPTION_LETTERS, options):
        notes += describe_loss(f"option {letter}", converted)
    if any(_converted(_child(a, "feedback"), "feedback", []).text for a in answers):
        notes.append("feedback on each answer is not kept")
    if any(local(c.tag) == "hint" for c in question):
        notes.append("hints are not kept")
    if _child_text(question, "shuffleanswers") in ("0", "false"):
        notes.append("the source kept its options in a fixed order; papers here shuffle them")
    tags = [(_child_text(t, "text") or (t.text or "")).strip()
            for tags in question if local(tags.tag) == "tags" for t in tags]
    tags = [t for t in tags if t]
    difficulty = next((t.split(":", 1)[1] for t in tags if t.startswith("difficulty:")), "")
    return ExchangeItem(
        ref=ref, stem=stem.text,
        options={letter: t.text for letter, t in zip(OPTION_LETTERS, options)},
        key=OPTION_LETTERS[keys[0]],
        rationale=_converted(_child(question, "generalfeedback"), "rationale", []).text,
        difficulty=difficulty if difficulty in ("easy", "medium", "hard") else "",
        **from_tags(tags), category=category, notes=tuple(dict.fromkeys(notes)))


def _html(text: str) -> str:
    return "".join(f"<p>{html.escape(line, quote=False)}</p>" for line in text.split("\n") if line)


def _text_element(name: str, text: str, kind: str = "html") -> E:
    return E(name, {"format": kind}, E("text", None, text))


def _category(names: list[str]) -> E:
    return E("question", {"type": "category"},
             E("category", None, E("text", None, _join_category(names))),
             E("info", {"format": "html"}, E("text")))


def _question(item: ExchangeItem) -> E:
    tags = [f"AC{item.criterion}", f"outcome-{item.outcome}", *item.tags, *machine_tags(item)]
    return E("question", {"type": "multichoice"},
             E("name", None, E("text", None, item.ref)),
             _text_element("questiontext", _html(item.stem)),
             _text_element("generalfeedback", _html(item.rationale)),
             E("defaultgrade", None, "1.0000000"), E("penalty", None, "0.0000000"),
             E("hidden", None, "0"), E("idnumber", None, item.ref),
             E("single", None, "true"), E("shuffleanswers", None, "true"),
             E("answernumbering", None, "ABCD"), E("showstandardinstruction", None, "0"),
             _text_element("correctfeedback", ""), _text_element("partiallycorrectfeedback", ""),
             _text_element("incorrectfeedback", ""),
             *[E("answer", {"fraction": "100" if letter == item.key else "0", "format": "html"},
                 E("text", None, html.escape(text, quote=False)),
                 _text_element("feedback", ""))
               for letter, text in item.options.items()],
             E("tags", None, *[E("tag", None, E("text", None, t)) for t in dict.fromkeys(tags)]))


register(MoodleXml())
