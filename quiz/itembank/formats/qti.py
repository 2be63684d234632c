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

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Sequence
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

from quiz.itembank.domain import OPTION_LETTERS, Blueprint
from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult, Sample, Skipped, register
from quiz.itembank.formats.safety import UnsafeXml, local, open_zip, parse_xml
from quiz.itembank.formats.text import describe_loss, html_to_text
from quiz.itembank.formats.xmlwrite import E, document

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


def _dialect_of(root_name: str) -> Dialect:
    return QTI3 if root_name.startswith("qti-") else QTI21


def qti_identifier(item_id: str) -> str:
    """Return an identifier QTI accepts (an NCName: it may not start with a digit)."""
    return item_id if item_id[:1].isalpha() or item_id[:1] == "_" else f"I{item_id}"


class QtiFormat:
    """Read and write QTI single-choice items in one QTI version."""

    family = "qti"
    extension = ".zip"
    mimetype = "application/zip"
    can_read = True
    can_write = True

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

    # --- reading --------------------------------------------------------------------------------

    def read(self, data: bytes) -> ReadResult:
        """Read a QTI item (XML) or a content package (zip) into items and skipped questions."""
        from quiz.itembank.formats.safety import is_zip
        if is_zip(data):
            return _read_package(data)
        root = parse_xml(data, "the QTI file")
        name = local(root.tag)
        result = ReadResult()
        if name.endswith(("assessmentTest", "assessment-test")):
            raise FormatError("a QTI test refers to its items in other files: import the whole "
                              "content package (the zip with imsmanifest.xml)")
        if not name.endswith(("assessmentItem", "assessment-item")):
            raise FormatError(f"<{name}> is not a QTI assessment item")
        _add(result, _read_item(root, root.get("identifier") or "the item", _Meta()))
        return result

    # --- writing --------------------------------------------------------------------------------

    def write(self, items: Sequence[ExchangeItem], blueprint: Blueprint) -> bytes:
        """Return a content package: the items, one test with a section per outcome, a manifest."""
        d = self.dialect
        files: dict[str, bytes] = {}
        resources = []
        for item in items:
            path = f"items/{item.ref}.xml"
            files[path] = document(_item_xml(item, d))
            resources.append(E("resource", {"identifier": f"RES-{qti_identifier(item.ref)}",
                                            "type": d.item_type, "href": path},
                               E("metadata", None, _lom(item, blueprint)),
                               E("file", {"href": path})))
        test_path = "assessment.xml"
        files[test_path] = document(_test_xml(items, blueprint, d))
        test_resource = E("resource", {"identifier": "RES-TEST", "type": d.test_type,
                                       "href": test_path},
                          E("file", {"href": test_path}),
                          *[E("dependency", {"identifierref": r.attrs["identifier"]})
                            for r in resources])
        manifest = E("manifest", {
            "xmlns": d.manifest_namespace, "xmlns:imsmd": LOM, "xmlns:xsi": XSI,
            "identifier": "MANIFEST-" + _ncname(blueprint.code),
            "xsi:schemaLocation": f"{d.manifest_namespace} {d.manifest_schema} {LOM} "
                                  "https://purl.imsglobal.org/spec/md/v1p3/schema/xsd/imsmd_loose_v1p3p2.xsd"},
            E("metadata", None, E("schema", None, "QTI Package" if d.kebab else "QTIv2.1 Package"),
              E("schemaversion", None, "3.0.0" if d.kebab else "1.0.0")),
            E("organizations"),
            E("resources", None, test_resource, *resources))
        files = {"imsmanifest.xml": document(manifest), **files}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, content in files.items():
                archive.writestr(zipfile.ZipInfo(path, date_time=(2026, 1, 1, 0, 0, 0)), content,
                                 compress_type=zipfile.ZIP_DEFLATED)
        return buffer.getvalue()


def _ncname(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "-", text)


# --- reading: packages ---------------------------------------------------------------------------

@dataclass
class _Meta:
    """What a manifest (and the tests in a package) say about one item."""

    source_id: str = ""
    tags: tuple[str, ...] = ()
    difficulty: str = ""
    outcome: int | None = None


def _read_package(data: bytes) -> ReadResult:
    archive = open_zip(data)
    if "imsmanifest.xml" not in archive.names:
        raise FormatError("this zip has no imsmanifest.xml at its top, so it is not a QTI content "
                          "package")
    manifest = parse_xml(archive.read("imsmanifest.xml"), "imsmanifest.xml")
    result = ReadResult()
    resources = [r for r in manifest.iter() if local(r.tag) == "resource"]
    sections: dict[str, list[str]] = {}
    for resource in resources:
        if resource.get("type", "").startswith("imsqti_test_xml"):
            _read_test(archive, resource, sections, result)
    found = 0
    for resource in resources:
        kind = resource.get("type", "")
        if not kind.startswith("imsqti_item_xml"):
            continue
        found += 1
        href = _href(resource)
        ref = resource.get("identifier") or href or "an item"
        if not href:
            result.skipped.append(Skipped(ref, "the manifest names no file for this item"))
            continue
        path = archive.resolve("imsmanifest.xml", href)
        if path not in archive.names:
            result.skipped.append(Skipped(ref, f"the manifest lists {href}, which the zip does "
                                               "not hold"))
            continue
        try:
            root = parse_xml(archive.read(path), path)
        except UnsafeXml:
            raise
        except FormatError as err:
            result.skipped.append(Skipped(ref, str(err)))
            continue
        meta = _manifest_meta(resource)
        meta.tags += tuple(sections.get(path, ()))
        _add(result, _read_item(root, root.get("identifier") or ref, meta))
    if not found:
        raise FormatError("the package's manifest lists no QTI items")
    return result


def _href(resource: Element) -> str:
    href = resource.get("href")
    if href:
        return href
    first = next((f for f in resource if local(f.tag) == "file"), None)
    return first.get("href", "") if first is not None else ""


def _read_test(archive, resource: Element, sections: dict[str, list[str]], result: ReadResult):
    """Note each item's section (title and identifier become its tags) in the package's tests."""
    href = _href(resource)
    path = archive.resolve("imsmanifest.xml", href) if href else ""
    if path not in archive.names:
        result.notes.append(f"the manifest lists the test {href or '(no file)'}, which the zip "
                            "does not hold")
        return
    test = parse_xml(archive.read(path), path)
    for section in test.iter():
        if local(section.tag) not in ("assessmentSection", "qti-assessment-section"):
            continue
        labels = [v for v in (section.get("identifier"), section.get("title")) if v]
        for ref in section:
            if local(ref.tag) in ("assessmentItemRef", "qti-assessment-item-ref") and ref.get("href"):
                sections.setdefault(archive.resolve(path, ref.get("href")), []).extend(labels)
    result.notes.append(f"test {test.get('title') or test.get('identifier') or path}: its sections "
                        "are read as tags; selection, ordering and time limits come from our "
                        "blueprint instead")


def _manifest_meta(resource: Element) -> _Meta:
    """Read the LOM metadata of an item's resource: its id, keywords, taxa and difficulty."""
    meta = _Meta()
    tags: list[str] = []
    for element in resource.iter():
        name = local(element.tag)
        if name == "keyword":
            tags += [_text(s) for s in element if _text(s)]
        elif name == "taxon":
            ident = next((_text(c) for c in element if local(c.tag) == "id"), "")
            if ident:
                tags.append(ident)
                match = re.fullmatch(r"outcome-(\d+)", ident)
                if match:
                    meta.outcome = int(match.group(1))
        elif name == "identifier" and not meta.source_id:
            meta.source_id = next((_text(c) for c in element if local(c.tag) == "entry"), "")
        elif name == "difficulty":
            value = next((_text(c) for c in element if local(c.tag) == "value"), "")
            meta.difficulty = DIFFICULTY_FROM_LOM.get(value.lower(), "")
    meta.tags = tuple(dict.fromkeys(tags))
    return meta


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


# --- reading: items ------------------------------------------------------------------------------

def _add(result: ReadResult, read: ExchangeItem | Skipped) -> None:
    (result.skipped if isinstance(read, Skipped) else result.items).append(read)


def _read_item(root: Element, ref: str, meta: _Meta) -> ExchangeItem | Skipped:
    """Read one assessment item, or say why it cannot be imported."""
    d = _dialect_of(local(root.tag))
    ref = meta.source_id or ref
    names = {local(e.tag) for e in root.iter()}
    if root.get(d.at("adaptive")) == "true":
        return Skipped(ref, "is an adaptive item (several attempts with feedback), which is not "
                            "supported")
    if d.el("templateDeclaration") in names:
        return Skipped(ref, "uses template variables (a cloned item), which are not supported")
    if d.el("assessmentStimulusRef") in names:
        return Skipped(ref, "refers to a shared stimulus (a passage in another file), which is "
                            "not supported")
    interactions = [e for e in root.iter() if _is_interaction(d, local(e.tag))]
    kinds = [d.qti_name(local(e.tag)) for e in interactions]
    if not interactions:
        return Skipped(ref, "has no interaction: it is not a question")
    if kinds != ["choiceInteraction"]:
        if "choiceInteraction" not in kinds:
            return Skipped(ref, f"is a {', '.join(dict.fromkeys(kinds))} question; only "
                                "single-answer choiceInteraction items can be imported")
        return Skipped(ref, f"has {len(kinds)} interactions ({', '.join(kinds)}); only items with "
                            "one choiceInteraction can be imported")
    choice = interactions[0]
    max_choices = choice.get(d.at("maxChoices"), "1")
    if max_choices != "1":
        return Skipped(ref, f"lets candidates choose {'any number of' if max_choices == '0' else max_choices} "
                            "options (a multiple-answer item), which is not supported")
    declaration = next((e for e in root if local(e.tag) == d.el("responseDeclaration")
                        and e.get("identifier") == choice.get(d.at("responseIdentifier"))), None)
    if declaration is None:
        return Skipped(ref, "declares no response for its choice interaction")
    if declaration.get("cardinality", "single") != "single":
        return Skipped(ref, f"has a response of cardinality {declaration.get('cardinality')} (a "
                            "multiple-answer item), which is not supported")
    correct = [_text(v) for c in declaration if local(c.tag) == d.el("correctResponse")
               for v in c if local(v.tag) == d.el("value")]
    if not correct:
        return Skipped(ref, "declares no correct response, so it has no key")
    choices = [e for e in choice if local(e.tag) == d.el("simpleChoice")]
    if len(choices) != 4:
        return Skipped(ref, f"has {len(choices)} options; items need exactly four")
    ids = [c.get("identifier") for c in choices]
    if correct[0] not in ids:
        return Skipped(ref, f"its correct response {correct[0]} is not one of its options")

    notes: list[str] = []
    body = next((e for e in root if local(e.tag) == d.el("itemBody")), None)
    stem_html, rationale_html, dropped = _body_html(d, body, choice)
    if dropped or any(local(e.tag) == d.el("modalFeedback") for e in root):
        notes.append("feedback is not kept")
    texts = [("stem", html_to_text(stem_html))]
    texts += [(f"option {letter}", html_to_text(_inner_html(d, c, set())))
              for letter, c in zip(OPTION_LETTERS, choices)]
    media = [f"{where} holds {m}" for where, t in texts for m in t.media]
    if media:
        return Skipped(ref, "; ".join(media) + ": media is not supported")
    for where, converted in texts:
        notes += describe_loss(where, converted)
    processing = next((e for e in root if local(e.tag) == d.el("responseProcessing")), None)
    if processing is not None:
        template = processing.get("template", "")
        if not template.rstrip("/").removesuffix(".xml").endswith("match_correct"):
            notes.append("scored here by one mark for the key, not by its own response processing")
    return ExchangeItem(
        ref=ref, stem=texts[0][1].text,
        options={letter: t.text for letter, (_, t) in zip(OPTION_LETTERS, texts[1:])},
        key=OPTION_LETTERS[ids.index(correct[0])],
        rationale=html_to_text(rationale_html).text if rationale_html else "",
        difficulty=meta.difficulty, outcome=meta.outcome,
        tags=tuple(dict.fromkeys(t for t in meta.tags if not t.startswith("range:"))),
        range=tuple(t.removeprefix("range:") for t in meta.tags if t.startswith("range:")),
        notes=tuple(dict.fromkeys(notes)))


def _is_interaction(d: Dialect, name: str) -> bool:
    qti = d.qti_name(name)
    return bool(qti) and qti.endswith("Interaction")


def _body_html(d: Dialect, body: Element | None, choice: Element) -> tuple[str, str, bool]:
    """Return the stem's HTML (the body with the interaction replaced by its prompt), the
    rationale's HTML (scorer rubric blocks) and whether feedback was dropped."""
    if body is None:
        return "", "", False
    rationale: list[str] = []
    dropped: set[str] = set()

    def walk(element: Element, out: list[str]) -> None:
        out.append(escape(element.text or ""))
        for child in element:
            name = local(child.tag)
            qti = d.qti_name(name)
            if child is choice:
                prompt = next((p for p in child if local(p.tag) == d.el("prompt")), None)
                if prompt is not None:
                    out.append("<p>" + _inner_html(d, prompt, dropped) + "</p>")
            elif qti == "rubricBlock":
                target = rationale if "candidate" not in child.get("view", "") else out
                target.append("<div>")
                walk(child, target)
                target.append("</div>")
            elif qti in FEEDBACK:
                dropped.add(qti)
            elif qti is not None:
                walk(child, out)  # QTI wrappers (qti-content-body and the like): keep the content
            else:
                out.append(_open(child))
                walk(child, out)
                out.append(f"</{name}>")
            out.append(escape(child.tail or ""))

    stem: list[str] = []
    walk(body, stem)
    return "".join(stem), "".join(rationale), bool(dropped)


def _inner_html(d: Dialect, element: Element, dropped: set[str]) -> str:
    """Return an element's content as HTML with plain names, leaving out feedback."""
    parts = [escape(element.text or "")]
    for child in element:
        qti = d.qti_name(local(child.tag))
        if qti in FEEDBACK:
            dropped.add(qti)
        elif qti is not None:
            parts.append(_inner_html(d, child, dropped))
        else:
            parts.append(_open(child) + _inner_html(d, child, dropped) + f"</{local(child.tag)}>")
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def _open(element: Element) -> str:
    keep = {k: v for k, v in element.attrib.items() if local(k) in ("src", "data", "alt")}
    attrs = "".join(f" {local(k)}={quoteattr(v)}" for k, v in keep.items())
    return f"<{local(element.tag)}{attrs}>"


# --- writing -------------------------------------------------------------------------------------

def _paragraphs(text: str) -> list[E]:
    return [E("p", None, line) for line in text.split("\n") if line] or [E("p", None, "")]


def _item_xml(item: ExchangeItem, d: Dialect) -> E:
    el, at = d.el, d.at
    rationale = None
    if item.rationale:
        content = _paragraphs(item.rationale)
        rationale = E(el("rubricBlock"), {"view": "scorer"},
                      *([E("qti-content-body", None, *content)] if d.kebab else content))
    return E(el("assessmentItem"), {
        "xmlns": d.namespace, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{d.namespace} {d.schema}",
        "identifier": qti_identifier(item.ref), "title": item.ref, at("adaptive"): "false",
        at("timeDependent"): "false", "xml:lang": "en-GB"},
        E(el("responseDeclaration"), {"identifier": "RESPONSE", "cardinality": "single",
                                      at("baseType"): "identifier"},
          E(el("correctResponse"), None, E(el("value"), None, item.key))),
        E(el("outcomeDeclaration"), {"identifier": "SCORE", "cardinality": "single",
                                     at("baseType"): "float"},
          E(el("defaultValue"), None, E(el("value"), None, "0"))),
        E(el("itemBody"), None, *_paragraphs(item.stem),
          E(el("choiceInteraction"), {at("responseIdentifier"): "RESPONSE", "shuffle": "true",
                                      at("maxChoices"): "1"},
            *[E(el("simpleChoice"), {"identifier": letter}, text)
              for letter, text in item.options.items()]),
          rationale),
        E(el("responseProcessing"), {"template": d.match_correct}))


def _test_xml(items: Sequence[ExchangeItem], blueprint: Blueprint, d: Dialect) -> E:
    el, at = d.el, d.at
    sections = []
    for outcome in blueprint.outcomes:
        refs = [E(el("assessmentItemRef"), {"identifier": qti_identifier(i.ref),
                                            "href": f"items/{i.ref}.xml"})
                for i in items if i.outcome == outcome.number]
        sections.append(E(el("assessmentSection"), {
            "identifier": f"outcome-{outcome.number}",
            "title": f"Outcome {outcome.number}: {outcome.title}", "visible": "true"},
            E(el("selection"), {"select": str(min(outcome.questions, len(refs)))}),
            E(el("ordering"), {"shuffle": "true"}), *refs))
    return E(el("assessmentTest"), {
        "xmlns": d.namespace, "xmlns:xsi": XSI, "xsi:schemaLocation": f"{d.namespace} {d.schema}",
        "identifier": "TEST-" + _ncname(blueprint.code),
        "title": f"{blueprint.code} {blueprint.title}"},
        E(el("outcomeDeclaration"), {"identifier": "SCORE", "cardinality": "single",
                                     at("baseType"): "float"}),
        E(el("timeLimits"), {at("maxTime"): str(blueprint.duration_minutes * 60)}),
        E(el("testPart"), {"identifier": "part-1", at("navigationMode"): "nonlinear",
                           at("submissionMode"): "simultaneous"}, *sections),
        E(el("outcomeProcessing"), None,
          E(el("setOutcomeValue"), {"identifier": "SCORE"},
            E(el("sum"), None, E(el("testVariables"), {at("variableIdentifier"): "SCORE"})))))


def _lom(item: ExchangeItem, blueprint: Blueprint) -> E:
    """Return the item's LOM record: id, keywords, difficulty and its outcome and criterion."""
    def string(text: str) -> E:
        return E("imsmd:string", {"xml:lang": "en"}, text)

    outcome = blueprint.outcome(item.outcome) if item.outcome else None
    keywords = [f"AC{item.criterion}", f"outcome-{item.outcome}", *item.tags,
                *[f"range:{r}" for r in item.range]]
    taxa = []
    if outcome is not None:
        taxa = [E("imsmd:taxon", None, E("imsmd:id", None, f"outcome-{outcome.number}"),
                  E("imsmd:entry", None, string(outcome.title))),
                E("imsmd:taxon", None, E("imsmd:id", None, f"AC{item.criterion}"),
                  E("imsmd:entry", None, string(outcome.criteria.get(item.criterion, ""))))]
    return E("imsmd:lom", None,
             E("imsmd:general", None,
               E("imsmd:identifier", None, E("imsmd:catalog", None, blueprint.code),
                 E("imsmd:entry", None, item.ref)),
               E("imsmd:title", None, string(item.ref)),
               *[E("imsmd:keyword", None, string(k)) for k in dict.fromkeys(keywords)]),
             E("imsmd:educational", None,
               E("imsmd:difficulty", None, E("imsmd:source", None, "LOMv1.0"),
                 E("imsmd:value", None, DIFFICULTY_TO_LOM.get(item.difficulty, "medium")))),
             E("imsmd:classification", None,
               E("imsmd:purpose", None, E("imsmd:source", None, "LOMv1.0"),
                 E("imsmd:value", None, "educational objective")),
               E("imsmd:taxonPath", None,
                 E("imsmd:source", None, string(f"{blueprint.code} {blueprint.title}")), *taxa)))


register(QtiFormat("qti3", "IMS QTI 3.0 (content package, or one item)", QTI3,
                   roots=("qti-assessment-item", "qti-assessment-test"),
                   package_versions=("3p0",)))
register(QtiFormat("qti2", "IMS QTI 2.1 / 2.2 (content package, or one item)", QTI21,
                   roots=("assessmentItem", "assessmentTest"),
                   package_versions=("2p1", "2p2", "2p0")))
