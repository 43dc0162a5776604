"""The Redis key schema has one owner: every per-tracker key suffix is named in realtime/keys.py,
and the Lua scripts get the suffixes and shared constants from the header generated from it."""

import inspect
import re
from pathlib import Path

from realtime import keys
from realtime.lua_header import LUA_CONSTANTS, lua_header
from realtime.live_state import script

ROOT = Path(keys.__file__).resolve().parent.parent
KEY_SCHEMA = Path(keys.__file__).resolve()


def _sources():
    """Every Python and Lua file of the project: application code, tests, the bench and the
    development stack (the test itself and keys.py excepted)."""
    for path in sorted(ROOT.rglob("*")):
        if (path.suffix in (".py", ".lua") and path not in (KEY_SCHEMA, Path(__file__).resolve())
                and not {".venv", "node_modules", ".git"} & set(path.relative_to(ROOT).parts)):
            yield path


def _global_shapes() -> set[str]:
    """The first segment after the prefix of every key keys.py builds outside a tracker's hash
    tag (`:salt:`, `:lock:history`, a shard's `{s:<n>}:live`...), found by calling each key function."""
    shapes = set()
    for name, function in vars(keys).items():
        if not (inspect.isfunction(function) and function.__module__ == keys.__name__) or name.startswith("_"):
            continue
        parameters = inspect.signature(function).parameters
        if name in ("prefix", "tracker_key") or any(p.default is not p.empty for p in parameters.values()):
            continue
        key = function(*["0"] * len(parameters))
        if isinstance(key, str) and key.startswith(keys.prefix() + ":") and not key.startswith(keys.tracker_base("")[:-2]):
            rest = re.sub(r"^\{[^}]*\}:", "", key[len(keys.prefix()) + 1:])  # a tick shard's: `{s:<n>}:live`
            shapes.add(re.match(r"[\w-]+", rest).group())
    return shapes


def test_global_key_shapes_are_found_by_the_literal_check():
    assert {"live", "salt", "lock", "rl", "gaq", "revoked", "snapshots", "cfggen", "cfg-published"} <= _global_shapes()


def test_no_key_suffix_is_written_out_anywhere_but_the_key_schema():
    names = "|".join(sorted({re.escape(s.value.strip(":")) for s in keys.SUFFIXES}
                            | {re.escape(shape) for shape in _global_shapes()}, key=len, reverse=True))
    # A suffix joined to a key: `"...:act"`, `'...:act'` or `}:act` in an f-string, `":psrc:"`,
    # `f"{prefix}:live"`...
    literal = re.compile(r"""["'}]:(%s)(?![\w-])""" % names)
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if literal.search(line)]
    assert found == []


def test_the_literal_check_catches_a_suffix_joined_by_hand():
    names = "|".join(re.escape(s.value.strip(":")) for s in keys.SUFFIXES)
    literal = re.compile(r"""["'}]:(%s)(?![\w-])""" % names)
    assert literal.search('config_key = f"nm1-p{port}:{{t:{site}}}:cfg"')
    assert literal.search('redis.call("HGET", base .. ":act", vid)')
    assert not literal.search('Dimension("rt:city", R["city"])')


def test_every_script_starts_with_the_generated_header_and_repeats_none_of_its_names():
    header = lua_header()
    assert 'local K_ACT = ":act"' in header
    assert f"local VISIT_SECS = {keys.VISIT_SECS}" in header
    assert f"local SERIES_TTL_SECS = {keys.SERIES_TTL_SECS}" in header
    assert f"local HISTORY_SLOT_SECS = {keys.HISTORY_SLOT_SECS}" in header
    for name in ("DAY_KEY_TTL_SECS", "APPLIED_TTL_SECS", "DROPS_TTL_SECS", "LEFT_TTL_SECS", "HIT_LOG_MAX_BYTES_PER_MINUTE"):
        assert f"local {name} = {getattr(keys, name)}" in header
    for name, value in LUA_CONSTANTS.items():  # every shared constant is keys.py's, under its own name
        assert getattr(keys, name) == value, name
    generated = re.findall(r"^local (\w+) =", header, re.M)
    for path in sorted((ROOT / "realtime" / "lua").glob("*.lua")):
        assert script(path.stem).source.startswith(header) or path.stem == "common"
        redefined = [name for name in generated if re.search(rf"^\s*local {name}\b", path.read_text(), re.M)]
        assert redefined == [], path.name


def test_every_suffix_is_documented_with_its_type_ttl_and_writer():
    values = [s.value for s in keys.SUFFIXES]
    assert len(values) == len(set(values))
    for suffix in keys.SUFFIXES:
        assert suffix.type and suffix.ttl and suffix.writer and suffix.doc, suffix.lua
        assert suffix.lua.startswith("K_"), suffix.lua
