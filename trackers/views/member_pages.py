"""Member pages (Admins only): list, invite by email, change role and trackers, remove."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trackers import selectors, services
from trackers.forms import MemberEditForm, MemberInviteForm, add_service_errors
from trackers.permissions_web import admin_required


@admin_required
def member_list(request):
    members = selectors.membership_list(account=request.membership.account)
    return render(request, "trackers/member_list.html", {"members": members})


@admin_required
def member_invite(request):
    account = request.membership.account
    form = MemberInviteForm(request.POST if request.method == "POST" else None, account=account)
    if form.is_valid():
        try:
            membership = services.member_invite(
                account=account,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                trackers=list(form.cleaned_data["trackers"]),
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.email} was added and has been sent an email.")
            return redirect("trackers:member-list")
    return render(request, "trackers/member_invite.html", {"form": form})


@admin_required
def member_edit(request, membership_id: int):
    membership = selectors.membership_get_by_id(account=request.membership.account, membership_id=membership_id)
    initial = {"role": membership.role, "trackers": list(membership.trackers.all())}
    form = MemberEditForm(
        request.POST if request.method == "POST" else None, initial=initial, account=request.membership.account
    )
    if form.is_valid():
        try:
            services.membership_update(
                membership=membership, role=form.cleaned_data["role"], trackers=list(form.cleaned_data["trackers"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.email} saved.")
            if membership.user_id == request.user.pk and not membership.is_admin:
                return redirect("trackers:home")  # you just gave up the members page
            return redirect("trackers:member-list")
    return render(request, "trackers/member_edit.html", {"form": form, "member": membership})


@admin_required
@require_POST
def member_remove(request, membership_id: int):
    membership = selectors.membership_get_by_id(account=request.membership.account, membership_id=membership_id)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("trackers:member-list")
    messages.success(request, f"{membership.user.email} was removed from {membership.account.name}.")
    if membership.user_id == request.user.pk:
        return redirect("trackers:home")
    return redirect("trackers:member-list")
