"""The văn thư's edXML pages (decisions/exchange/views.py), under /exchange/ (whose request
size limit is DECISIONS_EDXML_MAX_BYTES, in the application and in nginx)."""

from django.urls import path

from decisions.exchange import views

urlpatterns = [
    path("exchange/receive/", views.upload_package, name="exchange_upload"),
    path("exchange/decisions/<id:pk>/", views.decision_packages, name="exchange_packages"),
    path("exchange/decisions/<id:pk>/edxml/", views.download_package, name="exchange_download"),
]
