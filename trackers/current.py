"""The web admin's current account, kept in the session (the account switcher writes it)."""

from __future__ import annotations

from trackers.models import Membership

SESSION_KEY = "nm_account_id"
TRACKER_SESSION_KEY = "nm_tracker"  # the tracker last opened: `/api/me`'s current_tracker


def current_membership(request) -> Membership | None:
    """The user's membership in the selected account, falling back to their first account."""
    if not request.user.is_authenticated:
        return None
    cached = getattr(request, "_nm_membership", None)
    if cached is not None:
        return cached
    memberships = Membership.objects.select_related("account").filter(user=request.user)
    account_id = request.session.get(SESSION_KEY)
    # Skip the lookup when nothing was chosen yet: one query fewer on every page until a switch.
    membership = memberships.filter(account_id=account_id).first() if account_id is not None else None
    if membership is None:
        membership = memberships.order_by("account__name").first()
    request._nm_membership = membership
    return membership


def switch_account(request, membership: Membership) -> None:
    request.session[SESSION_KEY] = membership.account_id
    request._nm_membership = membership


def select_tracker(request, public_id: str) -> None:
    request.session[TRACKER_SESSION_KEY] = public_id
