"""Google's `fields` partial-response syntax as a pure function."""

from __future__ import annotations

import pytest

from gacompat import rendering


def test_paths_and_sub_selections_merge():
    assert rendering.parse_fields("a,b/c,b/d,e(f,g/h)") == {"a": None, "b": {"c": None, "d": None},
                                                            "e": {"f": None, "g": {"h": None}}}
    assert rendering.parse_fields("a/b,a") == {"a": None}


def test_selection_keeps_the_response_order_and_applies_to_lists():
    body = {"kind": "k", "rows": [["1"]], "columnHeaders": [{"name": "n", "dataType": "STRING", "columnType": "X"}]}
    assert rendering.select(body, rendering.parse_fields("columnHeaders/name,kind")) == {
        "kind": "k", "columnHeaders": [{"name": "n"}]}


@pytest.mark.parametrize("text", ["a(", "a,", "(a)", "a//b", "a)b"])
def test_malformed_field_selections_are_refused(text):
    with pytest.raises(rendering.FieldsError):
        rendering.parse_fields(text)


def test_only_safe_callback_names_are_accepted():
    assert rendering.callback_is_safe("window.app.cb_1$")
    for bad in ("a-b", "a..b", "a()", "", "9a"):
        assert not rendering.callback_is_safe(bad)
