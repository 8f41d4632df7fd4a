"""Where a browser ends a <script> element: the HTML tokenizer's script data states (WHATWG HTML,
13.2.5.4-13.2.5.27), enough of them to tell whether a page's script contents leave the rest of the page
alone. Python's html.parser ends a script at the first `</script` and so cannot see the bug this
guards against: `<!--<script>` in script data puts the tokenizer in the "double escaped" state, where
the page's own `</script>` no longer ends the element and the tables, charts and footer after it
become script text."""

from __future__ import annotations

import re

SCRIPT_OPEN = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
_TAG_END = "\t\n\f\r />"


def _is_tag(text: str, i: int, prefix: str) -> bool:
    """`prefix` (`<script` or `</script`) at i, case-insensitive, followed by a character that ends a tag name."""
    j = i + len(prefix)
    return text[i:j].lower() == prefix and j < len(text) and text[j] in _TAG_END


def script_end(text: str, start: int) -> int:
    """Index of the `</script` that ends the script element whose contents begin at `start`, -1 if none."""
    state = "data"
    escape_dashes = -1  # index of the first '-' of the `<!--` that started the escaped states
    i, n = start, len(text)
    while i < n:
        c = text[i]
        if state == "data":
            if _is_tag(text, i, "</script"):
                return i
            if text.startswith("<!--", i):
                state, escape_dashes = "escaped", i + 2
                i += 4
                continue
        elif state == "escaped":
            if _is_tag(text, i, "</script"):
                return i
            if _is_tag(text, i, "<script"):
                state = "double"
            elif c == ">" and i - 2 >= escape_dashes and text[i - 2:i] == "--":
                state = "data"
        else:  # double escaped: `</script` only goes back to escaped
            if _is_tag(text, i, "</script"):
                state = "escaped"
                i += len("</script")
                continue
            if c == ">" and text[i - 2:i] == "--":
                state = "data"
        i += 1
    return -1


def split_scripts(text: str) -> tuple[list[str], str]:
    """(the contents of every script element as a browser delimits them, the page without them)."""
    contents: list[str] = []
    rest: list[str] = []
    pos = 0
    while True:
        m = SCRIPT_OPEN.search(text, pos)
        if not m:
            rest.append(text[pos:])
            return contents, "".join(rest)
        rest.append(text[pos:m.end()])
        end = script_end(text, m.end())
        if end < 0:  # the script swallows the rest of the page
            contents.append(text[m.end():])
            return contents, "".join(rest)
        contents.append(text[m.end():end])
        close = text.index(">", end)
        rest.append(text[end:close + 1])
        pos = close + 1
