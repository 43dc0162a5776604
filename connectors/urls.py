"""Settings → Connectors."""

from django.urls import path

from connectors import views

app_name = "connectors"

urlpatterns = [
    path("settings/connectors/", views.connector_list, name="connector-list"),
    path("settings/connectors/new", views.connector_create, name="connector-create"),
    path("settings/connectors/<str:public_id>/", views.connector_detail, name="connector-detail"),
    path("settings/connectors/<str:public_id>/edit", views.connector_edit, name="connector-edit"),
    path("settings/connectors/<str:public_id>/delete", views.connector_delete, name="connector-delete"),
    path("settings/connectors/<str:public_id>/preview", views.connector_preview, name="connector-preview"),
    path("settings/connectors/<str:public_id>/test", views.connector_send_test, name="connector-test"),
    path("settings/connectors/<str:public_id>/channels/new", views.channel_create, name="channel-create"),
    path("settings/connectors/<str:public_id>/channels/<int:channel_id>/edit", views.channel_edit, name="channel-edit"),
    path("settings/connectors/<str:public_id>/channels/<int:channel_id>/delete", views.channel_delete,
         name="channel-delete"),
]
