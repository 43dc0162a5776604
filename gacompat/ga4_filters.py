"""GA4 `FilterExpression` trees (`dimensionFilter`, `metricFilter`) compiled to predicates. Pure.

Every filter type of the Data API: `stringFilter` (all match types, case-insensitive unless
`caseSensitive`), `inListFilter`, `numericFilter`, `betweenFilter` (inclusive), `emptyFilter`
(`""` or `(not set)`), combined with `andGroup`, `orGroup`, `notExpression`. Numeric filters on
dimensions read the value as a number (`minutesAgo`); a non-number never matches."""

from __future__ import annotations

import math
import re
from typing import Callable

from gacompat.errors import ga4_invalid
from gacompat.ga4_enums import MATCH_TYPE, OPERATION
from gacompat.regex import RegexError, compile_search

SCHEMA_URL = "https://developers.google.com/analytics/devguides/reporting/data/v1/realtime-api-schema"


def obj(value, what: str) -> dict:
    if not isinstance(value, dict):
        raise ga4_invalid(f"Invalid value at '{what}': expected an object.")
    return value


def items(value, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ga4_invalid(f"Invalid value at '{what}': expected a list.")
    return value


INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_INT64_STRING = re.compile(r"-?[0-9]{1,19}")  # proto3 JSON: an int64 may come as a decimal string


def integer(value, what: str) -> int:
    """A proto3 JSON int64: an integral JSON number, or a string of ASCII decimal digits, within
    int64's range (as protobuf's parser reads it: no `+`, spaces, `_`, other scripts' digits)."""
    if isinstance(value, str) and _INT64_STRING.fullmatch(value):
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        number = None
    if number is None or not INT64_MIN <= number <= INT64_MAX:
        shown = repr(value) if len(repr(value)) <= 40 else f"{repr(value)[:40]}…"
        raise ga4_invalid(f"Invalid value at '{what}' ({shown}): expected an integer.")
    return number


def boolean(value, what: str) -> bool:
    """A proto3 JSON bool: true/false (also as strings, as protobuf's parser allows); null is false."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise ga4_invalid(f"Invalid value at '{what}' ({value!r}): expected a boolean.")


def string(value, what: str) -> str:
    """A proto3 JSON string; null is the empty string."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ga4_invalid(f"Invalid value at '{what}' ({value!r}): expected a string.")
    return value


def _number(value, what: str) -> float:
    value = obj(value, what)
    if "int64Value" in value:
        return float(integer(value["int64Value"], f"{what}.int64Value"))
    if "doubleValue" in value:
        try:
            return float(value["doubleValue"])
        except (TypeError, ValueError):
            raise ga4_invalid(f"Invalid value at '{what}.doubleValue'.") from None
    raise ga4_invalid(f"{what} needs int64Value or doubleValue.")


def as_number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        return math.nan
    return number


def _leaf(spec: dict, what: str) -> Callable[[str], bool]:
    kinds = [k for k in ("stringFilter", "inListFilter", "numericFilter", "betweenFilter", "emptyFilter")
             if spec.get(k) is not None]
    if len(kinds) != 1:
        raise ga4_invalid(f"{what} needs exactly one of stringFilter, inListFilter, numericFilter, betweenFilter, "
                          f"emptyFilter.")
    kind = kinds[0]
    arg = obj(spec[kind], f"{what}.{kind}")
    if kind == "stringFilter":
        value = string(arg.get("value"), f"{what}.stringFilter.value")
        match_type = MATCH_TYPE.parse(arg.get("matchType"), f"{what}.stringFilter.matchType")
        sensitive = boolean(arg.get("caseSensitive"), f"{what}.stringFilter.caseSensitive")
        if match_type in ("FULL_REGEXP", "PARTIAL_REGEXP"):
            try:
                return compile_search(value, case_sensitive=sensitive, full=match_type == "FULL_REGEXP")
            except RegexError as exc:
                raise ga4_invalid(f"Invalid regular expression in {what}: {exc}.") from None
        norm = (lambda s: s) if sensitive else str.casefold
        needle = norm(value)
        tests = {"EXACT": lambda v: norm(v) == needle, "MATCH_TYPE_UNSPECIFIED": lambda v: norm(v) == needle,
                 "BEGINS_WITH": lambda v: norm(v).startswith(needle), "ENDS_WITH": lambda v: norm(v).endswith(needle),
                 "CONTAINS": lambda v: needle in norm(v)}
        return tests[match_type]
    if kind == "inListFilter":
        sensitive = boolean(arg.get("caseSensitive"), f"{what}.inListFilter.caseSensitive")
        values = [string(v, f"{what}.inListFilter.values[{i}]")
                  for i, v in enumerate(items(arg.get("values"), f"{what}.inListFilter.values"))]
        wanted = set(values) if sensitive else {v.casefold() for v in values}
        return (lambda v: v in wanted) if sensitive else (lambda v: v.casefold() in wanted)
    if kind == "numericFilter":
        number = _number(arg.get("value"), f"{what}.numericFilter.value")
        ops = {"EQUAL": lambda x: x == number, "LESS_THAN": lambda x: x < number,
               "LESS_THAN_OR_EQUAL": lambda x: x <= number, "GREATER_THAN": lambda x: x > number,
               "GREATER_THAN_OR_EQUAL": lambda x: x >= number}
        operation = OPERATION.parse(arg.get("operation"), f"{what}.numericFilter.operation")
        op = ops.get(operation)
        if op is None:
            raise ga4_invalid(f"{what}.numericFilter.operation must be specified.")
        return lambda v: op(as_number(v))
    if kind == "betweenFilter":
        low = _number(arg.get("fromValue"), f"{what}.betweenFilter.fromValue")
        high = _number(arg.get("toValue"), f"{what}.betweenFilter.toValue")
        return lambda v: low <= as_number(v) <= high
    return lambda v: v in ("", "(not set)")  # emptyFilter


def compile_filter(expr, what: str, allowed: set[str], names: set[str]) -> Callable[[dict[str, str]], bool]:
    """A FilterExpression as a predicate over `{field name: value}`; adds the fields it reads to `names`."""
    expr = obj(expr, what)
    present = [k for k in ("andGroup", "orGroup", "notExpression", "filter") if expr.get(k) is not None]
    if len(present) != 1:
        raise ga4_invalid(f"{what} needs exactly one of andGroup, orGroup, notExpression, filter.")
    kind = present[0]
    if kind in ("andGroup", "orGroup"):
        group = obj(expr[kind], f"{what}.{kind}")
        parts = [compile_filter(e, f"{what}.{kind}.expressions[{i}]", allowed, names)
                 for i, e in enumerate(items(group.get("expressions"), f"{what}.{kind}.expressions"))]
        if kind == "andGroup":
            return lambda values: all(p(values) for p in parts)
        return lambda values: any(p(values) for p in parts)
    if kind == "notExpression":
        inner = compile_filter(expr[kind], f"{what}.notExpression", allowed, names)
        return lambda values: not inner(values)
    spec = obj(expr["filter"], f"{what}.filter")
    name = string(spec.get("fieldName"), f"{what}.filter.fieldName")
    if name not in allowed:
        if what.startswith("dimension"):
            raise ga4_invalid(f"Field {name} in {what} is not a valid dimension. "
                              f"For a list of valid dimensions and metrics, see {SCHEMA_URL}")
        raise ga4_invalid(f"Field {name} in {what} is not a metric of this request.")
    names.add(name)
    test = _leaf(spec, f"{what}.filter")
    return lambda values: test(values[name])
