"""common.lua repeats the history constants of realtime/keys.py: they must agree."""

import re
from pathlib import Path

from realtime import keys

COMMON = (Path(keys.__file__).parent / "lua" / "common.lua").read_text()


def test_the_lua_slot_length_and_ttl_match_the_key_schema():
    found = dict(re.findall(r"local (HISTORY_\w+) = (\d+)", COMMON))
    assert int(found["HISTORY_SLOT_SECS"]) == keys.HISTORY_SLOT_SECS
    assert int(found["HISTORY_KEY_TTL_SECS"]) == keys.HISTORY_KEY_TTL_SECS
