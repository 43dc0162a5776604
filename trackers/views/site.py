"""Site-wide files that browsers ask for at fixed paths."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

_FAVICON = Path(__file__).resolve().parent.parent / "static" / "trackers" / "favicon.ico"


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    return _FAVICON.read_bytes()


@require_safe
@cache_control(public=True, max_age=86400)
def favicon(request):
    """`/favicon.ico`, which browsers fetch on their own whatever the page links (the pages link
    the SVG too)."""
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")
