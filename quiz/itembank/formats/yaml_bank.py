"""Our own bank files (the item_banks/ layout) as one more export format, for a download.

The files are written by bankwriter, the same writer `quiz bank export` uses for a folder, so a
download unzipped into item_banks/ is what that command would have written. They are loaded with
`quiz bank load`, not imported: loading keeps ids, statuses and enemies, which imports do not.
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


class YamlBank:
    """The item_banks/ layout: blueprint.yaml and one file of items per criterion, zipped."""

    name = "yaml"
    title = "Bank files (YAML in the item_banks/ layout, zipped)"
    family = "yaml"
    extension = ".zip"
    mimetype = "application/zip"
    can_read = False
    can_write = True

    def recognises(self, sample: Sample) -> bool:
        """Bank files are loaded, not imported."""
        return False

    def read(self, data: bytes) -> ReadResult:
        raise FormatError("bank files are loaded with `quiz bank load`, not imported")

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list: RangeList | None = None) -> bytes:
        """Return a zip of QUALIFICATION/UNIT/blueprint.yaml, range.yaml and items/*.yaml."""
        folder = f"{blueprint.qualification}/{blueprint.unit}"
        by_criterion: dict[str, list[dict]] = defaultdict(list)
        for item in items:
            content = ItemContent(stem=item.stem, options=dict(item.options), key=item.key,
                                  rationale=item.rationale, difficulty=item.difficulty or "medium",
                                  enemies=None if item.enemies is None else tuple(item.enemies),
                                  range_ids=tuple(item.range), form=item.form)
            by_criterion[item.criterion].append(fields.values_of(
                content, id=item.ref, criterion=item.criterion, status=item.status or "draft"))
        titles = {c: t for o in blueprint.outcomes for c, t in o.criteria.items()}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{folder}/{BLUEPRINT_FILE}", bankwriter.render_blueprint(blueprint))
            if range_list is not None:
                archive.writestr(f"{folder}/{RANGE_FILE}", bankwriter.range_text(range_list))
            for criterion in sorted(by_criterion, key=bankwriter.natural_key):
                name = bankwriter.file_name(criterion, titles.get(criterion, ""))
                archive.writestr(f"{folder}/items/{name}", bankwriter.render_item_file(
                    blueprint, criterion, by_criterion[criterion]))
        return buffer.getvalue()


register(YamlBank())
