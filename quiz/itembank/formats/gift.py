"""GIFT, Moodle's plain-text question format: `::title:: stem {=right ~wrong ~wrong ~wrong}`.

Questions are separated by blank lines. Lines starting with `//` are comments; in them
`[id:...]` gives the question's ID number and `[tag:...]` a tag (as Moodle reads them).
`$CATEGORY: a/b` sets the category of the questions after it. `\\~ \\= \\# \\{ \\} \\:` are the
characters themselves, `\\n` a new line. `#` after an answer starts its feedback and `####` the
general feedback, which we keep as the rationale.
"""
from __future__ import annotations

import hashlib
import re
from typing import Sequence

from quiz.itembank.domain import OPTION_LETTERS, Blueprint
from quiz.itembank.formats import (
    ExchangeItem, FormatError, ReadResult, Sample, Skipped, from_tags, machine_tags, register,
)
from quiz.itembank.formats.moodle import _join_category, split_category
from quiz.itembank.formats.safety import decode_text
from quiz.itembank.formats.text import Text, describe_loss, html_to_text, plain

SPECIAL = "~=#{}:"
# Escaped characters stand in as private-use characters while the question is split up.
_HIDE = {c: chr(0xE000 + n) for n, c in enumerate(SPECIAL + "\\")}
_SHOW = {v: k for k, v in _HIDE.items()}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


class Gift:
    """Moodle's GIFT text format."""

    name = "gift"
    title = "GIFT (Moodle text format)"
    family = "gift"
    extension = ".txt"
    mimetype = "text/plain"
    can_read = True
    can_write = True
    every_status = False

    def recognises(self, sample: Sample) -> bool:
        """Return whether the text has a GIFT answer block or category line."""
        if sample.kind != "text":
            return False
        text = re.sub(r"(?m)^\s*//.*$", "", sample.head)
        return bool(re.search(r"(?m)^\s*\$CATEGORY:", text)
                    or re.search(r"\{[^{}]*(^|\s)[=~][^{}]*\}", text, re.M | re.S)
                    or re.search(r"\{\s*(T|F|TRUE|FALSE)\s*\}", text))

    def read(self, data: bytes) -> ReadResult:
        """Read every question; import single-answer multiple choice, report the rest."""
        text = decode_text(data, "the GIFT file")
        result = ReadResult()
        category: tuple[str, ...] = ()
        questions = 0
        for line, lines in _blocks(text):
            comments = [ln.strip() for ln in lines if ln.lstrip().startswith("//")]
            body = "\n".join(ln for ln in lines if not ln.lstrip().startswith("//")).strip()
            if not body:
                continue
            if body.startswith("$CATEGORY:"):
                category = split_category(body.split(":", 1)[1])
                continue
            questions += 1
            read = _question(body, comments, line, category)
            (result.skipped if isinstance(read, Skipped) else result.items).append(read)
        if not questions:
            raise FormatError("the GIFT file holds no questions")
        return result

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list=None) -> bytes:
        """Return a GIFT file: a category per criterion, each question with its id and tags."""
        out = [f"// {blueprint.code} {blueprint.title}: {len(items)} item(s) exported from Quiz",
               "// Each question's ID number and tags are in the comment line above it.", ""]
        top = ["$course$", "top", f"{blueprint.code} {blueprint.title}"]
        for outcome in blueprint.outcomes:
            for code, title in outcome.criteria.items():
                chosen = [i for i in items if i.criterion == code]
                if not chosen:
                    continue
                path = top + [f"Outcome {outcome.number} {outcome.title}", f"AC{code} {title}"]
                out += [f"$CATEGORY: {_join_category(path)}", ""]
                for item in chosen:
                    out += _write_question(item) + [""]
        return "\n".join(out).encode("utf-8")


def _blocks(text: str):
    """Yield (first line number, lines) of each blank-line-separated block."""
    block: list[str] = []
    start = 1
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield start, block
            block = []
    if block:
        yield start, block


def _hide_escapes(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair[:1] == "\\" and len(pair) == 2 and pair[1] in _HIDE:
            out.append(_HIDE[pair[1]])
            i += 2
        elif pair == "\\n":
            out.append("\n")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _show(text: str) -> str:
    return "".join(_SHOW.get(c, c) for c in text)


def _question(body: str, comments: list[str], line: int, category) -> ExchangeItem | Skipped:
    """Read one question block, or say why it cannot be imported."""
    hidden = _hide_escapes(body)
    title = ""
    if hidden.startswith("::"):
        end = hidden.find("::", 2)
        if end > 0:
            title, hidden = _show(hidden[2:end]).strip(), hidden[end + 2:].lstrip()
    comment_text = " ".join(comments)
    ids = re.findall(r"\[id:([^\]]+)\]", comment_text)
    tags = [t.strip() for t in re.findall(r"\[tag:([^\]]+)\]", comment_text) if t.strip()]
    label = ids[0].strip() if ids else title or f"the question at line {line}"
    kind = "moodle"
    match = re.match(r"\[(html|moodle|plain|markdown)\]", hidden)
    if match:
        kind, hidden = match.group(1), hidden[match.end():]
    opening = hidden.find("{")
    if opening < 0:
        return Skipped(label, "has no answers in { }: a description, not a question")
    closing = hidden.find("}", opening)
    if closing < 0:
        return Skipped(label, "has '{' without a closing '}'")
    before, answers, after = hidden[:opening], hidden[opening + 1:closing].strip(), hidden[closing + 1:]
    notes: list[str] = []
    stem_text = before.strip()
    if after.strip():
        stem_text = f"{before.rstrip()} _____ {after.lstrip()}"
        notes.append("a missing-word question: the gap is shown as _____")
    general = ""
    if "####" in answers:
        answers, general = answers.split("####", 1)
    parsed = _answers(label, answers.strip())
    if isinstance(parsed, Skipped):
        return parsed
    options, weights, feedback = parsed
    keys = [n for n, w in enumerate(weights) if w == 100]
    if feedback:
        notes.append("feedback on each answer is not kept")
    if any(w < 0 for w in weights):
        notes.append("negative marks for wrong answers are not kept")
    convert = _converter(kind, notes)
    stem = convert(_show(stem_text))
    texts = [convert(o) for o in options]
    media = [f"{where} holds {m}" for where, t in [("the stem", stem)] +
             list(zip((f"option {x}" for x in OPTION_LETTERS), texts)) for m in t.media]
    if media:
        return Skipped(label, "; ".join(media) + ": media is not supported")
    notes += describe_loss("stem", stem)
    for letter, converted in zip(OPTION_LETTERS, texts):
        notes += describe_loss(f"option {letter}", converted)
    difficulty = next((t.split(":", 1)[1] for t in tags if t.startswith("difficulty:")), "")
    ref = ids[0].strip() if ids else title or "text:" + hashlib.sha256(
        "\n".join([stem.text] + [t.text for t in texts]).encode()).hexdigest()[:16]
    return ExchangeItem(
        ref=ref, stem=stem.text, options=dict(zip(OPTION_LETTERS, (t.text for t in texts))),
        key=OPTION_LETTERS[keys[0]], rationale=convert(_show(general)).text,
        difficulty=difficulty if difficulty in ("easy", "medium", "hard") else "",
        **from_tags(tags), category=category, notes=tuple(dict.fromkeys(notes)))


def _answers(label: str, answers: str):
    """Return a multiple-choice answer block's options, their weights (per cent) and whether any
    had feedback, or a Skipped naming the question type or what is wrong with it."""
    if not answers:
        return Skipped(label, "is an essay question; only multiple choice with one right answer "
                              "can be imported")
    if re.fullmatch(r"(T|F|TRUE|FALSE)(\s*#.*)?", answers, re.S):
        return Skipped(label, "is a true/false question; only multiple choice with one right "
                              "answer can be imported")
    if answers.startswith("#"):
        return Skipped(label, "is a numerical question; only multiple choice can be imported")
    parts = [p for p in re.split(r"(?=[=~])", answers) if p.strip()]
    if parts and parts[0][0] not in "=~":
        return Skipped(label, f"has answers that do not start with = or ~: {_show(parts[0]).strip()!r}")
    options, weights, feedback = [], [], False
    for part in parts:
        marker, rest = part[0], part[1:]
        weight = 100.0 if marker == "=" else 0.0
        found = _WEIGHT.match(rest)
        if found:
            weight, rest = float(found.group(1)), rest[found.end():]
        if "->" in rest and marker == "=":
            return Skipped(label, "is a matching question; only multiple choice can be imported")
        if "#" in rest:
            rest, _ = rest.split("#", 1)
            feedback = True
        options.append(_show(rest).strip())
        weights.append(weight)
    if "~" not in "".join(p[0] for p in parts):
        return Skipped(label, "is a short-answer question (every answer starts with =); only "
                              "multiple choice can be imported")
    partial = [w for w in weights if 0 < w < 100]
    if partial:
        return Skipped(label, f"gives partial credit ({', '.join(f'{w:g}%' for w in partial)}), "
                              "as multiple-answer questions do; this is not supported")
    keys = [n for n, w in enumerate(weights) if w == 100]
    if len(keys) != 1:
        return Skipped(label, "has no right answer (=)" if not keys else
                              f"has {len(keys)} right answers; exactly one must be right")
    if len(options) != 4:
        return Skipped(label, f"has {len(options)} options; items need exactly four")
    return options, weights, feedback


def _converter(kind: str, notes: list[str]):
    if kind == "plain":
        return plain
    if kind == "markdown":
        def markdown(text: str) -> Text:
            if text.strip():
                notes.append("Markdown is imported as it is written, not rendered")
            return plain(text)
        return markdown
    return html_to_text  # [html] and Moodle's default auto-format both allow HTML


def escape(text: str) -> str:
    """Return text with GIFT's special characters escaped and new lines as \\n."""
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _write_question(item: ExchangeItem) -> list[str]:
    tags = [f"AC{item.criterion}", f"outcome-{item.outcome}", *item.tags, *machine_tags(item)]
    lines = ["// [id:" + item.ref + "] " + " ".join(f"[tag:{t}]" for t in dict.fromkeys(tags)),
             f"::{escape(item.ref)}::[plain]{escape(item.stem)} {{"]
    lines += [("=" if letter == item.key else "~") + escape(text)
              for letter, text in item.options.items()]
    if item.rationale:
        lines.append("####" + escape(item.rationale))
    return lines + ["}"]


register(Gift())
