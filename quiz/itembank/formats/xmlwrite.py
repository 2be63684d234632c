"""A small XML writer: elements as nested tuples rendered with exact names and escaping.

Writing by hand keeps the prefixes, attribute order and layout other tools and people expect to
see, which ElementTree's namespace handling does not.
"""
from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr


class E:
    """One element: a name, attributes in order, and children (elements or text)."""

    __slots__ = ("name", "attrs", "children")

    def __init__(self, name: str, attrs: dict | None = None, *children):
        self.name = name
        self.attrs = {k: v for k, v in (attrs or {}).items() if v is not None}
        self.children = [c for c in children if c is not None and c != ()]

    def render(self, depth: int = 0) -> str:
        """Return the element as indented XML."""
        pad = "  " * depth
        attrs = "".join(f" {k}={quoteattr(str(v))}" for k, v in self.attrs.items())
        if not self.children:
            return f"{pad}<{self.name}{attrs}/>"
        if all(isinstance(c, str) for c in self.children):
            return f"{pad}<{self.name}{attrs}>{escape(''.join(self.children))}</{self.name}>"
        inner = "\n".join(c.render(depth + 1) if isinstance(c, E) else pad + "  " + escape(c)
                          for c in self.children)
        return f"{pad}<{self.name}{attrs}>\n{inner}\n{pad}</{self.name}>"


def document(root: E) -> bytes:
    """Return a whole XML document in UTF-8."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + root.render() + "\n").encode("utf-8")
