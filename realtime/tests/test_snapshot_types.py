"""The snapshot's shapes are declared once (`realtime.payloads`): the OpenAPI serializers, the
builder and the frames are held to those declarations."""

import typing

import pytest
from rest_framework import serializers

from realtime import live_state, payloads, snapshot
from realtime.api import schema

PAIRS = [
    (schema.RealtimeSerializer, payloads.Realtime),
    (schema.SourcesSerializer, payloads.Sources),
    (schema.SourceRowSerializer, payloads.SourceRow),
    (schema.SourceChildSerializer, payloads.SourceChild),
    (schema.DevicesSerializer, payloads.Devices),
    (schema.TopPageSerializer, payloads.TopPage),
    (schema.CountrySerializer, payloads.Country),
    (schema.CitySerializer, payloads.City),
]
SCALARS = {int: serializers.IntegerField, str: serializers.CharField, bool: serializers.BooleanField}


def check_field(field, declared, where: str) -> None:
    if typing.get_origin(declared) is list:
        assert isinstance(field, serializers.ListSerializer), where
        check_serializer(field.child, typing.get_args(declared)[0], where)
    elif typing.is_typeddict(declared):
        check_serializer(field, declared, where)
    else:
        assert isinstance(field, SCALARS[declared]), f"{where}: {type(field).__name__} is no {declared}"


def check_serializer(serializer, declared, where: str = "") -> None:
    hints = typing.get_type_hints(declared)
    fields = serializer.fields
    assert list(fields) == list(hints), f"{type(serializer).__name__} and {declared.__name__}"
    for name, field in fields.items():
        check_field(field, hints[name], f"{where}.{name}")


@pytest.mark.parametrize("serializer, declared", PAIRS, ids=[declared.__name__ for _, declared in PAIRS])
def test_the_openapi_serializer_has_the_fields_and_types_of_the_declared_payload(serializer, declared):
    check_serializer(serializer(), declared, declared.__name__)


def _keys(declared) -> list[str]:
    return list(typing.get_type_hints(declared))


def test_the_builder_fills_every_declared_part_in_the_declared_order(tenant):
    config = live_state.tracker_config_get(tenant.tracker.public_id)
    built = snapshot.build(config, 1_700_000_000.0)
    assert list(built.realtime) == _keys(payloads.Realtime)
    assert list(built.sources) == _keys(payloads.Sources)
    assert list(built.extras) == _keys(payloads.Extras)
    assert list(built.summary) == _keys(payloads.Summary)
    assert list(built.realtime["devices"]) == _keys(payloads.Devices)
    assert list(built.extras["devices"]) == _keys(payloads.DevicesWithTablets)
    assert list(built.extras["series"]) == _keys(payloads.Series)


def test_the_stored_snapshot_is_the_one_value_the_microcache_and_the_announcements_carry():
    from realtime import events
    from realtime.api import microcache

    assert typing.get_type_hints(microcache.Entry)["snapshot"] is payloads.StoredSnapshot
    assert typing.get_type_hints(events.Announcement)["snapshot"] is payloads.StoredSnapshot
    assert live_state.StoredSnapshot is payloads.StoredSnapshot
