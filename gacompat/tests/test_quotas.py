"""Quotas reached, as clients see them: v3 403 dailyLimitExceeded / userRateLimitExceeded,
GA4 429 RESOURCE_EXHAUSTED. The quota server runs with tiny limits (see conftest)."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError

from gacompat.tests import clients
from gacompat.tests.conftest import take_site


def test_a_view_past_its_daily_limit_is_refused_and_another_view_is_not(ga_quota_server, ga_world, keys):
    site = take_site(ga_world)
    service = clients.v3(ga_quota_server, keys["read"])
    for i in range(4):  # limit 4 a view a day; distinct quota users stay under their own limit
        service.data().realtime().get(ids=site.ids, metrics="rt:activeUsers", quotaUser=f"u{i}").execute()
    with pytest.raises(HttpError) as raised:
        service.data().realtime().get(ids=site.ids, metrics="rt:activeUsers", quotaUser="u9").execute()
    error = raised.value
    assert error.status_code == 403
    assert error.error_details[0] == {"domain": "usageLimits", "reason": "dailyLimitExceeded",
                                      "message": f"Quota Error: profileId {site.view_id} has exceeded the daily "
                                                 "request limit."}
    # Another view has its own quota.
    other = take_site(ga_world)
    service.data().realtime().get(ids=other.ids, metrics="rt:activeUsers", quotaUser="u9").execute()


def test_the_per_user_rate_limit_follows_quota_user(ga_quota_server, ga_world, keys):
    service = clients.v3(ga_quota_server, keys["read"])
    sites = [take_site(ga_world) for _ in range(2)]
    for i in range(3):  # 3 per 100 s per quota user, across views
        service.data().realtime().get(ids=sites[i % 2].ids, metrics="rt:activeUsers", quotaUser="wp-site-a").execute()
    with pytest.raises(HttpError) as raised:
        service.data().realtime().get(ids=sites[1].ids, metrics="rt:activeUsers", quotaUser="wp-site-a").execute()
    assert raised.value.status_code == 403
    assert raised.value.error_details[0]["reason"] == "userRateLimitExceeded"
    assert raised.value.reason == "User Rate Limit Exceeded"
    service.data().realtime().get(ids=sites[1].ids, metrics="rt:activeUsers", quotaUser="wp-site-b").execute()


def test_ga4_property_tokens_per_hour_run_out_with_resource_exhausted(ga_quota_server, ga_world, keys):
    site = take_site(ga_world)
    service = clients.ga4(ga_quota_server, keys["read"])
    body = {"metrics": [{"name": "activeUsers"}], "returnPropertyQuota": True}
    first = service.properties().runRealtimeReport(property=site.property, body=body).execute()
    assert first["propertyQuota"]["tokensPerHour"] == {"consumed": 1, "remaining": 2}
    for _ in range(2):
        service.properties().runRealtimeReport(property=site.property, body=body).execute()
    with pytest.raises(HttpError) as raised:
        service.properties().runRealtimeReport(property=site.property, body=body).execute()
    assert raised.value.status_code == 429
    assert clients.error_of(raised.value)["status"] == "RESOURCE_EXHAUSTED"
    assert "tokens per hour" in raised.value.reason
