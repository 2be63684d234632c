"""Exchange formats: one small module per format behind one interface, found through a registry.

Every format reads the bytes of a file into `ExchangeItem`s plus the questions it could not take
(`Skipped`, each with its identifier and the reason), and writes items plus their blueprint into
bytes. Nothing here touches the database or Flask: `quiz.itembank.exchange` does that.

Adding a format is adding a module that calls `register(...)`; nothing asks for a format by name
anywhere else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Protocol, Sequence

from quiz.itembank.domain import BankItem, Blueprint, RangeList


class FormatError(ValueError):
    """The file as a whole cannot be read (or is refused): nothing from it is imported."""


@dataclass(frozen=True)
class ExchangeItem:
    """One single-best-answer item as it travels between tools: content, tags and its source id."""

    ref: str  # the source's own identifier: QTI identifier, Moodle ID number or name, CSV id
    stem: str
    options: dict[str, str]  # "A".."D" -> text, in the source's order
    key: str
    rationale: str = ""
    difficulty: str = ""  # easy | medium | hard, or "" when the source says nothing
    criterion: str = ""  # when the source names it outright (our own exports, a CSV column)
    outcome: int | None = None
    tags: tuple[str, ...] = ()
    category: tuple[str, ...] = ()  # Moodle and GIFT category path, one name per level
    range: tuple[str, ...] = ()  # Range point ids of the handbook, when the source has them
    form: str = ""  # the question form (domain.FORMS), when the source has it
    status: str = ""  # what the source says; imported items are drafts whatever this is
    # Exported to our own bank files only (None: not checked yet); imports leave them out.
    enemies: tuple[str, ...] | None = ()
    source_file: str = ""  # the bank file it was loaded from, so an export keeps the file's name
    notes: tuple[str, ...] = ()  # what changed on the way in (markup dropped, feedback not kept)


def from_bank_item(item: BankItem) -> ExchangeItem:
    """Return a bank item as it travels: its id is the source identifier other tools keep."""
    return ExchangeItem(
        ref=item.item_id, stem=item.content.stem, options=dict(item.content.options),
        key=item.content.key, rationale=item.content.rationale,
        difficulty=item.content.difficulty, criterion=item.criterion, outcome=item.outcome,
        range=tuple(item.content.range_ids), form=item.content.form, status=item.status,
        enemies=item.content.enemies, source_file=PurePath(item.path).name if item.path else "")


# Our own tags, which travel in the tags or keywords of the formats that have them and come back
# as fields: "range:1.4/coach/..." for each Range point, "form:decision" and "difficulty:easy".
MACHINE_TAGS = ("range:", "form:", "difficulty:")


def machine_tags(item: ExchangeItem, difficulty: bool = True) -> list[str]:
    """Return the tags that carry an item's difficulty, form and Range points."""
    return [*([f"difficulty:{item.difficulty}"] if difficulty and item.difficulty else []),
            *([f"form:{item.form}"] if item.form else []),
            *[f"range:{r}" for r in item.range]]


def from_tags(tags) -> dict:
    """Return the plain tags, Range points and form that machine_tags wrote (difficulty apart)."""
    return {"tags": tuple(t for t in tags if not t.startswith(MACHINE_TAGS)),
            "range": tuple(t.removeprefix("range:") for t in tags if t.startswith("range:")),
            "form": next((t.removeprefix("form:") for t in tags if t.startswith("form:")), "")}


@dataclass(frozen=True)
class Skipped:
    """A question that was not imported, named so the writer can find it, and why."""

    ref: str
    reason: str

    def __str__(self) -> str:
        return f"{self.ref}: {self.reason}"


@dataclass
class ReadResult:
    """What a format read from a file."""

    items: list[ExchangeItem] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the file as a whole


@dataclass(frozen=True)
class Sample:
    """What detection knows about a file, worked out once: its kind and its tell-tale parts."""

    kind: str  # "zip", "xml" or "text"
    root: str = ""  # the XML root element's local name
    namespace: str = ""  # the XML root element's namespace
    members: tuple[str, ...] = ()  # a zip's file names
    manifest_types: tuple[str, ...] = ()  # resource types in a zip's imsmanifest.xml
    head: str = ""  # the first lines of a text file


class Format(Protocol):
    """One exchange format."""

    name: str  # what --format takes: "qti3"
    title: str  # what people read: "IMS QTI 3.0 content package"
    family: str  # imports from formats of one family share source identifiers ("qti")
    extension: str  # of the files it writes: ".zip"
    mimetype: str
    can_read: bool
    can_write: bool
    every_status: bool  # writes every item with its status, whatever statuses are asked for

    def recognises(self, sample: Sample) -> bool:
        """Return whether a file with this sample is in this format."""

    def read(self, data: bytes) -> ReadResult:
        """Read a file into items and skipped questions, or raise FormatError."""

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list: RangeList | None = None) -> bytes:
        """Return the file holding these items of this blueprint (range_list: the bank's Range
        points, which only our own bank files carry)."""


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add a format to the registry, under its name."""
    FORMATS[fmt.name] = fmt
    return fmt


def get(name: str) -> Format:
    """Return the format with this name, or raise FormatError naming the known ones."""
    try:
        return FORMATS[name]
    except KeyError:
        raise FormatError(f"unknown format {name!r} (known: {', '.join(FORMATS)})") from None


def readers() -> list[Format]:
    """Return the formats that can import, in registry order."""
    return [f for f in FORMATS.values() if f.can_read]


def writers() -> list[Format]:
    """Return the formats that can export, in registry order."""
    return [f for f in FORMATS.values() if f.can_write]


def detect(data: bytes) -> Format:
    """Return the format a file is in, judged from its content alone, or raise FormatError."""
    from quiz.itembank.formats.safety import sample_of
    sample = sample_of(data)
    for fmt in readers():
        if fmt.recognises(sample):
            return fmt
    raise FormatError(_unrecognised(sample))


def read(data: bytes, format_name: str | None = None) -> tuple[Format, ReadResult]:
    """Read a file in the format given, or the one its content shows; return both."""
    from quiz.itembank.formats.safety import check_size
    check_size(len(data))
    fmt = get(format_name) if format_name else detect(data)
    if not fmt.can_read:
        raise FormatError(f"{fmt.title} files can be exported but not imported")
    return fmt, fmt.read(data)


QTI_1 = ("QTI 1.2 (what Canvas and Blackboard export by default) is not supported: export QTI 2.1 "
         "or 3.0, or Moodle XML, instead")


def _unrecognised(sample: Sample) -> str:
    if sample.kind == "zip" and any("v1p" in t for t in sample.manifest_types):
        return f"this package holds QTI 1.x; {QTI_1}"
    if sample.kind == "xml" and sample.root == "questestinterop":
        return f"this is a QTI 1.x file; {QTI_1}"
    if sample.kind == "xml" and sample.root == "manifest":
        return ("this is a package's imsmanifest.xml on its own: import the whole package (the zip "
                "holding the manifest and its items)")
    if sample.kind == "zip":
        if "imsmanifest.xml" in sample.members and not sample.manifest_types:
            return ("this zip has an imsmanifest.xml but no QTI 2.1, 2.2 or 3.0 items or tests in "
                    "it: is it a QTI package?")
        return ("this zip is not a QTI content package (no imsmanifest.xml at its top) nor an "
                "Excel workbook")
    if sample.kind == "xml":
        return (f"an XML file whose root element is <{sample.root}> is not one we read: expected "
                "Moodle XML (<quiz>), a QTI item or a QTI package (zip)")
    return ("the file is neither GIFT (questions with {=right ~wrong} answers) nor CSV with the "
            "columns described in the README (stem, option_a ... option_d, key)")


# The formats register themselves on import; their order is the order detection tries them in,
# and the order the export page lists them in (our own bank files first: the default export).
from quiz.itembank.formats import yaml_bank, qti, moodle, gift, table  # noqa: E402,F401
