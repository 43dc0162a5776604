"""`max-results` and `start-index` validated as Google validates them (an integer within its range,
else `invalidParameter` on it), and `start-index` pages as in Core Reporting v3."""

from __future__ import annotations

import json

import pytest

from gacompat.tests import clients

PATH = "/analytics/v3/data/realtime"


def failure(ga_server, keys, site, **params) -> tuple[int, dict]:
    status, _, body = clients.raw(ga_server, PATH, {"ids": site.ids, "metrics": "rt:activeUsers", **params},
                                  token=keys["read"])
    return status, json.loads(body)["error"]


@pytest.mark.parametrize("value", ["-5", "0", "abc", "1.5", "1e3", " 3", "", "99999999999999", "1_0"])
def test_a_start_index_that_is_not_a_positive_integer_is_an_invalid_parameter(ga_server, keys, site, value):
    status, error = failure(ga_server, keys, site, **{"start-index": value})
    assert status == 400
    assert error["message"] == f"Invalid value '{value}' for start-index. Value must be within the range: [1, 2147483647]"
    assert error["errors"][0] == {"domain": "global", "reason": "invalidParameter", "message": error["message"],
                                  "locationType": "parameter", "location": "start-index"}


@pytest.mark.parametrize("value", ["1e3", "10.0", "+", "0x10", " 5", "1_000", "10001"])
def test_a_max_results_that_is_not_an_integer_in_range_is_an_invalid_parameter(ga_server, keys, site, value):
    status, error = failure(ga_server, keys, site, **{"max-results": value})
    assert status == 400
    assert error["message"] == f"Invalid value '{value}' for max-results. Value must be within the range: [1, 10000]"
    assert error["errors"][0]["location"] == "max-results"


def test_start_index_pages_through_the_sorted_rows(v3, known):
    params = {"ids": known.site.ids, "metrics": "rt:pageviews", "dimensions": "rt:pagePath", "sort": "rt:pagePath"}
    whole = v3.data().realtime().get(**params).execute()
    assert whole["rows"] == [["/a", "2"], ["/b", "2"], ["/c", "1"]]
    # The discovery document has no start-index for realtime: send it as raw clients do.
    request = v3.data().realtime().get(**params, max_results=1)
    request.uri += "&start-index=2"
    second = request.execute()
    assert second["rows"] == [["/b", "2"]]
    assert second["totalResults"] == 3 and second["totalsForAllResults"] == {"rt:pageviews": "5"}
    assert second["query"]["start-index"] == 2 and second["selfLink"].endswith("&max-results=1&start-index=2")
    request = v3.data().realtime().get(**params)
    request.uri += "&start-index=4"
    past_the_end = request.execute()
    assert "rows" not in past_the_end and past_the_end["totalResults"] == 3
