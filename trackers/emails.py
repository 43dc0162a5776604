"""Emails to members: the invitation with its set-password link, or a note that they were added."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from trackers.models import Membership


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
