"""The packed visitor record kept per active visitor and per logged hit.

Tab-separated, in this order (the first five are the live counters' members and must stay
first: realtime/lua/common.lua reads them):

 0 page id            5 browser          10 model
 1 device class       6 browser version  11 region
 2 CC\\x1fcountry     7 os               12 latitude
 3 CC\\x1fcity        8 os version       13 longitude
 4 medium\\x1fsource\\x1fchild  9 brand  14 user type (NEW / RETURNING)
                                        15 keyword (utm_term, or a search engine's query
                                           terms; the visit keeps it with its source)
"""

from __future__ import annotations

from typing import NamedTuple

from realtime.keys import FIELD_SEP, PART_SEP

UNKNOWN_COUNTRY = ("ZZ", "Unknown")
NOT_SET = "(not set)"


class Record(NamedTuple):
    page_id: str
    device: str
    country: str
    city: str
    source: str
    browser: str
    browser_version: str
    os: str
    os_version: str
    brand: str
    model: str
    region: str
    latitude: str
    longitude: str
    user_type: str
    keyword: str = ""

    def pack(self) -> str:
        return FIELD_SEP.join(self)

    @classmethod
    def unpack(cls, packed: str) -> Record:
        parts = packed.split(FIELD_SEP)
        parts += [""] * (len(cls._fields) - len(parts))
        return cls(*parts[: len(cls._fields)])

    @property
    def country_code(self) -> str:
        return self.country.split(PART_SEP, 1)[0]

    @property
    def country_name(self) -> str:
        return self.country.split(PART_SEP, 1)[-1]

    @property
    def city_name(self) -> str:
        return self.city.split(PART_SEP, 1)[-1]

    @property
    def source_parts(self) -> tuple[str, str, str]:
        medium, source, child = (self.source.split(PART_SEP) + ["", "", ""])[:3]
        return medium, source, child


def join_parts(*parts: str) -> str:
    return PART_SEP.join(parts)


def split_parts(member: str, n: int) -> list[str]:
    return (member.split(PART_SEP) + [""] * n)[:n]
