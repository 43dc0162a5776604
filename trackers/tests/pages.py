"""The web admin's URLs, in one place, so the permission tests cover every page (a new page
added here is checked for anonymous users, Editors and other tenants at once)."""

from __future__ import annotations

from trackers.models import Membership


def tenant_object_urls(tenant) -> list[tuple[str, str]]:
    """(method, URL) of every Admin page that names one of the tenant's objects."""
    tracker = tenant.tracker.public_id
    member = Membership.objects.get(account=tenant.account, user=tenant.admin).pk
    key = tenant.api_key.pk
    return [
        ("get", f"/trackers/{tracker}/edit"),
        ("post", f"/trackers/{tracker}/edit"),
        ("post", f"/trackers/{tracker}/deactivate"),
        ("get", f"/trackers/{tracker}/install"),
        ("get", f"/members/{member}/edit"),
        ("post", f"/members/{member}/edit"),
        ("post", f"/members/{member}/remove"),
        ("post", f"/keys/{key}/revoke"),
    ]


def admin_only_urls(tenant) -> list[tuple[str, str]]:
    """(method, URL) of every page only Admins may use."""
    return [
        ("get", "/trackers/new"),
        ("post", "/trackers/new"),
        ("get", "/members/"),
        ("get", "/members/invite"),
        ("post", "/members/invite"),
        ("get", "/keys/"),
        ("get", "/keys/new"),
        ("post", "/keys/new"),
        ("get", "/account/settings"),
        ("post", "/account/settings"),
        *tenant_object_urls(tenant),
    ]


def member_urls(tenant) -> list[tuple[str, str]]:
    """(method, URL) of every page that needs a login."""
    return [("get", "/trackers/"), ("post", f"/accounts/switch/{tenant.account.slug}"), ("get", "/account/password"),
            ("post", "/account/password"), *admin_only_urls(tenant)]
