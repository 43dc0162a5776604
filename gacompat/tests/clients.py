"""Google's official Python client pointed at the test server, with a NowMetrix key as the
OAuth token, plus raw HTTP for what that client never sends (JSON-P, bare view ids)."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import httplib2
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build


def v3(server, secret: str):
    """analytics v3 from the discovery document the package ships, at `<base>/analytics/v3/`."""
    return build("analytics", "v3", credentials=Credentials(token=secret), static_discovery=True,
                 cache_discovery=False, client_options={"api_endpoint": server.url + "/analytics/v3/"})


def ga4(server, secret: str, version: str = "v1beta"):
    return build("analyticsdata", version, credentials=Credentials(token=secret), static_discovery=True,
                 cache_discovery=False, client_options={"api_endpoint": server.url + "/"})


class HeaderHttp(httplib2.Http):
    """Sends a fixed Authorization header (or none) without google-auth's refresh-on-401, so a
    401 reaches the caller as the HttpError Google's servers would cause."""

    def __init__(self, authorization: str | None):
        super().__init__()
        self.authorization = authorization

    def request(self, uri, method="GET", body=None, headers=None, **kwargs):
        headers = dict(headers or {})
        if self.authorization is not None:
            headers["authorization"] = self.authorization
        return super().request(uri, method=method, body=body, headers=headers, **kwargs)


def v3_with_header(server, authorization: str | None):
    return build("analytics", "v3", http=HeaderHttp(authorization), static_discovery=True, cache_discovery=False,
                 client_options={"api_endpoint": server.url + "/analytics/v3/"})


def ga4_with_header(server, authorization: str | None, version: str = "v1beta"):
    return build("analyticsdata", version, http=HeaderHttp(authorization), static_discovery=True,
                 cache_discovery=False, client_options={"api_endpoint": server.url + "/"})


def raw(server, path: str, params: dict | None = None, token: str | None = None, method: str = "GET",
        body: bytes | None = None) -> tuple[int, dict, bytes]:
    url = server.url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, method=method, data=body)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, {k.lower(): v for k, v in exc.headers.items()}, exc.read()


def error_of(http_error) -> dict:
    """The `error` object of an HttpError's body."""
    return json.loads(http_error.content)["error"]


def ga4_official(server, secret: str):
    """Google's official GA4 Data API client (`google-analytics-data`) in REST mode, as its users
    run it: it sends `$alt=json;enum-encoding=int` and every enum as a number. The NowMetrix key is
    a static OAuth token; the REST transport speaks plain http to the local server."""
    from google.analytics.data_v1beta import BetaAnalyticsDataClient
    from google.analytics.data_v1beta.services.beta_analytics_data.transports.rest import (
        BetaAnalyticsDataRestTransport,
    )

    host = server.url.removeprefix("http://")
    transport = BetaAnalyticsDataRestTransport(host=host, credentials=Credentials(token=secret), url_scheme="http")
    return BetaAnalyticsDataClient(transport=transport)
