"""Regular expressions of both APIs' filters, on RE2, as Google Analytics' own are.

RE2 matches in time linear in the input, whatever the pattern: `^/(a|a)+$` against a long
path costs microseconds, where Python's backtracking `re` took seconds and stalled every
request of the process. RE2 refuses what it cannot run in linear time (backreferences,
lookarounds): those patterns are an invalid filter, as at Google."""

from __future__ import annotations

from typing import Callable

import re2

# RE2 compiles a pattern into a program bounded by this memory; larger ones fail to compile
# (an invalid filter) instead of taking memory from the process.
MAX_PROGRAM_BYTES = 1 << 20


class RegexError(ValueError):
    """RE2 cannot compile the pattern; the message says why (RE2's own words)."""


def _options(case_sensitive: bool) -> re2.Options:
    options = re2.Options()
    options.case_sensitive = case_sensitive
    options.never_capture = True  # only "does it match": no submatches to track, faster
    options.log_errors = False  # a bad pattern is the caller's error, not a server log line
    options.max_mem = MAX_PROGRAM_BYTES
    return options


_INSENSITIVE, _SENSITIVE = _options(False), _options(True)


def compile_search(pattern: str, *, case_sensitive: bool = False, full: bool = False) -> Callable[[str], bool]:
    """A predicate: does the pattern match anywhere in a value (or, with `full`, the whole
    value). Raises RegexError for a pattern RE2 rejects."""
    try:
        regex = re2.compile(pattern, _SENSITIVE if case_sensitive else _INSENSITIVE)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else b"invalid pattern"
        raise RegexError(reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)) from None
    except UnicodeEncodeError:  # a lone surrogate (JSON allows "\ud800"): RE2 works on UTF-8
        raise RegexError("invalid UTF-8 in the pattern") from None
    match = regex.fullmatch if full else regex.search
    seen: dict[str, bool] = {}  # one query's predicate: values repeat across rows (each call ~5 us)

    def test(value: str) -> bool:
        found = seen.get(value)
        if found is None:
            try:
                found = match(value) is not None
            except UnicodeEncodeError:
                found = match(value.encode("utf-8", "replace").decode("utf-8")) is not None
            seen[value] = found
        return found

    return test
