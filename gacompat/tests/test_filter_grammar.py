"""The filter grammar as a pure parser."""

from __future__ import annotations

import pytest

from gacompat import filters


def test_or_groups_nest_inside_and():
    parsed = filters.parse("rt:a==1,rt:a==2;rt:b==3")
    assert [[(c.name, c.operator, c.expression) for c in group] for group in parsed] == [
        [("rt:a", "==", "1"), ("rt:a", "==", "2")], [("rt:b", "==", "3")]]


def test_operators_are_matched_longest_first():
    assert [(c.operator, c.expression) for c in filters.parse("rt:x>==3")[0]] == [(">=", "=3")]
    assert [(c.operator, c.expression) for c in filters.parse("rt:x!==a")[0]] == [("!=", "=a")]


def test_escapes():
    assert filters.split(r"rt:t==a\,b\;c\\d\.e") == [[r"rt:t==a,b;c\d\.e"]]
    assert filters.split("rt:t==a\\") == [["rt:t==a\\"]]


def test_spaces_are_kept():
    (condition,), = filters.parse("rt:city== New York ")
    assert condition.expression == " New York "


@pytest.mark.parametrize("text", ["", "rt:x", "x==1", "rt:==1", "rt:a==1,,rt:b==2"])
def test_malformed_strings(text):
    with pytest.raises(filters.FilterSyntaxError):
        filters.parse(text)


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"^(\d*)*x", r"(?:ab+)+", r"(x{2,})+", r"(a|a?)+"])
def test_nested_quantifiers_are_refused(pattern):
    assert not filters.regex_is_safe(pattern)
    with pytest.raises(filters.FilterError, match="nests quantifiers"):
        filters.parse("rt:pagePath=~" + pattern.replace(",", "\\,"))  # a comma in a filter is escaped


@pytest.mark.parametrize("pattern", [r"^/news/\d+\.html$", r"(?:ab)+", r"(a|b)+", r"(a+)?", r"^(Chrome|Firefox)", r"\(a+\)+"])
def test_ordinary_patterns_are_accepted(pattern):
    assert filters.regex_is_safe(pattern)
