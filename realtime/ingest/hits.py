"""From a validated hit to what the live state stores: enrichment, packing (the drop decisions
are the steps of `realtime.ingest.pipeline`).

Runs on the ingest hot path: no database, no Redis (the caller passes the tracker's cached
configuration and the day's salts), every enrichment lookup cached in-process."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from realtime.ingest import geo, sources, useragent
from realtime.ingest.payload import RawHit, utm_params
from realtime.ingest.record import NOT_SET, UNKNOWN_COUNTRY, Record, join_parts
from realtime.ingest.visitor import page_id, visitor_id
from realtime.keys import PART_SEP
from realtime.tracker_config import TrackerConfig

DIRECT = sources.Source("(none)", "(direct)", "")


@dataclass(frozen=True, slots=True)
class Client:
    """What the request tells about the browser: never stored as such."""

    ip: str
    user_agent: str
    dnt: bool  # DNT: 1 or Sec-GPC: 1 header


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # tabs and unit separators delimit packed values


def _coordinate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def build_record(hit: RawHit, config: TrackerConfig, client: Client) -> Record:
    """The enriched record of a hit. A visitor's heartbeats repeat the same inputs every 15 s, so
    the finished record is cached on them (bounded)."""
    return _record(hit.host, hit.path, hit.query, hit.referrer, hit.returning, config.hosts, client.ip,
                   client.user_agent, hit.touch_mac, hit.hint_model, hit.hint_mobile)


@lru_cache(maxsize=16_384)
def _record(host: str, path: str, query: str, referrer: str, returning: bool, hosts: tuple[str, ...], ip: str,
            user_agent: str, touch_mac: bool = False, hint_model: str = "", hint_mobile: str = "") -> Record:
    agent = useragent.parse_user_agent(user_agent, touch_mac)
    if hint_model or hint_mobile:
        agent = useragent.with_client_hints(agent, hint_model, hint_mobile)
    place = geo.locate(ip)
    code, name = (place.country_code, place.country_name) if place.country_code else UNKNOWN_COUNTRY
    utm = utm_params(query)
    source = sources.classify_source(referrer, utm, hosts)
    if source is None:  # internal navigation: the live state keeps an active visit's source
        source = DIRECT
    return Record(
        page_id=page_id(host, path),
        device=agent.device,
        country=join_parts(code, name),
        city=join_parts(code, place.city or NOT_SET),
        source=join_parts(source.medium, source.source, source.child),
        browser=agent.browser,
        browser_version=agent.browser_version,
        os=agent.os,
        os_version=agent.os_version,
        brand=agent.brand,
        model=agent.model,
        region=place.region,
        latitude=_coordinate(place.latitude),
        longitude=_coordinate(place.longitude),
        user_type="RETURNING" if returning else "NEW",
        keyword=_keyword(referrer, utm),
    )


def _keyword(referrer: str, utm: dict[str, str]) -> str:
    """utm_term, else the search terms of a search-engine referrer (GA's rt:keyword)."""
    term = utm.get("utm_term") or sources.search_keyword(referrer)
    return _CONTROL.sub(" ", term)[:100].strip()


def page_meta(hit: RawHit) -> str:
    """Packed page description. A leading "!" marks a described page (title or image sent),
    which replaces what is stored; a bare one (a pixel hit) only fills a gap."""
    meta = PART_SEP.join((hit.host, hit.path, hit.title, hit.og_image, hit.author, hit.pubdate))
    return "!" + meta if hit.kind == "pv" and (hit.title or hit.og_image) else meta


def pack_hit(hit: RawHit, record: Record, vid: str, prev_vid: str) -> list[str]:
    """The seven ingest.lua arguments of one hit."""
    event = PART_SEP.join((hit.category, hit.action, hit.label)) if hit.kind == "ev" else ""
    meta = page_meta(hit) if hit.kind in ("pv", "hb") else ""
    return [hit.kind, vid, prev_vid, record.page_id, meta, record.pack(), event]


def visitor_ids(config: TrackerConfig, client: Client, salt: str, prev_salt: str | None) -> tuple[str, str]:
    vid = visitor_id(salt, config.public_id, client.ip, client.user_agent)
    prev = visitor_id(prev_salt, config.public_id, client.ip, client.user_agent) if prev_salt else ""
    return vid, prev
