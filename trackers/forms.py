"""Web admin forms. They validate input and hand clean values to the services; they write nothing."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm, UsernameField
from django.core.exceptions import ValidationError

from trackers import selectors, services, throttle, timezones
from trackers.models import Account, Role, Scope

User = get_user_model()

_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
MAX_HOSTS = 50


class TimezoneField(forms.ChoiceField):
    """A time zone from the picker's list (common zones first, canonical names only). With
    `browser_default`, admin.js selects the browser's own zone when the page opens."""

    def __init__(self, *, browser_default: bool = False, **kwargs):
        kwargs.setdefault("label", "Time zone")
        super().__init__(choices=timezones.choices, **kwargs)
        if browser_default:
            self.widget.attrs["data-browser-timezone"] = ""

    def allow_current(self, current: str | None) -> None:
        """Keep a stored zone that is an older alias (e.g. `US/Pacific`) selectable."""
        self.choices = timezones.choices_with(current)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def clean_host(value: str) -> str:
    """One host name as trackers store it (see services.normalize_host), in its ASCII (IDNA) form,
    which is what browsers report as `location.hostname`."""
    host = services.normalize_host(value)
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValidationError(f"{value!r} is not a host name.") from None
    if len(host) > 253 or not all(_HOST_LABEL.match(label) for label in host.split(".")):
        raise ValidationError(f"{value!r} is not a host name.")
    return host


# --- sign up, log in, password reset --------------------------------------------------


class SignupForm(forms.Form):
    """The first step of a signup: where to send the next one, and the account's name. It never
    says whether the email is registered; the mail does, to its owner."""

    email = forms.EmailField(max_length=150, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))
    account_name = forms.CharField(
        max_length=100, label="Account name", help_text="Your company or team. You can invite others later."
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].lower()


class SignupPasswordForm(SetPasswordForm):
    """The last step of a signup, from the mailed link: the password (checked against the email
    by the validators, as for any user) and the account's time zone (the browser's, at first)."""

    timezone = TimezoneField(browser_default=True, initial="UTC",
                             help_text="The account's default for new trackers; you can change it later.")

    def __init__(self, email: str, *args, **kwargs):
        super().__init__(User(username=email, email=email), *args, **kwargs)


class AccountSettingsForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="Shown in the account switcher and in invitations.")
    timezone = TimezoneField(label="Default time zone", help_text="New trackers start in this time zone.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].allow_current(self.initial.get("timezone"))


class EmailAuthenticationForm(AuthenticationForm):
    """Log in with the email address (users' usernames are their lower-cased emails; staff
    created with `createsuperuser` may still type a plain username)."""

    # type=email for the keyboard and the label; autocomplete stays `username` (UsernameField's):
    # the token password managers and the HTML spec use for a sign-in identifier, email or not.
    # `novalidate` on the form lets a staff member's plain username through.
    username = UsernameField(label="Email", widget=forms.EmailInput(attrs={"autofocus": True}))
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Please enter a correct email and password. Note that the password is case-sensitive.",
    }

    retry_after = 0  # seconds, when the login was refused by the throttle

    def clean_username(self) -> str:
        value = self.cleaned_data["username"]
        return value.lower() if "@" in value else value

    def clean(self):
        """Refuse without checking the password while the account or the address is throttled
        (the right password too); count each wrong password against both."""
        username = self.cleaned_data.get("username")
        address = getattr(self.request, "client_ip", "")
        if username is None:
            return super().clean()
        self.retry_after = throttle.login_retry_after(username=username, address=address)
        if self.retry_after:
            raise ValidationError(
                "Too many failed logins for this account or from your network. For your security, "
                f"logging in is paused: try again in {throttle.wait_text(self.retry_after)}, "
                "or reset your password.",
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttle.login_failed(username=username, address=address)
            raise
        if self.get_user() is not None:  # not when the password was left empty
            throttle.login_succeeded(username=username)
        return cleaned


class PasswordResetRequestForm(PasswordResetForm):
    def get_users(self, email):
        return selectors.user_list_for_password_reset(email=email)


# --- trackers ------------------------------------------------------------------------------


class TrackerForm(forms.Form):
    name = forms.CharField(max_length=100)
    hosts = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text="The host names that may send hits, one per line or comma separated, "
        "e.g. example.com and www.example.com.",
    )
    timezone = TimezoneField(help_text="Days and “today” are counted in this time zone.")
    live_window_minutes = forms.IntegerField(
        min_value=1, max_value=30, initial=5, label="Live window (minutes)",
        help_text="A visitor counts as active for this long after their last hit (1 to 30).",
    )
    honour_dnt = forms.BooleanField(
        required=False, initial=True, label="Honour Do Not Track",
        help_text="Drop hits from browsers that ask not to be tracked.",
    )
    public_counter = forms.BooleanField(
        required=False, label="Public counter", help_text="Allow the public per-page count of active readers."
    )

    def __init__(self, *args, browser_timezone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].allow_current(self.initial.get("timezone"))
        if browser_timezone:
            self.fields["timezone"].widget.attrs["data-browser-timezone"] = ""

    def clean_hosts(self) -> list[str]:
        hosts, errors = [], []
        for value in re.split(r"[\s,]+", self.cleaned_data["hosts"]):
            if not value:
                continue
            try:
                host = clean_host(value)
            except ValidationError as error:
                errors.append(error)
                continue
            if host not in hosts:
                hosts.append(host)
        if errors:
            raise ValidationError(errors)
        if not hosts:
            raise ValidationError("Enter at least one host name.")
        if len(hosts) > MAX_HOSTS:
            raise ValidationError(f"Enter at most {MAX_HOSTS} host names.")
        return hosts

    def service_fields(self) -> dict:
        """The cleaned values, named as the Tracker fields they set."""
        return dict(self.cleaned_data)


class TrackerEditForm(TrackerForm):
    is_active = forms.BooleanField(
        required=False, label="Active",
        help_text="An inactive tracker stays listed with its history but accepts no more hits.",
    )

    @classmethod
    def initial_for(cls, tracker) -> dict:
        return {
            "name": tracker.name,
            "hosts": "\n".join(tracker.hosts),
            "timezone": tracker.timezone,
            "live_window_minutes": tracker.live_window_minutes,
            "honour_dnt": tracker.honour_dnt,
            "public_counter": tracker.public_counter,
            "is_active": tracker.is_active,
        }


# --- members ------------------------------------------------------------------------------


class TrackerChoiceField(forms.ModelMultipleChoiceField):
    """The account's trackers, chosen by ID. An ID that is no ID (beyond the database's integer
    range, other digits) is refused as a bad choice before any query: the database would raise."""

    _ID = re.compile(r"[0-9]{1,18}")

    def _check_values(self, value):
        for pk in value:
            if not isinstance(pk, str) or not self._ID.fullmatch(pk):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": pk})
        return super()._check_values(value)


def _trackers_field() -> forms.ModelMultipleChoiceField:
    return TrackerChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Editors open only these trackers' dashboards; Admins open all trackers.",
    )


class MemberEditForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices, initial=Role.EDITOR, widget=forms.RadioSelect,
        help_text="Admins manage trackers, members and API keys. Editors open the dashboards of their trackers.",
    )
    trackers = _trackers_field()

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the account's own trackers are valid choices: another tenant's ID fails validation.
        self.fields["trackers"].queryset = selectors.tracker_list(account=account)


class MemberInviteForm(MemberEditForm):
    email = forms.EmailField(max_length=150)
    field_order = ["email", "role", "trackers"]

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, account=account, **kwargs)
        self.account = account

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if selectors.membership_exists_for_email(account=self.account, email=email):
            raise ValidationError("This person is already a member of the account.")
        return email


# --- API keys ------------------------------------------------------------------------------


class ApiKeyForm(forms.Form):
    ALL, SELECTED = "all", "selected"

    name = forms.CharField(max_length=100, help_text="What the key is for, e.g. “Newsroom screen”.")
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.READ_ONLY, widget=forms.RadioSelect)
    access = forms.ChoiceField(
        choices=[(ALL, "All trackers, including future ones"), (SELECTED, "Only the trackers chosen below")],
        initial=ALL, widget=forms.RadioSelect, label="Trackers",
    )
    trackers = TrackerChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label="Chosen trackers"
    )

    def __init__(self, *args, account: Account, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trackers"].queryset = selectors.tracker_list(account=account)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("access") == self.SELECTED and not cleaned.get("trackers"):
            self.add_error("trackers", "Choose at least one tracker, or give the key access to all trackers.")
        return cleaned

    def chosen_trackers(self) -> list | None:
        """None for all trackers (the key follows the account's trackers), else the chosen ones."""
        if self.cleaned_data["access"] == self.ALL:
            return None
        return list(self.cleaned_data["trackers"])
