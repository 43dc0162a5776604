"""The client's address: one reading for every caller that keys anything on it.

`client_address(scope_or_request)` serves the ingest endpoints (through `realtime.ingest.geo`,
which re-exports `client_ip`), the public counter's rate limit, the GA quota user and the
web admin's login and mail throttles (`request.client_ip`, set by ClientAddressMiddleware).
X-Forwarded-For is believed only from NOWMETRIX_TRUSTED_PROXIES.

Neutral ground: this module imports no app, so `trackers`, `realtime` and `gacompat` may all
use it without breaking the one-way dependency direction. Pure and cheap: it runs on every hit."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Iterable

from django.conf import settings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Longest textual IPv6 with a zone id is well under this; longer input is junk
# and must not become a cache key.
MAX_IP_CHARS = 64
# A forwarded chain longer than this is spoofed padding; we never walk further.
MAX_FORWARDED_HOPS = 20


def parse_networks(values: Iterable[str]) -> tuple[IPNetwork, ...]:
    """Parse CIDRs or bare addresses (e.g. from settings); raises ValueError on a bad one.

    Meant for configuration time, where a typo must fail loudly rather than
    silently trust (or distrust) a proxy.
    """
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


DEFAULT_TRUSTED_PROXIES: tuple[IPNetwork, ...] = parse_networks(("127.0.0.0/8", "::1/128"))


def parse_ip(value: str) -> IPAddress | None:
    """Parse one address as proxies write it: bare, "[v6]:port" or "v4:port"."""
    value = value.strip()[:MAX_IP_CHARS]
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]  # IPv4 with a port (some cloud balancers)
    try:
        addr = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        # Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; one visitor, one spelling.
        return addr.ipv4_mapped
    return addr


def _is_trusted(addr: IPAddress, trusted: Iterable[IPNetwork]) -> bool:
    return any(addr in network for network in trusted)


def client_ip(
    peer: str,
    forwarded_for: str | None,
    trusted_proxies: Iterable[IPNetwork] = DEFAULT_TRUSTED_PROXIES,
) -> str:
    """Return the visitor's IP as a normalised string, or '' when none is valid.

    X-Forwarded-For is honoured only when the socket peer is a trusted proxy,
    because anyone can send the header. The chain is walked right to left
    (each proxy appends the address it saw) past trusted proxies; the first
    untrusted address is the client. Left of it, entries are client-written
    and ignored. An invalid entry where we expect the client's address means
    the chain cannot be trusted: ''. If every hop is trusted (internal
    traffic), the leftmost is returned.
    """
    peer_addr = parse_ip(peer or "")
    if peer_addr is None:
        return ""
    if not forwarded_for or not _is_trusted(peer_addr, trusted_proxies):
        return str(peer_addr)
    hops = forwarded_for.rsplit(",", MAX_FORWARDED_HOPS)[-MAX_FORWARDED_HOPS:]
    candidate = peer_addr
    for hop in reversed(hops):
        if not hop.strip():
            continue
        addr = parse_ip(hop)
        if addr is None:
            return ""
        candidate = addr
        if not _is_trusted(addr, trusted_proxies):
            break
    return str(candidate)


@lru_cache(maxsize=8)
def _trusted(proxies: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return parse_networks(proxies)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    """This deployment's trusted proxies (NOWMETRIX_TRUSTED_PROXIES), parsed once."""
    return _trusted(tuple(settings.NOWMETRIX_TRUSTED_PROXIES))


def client_address(scope_or_request) -> str:
    """The client's address of an ASGI scope or a Django request ('' when the forwarded chain
    cannot be trusted)."""
    if isinstance(scope_or_request, dict):  # an ASGI scope
        peer = (scope_or_request.get("client") or ("",))[0] or ""
        forwarded = dict(scope_or_request.get("headers") or ()).get(b"x-forwarded-for")
        return client_ip(peer, forwarded.decode("latin-1") if forwarded is not None else None, trusted_proxies())
    meta = scope_or_request.META
    return client_ip(meta.get("REMOTE_ADDR", ""), meta.get("HTTP_X_FORWARDED_FOR"), trusted_proxies())


class ClientAddressMiddleware:
    """Sets `request.client_ip` (see `client_address`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_address(request)
        return self.get_response(request)
