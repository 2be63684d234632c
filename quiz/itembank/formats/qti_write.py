"""Writing QTI content packages: an item per live item, one test with a section per outcome, and a
manifest whose LOM metadata carries each item's outcome, criterion, difficulty and Range points."""
from __future__ import annotations

import io
import re
import zipfile
from typing import Sequence

from quiz.itembank.domain import Blueprint
from quiz.itembank.formats import ExchangeItem, machine_tags
from quiz.itembank.formats.qti_dialects import (
    DIFFICULTY_TO_LOM, LOM, XSI, Dialect, qti_identifier,
)
from quiz.itembank.formats.xmlwrite import E, document


def write_package(items: Sequence[ExchangeItem], blueprint: Blueprint, d: Dialect) -> bytes:
    """Return a content package: the items, one test with a section per outcome, a manifest."""
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
    # Difficulty has its own LOM element; the form and Range points travel as keywords.
    keywords = [f"AC{item.criterion}", f"outcome-{item.outcome}", *item.tags,
                *machine_tags(item, difficulty=False)]
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

