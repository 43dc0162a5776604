"""Google's standard output parameters: `fields` (partial responses), `prettyPrint`, `callback`
(JSON-P) and `alt`. Pure except for building the HttpResponse."""

from __future__ import annotations

import json
import re

from django.http import HttpResponse

ANY = "*"  # a map whose keys are data (totalsForAllResults): any key may be selected
_CALLBACK = re.compile(r"[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*")
MAX_CALLBACK_CHARS = 100
_TOKEN = re.compile(r"\s*([^,/()\s]+|[,/()])")


class FieldsError(ValueError):
    pass


def parse_fields(text: str) -> dict:
    """`a,b/c,d(e,f)` -> {"a": None, "b": {"c": None}, "d": {"e": None, "f": None}} (None: all)."""
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        found = _TOKEN.match(text, pos)
        if found is None:
            if text[pos:].strip() == "":
                break
            raise FieldsError(text)
        tokens.append(found.group(1))
        pos = found.end()
    tree, rest = _parse_list(tokens, 0, text)
    if rest != len(tokens):
        raise FieldsError(text)
    return tree


def _merge(tree: dict, name: str, sub: dict | None) -> None:
    if name in tree and tree[name] is None:
        return
    if sub is None:
        tree[name] = None
        return
    target = tree.setdefault(name, {})
    for key, value in sub.items():
        _merge(target, key, value)


def _parse_list(tokens: list[str], i: int, text: str) -> tuple[dict, int]:
    tree: dict = {}
    while True:
        path: list[str] = []
        while True:
            if i >= len(tokens) or tokens[i] in ",/()":
                raise FieldsError(text)
            path.append(tokens[i])
            i += 1
            if i < len(tokens) and tokens[i] == "/":
                i += 1
                continue
            break
        sub: dict | None = None
        if i < len(tokens) and tokens[i] == "(":
            sub, i = _parse_list(tokens, i + 1, text)
            if i >= len(tokens) or tokens[i] != ")":
                raise FieldsError(text)
            i += 1
        for name in reversed(path[1:]):
            sub = {name: sub}
        _merge(tree, path[0], sub)
        if i < len(tokens) and tokens[i] == ",":
            i += 1
            continue
        return tree, i


def check_fields(tree: dict, schema: dict | str | None, prefix: str = "") -> None:
    """Every selected name must exist in the response schema (Google: 'Invalid field selection')."""
    for name, sub in tree.items():
        if schema == ANY or name == "*":
            continue
        if not isinstance(schema, dict) or name not in schema:
            raise FieldsError(f"{prefix}{name}")
        if sub is not None:
            check_fields(sub, schema[name], f"{prefix}{name}/")


def select(value, tree: dict | None):
    """The partial response: only the selected members, in the response's own order."""
    if tree is None:
        return value
    if isinstance(value, list):
        return [select(item, tree) for item in value]
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in tree:
                out[key] = select(item, tree[key])
            elif "*" in tree:
                out[key] = select(item, tree["*"])
        return out
    return value


def callback_is_safe(name: str) -> bool:
    return len(name) <= MAX_CALLBACK_CHARS and _CALLBACK.fullmatch(name) is not None


def parse_bool(value: str) -> bool | None:
    lowered = value.lower()
    if lowered in ("true", "1", ""):
        return True
    if lowered in ("false", "0"):
        return False
    return None


def render(body: dict, status: int = 200, *, pretty: bool = True, indent: int = 1, callback: str | None = None,
           headers: dict[str, str] | None = None) -> HttpResponse:
    text = json.dumps(body, ensure_ascii=False, indent=indent if pretty else None,
                      separators=None if pretty else (",", ":"))
    if callback:
        # The comment first: the body never starts with caller-chosen bytes (Rosetta Flash).
        content, content_type = f"// API callback\n{callback}({text});", "text/javascript; charset=UTF-8"
    else:
        content, content_type = text + ("\n" if pretty else ""), "application/json; charset=UTF-8"
    # A lone surrogate (JSON input may carry "\ud800", and errors echo input) cannot be UTF-8:
    # written back as its JSON escape, the same string to any JSON reader.
    response = HttpResponse(content.encode("utf-8", "backslashreplace"), status=status, content_type=content_type)
    response["Cache-Control"] = "private, max-age=0, must-revalidate, no-transform"
    response["Vary"] = "Origin"
    response["Access-Control-Allow-Origin"] = "*"
    for name, value in (headers or {}).items():
        response[name] = value
    return response
