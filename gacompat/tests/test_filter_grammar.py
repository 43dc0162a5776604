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


def test_escaped_separators_and_backslashes_are_literal():
    assert filters.split(r"rt:t==a\,b\;c\\d\.e") == [[r"rt:t==a,b;c\d\.e"]]
    assert filters.split("rt:t==a\\") == [["rt:t==a\\"]]


def test_spaces_are_kept():
    (condition,), = filters.parse("rt:city== New York ")
    assert condition.expression == " New York "


@pytest.mark.parametrize("text", ["", "rt:x", "x==1", "rt:==1", "rt:a==1,,rt:b==2"])
def test_malformed_filter_strings_are_syntax_errors(text):
    with pytest.raises(filters.FilterSyntaxError):
        filters.parse(text)


@pytest.mark.parametrize("pattern", [r"^/(a|a)+$", r"^/((a)+)+$", r"(a+)+$", r"^(\d*)*x", r"(a|a?)+"])
def test_nested_quantifiers_run_in_linear_time_on_re2(pattern):
    # Exponential for a backtracking engine on 10,000 `a`s followed by a `b`; RE2 answers at
    # once. (No timing assertion: that the call returns with the right answer is the test.)
    (condition,), = filters.parse("rt:pagePath=~" + pattern)
    assert condition.matches("/" + "a" * 10_000 + "b") is (pattern == r"(a|a?)+")
    assert condition.matches("/" + "A" * 10_000) is (pattern != r"^(\d*)*x")  # case-insensitive


@pytest.mark.parametrize("pattern", [r"^/(a)\1$", r"^/blog(?=/)", r"(?<=/)news", r"(?!x)a", r"a{1001}", r"(", "[z-a]"])
def test_patterns_re2_rejects_are_invalid_filters(pattern):
    # Backreferences and lookarounds cannot run in linear time: RE2 refuses them, as GA does.
    with pytest.raises(filters.FilterError, match="Invalid regular expression"):
        filters.parse("rt:pagePath=~" + pattern)


@pytest.mark.parametrize("pattern", [r"^/news/\d+\.html$", r"(?:ab)+", r"(a|b)+", r"(a+)?", r"^(Chrome|Firefox)", r"\(a+\)+"])
def test_ordinary_patterns_are_accepted(pattern):
    (condition,), = filters.parse("rt:pagePath=~" + pattern)
    assert condition.search is not None
