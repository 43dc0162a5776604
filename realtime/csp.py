"""The Content-Security-Policy of every HTML page. The live dashboards, whose pages show text
and images that come from customers' visitors (titles, URLs, og:image URLs, referrers), get the
strictest one; the other pages (nowmetrix.middleware) the same with inline `style` attributes.

Scripts only from our own origin and never inline: the pages pass their data in
`<script type="application/json">` elements, which are not executed. Images may come from
any http(s) origin (og:image thumbnails), WebSockets from our origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import wraps

POLICY = (
    "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; img-src 'self' https: http: data:; "
    "style-src 'self'{style_hashes}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The admin templates size a few cards with `style="..."` attributes. An attribute can only
# style its own element (no selectors, no script), so allowing them there leaves `<style>`
# elements and every script source as closed as on the dashboards.
PAGE_POLICY = POLICY + "; style-src-attr 'unsafe-inline'"
_STYLE_ELEMENT = re.compile(rb"<style>(.*?)</style>", re.DOTALL)


def _style_hashes(html: bytes) -> str:
    """`'sha256-...'` sources for the page's own `<style>` elements.

    `templates/base.html` inlines its stylesheet. Allowing exactly those bytes by hash keeps
    `style-src` closed to anything else; the template renders no variables inside `<style>`, and
    visitor data reaches these pages only as escaped text, which cannot open a `<style>` element.
    """
    digests = {base64.b64encode(hashlib.sha256(body).digest()).decode() for body in _STYLE_ELEMENT.findall(html)}
    return "".join(f" 'sha256-{digest}'" for digest in sorted(digests))


def page_policy(html: bytes) -> str:
    """The policy of an HTML page other than the dashboards."""
    return PAGE_POLICY.format(style_hashes=_style_hashes(html))


def dashboard_csp(view):
    """Send the dashboards' Content-Security-Policy with the view's (rendered) response."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith("text/html"):
            response["Content-Security-Policy"] = POLICY.format(style_hashes=_style_hashes(response.content))
        return response

    return wrapper
