"""API key pages (Admins only): list, create (the secret is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from trackers import selectors, services
from trackers.forms import ApiKeyForm
from trackers.permissions_web import admin_required


@admin_required
def api_key_list(request):
    api_keys = selectors.api_key_list(account=request.membership.account)
    return render(request, "trackers/api_key_list.html", {"api_keys": api_keys})


@admin_required
def api_key_create(request):
    account = request.membership.account
    form = ApiKeyForm(request.POST if request.method == "POST" else None, account=account)
    if not form.is_valid():
        return render(request, "trackers/api_key_form.html", {"form": form})
    api_key, secret = services.api_key_issue(
        account=account,
        name=form.cleaned_data["name"],
        created_by=request.user,
        scope=form.cleaned_data["scope"],
        trackers=form.chosen_trackers(),
    )
    # The secret is rendered into this one response and kept nowhere else (no session, no
    # redirect): only its hash is stored. Browsers and proxies must not keep the page either.
    response = render(request, "trackers/api_key_created.html", {"api_key": api_key, "secret": secret})
    add_never_cache_headers(response)
    return response


@admin_required
@require_POST
def api_key_revoke(request, api_key_id: int):
    api_key = selectors.api_key_get(account=request.membership.account, api_key_id=api_key_id)
    services.api_key_revoke(api_key=api_key)
    messages.success(request, f"API key {api_key.name} ({api_key.masked}) revoked: it no longer works.")
    return redirect("trackers:api-key-list")
