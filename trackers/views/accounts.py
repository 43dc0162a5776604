"""Home, log in, sign up and the account switcher."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from trackers import emails, selectors, services, throttle
from trackers.current import switch_account
from trackers.forms import AccountSettingsForm, SignupForm, SignupPasswordForm, add_service_errors
from trackers.permissions_web import admin_required, member_required


class LoginView(auth_views.LoginView):
    """Django's login, answering 429 with Retry-After while the throttle refuses logins."""

    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.retry_after:
            response.status_code = 429
            response["Retry-After"] = str(form.retry_after)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """"Forgot your password": mails are throttled per recipient and per client address."""

    def form_valid(self, form):
        wait = throttle.mail_allowed(recipient=form.cleaned_data["email"], address=getattr(self.request, "client_ip", ""))
        if wait:
            return _too_many_mails(self.request, self.template_name, form, wait)
        return super().form_valid(form)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link of a reset or an invitation: choosing the password logs the user in."""

    post_reset_login = True

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set. You are logged in.")
        return response


def home(request):
    if request.user.is_authenticated:
        return redirect("trackers:tracker-list")
    return redirect("login")


def _too_many_mails(request, template: str, form, wait: int):
    form.add_error(None, "Too many requests for this address or from your network. "
                         f"Try again in {throttle.wait_text(wait)}.")
    response = render(request, template, {"form": form}, status=429)
    response["Retry-After"] = str(wait)
    return response


def signup(request):
    """Step one: the same answer for every email, registered or not; the next step is mailed."""
    if request.user.is_authenticated:
        return redirect("trackers:home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        email = form.cleaned_data["email"]
        wait = throttle.mail_allowed(recipient=email, address=getattr(request, "client_ip", ""))
        if wait:
            return _too_many_mails(request, "registration/signup.html", form, wait)
        services.signup_request(email=email, account_name=form.cleaned_data["account_name"],
                                base_url=request.build_absolute_uri("/"))
        request.session["signup_email"] = email
        return redirect("signup-sent")
    return render(request, "registration/signup.html", {"form": form})


def signup_sent(request):
    return render(request, "registration/signup_sent.html", {"email": request.session.get("signup_email", "")})


def signup_confirm(request, token: str):
    """Step two, from the mailed link: choose a password; the user and account are created, and
    the new Admin is logged in."""
    found = emails.signup_token_read(token)
    if found is None or selectors.user_exists(email=found[0]):
        return render(request, "registration/signup_confirm.html", {"validlink": False})
    email, account_name = found
    form = SignupPasswordForm(email, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            user, account = services.account_signup(
                email=email, password=form.cleaned_data["new_password1"], account_name=account_name,
                timezone_name=form.cleaned_data["timezone"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            switch_account(request, selectors.membership_get(user=user, account=account))
            messages.success(request, f"Welcome to NowMetrix. Add your first tracker to {account.name}.")
            return redirect("trackers:tracker-list")
    return render(request, "registration/signup_confirm.html",
                  {"validlink": True, "form": form, "email": email, "account_name": account_name})


@member_required
@require_POST
def account_switch(request, slug: str):
    membership = selectors.membership_get_by_slug(user=request.user, slug=slug)
    switch_account(request, membership)
    messages.info(request, f"Switched to {membership.account.name}.")
    # Always land on the tracker list: the page the switch was made from belongs to the old
    # account, and its IDs would be 404s in the new one.
    return redirect("trackers:tracker-list")


@admin_required
def account_settings(request):
    """The current account's name and default time zone (Admins)."""
    account = request.membership.account
    form = AccountSettingsForm(request.POST if request.method == "POST" else None,
                               initial={"name": account.name, "timezone": account.timezone})
    if form.is_valid():
        try:
            services.account_update(account=account, name=form.cleaned_data["name"],
                                    timezone_name=form.cleaned_data["timezone"], by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Account settings saved.")
            return redirect("trackers:account-settings")
    return render(request, "trackers/account_settings.html", {"form": form, "account": account})


class PasswordChangeView(LoginRequiredMixin, auth_views.PasswordChangeView):
    """Change one's password (the old one first); the session stays logged in."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("trackers:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password was changed.")
        return response
