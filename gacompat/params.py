"""Google's standard query parameters shared by both APIs (`prettyPrint`, `callback`, `alt`,
`fields`, `quotaUser`), and the CORS preflight answer."""

from __future__ import annotations

from django.http import HttpResponse

from gacompat import errors, rendering
from gacompat.errors import GoogleError

MAX_QUOTA_USER_CHARS = 40


class Output:
    """The standard output parameters of one request."""

    def __init__(self, pretty: bool = True, callback: str | None = None, fields: dict | None = None):
        self.pretty, self.callback, self.fields = pretty, callback, fields

    @classmethod
    def from_request(cls, params, schema: dict) -> tuple[Output, GoogleError | None]:
        """The output settings, and the first error among them (rendered with what is valid)."""
        out, error = cls(), None
        pretty = rendering.parse_bool(params.get("prettyPrint", "true"))
        if pretty is None:
            error = errors.invalid_parameter("prettyPrint", f"Invalid value '{params['prettyPrint']}' for prettyPrint.")
        else:
            out.pretty = pretty
        callback = params.get("callback")
        if callback is not None:
            if rendering.callback_is_safe(callback):
                out.callback = callback
            else:
                error = error or errors.invalid_parameter("callback", f"Invalid value '{callback[:100]}' for callback.")
        alt = params.get("alt", "json")
        if alt != "json":
            error = error or errors.invalid_parameter("alt", f"Invalid value '{alt}' for alt: only 'json' is supported.")
        if params.get("fields"):
            try:
                tree = rendering.parse_fields(params["fields"])
                rendering.check_fields(tree, schema)
                out.fields = tree
            except rendering.FieldsError as exc:
                error = error or errors.invalid_parameter("fields", f"Invalid field selection {exc}")
        quota_user = params.get("quotaUser")
        if quota_user is not None and len(quota_user) > MAX_QUOTA_USER_CHARS:
            error = error or errors.invalid_parameter(
                "quotaUser", f"Invalid value for quotaUser: at most {MAX_QUOTA_USER_CHARS} characters.")
        return out, error

    def respond(self, body: dict, status: int = 200, headers: dict | None = None, indent: int = 1) -> HttpResponse:
        if status == 200 and self.fields is not None:
            body = rendering.select(body, self.fields)
        return rendering.render(body, status, pretty=self.pretty, indent=indent, callback=self.callback,
                                headers=headers)


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Authorization, Content-Type, X-Goog-Api-Client, X-Goog-User-Project"
    response["Access-Control-Max-Age"] = "3600"
    return response
