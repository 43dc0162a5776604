"""Tracker pages: list (Admins and Editors), create, edit, deactivate and install (Admins)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trackers import selectors, services
from trackers.forms import TrackerEditForm, TrackerForm, add_service_errors
from trackers.permissions_web import admin_required, member_required


@member_required
def tracker_list(request):
    membership = request.membership
    trackers = selectors.tracker_list_for_member(membership=membership)
    return render(request, "trackers/tracker_list.html", {"trackers": trackers, "can_manage": membership.is_admin})


@admin_required
def tracker_create(request):
    account = request.membership.account
    # An account still on the default UTC has likely never chosen: offer the browser's zone.
    form = TrackerForm(request.POST if request.method == "POST" else None, initial={"timezone": account.timezone},
                       browser_timezone=account.timezone == "UTC")
    if form.is_valid():
        fields = form.service_fields()
        try:
            tracker = services.tracker_create(
                account=account,
                name=fields.pop("name"),
                hosts=fields.pop("hosts"),
                timezone_name=fields.pop("timezone"),
                live_window_minutes=fields.pop("live_window_minutes"),
                **fields,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Tracker {tracker.name} created. Add this snippet to your site.")
            return redirect("trackers:tracker-install", public_id=tracker.public_id)
    return render(request, "trackers/tracker_form.html", {"form": form, "tracker": None})


@admin_required
def tracker_edit(request, public_id: str):
    tracker = selectors.tracker_get(account=request.membership.account, public_id=public_id)
    form = TrackerEditForm(
        request.POST if request.method == "POST" else None, initial=TrackerEditForm.initial_for(tracker)
    )
    if form.is_valid():
        try:
            services.tracker_update(tracker=tracker, **form.service_fields())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Tracker {tracker.name} saved.")
            return redirect("trackers:tracker-list")
    return render(request, "trackers/tracker_form.html", {"form": form, "tracker": tracker})


@admin_required
@require_POST
def tracker_deactivate(request, public_id: str):
    tracker = selectors.tracker_get(account=request.membership.account, public_id=public_id)
    services.tracker_deactivate(tracker=tracker)
    messages.success(
        request, f"Tracker {tracker.name} deactivated: it stays listed with its history but accepts no more hits."
    )
    return redirect("trackers:tracker-list")


def _origin(request) -> str:
    """Scheme and host of this NowMetrix as the browser reached it (the Host header is checked
    against ALLOWED_HOSTS before any view runs)."""
    return request.build_absolute_uri("/").rstrip("/")


@admin_required
def tracker_install(request, public_id: str):
    tracker = selectors.tracker_get(account=request.membership.account, public_id=public_id)
    origin = _origin(request)
    # Plain strings: the template escapes them into the copyable boxes.
    snippet = f'<script defer src="{origin}/nm.js" data-site="{tracker.public_id}"></script>'
    pixel = (
        f'<noscript><img src="{origin}/pixel.gif?s={tracker.public_id}&e=pv" alt="" width="1" height="1" '
        'referrerpolicy="no-referrer-when-downgrade"></noscript>'
    )
    return render(request, "trackers/tracker_install.html", {"tracker": tracker, "snippet": snippet, "pixel": pixel})
