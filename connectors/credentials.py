"""What each channel kind needs, checked before anything is stored. Pure: raises Django's
`ValidationError` keyed by the form's field names (`url`, `secret`, `token`, `chat`, `handle`,
`app_password`), so the web form and `create_connector` report the same field errors."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from connectors.models import ChannelKind

SECRET_FIELDS = ("secret", "token", "chat", "handle", "app_password")
_url = URLValidator(schemes=["http", "https"])
_TELEGRAM_TOKEN = re.compile(r"^\d{3,15}:[A-Za-z0-9_-]{30,64}$")
_TELEGRAM_CHAT = re.compile(r"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")
_HANDLE = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$")
_APP_PASSWORD = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$")
WEBHOOK_SECRET_MIN_CHARS = 16


def _check_url(value: str, errors: dict, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors["url"] = "Enter the URL."
        return ""
    try:
        _url(value)
    except ValidationError:
        errors["url"] = "Enter a valid http(s) URL."
    else:
        if "\\" in value:  # parsers disagree on the host of `http://a\@b/` (see channels._private_host)
            errors["url"] = "Enter a valid http(s) URL."
    return value


def _hint_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…" if parts.netloc else ""


def channel_clean(kind: str, *, url: str = "", given: dict[str, str], stored: dict[str, str] | None = None
                  ) -> tuple[str, dict[str, str], str]:
    """`(base_url, credentials, hint)` for a channel of `kind`. `given` holds what was entered;
    a blank secret field keeps the `stored` value (secrets are replaced, never shown)."""
    stored = stored or {}
    values = {f: (given.get(f) or "").strip() or stored.get(f, "") for f in SECRET_FIELDS}
    errors: dict[str, str] = {}
    if kind == ChannelKind.WEBHOOK:
        base_url = _check_url(url, errors, required=True)
        if len(values["secret"]) < WEBHOOK_SECRET_MIN_CHARS:
            errors["secret"] = f"Enter a signing secret of at least {WEBHOOK_SECRET_MIN_CHARS} characters."
        creds, hint = {"secret": values["secret"]}, base_url
    elif kind == ChannelKind.SLACK:
        # The incoming-webhook URL is the credential: anyone holding it can post.
        webhook_url = _check_url(url or stored.get("webhook_url", ""), errors, required=True)
        base_url, creds, hint = "", {"webhook_url": webhook_url}, _hint_url(webhook_url)
    elif kind == ChannelKind.TELEGRAM:
        base_url = _check_url(url, errors, required=False)
        if not _TELEGRAM_TOKEN.match(values["token"]):
            errors["token"] = "Enter the bot token BotFather gave you (digits, a colon, then 30 or more characters)."
        if not _TELEGRAM_CHAT.match(values["chat"]):
            errors["chat"] = "Enter a numeric chat id (e.g. -1001234567890) or a @channelname."
        creds = {"token": values["token"], "chat": values["chat"]}
        hint = f"chat …{values['chat'][-4:]}"
    elif kind == ChannelKind.BLUESKY:
        base_url = _check_url(url, errors, required=False)
        handle = values["handle"].lstrip("@").lower()
        if not _HANDLE.match(handle):
            errors["handle"] = "Enter a handle like newsroom.bsky.social."
        if not _APP_PASSWORD.match(values["app_password"]):
            errors["app_password"] = "Enter an app password (xxxx-xxxx-xxxx-xxxx, from Settings → App passwords)."
        creds, hint = {"handle": handle, "app_password": values["app_password"]}, f"@{handle}"
    else:
        raise ValidationError({"kind": "Choose webhook, slack, telegram or bluesky."})
    if errors:
        raise ValidationError(errors)
    return base_url, creds, hint
