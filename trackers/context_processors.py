"""Template context: the current account and the accounts the user can switch to."""

from trackers.current import current_membership


def current_account(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    membership = current_membership(request)
    return {
        "current_membership": membership,
        "current_account": membership.account if membership else None,
        "user_accounts": [m.account for m in request.user.memberships.select_related("account").order_by("account__name")],
    }
