"""What an import will do, decided in plain Python before anything is written.

Each item read from a file is matched to an assessment criterion of the bank's blueprint (by the
criterion the file names, the user's mapping of tags and categories, or tags such as `AC1.1`),
checked, and compared with what the bank already holds: an item whose source identifier was
imported before is left alone, so importing the same file twice changes nothing.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from quiz.itembank.fields import FIELDS_BY_NAME, ID_PATTERN
from quiz.itembank.domain import DIFFICULTIES, OPTION_LETTERS, Blueprint, ItemContent
from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult, Skipped

# "AC1.1", "ac 1.1", "AC-1.1", "criterion 1.1" anywhere in a tag or category name.
CRITERION = re.compile(r"(?<![\w.])(?:AC|criterion)[\s_-]*(\d+\.\d+)(?![\d.]*\d)", re.IGNORECASE)
MAX_STEM = FIELDS_BY_NAME["stem"].kind.max_chars  # what a bank file and the writers' form allow
MAX_OPTION = FIELDS_BY_NAME["options"].kind.max_chars
MAX_REF = 200


@dataclass(frozen=True)
class TagMap:
    """The user's mapping from tags or category names to criteria, matched without case."""

    pairs: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: str, what: str = "the mapping") -> TagMap:
        """Read lines of `tag or category = criterion` (# starts a comment), or raise FormatError."""
        pairs: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if not line:
                continue
            if "=" not in line:
                raise FormatError(f"{what}, line {number}: expected 'tag = criterion', "
                                  f"e.g. 'Coaching purpose = 1.1', not {line!r}")
            tag, criterion = (part.strip() for part in line.rsplit("=", 1))
            criterion = criterion.upper().removeprefix("AC").strip()
            if not tag or not re.fullmatch(r"\d+\.\d+", criterion):
                raise FormatError(f"{what}, line {number}: {line!r} must name a tag and a "
                                  "criterion such as 1.1")
            pairs[tag.casefold()] = criterion
        return cls(pairs)

    def lookup(self, name: str) -> str | None:
        """Return the criterion a tag or category name maps to, if any."""
        return self.pairs.get(name.strip().casefold())


@dataclass(frozen=True)
class Planned:
    """An item that will be created as a draft."""

    source_ref: str
    item_id: str | None  # the source's id when it is a valid id free in the bank
    criterion: str
    outcome: int
    content: ItemContent  # with the Range points and form the file gives; enemies unchecked
    notes: tuple[str, ...]
    ref: str


@dataclass
class Plan:
    """What importing a file into a bank will do."""

    create: list[Planned] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # source refs imported before
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def source_ref(family: str, ref: str) -> str:
    """Return the identifier kept on an imported item: its format family and source id."""
    ref = " ".join(ref.split())
    if len(ref) > MAX_REF:
        ref = ref[:MAX_REF - 17] + "#" + hashlib.sha256(ref.encode()).hexdigest()[:16]
    return f"{family}:{ref}"


def resolve_criterion(item: ExchangeItem, blueprint: Blueprint, mapping: TagMap) -> str | Skipped:
    """Return the criterion an item belongs to, or a Skipped saying why it has none."""
    names = list(item.tags) + list(item.category)
    if item.criterion:
        found = {item.criterion}
    else:
        found = {c for n in names if (c := mapping.lookup(n))}
        if not found and item.category:
            found = {c for c in [mapping.lookup("/".join(item.category))] if c}
        if not found:
            found = {m for n in item.tags for m in CRITERION.findall(n)}
        if not found:
            found = {m for n in item.category for m in CRITERION.findall(n)}
    if not found:
        described = []
        if item.tags:
            described.append(f"tags {', '.join(item.tags)}")
        if item.category:
            described.append(f"category {' / '.join(item.category)}")
        return Skipped(item.ref, f"names no assessment criterion ({'; '.join(described) or 'no tags'}): "
                                 "tag it with one such as AC1.1, or map its tags or category to a "
                                 "criterion")
    if len(found) > 1:
        return Skipped(item.ref, f"names several criteria ({', '.join(sorted(found))}); an item "
                                 "tests exactly one")
    criterion = found.pop()
    if blueprint.outcome_of(criterion) is None:
        known = ", ".join(c for o in blueprint.outcomes for c in o.criteria)
        return Skipped(item.ref, f"criterion {criterion} is not in {blueprint.code} "
                                 f"(its criteria: {known})")
    if item.outcome is not None and item.outcome != blueprint.outcome_of(criterion):
        return Skipped(item.ref, f"says outcome {item.outcome}, but criterion {criterion} belongs "
                                 f"to outcome {blueprint.outcome_of(criterion)}")
    return criterion


def _check_content(item: ExchangeItem) -> str | None:
    """Return what is wrong with an item's content, or None."""
    if not item.stem:
        return "has an empty stem"
    if len(item.stem) > MAX_STEM:
        return f"has a stem of {len(item.stem)} characters; at most {MAX_STEM} are allowed"
    if tuple(item.options) != OPTION_LETTERS:
        return "does not have exactly four options"
    empty = [letter for letter, text in item.options.items() if not text]
    if empty:
        return f"option {', '.join(empty)} is empty"
    long = [letter for letter, text in item.options.items() if len(text) > MAX_OPTION]
    if long:
        return f"option {', '.join(long)} is longer than {MAX_OPTION} characters"
    if item.key not in OPTION_LETTERS:
        return f"its key {item.key!r} is not one of A, B, C, D"
    return None


def plan_import(read: ReadResult, family: str, blueprint: Blueprint, mapping: TagMap,
                existing_refs: set[str], existing_ids: set[str],
                existing_content: dict[tuple, str]) -> Plan:
    """Decide, item by item, what importing a read file into a bank does.

    existing_refs are the source refs already in the bank, existing_ids its item ids, and
    existing_content maps (stem, options, key) of current versions to their item ids.
    """
    plan = Plan(skipped=list(read.skipped), notes=list(read.notes))
    seen_refs: set[str] = set()
    taken = set(existing_ids)
    for item in read.items:
        ref = source_ref(family, item.ref)
        if ref in seen_refs:
            ref = source_ref(family, f"{item.ref}#{_content_hash(item)}")
            if ref in seen_refs:
                plan.skipped.append(Skipped(item.ref, "appears twice in this file with the same "
                                                      "content"))
                continue
        seen_refs.add(ref)
        if ref in existing_refs:
            plan.already.append(item.ref)
            continue
        problem = _check_content(item)
        if problem:
            plan.skipped.append(Skipped(item.ref, problem))
            continue
        criterion = resolve_criterion(item, blueprint, mapping)
        if isinstance(criterion, Skipped):
            plan.skipped.append(criterion)
            continue
        same = existing_content.get((item.stem, tuple(item.options.items()), item.key))
        if same:
            plan.skipped.append(Skipped(item.ref, f"is already in the bank as item {same} (same "
                                                  "stem, options and key)"))
            continue
        item_id = item.ref if ID_PATTERN.match(item.ref) and item.ref not in taken else None
        if item_id:
            taken.add(item_id)
        difficulty = item.difficulty if item.difficulty in DIFFICULTIES else "medium"
        # Enemies are ids of this bank, which no other tool knows: None says nobody has checked
        # them yet, so the writer must before the draft goes for review.
        content = ItemContent(stem=item.stem, options=dict(item.options), key=item.key,
                              rationale=item.rationale, difficulty=difficulty, enemies=None,
                              range_ids=tuple(dict.fromkeys(item.range)), form=item.form)
        plan.create.append(Planned(source_ref=ref, item_id=item_id, criterion=criterion,
                                   outcome=blueprint.outcome_of(criterion), content=content,
                                   notes=item.notes, ref=item.ref))
    return plan


def _content_hash(item: ExchangeItem) -> str:
    text = "\n".join([item.stem, *item.options.values(), item.key])
    return hashlib.sha256(text.encode()).hexdigest()[:12]
