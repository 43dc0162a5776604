"""Home, sign up and the account switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from trackers import selectors, services
from trackers.current import switch_account
from trackers.forms import SignupForm, add_service_errors
from trackers.permissions_web import member_required


class LoginView(auth_views.LoginView):
    """Django's login, answering 429 with Retry-After while the throttle refuses logins."""

    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


def home(request):
    if request.user.is_authenticated:
        return redirect("trackers:tracker-list")
    return redirect("login")


def signup(request):
    if request.user.is_authenticated:
        return redirect("trackers:home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user, account = services.account_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                account_name=form.cleaned_data["account_name"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            switch_account(request, selectors.membership_get(user=user, account=account))
            messages.success(request, f"Welcome to NowMetrix. Add your first tracker to {account.name}.")
            return redirect("trackers:tracker-list")
    return render(request, "registration/signup.html", {"form": form})


@member_required
@require_POST
def account_switch(request, slug: str):
    membership = selectors.membership_get_by_slug(user=request.user, slug=slug)
    switch_account(request, membership)
    messages.info(request, f"Switched to {membership.account.name}.")
    # Always land on the tracker list: the page the switch was made from belongs to the old
    # account, and its IDs would be 404s in the new one.
    return redirect("trackers:tracker-list")
