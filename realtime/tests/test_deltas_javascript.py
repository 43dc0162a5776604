"""The dashboard's JavaScript twin of realtime.deltas (`NM.applyPatch` in deltas.js), and the
client the README shows SSE users, in Chromium: applying the server's patches to the server's old
snapshots rebuilds its new ones exactly, field for field and in order (deltas.js with the row
schema the dashboard page hands to it)."""

import json
import re
from pathlib import Path

import pytest
from django.utils.html import json_script

from realtime import deltas, payloads
from realtime.tests.test_deltas import exactly, random_snapshots

pytestmark = pytest.mark.browser

STATIC = Path(deltas.__file__).parent / "static" / "realtime"
README = Path(deltas.__file__).parent.parent / "README.md"

APPLY_ALL = """pairs => pairs.map(([old, patch]) => JSON.stringify(NM.applyPatch(JSON.parse(old), JSON.parse(patch))))"""


def test_the_browser_rebuilds_each_new_snapshot_exactly_from_the_old_one_and_its_patch(chromium):
    snaps = random_snapshots(61, 300)
    pairs = [(exactly(old), exactly(deltas.diff(old, new))) for old, new in zip(snaps, snaps[1:])]
    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # The dashboard's order: the schema as the view renders it, live.js (NM.readJson), deltas.js.
    page.set_content(f"<!doctype html><title>deltas</title>{json_script(payloads.delta_schema(), 'nm-delta-schema')}")
    page.add_script_tag(path=str(STATIC / "live.js"))
    page.add_script_tag(path=str(STATIC / "deltas.js"))

    rebuilt = page.evaluate(APPLY_ALL, pairs)

    assert not errors
    assert rebuilt == [exactly(new) for new in snaps[1:]]
    readme = chromium.new_page()
    readme.add_script_tag(content=readme_client())
    assert readme.evaluate(APPLY_ALL.replace("NM.applyPatch", "applyPatch"), pairs) == rebuilt
    readme.close()
    kinds = {kind for _old, patch in pairs for kind in patch_kinds(json.loads(patch))}
    assert kinds >= {"new row", "run", "count", "fields", "nested"}
    page.close()


def readme_client() -> str:
    """The JavaScript of the README's "Delta frames" section."""
    section = README.read_text().split("### Delta frames", 1)[1].split("\n### ", 1)[0]
    (code,) = re.findall(r"```js\n(.*?)```", section, re.S)
    return code


def patch_kinds(patch: dict):
    """What a patch is made of: new rows, runs of old rows, bare counts, field pairs, nested lists."""
    for field, change in patch.items():
        if field in payloads.ROW_FIELDS and isinstance(change, dict):
            yield from ("new row" if isinstance(e, dict) else "run" for e in change.get("o", []) if not isinstance(e, int))
            for row in change.get("u", [])[1::2]:
                if isinstance(row, int):
                    yield "count"
                    continue
                yield "fields"
                nested = {payloads.ROW_FIELDS[field][i]: c for i, c in zip(row[::2], row[1::2]) if isinstance(c, dict)}
                if nested:
                    yield "nested"
                    yield from patch_kinds(nested)
