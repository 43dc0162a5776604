"""The report writer keeps every figure under its stable key, measured or not."""

import json

from bench import report
from bench.figures import FIGURE_KEYS


def _doc(results, quick=True):
    env_info = report.machine(redis_version="7.0.0", wrk_version="")
    return report.document(results, quick=quick, started=0.0, config={"load_generator": "wrk"}, env_info=env_info)


def test_the_report_writes_every_stable_key_even_when_nothing_ran(tmp_path):
    path = tmp_path / "results.json"
    report.write_json(_doc([]), path)
    doc = json.loads(path.read_text())
    assert list(doc["figures"]) == FIGURE_KEYS
    assert all(f["available"] is False and f["median"] is None for f in doc["figures"].values())
    for key in ("machine", "versions", "config", "sections", "schema_version", "quick"):
        assert key in doc
    assert {"cpu_model", "cores", "memory_bytes"} <= set(doc["machine"])
    assert {"python", "redis_server", "packages"} <= set(doc["versions"])


def test_the_report_summarizes_runs_as_min_median_max_and_checks_the_target():
    result = report.SectionResult("snapshot")
    for value in (3.0, 12.0, 4.0):
        result.add("snapshot.build_ms.v1000", value)
    figure = _doc([result])["figures"]["snapshot.build_ms.v1000"]
    assert (figure["min"], figure["median"], figure["max"], figure["n"]) == (3.0, 4.0, 12.0, 3)
    assert figure["met"] is True
    assert figure["target"] == "<= 10"


def test_the_report_explains_why_a_figure_is_missing():
    result = report.SectionResult("api")
    result.skip("api", "/v1/realtime answered 404 (not implemented yet)")
    figures = _doc([result])["figures"]
    assert figures["api.warm_rps"]["reason"].startswith("/v1/realtime answered 404")
    assert "not available" in report.table(_doc([result]))


def test_the_report_refuses_a_key_that_is_not_stable():
    result = report.SectionResult("ingest")
    try:
        result.add("ingest.something_new", 1.0)
    except KeyError:
        return
    raise AssertionError("an unknown key was accepted")


def test_the_issue_items_all_have_keys():
    expected = {"ingest.w1.pct_of_floor", "ingest.w1.p99_ms_at_80pct", "ingest.w1.hits_lost",
                "ingest.scaling_w2_over_w1", "snapshot.build_ms.v1000000", "snapshot.build_ratio_largest_smallest",
                "expiry.us_per_visitor", "expiry.tick_10k_ms", "memory.bytes_per_visitor", "api.warm_rps",
                "api.pct_of_django_floor", "api.pct_of_asgi_floor", "api.miss_p99_ms_100k", "freshness.api_p95_ms",
                "freshness.ws_p95_ms", "fanout.d1000.p95_ms", "fanout.d5000.p95_ms", "fanout.d5000.bytes_per_sec", "ga.p95_ms", "snippet.minified_gzip_bytes"}
    assert expected <= set(FIGURE_KEYS)
