"""The device type of an Android model from Matomo Device Detector's list of ~2,000 brands and
their models (realtime/ingest/data/matomo-devices.json, LGPL-3.0-or-later; refreshed with
bench/refresh_matomo_devices.py).

`devices.device_class` asks here only when its own rules do not know a model: the long tail of
small makers whose tablets say "Mobile". The lookup is Device Detector's: the first brand whose
regex matches the UA, then that brand's first matching model, else the brand's own type.

Cost: the brand regexes are searched as a few RE2 sets (one linear pass each over the UA) on
the lowercased UA; a brand's model set is compiled the first time the brand is met. Patterns
RE2 cannot run (lookarounds) enter the sets without them, a superset, and a candidate is then
confirmed with the `regex` module (variable-width lookbehinds). Built when the ingest app starts
(~0.2 s), else on first use; thread-safe; results are cached with the rest of the parse
(`useragent._parse`).
"""

from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import re2
import regex

DATA = Path(__file__).resolve().parent / "data" / "matomo-devices.json"

# Device Detector's types as NowMetrix's classes (shared/spec/semantics.md); the rest (media
# players, cameras, speakers, peripherals) tell nothing and leave the decision to the caller.
CLASSES = {
    "tablet": "tablet",
    "smartphone": "mobile", "phablet": "mobile", "feature phone": "mobile", "wearable": "mobile",
    "tv": "desktop", "console": "desktop", "car browser": "desktop", "smart display": "desktop",
    "desktop": "desktop",
}
# Device Detector wraps every regex so that it starts a token (its BOUNDED_REGEX), lowercased here.
_BOUNDED = r"(?:^|[^a-z0-9_-]|[^a-z0-9-]_|sprd-|mz-)(?:{})"
_LOOKAROUND_OPENERS = ("(?<!", "(?<=", "(?!", "(?=")
# Brands per RE2 set and each set's memory budget, measured over Matomo's 36,000 fixture UAs:
# 21 sets of 100 at 16 MB parse a UA in ~53 us all told once their DFAs are warm (~300 us while
# they warm up in a new process); 7 sets of 300 need 128 MB each for ~48 us, and at 32 MB they
# thrash (~190 us). A DFA that fills its budget is flushed and rebuilt, so hostile UAs cannot
# grow memory past the budgets.
_BRANDS_PER_SET = 100
_BRAND_OPTIONS = re2.Options()
_BRAND_OPTIONS.max_mem = 16 << 20
_MODEL_OPTIONS = re2.Options()  # one set per brand met, of tens to hundreds of short patterns
_MODEL_OPTIONS.max_mem = 8 << 20


def lowercased_pattern(pattern: str) -> str:
    """`pattern` matching the lowercased text as it matched the text case-insensitively: literals
    lowercased, escapes (\\D, \\S, \\W, \\B) kept."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            out.append(pattern[i:i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group opened at `start` (escapes and classes skipped)."""
    depth, i = 0, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i += 1
            i += pattern.startswith("^", i)
            i += pattern.startswith("]", i)  # a leading "]" is a literal
            while i < len(pattern) and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(pattern)


def without_lookarounds(pattern: str) -> str:
    """`pattern` with its lookarounds removed: it matches wherever `pattern` does (a superset)."""
    out, i = [], 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i:i + 2])
            i += 2
        elif pattern.startswith(_LOOKAROUND_OPENERS, i):
            i = _group_end(pattern, i)
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


class _Pattern(NamedTuple):
    loose: str  # what RE2 runs
    exact: str  # confirms a loose match when lookarounds were removed ('' when no need)


def _pattern(raw: str) -> _Pattern:
    bounded = _BOUNDED.format(lowercased_pattern(raw))
    loose = without_lookarounds(bounded)
    return _Pattern(loose, "" if loose == bounded else bounded)


@lru_cache(maxsize=None)  # bounded by the list: compiled only once a loose match needs it
def _exact(pattern: str) -> regex.Pattern | None:
    """The pattern with its lookarounds, in the `regex` module as Device Detector runs it: `re`
    refuses the variable-width lookbehinds of 15 brands (Samsung, LG, Motorola, HTC, Acer...)."""
    try:
        return regex.compile(pattern)
    except regex.error:
        return None  # a pattern no engine runs: it matches nothing


class _Matcher:
    """Ordered patterns: the index of the first (in list order) that matches a text."""

    def __init__(self, raws: list[str], per_set: int, options: re2.Options):
        self.patterns: list[_Pattern] = []
        self.sets: list[tuple[re2.Set, list[int]]] = []
        for raw in raws:
            pattern = _pattern(raw)
            if len(self.sets) == 0 or len(self.sets[-1][1]) == per_set:
                if self.sets:
                    self.sets[-1][0].Compile()
                self.sets.append((re2.Set.SearchSet(options), []))
            try:
                self.sets[-1][0].Add(pattern.loose)
                self.sets[-1][1].append(len(self.patterns))
            except Exception:  # noqa: BLE001 - RE2 refuses the pattern: it can never match
                pass
            self.patterns.append(pattern)
        if self.sets:
            self.sets[-1][0].Compile()

    def first(self, text: str) -> int | None:
        for matcher, indices in self.sets:
            for hit in sorted(matcher.Match(text) or ()):
                index = indices[hit]
                exact = self.patterns[index].exact
                if not exact or (compiled := _exact(exact)) is not None and compiled.search(text):
                    return index
        return None


class _Brand(NamedTuple):
    device: str
    model_regexes: list[str]
    model_devices: list[str]


class DeviceList:
    def __init__(self, brands: list[list]):
        self.brands = [_Brand(device, [m[0] for m in models], [m[1] for m in models])
                       for _, _, device, models in brands]
        self.brand_matcher = _Matcher([brand[1] for brand in brands], _BRANDS_PER_SET, _BRAND_OPTIONS)
        self.model_matchers: dict[int, _Matcher] = {}
        self.lock = threading.Lock()

    def device_type(self, low: str) -> str:
        """Device Detector's type for a lowercased UA ('' when no brand matches)."""
        index = self.brand_matcher.first(low)
        if index is None:
            return ""
        brand = self.brands[index]
        if not brand.model_regexes:
            return brand.device
        matcher = self.model_matchers.get(index)
        if matcher is None:
            with self.lock:
                matcher = self.model_matchers.setdefault(index, _Matcher(brand.model_regexes, len(brand.model_regexes), _MODEL_OPTIONS))
        model = matcher.first(low)
        return brand.device if model is None else brand.model_devices[model]


_list: DeviceList | None = None
_list_lock = threading.Lock()


def _get_list() -> DeviceList:
    global _list
    if _list is None:
        with _list_lock:
            if _list is None:
                _list = DeviceList(json.loads(DATA.read_text(encoding="utf-8")))
    return _list


def device_class(low: str) -> str:
    """NowMetrix's class of the device a lowercased UA names, by Matomo's list ('' unknown)."""
    return CLASSES.get(_get_list().device_type(low), "")
