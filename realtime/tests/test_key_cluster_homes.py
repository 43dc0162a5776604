"""On a Redis Cluster every key has a deliberate home: a tracker's keys share its hash tag
(one slot), and each other key is listed in keys.GLOBAL_KEY_HOMES."""

import inspect

from redis.crc import key_slot

from realtime import keys

# Not Redis keys: channel-layer group names.
GROUP_NAMES = {"tracker_group", "account_group", "user_group"}


def _key_functions():
    for name, fn in inspect.getmembers(keys, inspect.isfunction):
        if fn.__module__ == keys.__name__ and not name.startswith("_") and inspect.signature(fn).return_annotation == "str":
            if name not in {"prefix", "tracker_base", "tracker_key"} | GROUP_NAMES:
                yield name, fn


def test_every_key_of_a_tracker_lands_on_the_slot_of_its_hash_tag():
    base_slot = key_slot(keys.tracker_base("abc123def456").encode())
    for suffix in keys.SUFFIXES:
        assert key_slot(keys.tracker_key("abc123def456", suffix, "2026-01-01").encode()) == base_slot, suffix.lua
    assert key_slot(keys.snapshot("abc123def456").encode()) == base_slot
    assert key_slot(keys.tracker_config("abc123def456").encode()) == base_slot


def test_every_key_that_is_not_a_trackers_has_a_documented_home():
    global_keys = [name for name, fn in _key_functions() if "public_id" not in inspect.signature(fn).parameters
                   or name == "snapshot_channel"]
    assert global_keys  # the introspection still finds them
    assert sorted(name for name in global_keys if name not in keys.GLOBAL_KEY_HOMES) == []
    assert sorted(name for name in keys.GLOBAL_KEY_HOMES if not hasattr(keys, name)) == []
