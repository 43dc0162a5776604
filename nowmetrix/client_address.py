"""`request.client_ip` for Django views: the client's address read exactly as ingest reads it
(`realtime.ingest.geo.client_ip`, honouring NOWMETRIX_TRUSTED_PROXIES), so the web admin's
login and mail throttles (`trackers.throttle`) key on the same address ingest would see.

It lives here, in the wiring package, because `trackers` never imports `realtime`."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from realtime.ingest import geo


@lru_cache(maxsize=8)
def _trusted(proxies: tuple[str, ...]) -> tuple[geo.IPNetwork, ...]:
    return geo.parse_networks(proxies)


def request_client_ip(request) -> str:
    """The client's address ('' when the forwarded chain cannot be trusted)."""
    return geo.client_ip(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR"),
        _trusted(tuple(settings.NOWMETRIX_TRUSTED_PROXIES)),
    )


class ClientAddressMiddleware:
    """Sets `request.client_ip` (see `request_client_ip`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = request_client_ip(request)
        return self.get_response(request)
