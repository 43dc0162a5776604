"""The hit parser: every input is a well-formed hit or `Malformed`, never another exception.

Pure functions, no Django machinery: hypothesis drives them with arbitrary bytes, arbitrary JSON
and near-miss hits, derandomized so a failure reproduces on every run."""

from __future__ import annotations

import json
import math
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realtime.ingest.payload import KINDS, MAX_BODY_BYTES, MAX_WIDTH_PX, Malformed, RawHit, parse_beacon, parse_pixel

FUZZ = settings(max_examples=400, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SNIPPET_KEYS = ["s", "e", "u", "t", "r", "w", "i", "a", "p", "v", "d", "c", "x", "l"]
URL = "https://planet.example/story"


def _beacon(**fields) -> bytes:
    return json.dumps({"s": "abc123", "e": "pv", "u": URL, **fields}).encode()


def _is_clean(text: str, limit: int) -> bool:
    return (len(text) <= limit and not any(ord(ch) < 0x20 or 0x7f <= ord(ch) <= 0x9f for ch in text)
            and not any(0xD800 <= ord(ch) <= 0xDFFF for ch in text))


def assert_well_formed(hit: RawHit) -> None:
    """What the rest of the pipeline relies on for an accepted hit."""
    assert hit.site and _is_clean(hit.site, 64)
    assert hit.kind in KINDS
    parts = urlsplit(hit.url)
    assert parts.scheme.lower() in ("http", "https") and parts.hostname
    assert parts.port is None or 0 <= parts.port <= 65535
    assert hit.host and hit.host.isascii() and len(hit.host) <= 253
    assert _is_clean(hit.url, 2048) and hit.path.startswith("/") or hit.path == "/"
    assert isinstance(hit.width, int) and 0 <= hit.width <= MAX_WIDTH_PX
    for value, limit in ((hit.title, 512), (hit.referrer, 2048), (hit.og_image, 2048), (hit.author, 512),
                         (hit.pubdate, 64), (hit.category, 150), (hit.action, 150), (hit.label, 150)):
        assert isinstance(value, str) and _is_clean(value, limit)
        value.encode("utf-8")  # would raise on a lone surrogate
    assert not hit.og_image or hit.og_image.startswith(("http://", "https://"))


def parse_or_malformed(parse, *args) -> RawHit | None:
    try:
        hit = parse(*args)
    except Malformed:
        return None
    assert_well_formed(hit)
    return hit


def test_a_plain_beacon_is_a_well_formed_hit():
    hit = parse_beacon(_beacon(w=1280, t="Story"))
    assert_well_formed(hit)
    assert (hit.host, hit.path, hit.width, hit.title) == ("planet.example", "/story", 1280, "Story")


@pytest.mark.parametrize("body", [
    b'{"s": "abc123", "u": "https://planet.example/", "w": 1e400}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": -1e400}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": Infinity}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": -Infinity}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": NaN}',
    b'{"s": "abc123", "u": "https://planet.example/", "t": 1e400}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": 100001}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": -5}',
    b'{"s": "abc123", "u": "https://planet.example/", "w": 1' + b"0" * 5000 + b"}",
    b'{"s": "abc123", "u": "https://planet.example/", "w": true}',
], ids=lambda b: b[48:70].decode(errors="replace"))
def test_non_finite_or_out_of_range_numbers_are_malformed(body):
    with pytest.raises(Malformed):
        parse_beacon(body)


@pytest.mark.parametrize("depth", [2, 50, 1_000, 4_000])
def test_nesting_at_any_depth_is_malformed_without_recursing(depth):
    nested = "[" * depth + "]" * depth
    body = ('{"s": "abc123", "u": "https://planet.example/", "w": ' + nested + "}").encode()
    with pytest.raises(Malformed):
        parse_beacon(body[:MAX_BODY_BYTES] if len(body) > MAX_BODY_BYTES else body)
    with pytest.raises(Malformed):
        parse_beacon(("{" * depth + "}" * depth).encode()[:MAX_BODY_BYTES])


def test_brackets_inside_strings_are_only_text():
    hit = parse_beacon(_beacon(t='[Live] {"quoted"} \\ [[[[', r="https://ref.example/?q=[x]"))
    assert hit.title == '[Live] {"quoted"} \\ [[[['


@pytest.mark.parametrize("body", [
    b'{"s": "abc123", "u": "https://planet.example/\xff"}',
    b'{"s": "abc123", "u": "https://planet.example/", "t": "\\ud800"}',
    b'{"s": "ab\\u0000c", "u": "https://planet.example/"}',
    b'{"s": "abc123", "u": "https://planet.example/\\u0007x"}',
    b'{"s": "abc123", "u": "https://planet.example/\\u0085x"}',
    b"\xef\xbb\xbf" + _beacon(),
    b"A" * (MAX_BODY_BYTES + 1),
], ids=["invalid utf-8", "lone surrogate", "control in site", "control in url", "C1 control in url", "BOM",
        "oversized"])
def test_bad_encodings_and_control_characters_are_malformed(body):
    with pytest.raises(Malformed):
        parse_beacon(body)


def test_control_characters_in_free_text_become_spaces():
    assert parse_beacon(_beacon(t="Breaking\tnews\x1f\x85now")).title == "Breaking news  now"


@pytest.mark.parametrize("url", [
    "https://planet.example:99999/", "https://planet.example:-1/", "https://planet.example:8x/",
    "ftp://planet.example/", "javascript:alert(1)", "data:text/html,hi", "https:///nohost", "http://[zz]/",
    "http://[::1/", "https://exa mple.com/", "https://ex%41mple.com/", "https://-bad-.example/",
    "https://" + "a" * 64 + ".example/", "https://planet.example\\@evil/", "https://münchen.example/",
    "https://planet..example/",
])
def test_urls_that_do_not_parse_as_web_pages_are_malformed(url):
    with pytest.raises(Malformed):
        parse_beacon(_beacon(u=url))
    with pytest.raises(Malformed):
        parse_pixel(urlencode({"s": "abc123", "u": url}).encode(), "")


@pytest.mark.parametrize("url,host", [
    ("https://planet.example:8443/a", "planet.example"), ("http://127.0.0.1/", "127.0.0.1"),
    ("http://[2001:db8::1]:80/x", "2001:db8::1"), ("HTTPS://Planet.Example./", "planet.example"),
    ("https://xn--mnchen-3ya.example/", "xn--mnchen-3ya.example"),
])
def test_urls_with_valid_hosts_and_ports_are_accepted(url, host):
    assert parse_beacon(_beacon(u=url)).host == host


def test_a_relative_og_image_that_cannot_be_joined_is_left_out():
    assert parse_beacon(_beacon(i="//[oops/x.png")).og_image == ""


@FUZZ
@given(st.binary(max_size=MAX_BODY_BYTES + 16))
def test_arbitrary_bytes_are_a_hit_or_malformed(body):
    parse_or_malformed(parse_beacon, body)


JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=80),
    st.sampled_from([URL, "pv", "hb", "ev", "lv", "1280", "1e400", "https://planet.example:99999/", "\u0000",
                     "\ud800", "http://[::1]/", "//x", "0"]),
)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=8)


@FUZZ
@given(st.dictionaries(st.sampled_from(SNIPPET_KEYS) | st.text(max_size=4), JSON_VALUES, max_size=10))
def test_arbitrary_json_objects_are_a_hit_or_malformed(fields):
    body = json.dumps(fields, allow_nan=True).encode("utf-8", "surrogatepass")
    parse_or_malformed(parse_beacon, body)


@FUZZ
@given(st.fixed_dictionaries({"s": st.text(min_size=1, max_size=70), "u": st.just(URL) | st.text(max_size=60)},
                             optional={k: JSON_SCALARS for k in SNIPPET_KEYS if k not in "su"}))
def test_near_miss_hits_are_a_hit_or_malformed(fields):
    body = json.dumps(fields, allow_nan=True).encode("utf-8", "surrogatepass")
    hit = parse_or_malformed(parse_beacon, body)
    if hit is not None and isinstance(fields.get("w"), (int, float)) and not isinstance(fields.get("w"), bool):
        assert math.isfinite(fields["w"]) and 0 <= fields["w"] <= MAX_WIDTH_PX + 1


@FUZZ
@given(st.binary(max_size=600), st.text(max_size=100) | st.just(URL))
def test_arbitrary_pixel_queries_are_a_hit_or_malformed(query, referer):
    parse_or_malformed(parse_pixel, query, referer)


@FUZZ
@given(st.dictionaries(st.sampled_from(SNIPPET_KEYS), st.text(max_size=40) | st.sampled_from([URL, "1e400", "inf"]),
                       max_size=8))
def test_arbitrary_pixel_fields_are_a_hit_or_malformed(fields):
    parse_or_malformed(parse_pixel, urlencode(fields, encoding="utf-8", errors="surrogatepass").encode(), URL)
