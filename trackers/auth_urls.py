"""Sign up, log in, log out and password reset. Django's own views, under the un-namespaced
names its settings refer to (LOGIN_URL = "login", the reset email's "password_reset_confirm")."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from trackers.forms import EmailAuthenticationForm, PasswordResetRequestForm
from trackers.views import accounts

urlpatterns = [
    path("signup", accounts.signup, name="signup"),
    path("signup/sent", accounts.signup_sent, name="signup-sent"),
    path("signup/confirm/<str:token>", accounts.signup_confirm, name="signup-confirm"),
    path("login", accounts.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        accounts.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
        ),
        name="password_reset",
    ),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path(
        "password-reset/<uidb64>/<token>/",
        accounts.PasswordSetView.as_view(success_url=reverse_lazy("trackers:home")),
        name="password_reset_confirm",
    ),
]
