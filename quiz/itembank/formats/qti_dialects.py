"""How QTI 3.0 and QTI 2.x spell the same things, and the namespaces and names both need."""
from __future__ import annotations

import re
from dataclasses import dataclass

XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOM = "http://ltsc.ieee.org/xsd/LOM"
DIFFICULTY_FROM_LOM = {"very easy": "easy", "easy": "easy", "medium": "medium",
                       "difficult": "hard", "very difficult": "hard"}
DIFFICULTY_TO_LOM = {"easy": "easy", "medium": "medium", "hard": "difficult"}
FEEDBACK = {"feedbackInline", "feedbackBlock", "modalFeedback", "templateInline", "templateBlock",
            "printedVariable"}


def _kebab(camel: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"-\1", camel).lower()


@dataclass(frozen=True)
class Dialect:
    """How one QTI version spells things."""

    version: str
    kebab: bool
    namespace: str
    schema: str
    manifest_namespace: str
    manifest_schema: str
    item_type: str
    test_type: str
    match_correct: str

    def el(self, name: str) -> str:
        """Return this version's name for a QTI 2 element name."""
        return "qti-" + _kebab(name) if self.kebab else name

    def at(self, name: str) -> str:
        """Return this version's name for a QTI 2 attribute name."""
        return _kebab(name) if self.kebab else name

    def qti_name(self, element_name: str) -> str | None:
        """Return the QTI 2 name of one of this version's element names, or None for HTML."""
        if self.kebab:
            if not element_name.startswith("qti-"):
                return None
            head, *rest = element_name[4:].split("-")
            return head + "".join(part.title() for part in rest)
        return element_name if element_name[:1].islower() and element_name not in _HTML else None


_HTML = {"p", "div", "span", "br", "img", "b", "strong", "i", "em", "u", "sub", "sup", "table",
         "tr", "td", "th", "tbody", "thead", "ul", "ol", "li", "pre", "code", "object", "math",
         "a", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "audio", "video", "hr", "dl",
         "dt", "dd", "caption", "col", "colgroup", "tfoot", "abbr", "cite", "q", "small", "big",
         "tt", "kbd", "samp", "var", "dfn", "address", "figure", "figcaption", "label", "ruby",
         "rt", "rp", "bdo", "bdi", "source", "track", "picture", "svg", "iframe", "embed"}

QTI3 = Dialect(
    version="3.0", kebab=True, namespace="http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
    schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd",
    manifest_namespace="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
    manifest_schema="https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd",
    item_type="imsqti_item_xmlv3p0", test_type="imsqti_test_xmlv3p0",
    match_correct="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct.xml")
QTI21 = Dialect(
    version="2.1", kebab=False, namespace="http://www.imsglobal.org/xsd/imsqti_v2p1",
    schema="http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
    manifest_namespace="http://www.imsglobal.org/xsd/imscp_v1p1",
    manifest_schema="http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
    item_type="imsqti_item_xmlv2p1", test_type="imsqti_test_xmlv2p1",
    match_correct="http://www.imsglobal.org/question/qti_v2p1/rptemplates/match_correct")


def dialect_of(root_name: str) -> Dialect:
    return QTI3 if root_name.startswith("qti-") else QTI21


def qti_identifier(item_id: str) -> str:
    """Return an identifier QTI accepts (an NCName: it may not start with a digit)."""
    return item_id if item_id[:1].isalpha() or item_id[:1] == "_" else f"I{item_id}"

