"""Access rules of the web admin pages, as view decorators.

`member_required`: logged in (else a redirect to the login page) and a member of an account;
the current membership is set on `request.membership`. `admin_required`: the same, and an
Admin of that account; an Editor gets a 403 page. Both decide before any object is looked up,
so a 403 never depends on whether an ID exists. Objects are then fetched through selectors
scoped to `request.membership.account`, which makes another tenant's IDs a 404.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from trackers.current import current_membership


def member_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        membership = current_membership(request)
        if membership is None:
            return render(request, "trackers/no_account.html", status=403)
        request.membership = membership
        return view(request, *args, **kwargs)

    return wrapper


def admin_required(view):
    @member_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.membership.is_admin:
            return render(request, "trackers/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
