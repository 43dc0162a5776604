"""`{% geoip_attribution %}`: the credit the GeoIP database's licence asks the product to show
(DB-IP Lite: CC BY 4.0; GeoLite2: MaxMind's EULA), for the admin's footer."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from realtime.ingest import geo

register = template.Library()


@register.simple_tag
def geoip_attribution() -> str:
    text, url = geo.attribution()
    if not text:
        return ""
    return format_html('<a href="{}" rel="noopener">{}</a>', url, text)
