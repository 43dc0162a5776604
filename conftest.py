"""Shared personas: an Admin with a tracker and a key, an Editor of the same account (with and
without access to the tracker), and an outsider with an account of their own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

# Django models are imported inside the helpers: this file is also loaded by test runs that
# do not set Django up (`-p no:django` for the pure enrichment and snippet tests).


@dataclass
class Tenant:
    account: "Account"  # noqa: F821
    admin: object
    tracker: "Tracker"  # noqa: F821
    api_key: "ApiKey"  # noqa: F821
    secret: str


def make_tenant(name: str, email: str, host: str) -> Tenant:
    from trackers import services
    from trackers.models import Scope

    admin, _ = services.user_get_or_create(email=email, password="correct horse battery staple")
    account = services.account_create(name=name, owner=admin, timezone_name="Europe/Zurich")
    tracker = services.tracker_create(account=account, name=f"{name} site", hosts=[host])
    api_key, secret = services.api_key_issue(account=account, name="full", created_by=admin, scope=Scope.FULL)
    return Tenant(account, admin, tracker, api_key, secret)


@pytest.fixture
def tenant(db) -> Tenant:
    return make_tenant("Daily Planet", "lois@planet.example", "planet.example")


@pytest.fixture
def outsider(db) -> Tenant:
    return make_tenant("Daily Bugle", "jonah@bugle.example", "bugle.example")


@pytest.fixture
def editor(tenant):
    """An Editor of the tenant's account who was given the tenant's tracker."""
    from trackers import services
    from trackers.models import Role

    user, _ = services.user_get_or_create(email="jimmy@planet.example", password="correct horse battery staple")
    services.membership_add(account=tenant.account, user=user, role=Role.EDITOR, trackers=[tenant.tracker])
    return user


@pytest.fixture
def editor_without_access(tenant):
    from trackers import services
    from trackers.models import Role

    user, _ = services.user_get_or_create(email="perry@planet.example", password="correct horse battery staple")
    services.membership_add(account=tenant.account, user=user, role=Role.EDITOR, trackers=[])
    return user


@pytest.fixture
def bearer(tenant) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {tenant.secret}"}
