"""Reads of tenant data. Every function is scoped: it takes the account (or the caller) it reads for."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.http import Http404

from trackers.grants import Grant
from trackers.models import Account, ApiKey, Membership, Role, Tracker

User = get_user_model()


def user_exists(*, email: str) -> bool:
    return User.objects.filter(email__iexact=email.strip()).exists()


def user_list_for_password_reset(*, email: str) -> list[AbstractBaseUser]:
    """Active users with this email who may reset their password.

    Unlike Django's default, this includes invited members who never set a password (Django
    skips unusable passwords because they may mean an external sign-in, which NowMetrix does
    not have), so an expired invitation link can be renewed from the "forgot password" page.
    """
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    return [u for u in users if u.has_usable_password() or u.memberships.exists()]


def account_get_by_name(*, name: str) -> Account | None:
    """The account with this slug, or else the one account with this name: how operators name
    one in commands. None when nothing matches or the name is shared (then give the slug)."""
    found = Account.objects.filter(slug=name).first()
    if found is not None:
        return found
    named = list(Account.objects.filter(name=name)[:2])
    return named[0] if len(named) == 1 else None


def membership_get(*, user: AbstractBaseUser, account: Account) -> Membership | None:
    return Membership.objects.filter(user=user, account=account).first()


def membership_get_by_slug(*, user: AbstractBaseUser, slug: str) -> Membership:
    """The user's membership in the account with this slug, or 404 (the account switcher)."""
    membership = Membership.objects.select_related("account").filter(user=user, account__slug=slug).first()
    if membership is None:
        raise Http404("No such account.")
    return membership


def membership_get_by_id(*, account: Account, membership_id: int) -> Membership:
    """The account's membership, or 404: another tenant's member is indistinguishable from none."""
    membership = Membership.objects.select_related("user", "account").filter(account=account, pk=membership_id).first()
    if membership is None:
        raise Http404("No such member.")
    return membership


def membership_exists_for_email(*, account: Account, email: str) -> bool:
    return Membership.objects.filter(account=account, user__email__iexact=email.strip()).exists()


def membership_list(*, account: Account) -> QuerySet[Membership]:
    return account.memberships.select_related("user").prefetch_related("trackers").order_by("user__email")


def tracker_list(*, account: Account) -> QuerySet[Tracker]:
    return Tracker.objects.filter(account=account).order_by("name", "id")


def tracker_list_for_member(*, membership: Membership) -> QuerySet[Tracker]:
    """The trackers a member may open: all of the account's for Admins, the granted ones for Editors."""
    if membership.role == Role.ADMIN:
        return tracker_list(account=membership.account)
    return membership.trackers.filter(account=membership.account).order_by("name", "id")


def tracker_get(*, account: Account, public_id: str) -> Tracker:
    """The account's tracker, or 404: another tenant's tracker is indistinguishable from none."""
    tracker = Tracker.objects.filter(account=account, public_id=public_id).first()
    if tracker is None:
        raise Http404("No such tracker.")
    return tracker


def tracker_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Tracker]:
    """Every tracker the user may open, across all their accounts (for the live overview)."""
    as_admin = Q(account__memberships__user=user, account__memberships__role=Role.ADMIN)
    as_editor = Q(editor_memberships__user=user, editor_memberships__account=F("account"))
    return Tracker.objects.filter(as_admin | as_editor).distinct().order_by("name", "id")


def tracker_for_user(*, user: AbstractBaseUser, public_id: str) -> Tracker | None:
    """The tracker with this public ID if the user may open it, else None."""
    return tracker_list_for_user(user=user).filter(public_id=public_id).first()


def api_key_list(*, account: Account) -> QuerySet[ApiKey]:
    return (
        ApiKey.objects.filter(account=account)
        .select_related("created_by")
        .prefetch_related("trackers")
        .order_by("-created_at", "-id")
    )


def api_key_get(*, account: Account, api_key_id: int) -> ApiKey:
    """The account's key, or 404: another tenant's key is indistinguishable from none."""
    api_key = ApiKey.objects.filter(account=account, pk=api_key_id).first()
    if api_key is None:
        raise Http404("No such API key.")
    return api_key


def tracker_list_for_grant(*, grant: Grant) -> QuerySet[Tracker]:
    """The trackers an API key's grant reaches, in a stable order."""
    trackers = tracker_list(account=grant.account_id)
    return trackers if grant.all_trackers else trackers.filter(public_id__in=grant.trackers)
