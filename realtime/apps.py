from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Live pipeline"

    def ready(self) -> None:
        from realtime import receivers  # noqa: F401  (connects to trackers' signals)
        from realtime import access_changes  # noqa: F401  (tells live sockets of login and access changes)
        from realtime.api import openapi  # noqa: F401  (registers the schema's authentication schemes)
