"""Project-wide response headers."""

from __future__ import annotations

from realtime import csp


class ContentSecurityPolicyMiddleware:
    """Every HTML page gets a Content-Security-Policy (see realtime/csp.py for why each source
    is there). Pages that set their own (the dashboards, a stricter one) keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if ("Content-Security-Policy" not in response and not response.streaming
                and response.get("Content-Type", "").startswith("text/html")):
            response["Content-Security-Policy"] = csp.page_policy(response.content)
        return response
