"""The document exchange's machine endpoints (included from config/urls.py under /api/edxml/)."""

from django.urls import path

from decisions.exchange import endpoint

app_name = "exchange_api"

urlpatterns = [
    path("", endpoint.receive_package, name="package"),
    path("status/", endpoint.receive_status, name="status"),
]
