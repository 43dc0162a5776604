"""The schema of every frame the live sockets push to browsers, checked on the frames the real
consumers send (initial state and pushes). `snapshot` carries the `/v1/realtime` object itself,
byte for byte, so the REST API, the WebSocket and the SSE stream share one payload shape; a
`delta` carries patches (payloads.ObjectPatch, ListPatch) that turn the previous frame into it."""

import json
import time

import pytest
from asgiref.sync import sync_to_async

from realtime import deltas, frames, live_state, payloads
from realtime.tests.traffic import IP_GB, IPHONE, Traffic
from realtime.tests.ws import connect_as, receive_frame, tick, dashboard_path

pytestmark = [pytest.mark.anyio, pytest.mark.django_db(transaction=True)]

# The declared shapes (realtime.payloads), checked here on what the real consumers send.
REALTIME_KEYS = list(payloads.Realtime.__annotations__)
PAGE_KEYS = list(payloads.TopPage.__annotations__)
SOURCE_KEYS = list(payloads.SourceRow.__annotations__)
SUMMARY_KEYS = list(payloads.Summary.__annotations__)


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_timestamp(value) -> None:
    assert isinstance(value, str) and value.endswith("+00:00") and len(value) == 25, value


def check_source_row(row: dict) -> None:
    assert list(row) == SOURCE_KEYS
    assert isinstance(row["medium"], str) and isinstance(row["source"], str)
    assert is_int(row["count"]) and is_int(row["percent"])
    for child in row["children"]:
        assert list(child) == ["label", "count"] and isinstance(child["label"], str) and is_int(child["count"])


def check_realtime(rt: dict, site: str) -> None:
    assert list(rt) == REALTIME_KEYS
    assert rt["site"] == site
    check_timestamp(rt["updated_at"])
    for key in ("total_realtime", "total_pageviews_today", "total_unique_visitors_today"):
        assert is_int(rt[key]), key
    assert list(rt["devices"]) == ["mobile", "desktop"] and all(map(is_int, rt["devices"].values()))
    for page in rt["top_pages"]:
        assert list(page) == PAGE_KEYS
        assert all(isinstance(page[k], str) for k in ("url", "host", "title", "og_image"))
        assert is_int(page["realtime_users"]) and is_int(page["pageviews_today"])
        for row in page["sources"]:
            check_source_row(row)
    for country in rt["countries"]:
        assert list(country) == ["code", "name", "count"] and is_int(country["count"])
    for city in rt["cities"]:
        assert list(city) == ["name", "count"] and is_int(city["count"])
    for row in rt["sources_top5"]:
        check_source_row(row)


def check_extras(extras: dict, site: str) -> None:
    assert list(extras) == list(payloads.Extras.__annotations__)
    assert extras["site"] == site
    check_timestamp(extras["updated_at"])
    assert set(extras["devices"]) == {"desktop", "mobile", "tablet"} and all(map(is_int, extras["devices"].values()))
    assert set(extras["series"]) == {"active_users", "pageviews", "events"}
    for values in extras["series"].values():
        assert len(values) == 30 and all(map(is_int, values))
    assert isinstance(extras["ever_hit"], bool)
    assert is_int(extras["live_window_secs"])


def check_snapshot_frame(frame: dict, site: str) -> None:
    assert list(frame) == list(payloads.SnapshotFrame.__annotations__) == ["type", "seq", "realtime", "extras"]
    assert frame["type"] == frames.SNAPSHOT
    assert is_int(frame["seq"]) and frame["seq"] >= 0
    check_realtime(frame["realtime"], site)
    check_extras(frame["extras"], site)
    assert frame["realtime"]["updated_at"] == frame["extras"]["updated_at"]


def check_object_patch(patch: dict) -> None:
    """An ObjectPatch: changed fields only; rows of top lists as ListPatches."""
    assert isinstance(patch, dict)
    for name, change in patch.items():
        if name in payloads.ROW_IDENTITY and isinstance(change, dict):
            check_list_patch(name, change)
        elif isinstance(change, dict):
            check_object_patch(change)


def check_list_patch(name: str, patch: dict) -> None:
    assert set(patch) <= set(payloads.ListPatch.__annotations__) == {"o", "u"}
    length = 0
    for entry in patch.get("o", []):
        if isinstance(entry, list):  # a run of old rows: [first index, count]
            assert len(entry) == 2 and all(map(is_int, entry)) and entry[1] >= 1, entry
            length += entry[1]
        else:
            assert is_int(entry) or isinstance(entry, dict), entry
            if isinstance(entry, dict):  # a new row, less what the client derives
                assert set(entry) <= set(payloads.ROW_FIELDS[name]) and "percent" not in entry, entry
            length += 1
    updates = patch.get("u", [])
    assert isinstance(updates, list) and len(updates) % 2 == 0
    for index, change in zip(updates[::2], updates[1::2]):
        assert is_int(index) and index >= 0 and ("o" not in patch or index < length)
        check_row_patch(name, change)


def check_row_patch(name: str, change) -> None:
    """A RowPatch: what the row's count gained, or pairs of field index and change."""
    fields = payloads.ROW_FIELDS[name]
    if is_int(change):
        assert change != 0
        return
    assert isinstance(change, list) and change and len(change) % 2 == 0, change
    indexes = change[::2]
    assert indexes == sorted(set(indexes)) and all(is_int(i) and 0 <= i < len(fields) for i in indexes), change
    for index, value in zip(indexes, change[1::2]):
        assert fields[index] != "percent"
        if fields[index] in payloads.ROW_IDENTITY:
            check_list_patch(fields[index], value)


def check_delta_frame(frame: dict, base: dict) -> dict:
    """Checks a delta frame against the frame it builds on; returns the frame it makes."""
    assert list(frame) == list(payloads.DeltaFrame.__annotations__) == ["type", "seq", "base", "realtime", "extras"]
    assert frame["type"] == frames.DELTA
    assert frame["base"] == base["seq"] and frame["seq"] == base["seq"] + 1
    check_object_patch(frame["realtime"])
    check_object_patch(frame["extras"])
    return {"type": frames.SNAPSHOT, "seq": frame["seq"], "realtime": deltas.apply(base["realtime"], frame["realtime"]),
            "extras": deltas.apply(base["extras"], frame["extras"])}


def check_summary_frame(frame: dict, site: str) -> None:
    assert list(frame) == list(payloads.SummaryFrame.__annotations__) == ["type", "summary"]
    assert frame["type"] == frames.SUMMARY
    summary = frame["summary"]
    assert list(summary) == SUMMARY_KEYS
    assert summary["site"] == site
    check_timestamp(summary["updated_at"])
    assert is_int(summary["total_realtime"]) and is_int(summary["total_pageviews_today"])
    top = summary["top_page"]
    assert top is None or (list(top) == ["url", "host", "title", "realtime_users"] and is_int(top["realtime_users"]))


async def some_traffic(tenant) -> None:
    traffic = Traffic(tenant.tracker.public_id, "planet.example", time.time())
    await sync_to_async(traffic.hit)(path="/story", t="Story", r="https://www.google.com/")
    await sync_to_async(traffic.hit)(path="/other", ip=IP_GB, ua=IPHONE)


async def test_snapshot_frames_on_connect_and_on_push_follow_the_schema(tenant):
    site = tenant.tracker.public_id
    comm = await connect_as(tenant.admin, dashboard_path(site))
    check_snapshot_frame(await receive_frame(comm), site)  # empty, built on the spot
    await some_traffic(tenant)

    await tick(site)
    pushed = await receive_frame(comm)

    check_snapshot_frame(pushed, site)
    assert pushed["realtime"]["top_pages"] and pushed["realtime"]["sources_top5"] and pushed["realtime"]["countries"]
    await comm.disconnect()


async def test_the_snapshot_frame_carries_the_stored_rest_payload_byte_for_byte(tenant):
    site = tenant.tracker.public_id
    await some_traffic(tenant)
    await tick(site)
    stored = await sync_to_async(live_state.snapshot_get)(site)

    comm = await connect_as(tenant.admin, dashboard_path(site))
    text = await comm.receive_from()

    assert text == ('{"type":"snapshot","seq":' + str(stored.seq) + ',"realtime":' + stored.realtime.decode()
                    + ',"extras":' + stored.extras.decode() + "}")
    await comm.disconnect()


async def test_each_build_after_the_first_is_pushed_as_a_delta_frame_that_makes_the_stored_snapshot(tenant):
    site = tenant.tracker.public_id
    traffic = Traffic(site, "planet.example", time.time())
    await sync_to_async(traffic.hit)(path="/story", t="Story", r="https://www.google.com/")
    await tick(site)
    comm = await connect_as(tenant.admin, dashboard_path(site))
    shown = await receive_frame(comm)
    check_snapshot_frame(shown, site)

    # A new page, a new source, a new country and a page overtaking the first one.
    await sync_to_async(traffic.hit)(path="/other", ip=IP_GB, ua=IPHONE, r="https://t.co/x")
    await sync_to_async(traffic.hit)(path="/other", ip="1.1.1.1", t="Other")
    await tick(site)
    pushed = await receive_frame(comm)
    shown = check_delta_frame(pushed, shown)
    assert "o" in pushed["realtime"]["top_pages"]  # the order changed

    stored = await sync_to_async(live_state.snapshot_get)(site)
    assert stored.seq == pushed["seq"]
    assert shown["realtime"] == json.loads(stored.realtime) and shown["extras"] == json.loads(stored.extras)
    check_realtime(shown["realtime"], site)
    check_extras(shown["extras"], site)
    await comm.disconnect()


async def test_a_browser_that_asks_to_resync_gets_the_whole_current_snapshot(tenant):
    site = tenant.tracker.public_id
    await some_traffic(tenant)
    await tick(site)
    comm = await connect_as(tenant.admin, dashboard_path(site))
    await receive_frame(comm)

    await comm.send_to(text_data='{"type":"resync"}')

    again = await receive_frame(comm)
    check_snapshot_frame(again, site)
    stored = await sync_to_async(live_state.snapshot_get)(site)
    assert again["seq"] == stored.seq and again["realtime"] == json.loads(stored.realtime)
    await comm.disconnect()


async def test_summary_frames_on_connect_and_on_push_follow_the_schema(tenant):
    site = tenant.tracker.public_id
    comm = await connect_as(tenant.admin, "/ws/overview/")
    initial = await receive_frame(comm)
    check_summary_frame(initial, site)
    assert initial["summary"]["top_page"] is None
    await some_traffic(tenant)

    await tick(site)
    pushed = await receive_frame(comm)

    check_summary_frame(pushed, site)
    assert pushed["summary"]["top_page"]["realtime_users"] >= 1
    await comm.disconnect()
