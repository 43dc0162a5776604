"""Connector forms: they validate input and hand clean values to the services; they write nothing.
Secret fields are never rendered with a value: they can be replaced, never read back."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from connectors import credentials, crypto
from connectors.models import ChannelKind, Connector
from trackers import selectors as tracker_selectors
from trackers.forms import add_service_errors

MAX_STOP_WORDS = 200


# The largest value a PositiveIntegerField column holds on PostgreSQL; SQLite has no such check
# and a larger one would fail in the database.
POSITIVE_INT_MAX = 2_147_483_647


class ConnectorForm(forms.Form):
    name = forms.CharField(max_length=100)
    tracker = forms.ModelChoiceField(queryset=None, empty_label=None, to_field_name="public_id")
    threshold = forms.IntegerField(min_value=1, max_value=POSITIVE_INT_MAX, label="Live readers threshold",
                                   help_text="An article qualifies at or above this many live readers.")
    min_minutes = forms.IntegerField(min_value=1, max_value=1440, required=False, label="For at least (minutes)",
                                     help_text="Optional: how long it must stay at or above the threshold.")
    pageviews_floor = forms.IntegerField(min_value=1, max_value=POSITIVE_INT_MAX, required=False,
                                         label="Pageviews today at least",
                                         help_text="Optional.")
    stop_words = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="One word or phrase per line. Titles and URLs containing one never qualify "
                                           "(case-insensitive, whole words).")
    hourly_limit = forms.IntegerField(min_value=1, max_value=60, initial=4, label="Posts per hour at most")
    cooldown_hours = forms.IntegerField(min_value=0, max_value=720, initial=12, label="Cool-down per article (hours)",
                                        help_text="The same article is posted at most once in this many hours.")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, account, connector: Connector | None = None, **kwargs):
        if connector is not None:
            kwargs.setdefault("initial", {
                "name": connector.name, "tracker": connector.tracker.public_id, "threshold": connector.threshold,
                "min_minutes": connector.min_minutes, "pageviews_floor": connector.pageviews_floor,
                "stop_words": "\n".join(connector.stop_words), "hourly_limit": connector.hourly_limit,
                "cooldown_hours": connector.cooldown_hours, "is_active": connector.is_active,
            })
        super().__init__(*args, **kwargs)
        self.fields["tracker"].queryset = tracker_selectors.tracker_list(account=account)
        if connector is not None:
            # A connector stays on its tracker: its qualifications and posts are that tracker's.
            self.fields["tracker"].disabled = True

    def clean_stop_words(self) -> list[str]:
        words = [w.strip() for w in self.cleaned_data["stop_words"].splitlines() if w.strip()]
        if len(words) > MAX_STOP_WORDS:
            raise ValidationError(f"At most {MAX_STOP_WORDS} stop words.")
        if any(len(w) > 100 for w in words):
            raise ValidationError("A stop word or phrase has at most 100 characters.")
        return words

    def rule(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("name", "threshold", "min_minutes", "pageviews_floor", "stop_words",
                                              "hourly_limit", "cooldown_hours", "is_active")}


class ChannelForm(forms.Form):
    kind = forms.ChoiceField(choices=ChannelKind.choices, label="Channel")
    url = forms.CharField(max_length=500, required=False, label="URL",
                          help_text="Webhook: its URL. Slack: the incoming-webhook URL. Telegram: the Bot API base "
                                    "(blank: api.telegram.org). Bluesky: the PDS (blank: bsky.social).")
    secret = forms.CharField(required=False, strip=True, widget=forms.PasswordInput, label="Webhook signing secret")
    token = forms.CharField(required=False, widget=forms.PasswordInput, label="Telegram bot token")
    chat = forms.CharField(required=False, widget=forms.PasswordInput, label="Telegram chat id")
    handle = forms.CharField(required=False, label="Bluesky handle")
    app_password = forms.CharField(required=False, widget=forms.PasswordInput, label="Bluesky app password")

    def __init__(self, *args, channel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel
        if channel is not None:
            del self.fields["kind"]
            for name in credentials.SECRET_FIELDS:
                self.fields[name].help_text = "Stored encrypted, never shown. Leave blank to keep it."
            if channel.kind != ChannelKind.SLACK:
                self.initial.setdefault("url", channel.base_url)
            else:
                self.fields["url"].help_text = "Stored encrypted, never shown. Leave blank to keep it."

    def clean(self):
        data = super().clean()
        kind = self.channel.kind if self.channel is not None else data.get("kind")
        if kind:
            stored = None
            if self.channel is not None:
                try:
                    stored = self.channel.credentials()
                except crypto.CredentialsUnreadable:
                    stored = {}  # after a key change: everything must be entered again
            try:
                credentials.channel_clean(kind, url=data.get("url", ""), given=data, stored=stored)
            except ValidationError as error:
                add_service_errors(self, error)
        return data

    def spec(self) -> dict:
        data = self.cleaned_data
        return {"url": data.get("url", ""), "given": {f: data.get(f, "") for f in credentials.SECRET_FIELDS}}
