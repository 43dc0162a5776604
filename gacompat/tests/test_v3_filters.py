"""The `filters` grammar end to end: every operator, OR before AND, escapes, regexes, the
hit-level OR rule, metric filters; and how failures reach Google's client."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError


def rows(v3, known, filters, dims="rt:country", metrics="rt:activeUsers"):
    body = v3.data().realtime().get(ids=known.site.ids, metrics=metrics, dimensions=dims, filters=filters).execute()
    return body.get("rows", [])


def countries(v3, known, filters):
    return [r[0] for r in rows(v3, known, filters)]


def failure(v3, known, filters, metrics="rt:activeUsers"):
    with pytest.raises(HttpError) as raised:
        rows(v3, known, filters, metrics=metrics)
    return raised.value


@pytest.mark.parametrize("filters, expected", [
    ("rt:country==Germany", ["Germany"]),
    ("rt:country==germany", []),  # == is case-sensitive
    ("rt:country!=Germany", ["Australia", "Switzerland", "United States"]),
    ("rt:country=@LAND", ["Switzerland"]),  # substring, case-insensitive
    ("rt:country!@Y", ["Australia", "Switzerland", "United States"]),
    ("rt:country=~^(germ|swi)", ["Germany", "Switzerland"]),  # regex, case-insensitive, unanchored
    ("rt:country!~e", ["Australia"]),
    ("rt:country=~States$", ["United States"]),
])
def test_each_dimension_operator_selects_its_rows(v3, known, filters, expected):
    assert countries(v3, known, filters) == expected


def test_or_binds_tighter_than_and(v3, known):
    # (Germany OR Switzerland) AND desktop
    assert countries(v3, known, "rt:country==Germany,rt:country==Switzerland;rt:deviceCategory==DESKTOP") == ["Germany"]
    # Germany OR (Switzerland AND desktop) would also keep nothing else: AND of ORs only.
    assert countries(v3, known, "rt:deviceCategory==DESKTOP;rt:country==Germany,rt:country==United States") == [
        "Germany", "United States"]


def test_a_filter_may_use_a_dimension_outside_the_query(v3, known):
    assert countries(v3, known, "rt:browser==Mobile Safari;rt:userType==NEW") == ["Australia"]


def test_escaped_comma_and_semicolon_are_literal(v3, known):
    body = rows(v3, known, r"rt:pageTitle==Gamma\, the third", dims="rt:pageTitle")
    assert body == [["Gamma, the third", "1"]]
    assert rows(v3, known, r"rt:pageTitle=~^Gamma\, the", dims="rt:pageTitle") == [["Gamma, the third", "1"]]
    assert rows(v3, known, r"rt:pageTitle==a\;b", dims="rt:pageTitle") == []


def test_regex_escapes_survive_and_double_backslash_is_one(v3, known):
    assert rows(v3, known, r"rt:browserVersion=~^124\.0", dims="rt:browserVersion") == [["124.0.0.0", "2"]]
    assert rows(v3, known, r"rt:browserVersion=~^124\.1", dims="rt:browserVersion") == []
    # "\\," is a literal backslash followed by the OR separator.
    assert countries(v3, known, "rt:country==Germany\\\\,rt:country==Australia") == ["Australia"]


def test_metric_filters_apply_to_rows(v3, known):
    assert rows(v3, known, "rt:pageviews>1", dims="rt:pagePath", metrics="rt:pageviews") == [
        ["/a", "2"], ["/b", "2"]]
    assert rows(v3, known, "rt:activeUsers>=2", dims="rt:pagePath") == [["/b", "2"]]
    assert rows(v3, known, "rt:activeUsers<2;rt:activeUsers!=0", dims="rt:pagePath") == [["/a", "1"], ["/c", "1"]]
    assert rows(v3, known, "rt:activeUsers==1,rt:activeUsers>5;rt:country!=Germany", dims="rt:pagePath") == [
        ["/a", "1"], ["/b", "1"], ["/c", "1"]]
    # A metric outside the query may filter it.
    assert rows(v3, known, "rt:totalEvents>0", dims="rt:country") == [["Germany", "1"]]


def test_or_with_a_hit_level_dimension_and_active_users_is_refused(v3, known):
    error = failure(v3, known, "rt:pagePath==/a,rt:pagePath==/b")
    assert error.status_code == 400
    assert error.reason == "OR operator not supported for a hit level filter"
    assert error.error_details[0]["reason"] == "badRequest"
    # AND is fine, and so is OR for hit counts.
    assert countries(v3, known, "rt:pagePath==/b;rt:country!=Germany") == ["Switzerland"]
    assert rows(v3, known, "rt:pagePath==/a,rt:pagePath==/c", metrics="rt:pageviews") == [
        ["Australia", "1"], ["United Kingdom", "1"], ["United States", "1"]]


def test_regexes_longer_than_128_characters_are_refused(v3, known):
    assert countries(v3, known, "rt:country=~" + "(a|b)?" * 21 + "y") == ["Germany"]  # 127 characters
    error = failure(v3, known, "rt:country=~" + "a" * 129)
    assert error.status_code == 400 and error.error_details[0]["reason"] == "badRequest"
    assert "128" in error.reason


@pytest.mark.parametrize("filters, reason, text", [
    ("rt:country", "invalidParameter", "Invalid value 'rt:country' for filters parameter."),
    ("rt:country==Germany;", "invalidParameter", "for filters parameter"),
    ("rt:nope==x", "badRequest", "Invalid dimension or metric: rt:nope"),
    ("rt:country>3", "badRequest", "Operator '>' is not valid for dimension rt:country."),
    ("rt:pageviews=@3", "badRequest", "Operator '=@' is not valid for metric rt:pageviews."),
    ("rt:pageviews>x", "badRequest", "Invalid numeric value 'x'"),
    ("rt:country==Germany,rt:pageviews>1", "badRequest", "cannot be combined with the OR operator"),
    ("rt:country=~(", "badRequest", "Invalid regular expression"),
])
def test_bad_filters_are_refused(v3, known, filters, reason, text):
    error = failure(v3, known, filters)
    assert error.status_code == 400
    assert error.error_details[0]["reason"] == reason
    assert text in error.reason
    if reason == "invalidParameter":
        assert error.error_details[0]["location"] == "filters"
