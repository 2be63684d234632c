"""IMS QTI 3.0 and QTI 2.1/2.2: single-choice items, tests and content packages, in and out.

QTI 3.0 renamed QTI 2.x's elements and attributes to kebab case with a `qti-` prefix
(`assessmentItem` -> `qti-assessment-item`, `maxChoices` -> `max-choices`) and kept their meaning,
so one reader and one writer serve both, each spoken in a `Dialect`. Two formats are registered:
`qti3` reads and writes QTI 3.0; `qti2` reads QTI 2.1 and 2.2 and writes QTI 2.1.

Outcome, criterion, difficulty and Range points travel as IEEE LOM metadata on each item's
resource in imsmanifest.xml: a classification whose taxon path is outcome then criterion, keywords
(`AC1.1`, `outcome-1`, `range:...`) and the educational difficulty.
"""
from __future__ import annotations

from typing import Sequence

from quiz.itembank.domain import Blueprint
from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult, Sample, register
from quiz.itembank.formats.qti_dialects import QTI3, QTI21, Dialect
from quiz.itembank.formats.qti_read import Meta, add, read_item, read_package
from quiz.itembank.formats.qti_write import write_package
from quiz.itembank.formats.safety import local, parse_xml


class QtiFormat:
    """Read and write QTI single-choice items in one QTI version."""

    family = "qti"
    extension = ".zip"
    mimetype = "application/zip"
    can_read = True
    can_write = True
    every_status = False

    def __init__(self, name: str, title: str, dialect: Dialect, roots: tuple[str, ...],
                 package_versions: tuple[str, ...]):
        self.name = name
        self.title = title
        self.dialect = dialect
        self._roots = roots
        self._package_versions = package_versions

    def recognises(self, sample: Sample) -> bool:
        """Return whether this is a QTI item, test or package of this format's versions."""
        if sample.kind == "xml":
            return sample.root in self._roots
        if sample.kind == "zip" and sample.manifest_types:
            versions = {t.rsplit("xmlv", 1)[-1] for t in sample.manifest_types}
            return bool(versions & set(self._package_versions))
        return False

    def read(self, data: bytes) -> ReadResult:
        """Read a QTI item (XML) or a content package (zip) into items and skipped questions."""
        from quiz.itembank.formats.safety import is_zip
        if is_zip(data):
            return read_package(data)
        root = parse_xml(data, "the QTI file")
        name = local(root.tag)
        result = ReadResult()
        if name.endswith(("assessmentTest", "assessment-test")):
            raise FormatError("a QTI test refers to its items in other files: import the whole "
                              "content package (the zip with imsmanifest.xml)")
        if not name.endswith(("assessmentItem", "assessment-item")):
            raise FormatError(f"<{name}> is not a QTI assessment item")
        add(result, read_item(root, root.get("identifier") or "the item", Meta()))
        return result

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint,
              range_list=None) -> bytes:
        """Return a content package: the items, one test with a section per outcome, a manifest."""
        return write_package(items, blueprint, self.dialect)


register(QtiFormat("qti3", "IMS QTI 3.0 (content package, or one item)", QTI3,
                   roots=("qti-assessment-item", "qti-assessment-test"),
                   package_versions=("3p0",)))
register(QtiFormat("qti2", "IMS QTI 2.1 / 2.2 (content package, or one item)", QTI21,
                   roots=("assessmentItem", "assessmentTest"),
                   package_versions=("2p1", "2p2", "2p0")))
