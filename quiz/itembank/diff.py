"""Word-level differences between two versions of an item (pure)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Mapping

from quiz.itembank.fields import ITEM_FIELDS

_TOKEN = re.compile(r"\s*\S+\s*|\s+")  # a word with the spaces around it


@dataclass(frozen=True)
class Piece:
    """A run of words that both versions share ("same"), or only the old ("removed") or the new
    ("added") one has."""

    kind: str
    text: str


@dataclass(frozen=True)
class FieldDiff:
    """How one field (or one option) differs between two versions."""

    label: str
    pieces: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        """Return whether the versions differ here."""
        return any(p.kind != "same" for p in self.pieces)


def word_diff(old: str, new: str) -> tuple[Piece, ...]:
    """Return new against old as runs of same, removed and added words (spaces kept)."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    pieces: list[Piece] = []
    # Words are matched without their spaces, so a shared space never splits a changed phrase.
    matcher = difflib.SequenceMatcher(None, [t.strip() for t in a], [t.strip() for t in b],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            _add(pieces, "same", "".join(a[i1:i2]))
        else:  # a changed run: its closing space is shared, so it is not struck through
            removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
            space = (added or removed)[len((added or removed).rstrip()):]
            _add(pieces, "removed", removed.rstrip())
            _add(pieces, "added", added.rstrip())
            _add(pieces, "same", space)
    return tuple(pieces)


def _add(pieces: list[Piece], kind: str, text: str) -> None:
    if not text:
        return
    if pieces and pieces[-1].kind == kind:
        pieces[-1] = Piece(kind, pieces[-1].text + text)
    else:
        pieces.append(Piece(kind, text))


def version_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldDiff]:
    """Return every writer-visible field of two versions' values, compared word by word.

    Fields follow ITEM_FIELDS; options are compared letter by letter; lists as comma-separated ids.
    """
    diffs = []
    for item_field in ITEM_FIELDS:
        if item_field.name not in old and item_field.name not in new:
            continue
        before, after = old.get(item_field.name), new.get(item_field.name)
        if item_field.kind.shape == "mapping":
            for key in dict.fromkeys([*(before or {}), *(after or {})]):
                diffs.append(FieldDiff(f"{item_field.kind.part_label} {key}",
                                       word_diff((before or {}).get(key, ""),
                                                 (after or {}).get(key, ""))))
            continue
        diffs.append(FieldDiff(item_field.label, word_diff(_text(before), _text(after))))
    return diffs


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(value) if value else "none"
    return str(value)
