"""Settings → Connectors (Admins only; Editors get a 403, other tenants' connectors a 404).

Views are thin: forms validate, services write, selectors and `preview` read. Every page sends
the dashboards' Content-Security-Policy (no inline script): titles and URLs shown here come
from visitors' pages, and Django's autoescaping is the only way they reach the HTML.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from connectors import preview, selectors, services
from connectors.forms import ChannelForm, ConnectorForm
from realtime.csp import dashboard_csp
from trackers.forms import add_service_errors
from trackers.permissions_web import admin_required


def _connector(request, public_id: str):
    return selectors.connector_get(account=request.membership.account, public_id=public_id)


@dashboard_csp
@admin_required
def connector_list(request):
    connectors = selectors.connector_list(account=request.membership.account)
    return render(request, "connectors/connector_list.html", {"connectors": connectors})


@dashboard_csp
@admin_required
def connector_create(request):
    account = request.membership.account
    post = request.POST if request.method == "POST" else None
    form = ConnectorForm(post, account=account)
    channel_form = ChannelForm(post, prefix="channel")
    if post is not None and form.is_valid() and channel_form.is_valid():
        try:
            connector = services.connector_create(
                account=account, tracker=form.cleaned_data["tracker"], **form.rule(),
                channels=[{"kind": channel_form.cleaned_data["kind"], **channel_form.spec()}])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Connector {connector.name} created.")
            return redirect("connectors:connector-detail", public_id=connector.public_id)
    return render(request, "connectors/connector_form.html", {"form": form, "channel_form": channel_form})


@dashboard_csp
@admin_required
def connector_detail(request, public_id: str):
    account = request.membership.account
    connector = _connector(request, public_id)
    return render(request, "connectors/connector_detail.html", {
        "connector": connector,
        "channels": selectors.channel_list(account=account, connector=connector),
        "deliveries": selectors.delivery_list(account=account, connector=connector),
    })


@dashboard_csp
@admin_required
def connector_edit(request, public_id: str):
    connector = _connector(request, public_id)
    form = ConnectorForm(request.POST if request.method == "POST" else None, account=request.membership.account,
                         connector=connector)
    if form.is_valid():
        try:
            services.connector_update(connector=connector, **form.rule())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Connector {connector.name} saved.")
            return redirect("connectors:connector-detail", public_id=connector.public_id)
    return render(request, "connectors/connector_form.html", {"form": form, "connector": connector})


@admin_required
@require_POST
def connector_delete(request, public_id: str):
    connector = _connector(request, public_id)
    services.connector_delete(connector=connector)
    messages.success(request, f"Connector {connector.name} deleted.")
    return redirect("connectors:connector-list")


@dashboard_csp
@admin_required
def connector_preview(request, public_id: str):
    connector = _connector(request, public_id)
    rows, channels = preview.connector_preview(connector=connector)
    return render(request, "connectors/connector_preview.html", {
        "connector": connector, "rows": rows, "channels": channels,
        "matching": [row for row in rows or [] if row.matches],
    })


@admin_required
@require_POST
def connector_send_test(request, public_id: str):
    connector = _connector(request, public_id)
    services.connector_send_test(connector=connector)
    messages.success(request, "A test message is on its way to every channel; its deliveries appear below.")
    return redirect("connectors:connector-detail", public_id=connector.public_id)


@dashboard_csp
@admin_required
def channel_create(request, public_id: str):
    connector = _connector(request, public_id)
    form = ChannelForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.channel_add(connector=connector, kind=form.cleaned_data["kind"], **form.spec())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Channel added.")
            return redirect("connectors:connector-detail", public_id=connector.public_id)
    return render(request, "connectors/channel_form.html", {"form": form, "connector": connector})


@dashboard_csp
@admin_required
def channel_edit(request, public_id: str, channel_id: int):
    connector = _connector(request, public_id)
    channel = selectors.channel_get(account=request.membership.account, connector=connector, channel_id=channel_id)
    form = ChannelForm(request.POST if request.method == "POST" else None, channel=channel)
    if form.is_valid():
        try:
            services.channel_update(channel=channel, **form.spec())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Channel saved.")
            return redirect("connectors:connector-detail", public_id=connector.public_id)
    return render(request, "connectors/channel_form.html", {"form": form, "connector": connector, "channel": channel})


@admin_required
@require_POST
def channel_delete(request, public_id: str, channel_id: int):
    connector = _connector(request, public_id)
    channel = selectors.channel_get(account=request.membership.account, connector=connector, channel_id=channel_id)
    services.channel_delete(channel=channel)
    messages.success(request, "Channel removed.")
    return redirect("connectors:connector-detail", public_id=connector.public_id)
