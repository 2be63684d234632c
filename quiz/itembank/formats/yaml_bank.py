"""Our own bank files (the item_banks/ layout): the one writer of the layout, and a download of it.

`bank_files` is the only code that lays a bank out as files: `quiz bank export` writes what it
returns into a folder, and the export page's download zips the same files, so a download unzipped
into item_banks/ is what that command would have written. They are loaded with `quiz bank load`,
not imported: loading keeps ids, statuses and enemies, which imports do not.
"""
from __future__ import annotations

import io
import zipfile
from collections import defaultdict
from typing import Sequence

from quiz.itembank import bankwriter, fields
from quiz.itembank.bankfile import BLUEPRINT_FILE, RANGE_FILE
from quiz.itembank.domain import Blueprint, ItemContent, RangeList
from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult, Sample, register

ITEMS_FOLDER = "items"


def folder_of(blueprint: Blueprint) -> str:
    """Return where a bank's files go under the folder of banks: QUALIFICATION/UNIT."""
    return f"{blueprint.qualification}/{blueprint.unit}"


def bank_files(items: Sequence[ExchangeItem], blueprint: Blueprint,
               range_list: RangeList | None = None) -> dict[str, str]:
    """Return a bank's files by their path in its folder, in a stable order.

    blueprint.yaml (the file it was read from, as written, else one rendered from the blueprint),
    range.yaml when the bank has Range points, and items/<file> for each criterion with items:
    the name its items were loaded from if they agree on one, else one from its title.
    """
    files = {BLUEPRINT_FILE: blueprint.text or bankwriter.render_blueprint(blueprint)}
    if range_list is not None:
        files[RANGE_FILE] = bankwriter.range_text(range_list)
    by_criterion: dict[str, list[ExchangeItem]] = defaultdict(list)
    for item in items:
        by_criterion[item.criterion].append(item)
    titles = {c: t for o in blueprint.outcomes for c, t in o.criteria.items()}
    for criterion in sorted(by_criterion, key=bankwriter.natural_key):
        group = by_criterion[criterion]
        name = bankwriter.file_name(criterion, titles.get(criterion, ""),
                                    [i.source_file for i in group if i.source_file])
        files[f"{ITEMS_FOLDER}/{name}"] = bankwriter.render_item_file(
            blueprint, criterion, [_values(i) for i in group])
    return files


def _values(item: ExchangeItem) -> dict:
    """Return an item's values by field name, as its bank file holds them."""
    content = ItemContent(stem=item.stem, options=dict(item.options), key=item.key,
                          rationale=item.rationale, difficulty=item.difficulty or "medium",
                          enemies=None if item.enemies is None else tuple(item.enemies),
                          range_ids=tuple(item.range), form=item.form)
    return fields.values_of(content, id=item.ref, criterion=item.criterion,
                            status=item.status or "draft")


class YamlBank:
    """The item_banks/ layout: blueprint.yaml, range.yaml and one file of items per criterion."""

    name = "yaml"
    title = "Bank files (YAML in the item_banks/ layout, zipped)"
    family = "yaml"
    extension = ".zip"
    mimetype = "application/zip"
    can_read = False
    can_write = True
    every_status = True  # bank files hold every item, as `quiz bank export` writes them

    def recognises(self, sample: Sample) -> bool:
        """Bank files are loaded, not imported."""
        return False

    def read(self, data: bytes) -> ReadResult:
        raise FormatError("bank files are loaded with `quiz bank load`, not imported")

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list: RangeList | None = None) -> bytes:
        """Return a zip of bank_files under QUALIFICATION/UNIT/."""
        folder = folder_of(blueprint)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, text in bank_files(items, blueprint, range_list).items():
                archive.writestr(f"{folder}/{path}", text)
        return buffer.getvalue()


register(YamlBank())
