"""Stems and options arrive as HTML; we keep them as plain text.

Our items are plain text (the candidate's page escapes them), so imported HTML is first cleaned by
nh3 (the Ammonia sanitiser) down to the few structural tags that tell us where lines break, with
scripts, styles and comments removed with their content, and then turned into text: paragraphs,
line breaks, list items and table rows become new lines, everything else runs on.

What that loses is reported, never silently dropped: media (images, sound, video, maths, embedded
objects) make the question unimportable, since it would not make sense without them; formatting
that may carry meaning (bold, italics, sub- and superscript, tables, lists, code) is named in the
question's notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import nh3

# Tags nh3 keeps so that we can see where lines break; all others are removed, their text kept.
BLOCKS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "tbody", "thead", "h1", "h2", "h3",
          "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "td", "th"}
MEDIA = {"img": "an image", "object": "an embedded object", "embed": "an embedded object",
         "audio": "sound", "video": "video", "iframe": "an embedded page", "svg": "a drawing",
         "math": "a formula (MathML)", "canvas": "a drawing", "picture": "an image",
         "input": "a form field", "textarea": "a form field", "select": "a form field"}
FORMATTING = {"b", "strong", "i", "em", "u", "sub", "sup", "s", "strike", "del", "ins", "mark",
              "table", "ul", "ol", "pre", "code", "tt", "kbd", "samp", "var", "blockquote", "h1",
              "h2", "h3", "h4", "h5", "h6", "a", "big", "small", "font", "dl", "q", "cite", "abbr"}
_LINE_TAGS = BLOCKS - {"td", "th"}


@dataclass(frozen=True)
class Text:
    """HTML turned into text, with what could not come along."""

    text: str
    media: tuple[str, ...] = ()  # "an image (diagram.png)", ...
    dropped: tuple[str, ...] = ()  # formatting tags that were present, e.g. ("strong", "table")


def html_to_text(html: str) -> Text:
    """Return the text of an HTML fragment, naming the media and formatting it held."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    cleaned = nh3.clean(html, tags=BLOCKS, attributes={}, strip_comments=True)
    writer = _Writer()
    writer.feed(cleaned)
    writer.close()
    return Text(text=tidy("".join(writer.parts)), media=tuple(scanner.media),
                dropped=tuple(sorted(scanner.formatting)))


def tidy(text: str) -> str:
    """Collapse runs of spaces within lines, drop blank lines and trim each line."""
    lines = (" ".join(line.split()) for line in text.replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def plain(text: str) -> Text:
    """Return text that is already plain, tidied."""
    return Text(text=tidy(text))


def describe_loss(where: str, converted: Text) -> list[str]:
    """Return the notes a conversion needs: formatting that was dropped from `where`."""
    if not converted.dropped:
        return []
    tags = ", ".join(f"<{tag}>" for tag in converted.dropped)
    return [f"{where}: formatting not kept ({tags}); imported as plain text"]


class _Scanner(HTMLParser):
    """Collect the media and formatting tags an HTML fragment uses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.media: list[str] = []
        self.formatting: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in MEDIA:
            source = dict(attrs).get("src") or dict(attrs).get("data") or ""
            source = re.sub(r"^@@PLUGINFILE@@/", "", source)
            if source.startswith("data:"):
                source = "embedded data"
            self.media.append(f"{MEDIA[tag]} ({source})" if source else MEDIA[tag])
        elif tag in FORMATTING:
            self.formatting.add(tag)

    handle_startendtag = handle_starttag


class _Writer(HTMLParser):
    """Write the text of cleaned HTML, with a new line wherever a block starts or ends."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _LINE_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _LINE_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.parts.append(data)
