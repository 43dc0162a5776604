"""The Data API's enums, read as protobuf's JSON mapping reads them. Pure.

Google's GA4 clients in REST mode (`google-analytics-data` with `transport="rest"`,
`@google-analytics/data` with `fallback: 'rest'`) add `$alt=json;enum-encoding=int` and send
every enum as its number; hand-written JSON sends names. Protobuf's JSON parser accepts both
(and a number written as a string), whatever `$alt` says, so this does too. Numbers are those of
`google/analytics/data/v1beta/data.proto`. Responses always carry names: every client's parser
(protobuf's `json_format`, protobuf.js `fromObject`, and plain JSON readers of the discovery
clients, which expect names) accepts them."""

from __future__ import annotations

import re

from gacompat.errors import ga4_invalid

_PACKAGE = "type.googleapis.com/google.analytics.data.v1beta"


class Enum:
    """One proto enum: names by number, and the type name Google's errors quote."""

    def __init__(self, type_name: str, values: dict[str, int]):
        self.type_name = f"{_PACKAGE}.{type_name}"
        self.by_name = values
        self.by_number = {number: name for name, number in values.items()}

    def parse(self, value, what: str) -> str:
        """The value's name; None (JSON null, or absent) is the zero value, as in proto3."""
        if value is None:
            return self.by_number[0]
        if isinstance(value, str) and value in self.by_name:
            return value
        number = _as_number(value)
        if number is not None and number in self.by_number:
            return self.by_number[number]
        # Google names the field by its proto path: `metric_aggregations[0]`.
        path = _UPPER.sub(lambda m: "_" + m.group(0).lower(), what)
        raise ga4_invalid(f"Invalid value at '{path}' ({self.type_name}), {_quoted(value)}")


_UPPER = re.compile(r"[A-Z]")


def _as_number(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit() and value.isascii():
        return int(value)
    return None


def _quoted(value) -> str:
    return f'"{value}"' if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)


MATCH_TYPE = Enum("Filter.StringFilter.MatchType", {
    "MATCH_TYPE_UNSPECIFIED": 0, "EXACT": 1, "BEGINS_WITH": 2, "ENDS_WITH": 3, "CONTAINS": 4, "FULL_REGEXP": 5,
    "PARTIAL_REGEXP": 6})
OPERATION = Enum("Filter.NumericFilter.Operation", {
    "OPERATION_UNSPECIFIED": 0, "EQUAL": 1, "LESS_THAN": 2, "LESS_THAN_OR_EQUAL": 3, "GREATER_THAN": 4,
    "GREATER_THAN_OR_EQUAL": 5})
ORDER_TYPE = Enum("OrderBy.DimensionOrderBy.OrderType", {
    "ORDER_TYPE_UNSPECIFIED": 0, "ALPHANUMERIC": 1, "CASE_INSENSITIVE_ALPHANUMERIC": 2, "NUMERIC": 3})
METRIC_AGGREGATION = Enum("MetricAggregation", {
    "METRIC_AGGREGATION_UNSPECIFIED": 0, "TOTAL": 1, "COUNT": 4, "MINIMUM": 5, "MAXIMUM": 6})
