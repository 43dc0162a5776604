"""History pages of the dashboard."""

app_name = "history"

urlpatterns: list = []
