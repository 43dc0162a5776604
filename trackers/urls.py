"""The web admin's pages (`/api/me` is in `realtime.api.urls`). Log in, sign up and password reset: `auth_urls.py`."""

from django.urls import path

from trackers.views import accounts, api_key_pages, member_pages, site, tracker_pages

app_name = "trackers"

urlpatterns = [
    path("", accounts.home, name="home"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("accounts/switch/<slug:slug>", accounts.account_switch, name="account-switch"),
    path("account/settings", accounts.account_settings, name="account-settings"),
    path("account/password", accounts.PasswordChangeView.as_view(), name="password-change"),
    path("trackers/", tracker_pages.tracker_list, name="tracker-list"),
    path("trackers/new", tracker_pages.tracker_create, name="tracker-create"),
    path("trackers/<str:public_id>/edit", tracker_pages.tracker_edit, name="tracker-edit"),
    path("trackers/<str:public_id>/deactivate", tracker_pages.tracker_deactivate, name="tracker-deactivate"),
    path("trackers/<str:public_id>/install", tracker_pages.tracker_install, name="tracker-install"),
    path("members/", member_pages.member_list, name="member-list"),
    path("members/invite", member_pages.member_invite, name="member-invite"),
    path("members/<int:membership_id>/edit", member_pages.member_edit, name="member-edit"),
    path("members/<int:membership_id>/remove", member_pages.member_remove, name="member-remove"),
    path("keys/", api_key_pages.api_key_list, name="api-key-list"),
    path("keys/new", api_key_pages.api_key_create, name="api-key-create"),
    path("keys/<int:api_key_id>/revoke", api_key_pages.api_key_revoke, name="api-key-revoke"),
]
