"""Reads of tenant data. Every function is scoped: it takes the account (or the caller) it reads for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import F, Q, QuerySet
from django.http import Http404

from trackers.models import Account, ApiKey, Membership, Role, Tracker


def account_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Account]:
    return Account.objects.filter(memberships__user=user).order_by("name")


def membership_get(*, user: AbstractBaseUser, account: Account) -> Membership | None:
    return Membership.objects.filter(user=user, account=account).first()


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


def tracker_get_for_member(*, membership: Membership, public_id: str) -> Tracker:
    tracker = tracker_list_for_member(membership=membership).filter(public_id=public_id).first()
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
    return ApiKey.objects.filter(account=account).prefetch_related("trackers").order_by("-created_at", "-id")


def api_key_trackers(*, api_key: ApiKey) -> QuerySet[Tracker]:
    """The trackers a key reaches, in a stable order."""
    if api_key.all_trackers:
        return tracker_list(account=api_key.account)
    return api_key.trackers.filter(account=api_key.account).order_by("name", "id")


def api_key_may_read(*, api_key: ApiKey, tracker: Tracker) -> bool:
    if tracker.account_id != api_key.account_id:
        return False
    return api_key.all_trackers or api_key.trackers.filter(pk=tracker.pk).exists()
