"""The Lua names of the key schema: the header prepended to every Lua script.

Generated from `realtime.keys` (the one owner of key suffixes, TTLs and separators) each time a
script is loaded, so Lua and Python cannot drift. Edit keys.py, not the header."""

from __future__ import annotations

from realtime import keys

# Constants the Lua scripts use, by their Lua name; every value is keys.py's.
LUA_CONSTANTS: dict[str, int | str] = {
    "VISIT_SECS": keys.VISIT_SECS,
    "LEFT_TTL_SECS": keys.LEFT_TTL_SECS,
    "DAY_KEY_TTL_SECS": keys.DAY_KEY_TTL_SECS,
    "APPLIED_TTL_SECS": keys.APPLIED_TTL_SECS,
    "DROPS_TTL_SECS": keys.DROPS_TTL_SECS,
    "SERIES_TTL_SECS": keys.SERIES_TTL_SECS,
    "HIT_LOG_MAX_BYTES_PER_MINUTE": keys.HIT_LOG_MAX_BYTES_PER_MINUTE,
    "HISTORY_SLOT_SECS": keys.HISTORY_SLOT_SECS,
    "HISTORY_KEY_TTL_SECS": keys.HISTORY_KEY_TTL_SECS,
    "HISTORY_MARK_TTL_SECS": keys.HISTORY_MARK_TTL_SECS,
    "FIELD_SEP": keys.FIELD_SEP,
    "HIT_SEP": keys.HIT_SEP,
    "MINUTE_SERIES_SECS": keys.MINUTE_SERIES_SECS,
}


def _lua_literal(value: int | str) -> str:
    if isinstance(value, int):
        return str(value)
    return '"' + "".join(c if c.isalnum() or c in ":-_" else f"\\{ord(c):03d}" for c in value) + '"'


def lua_header() -> str:
    """The Lua prepended to every script (`live_state.clients.script`): each suffix of
    `keys.SUFFIXES` as `local K_... = ":..."` and each shared constant."""
    lines = ["-- Generated from realtime/keys.py when the script is loaded: edit keys.py, not this."]
    lines += [f"local {s.lua} = {_lua_literal(s.value)}" for s in keys.SUFFIXES]
    lines += [f"local {name} = {_lua_literal(value)}" for name, value in LUA_CONSTANTS.items()]
    return "\n".join(lines) + "\n"
