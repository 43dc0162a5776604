"""nm.js as served: the source without its comments.

The source keeps comments for its readers; visitors download every byte, so the server drops
whole-line and trailing `//` comments and the leading `/* */` block once, when it reads the file.
nm.js has no `//` inside a string or a regex, which this line-based cut relies on (a Chromium
test runs the served body).
"""

from __future__ import annotations

import re
from pathlib import Path

SNIPPET_PATH = Path(__file__).with_name("snippet") / "nm.js"

_BLOCK_RE = re.compile(r"\A\s*/\*.*?\*/\s*", re.S)
_LINE_RE = re.compile(r"^\s*//.*\n|[ \t]+//[^\n]*", re.M)


def served_snippet(path: Path = SNIPPET_PATH) -> bytes:
    text = path.read_text(encoding="utf-8")
    return _LINE_RE.sub("", _BLOCK_RE.sub("", text)).encode("utf-8")
