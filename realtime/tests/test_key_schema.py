"""The Redis key schema has one owner: every per-tracker key suffix is named in realtime/keys.py,
and the Lua scripts get the suffixes and shared constants from the header generated from it."""

import re
from pathlib import Path

from realtime import keys
from realtime.live_state import script

ROOT = Path(keys.__file__).resolve().parent.parent
# Application code, tests and the bench. The development stack builds the keys of another
# installation's prefix by hand and is left out.
SEARCHED = ("realtime", "gacompat", "history", "trackers", "connectors", "bench")


def _sources():
    for top in SEARCHED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix in (".py", ".lua") and path not in (Path(keys.__file__).resolve(), Path(__file__).resolve()):
                yield path


def test_no_key_suffix_is_written_out_anywhere_but_the_key_schema():
    names = "|".join(re.escape(s.value.strip(":")) for s in keys.SUFFIXES)
    # A suffix joined to a key: `"...:act"`, `'...:act'` or `}:act` in an f-string, `":psrc:"`...
    literal = re.compile(r"""["'}]:(%s)(?![\w-])""" % names)
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
             for path in _sources()
             for n, line in enumerate(path.read_text().splitlines(), 1)
             if literal.search(line)]
    assert found == []


def test_every_script_starts_with_the_generated_header_and_repeats_none_of_its_names():
    header = keys.lua_header()
    assert 'local K_ACT = ":act"' in header
    assert f"local VISIT_SECS = {keys.VISIT_SECS}" in header
    assert f"local SERIES_TTL_SECS = {keys.SERIES_TTL_SECS}" in header
    assert f"local HISTORY_SLOT_SECS = {keys.HISTORY_SLOT_SECS}" in header
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
