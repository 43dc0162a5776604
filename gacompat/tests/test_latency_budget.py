"""A two-dimension query with a filter over 100,000 active visitors answers within 250 ms (p95),
measured by bench/bench_ga.py on the real live state (its own key prefix)."""

from __future__ import annotations

import pytest

from bench import bench_ga


@pytest.mark.slow
def test_two_dimensions_and_a_filter_over_100k_visitors_within_budget():
    # The machine may be shared with other work: a second measurement before failing.
    for _ in range(2):
        result = bench_ga.run(quick=False, write=False)
        if result["within_budget"]:
            break
    assert result["two_dimensions_filter_cold"]["p95_ms"] <= bench_ga.BUDGET_P95_MS, result
    assert result["single_dimension_live_counter"]["p95_ms"] < 20, result
