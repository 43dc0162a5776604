from django.apps import AppConfig


class TrackersConfig(AppConfig):
    name = "trackers"
    verbose_name = "Accounts and trackers"

    def ready(self) -> None:
        from trackers import openapi  # noqa: F401  (registers the schema's authentication schemes)
