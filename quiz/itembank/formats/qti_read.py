"""Reading QTI: content packages (manifest, tests, items) and single-choice items of 3.0 and 2.x.

Outcome, criterion and difficulty come from each item's LOM metadata in the manifest (keywords,
classification taxa, educational difficulty) and from the sections of the package's tests.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

from quiz.itembank.domain import OPTION_LETTERS
from quiz.itembank.formats import ExchangeItem, FormatError, ReadResult, Skipped, from_tags
from quiz.itembank.formats.qti_dialects import DIFFICULTY_FROM_LOM, FEEDBACK, Dialect, dialect_of
from quiz.itembank.formats.safety import UnsafeXml, local, open_zip, parse_xml
from quiz.itembank.formats.text import describe_loss, html_to_text

# --- reading: packages ---------------------------------------------------------------------------

@dataclass
class Meta:
    """What a manifest (and the tests in a package) say about one item."""

    source_id: str = ""
    tags: tuple[str, ...] = ()
    difficulty: str = ""
    outcome: int | None = None


def read_package(data: bytes) -> ReadResult:
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
        add(result, read_item(root, root.get("identifier") or ref, meta))
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


def _manifest_meta(resource: Element) -> Meta:
    """Read the LOM metadata of an item's resource: its id, keywords, taxa and difficulty."""
    meta = Meta()
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

def add(result: ReadResult, read: ExchangeItem | Skipped) -> None:
    (result.skipped if isinstance(read, Skipped) else result.items).append(read)


def read_item(root: Element, ref: str, meta: Meta) -> ExchangeItem | Skipped:
    """Read one assessment item, or say why it cannot be imported."""
    d = dialect_of(local(root.tag))
    ref = meta.source_id or ref
    found = _single_choice(d, root, ref)
    if isinstance(found, Skipped):
        return found
    choice, choices, key = found
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
        key=key, rationale=html_to_text(rationale_html).text if rationale_html else "",
        difficulty=meta.difficulty, outcome=meta.outcome,
        **from_tags(tuple(dict.fromkeys(meta.tags))),
        notes=tuple(dict.fromkeys(notes)))


def _single_choice(d: Dialect, root: Element, ref: str):
    """Return the item's choice interaction, its four choices and the key's letter, or a Skipped
    saying what makes it something other than a single-answer, four-option choice item."""
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
    return choice, choices, OPTION_LETTERS[ids.index(correct[0])]


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

