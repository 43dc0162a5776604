from django.apps import AppConfig


class GacompatConfig(AppConfig):
    """Google Analytics compatible read APIs: Real Time Reporting v3 and GA4 runRealtimeReport."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "gacompat"
    verbose_name = "Google Analytics compatible APIs"
