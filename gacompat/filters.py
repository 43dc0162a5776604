"""The Core Reporting v3 filter grammar that realtime clients send in `filters`. Pure.

    filters    := and_part (";" and_part)*          AND
    and_part   := condition ("," condition)*        OR, binds tighter than AND
    condition  := name operator expression
    name       := ("rt:" | "ga:") [A-Za-z0-9]+
    operator   := "==" | "!=" | "=@" | "!@" | "=~" | "!~" | ">=" | "<=" | ">" | "<"   (longest first)

`a==1,a==2;b==3` is `(a==1 OR a==2) AND b==3`. In an expression, `\\,` and `\\;` are a literal
comma and semicolon and `\\\\` a literal backslash; a backslash before any other character is
kept with it, so regular expressions keep their own escapes (`=~^/blog\\.html$`).
Spaces are part of names and expressions: nothing is trimmed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable

from gacompat.regex import RegexError, compile_search

DIMENSION_OPERATORS = frozenset({"==", "!=", "=@", "!@", "=~", "!~"})
METRIC_OPERATORS = frozenset({"==", "!=", ">", "<", ">=", "<="})
MAX_REGEX_CHARS = 128
_CONDITION = re.compile(r"((?:rt|ga):[A-Za-z0-9]+)(==|!=|=@|!@|=~|!~|>=|<=|>|<)(.*)", re.DOTALL)


class FilterSyntaxError(ValueError):
    """The string is not a filter expression (an `invalidParameter` on `filters`)."""


class FilterError(ValueError):
    """A well-formed filter the query cannot run (a `badRequest`)."""


@dataclass(frozen=True)
class Condition:
    name: str
    operator: str
    expression: str
    search: Callable[[str], bool] | None = field(default=None, compare=False)  # =~ and !~ (RE2)
    number: float | None = field(default=None, compare=False)

    def matches(self, value: str) -> bool:
        """A dimension condition on a dimension value (the string the API would show).

        `==`/`!=` compare exactly (case-sensitive); `=@`/`!@` look for the substring ignoring
        case; `=~`/`!~` search the case-insensitive regular expression anywhere in the value."""
        op = self.operator
        if op == "==":
            return value == self.expression
        if op == "!=":
            return value != self.expression
        if op == "=@":
            return self.expression.casefold() in value.casefold()
        if op == "!@":
            return self.expression.casefold() not in value.casefold()
        if op == "=~":
            return self.search(value)
        return not self.search(value)  # "!~"

    def matches_number(self, value: float) -> bool:
        """A metric condition on a row's metric value."""
        op, number = self.operator, self.number
        if op == "==":
            return value == number
        if op == "!=":
            return value != number
        if op == ">":
            return value > number
        if op == "<":
            return value < number
        if op == ">=":
            return value >= number
        return value <= number  # "<="


def split(text: str) -> list[list[str]]:
    """Split on unescaped `;` (AND) then `,` (OR), resolving the three escapes."""
    groups: list[list[str]] = [[]]
    current: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n:
            following = text[i + 1]
            current.append(following if following in ",;\\" else char + following)
            i += 2
            continue
        if char == ",":
            groups[-1].append("".join(current))
            current = []
        elif char == ";":
            groups[-1].append("".join(current))
            groups.append([])
            current = []
        else:
            current.append(char)
        i += 1
    groups[-1].append("".join(current))
    return groups


def _condition(text: str, original: str) -> Condition:
    found = _CONDITION.fullmatch(text)
    if found is None:
        raise FilterSyntaxError(f"Invalid value '{original}' for filters parameter.")
    name, operator, expression = found.groups()
    if operator in ("=~", "!~"):
        if len(expression) > MAX_REGEX_CHARS:
            raise FilterError(
                f"Regular expression '{expression[:40]}...' in filter {name} is longer than {MAX_REGEX_CHARS} characters."
            )
        try:
            return Condition(name, operator, expression, search=compile_search(expression))
        except RegexError as exc:
            raise FilterError(f"Invalid regular expression '{expression}' in filter {name}: {exc}.") from None
    return Condition(name, operator, expression)


def parse(text: str) -> list[list[Condition]]:
    """The filter as AND of OR groups. Raises FilterSyntaxError for malformed strings."""
    if not text:
        raise FilterSyntaxError("Invalid value '' for filters parameter.")
    return [[_condition(item, text) for item in group] for group in split(text)]


def with_number(condition: Condition) -> Condition:
    """The condition with its expression read as a number (metric filters)."""
    try:
        number = float(condition.expression)
    except ValueError:
        number = math.nan
    if math.isnan(number) or math.isinf(number):
        raise FilterError(f"Invalid numeric value '{condition.expression}' in metric filter {condition.name}.")
    return Condition(condition.name, condition.operator, condition.expression, number=number)
