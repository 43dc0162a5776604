"""Emails to members: the invitation with its set-password link, or a note that they were added;
and the signup mails: the link that finishes a signup, or, for an address that already has a
login, a note saying so (signup answers the same either way)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from trackers.models import Membership

SIGNUP_SALT = "nowmetrix.signup"
SIGNUP_LINK_MAX_AGE_SECS = 3 * 24 * 3600


def set_password_url(*, user: AbstractBaseUser, base_url: str) -> str:
    """A password-reset token link (Django's, valid for PASSWORD_RESET_TIMEOUT and until the
    password changes): the same link "forgot password" sends, used here to set a first password."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})


def invitation_send(*, membership: Membership, invited_by: AbstractBaseUser | None, base_url: str) -> None:
    user, account = membership.user, membership.account
    context = {
        "account_name": account.name,
        "role": membership.get_role_display(),
        "invited_by": getattr(invited_by, "email", "") if invited_by else "",
        "login_url": base_url.rstrip("/") + reverse("login"),
        "set_password_url": None if user.has_usable_password() else set_password_url(user=user, base_url=base_url),
    }
    # Account names are user input: a header may not contain line breaks.
    subject = "".join(f"You have been added to {account.name} on NowMetrix".splitlines())
    body = render_to_string("registration/invitation_email.txt", context)
    send_mail(subject, body, None, [user.email])


def signup_token_make(*, email: str, account_name: str) -> str:
    """A signed, expiring token of a signup: nothing is stored until its link is followed."""
    return signing.dumps({"email": email, "account": account_name}, salt=SIGNUP_SALT, compress=True)


def signup_token_read(token: str) -> tuple[str, str] | None:
    """(email, account name) of a valid token, None if it is forged, broken or expired."""
    try:
        data = signing.loads(token, salt=SIGNUP_SALT, max_age=SIGNUP_LINK_MAX_AGE_SECS)
        return str(data["email"]), str(data["account"])
    except (signing.BadSignature, KeyError, TypeError):
        return None


def signup_confirm_send(*, email: str, account_name: str, base_url: str) -> None:
    token = signup_token_make(email=email, account_name=account_name)
    context = {
        "account_name": account_name,
        "confirm_url": base_url.rstrip("/") + reverse("signup-confirm", kwargs={"token": token}),
    }
    body = render_to_string("registration/signup_email.txt", context)
    send_mail("Finish creating your NowMetrix account", body, None, [email])


def signup_existing_send(*, user: AbstractBaseUser, base_url: str) -> None:
    context = {
        "email": user.email,
        "login_url": base_url.rstrip("/") + reverse("login"),
        "reset_url": base_url.rstrip("/") + reverse("password_reset"),
    }
    body = render_to_string("registration/signup_existing_email.txt", context)
    send_mail("You already have a NowMetrix login", body, None, [user.email])
