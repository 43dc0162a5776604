from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"
    verbose_name = "Live pipeline"

    def ready(self) -> None:
        from realtime import receivers  # noqa: F401  (connects to trackers' signals)
