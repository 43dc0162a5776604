"""Sign up, log in, log out and password reset. Django's own views, under the un-namespaced
names its settings refer to (LOGIN_URL = "login", the reset email's "password_reset_confirm")."""

from django.contrib.auth import views as auth_views
from django.urls import path

from trackers.forms import EmailAuthenticationForm, PasswordResetRequestForm
from trackers.views import accounts

urlpatterns = [
    path("signup", accounts.signup, name="signup"),
    path("login", accounts.LoginView.as_view(authentication_form=EmailAuthenticationForm), name="login"),
    path("logout", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
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
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
